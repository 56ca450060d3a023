//! Figures and tables from run directories (`relocant::plot`, `relocant::table`), tested
//! on synthetic fixture directories written here, so these tests do not depend on the
//! engine. The fixtures follow the output-directory contract: `daily.csv` rows satisfy
//! arrived = present + moved_on + returned, and each composition group sums to present.
//!
//! Two ignored tests write figures for looking at, to `$RELOCANT_GALLERY` (default
//! `/tmp/relocant-gallery`): `cargo test --release --test plot -- --ignored gallery`
//! renders realistic two-year fixtures, and with `RELOCANT_RUN_DIRS=dir1:dir2`
//! `gallery_of_run_dirs` renders real run directories (the first is the baseline).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{check_pdf, check_png_ink, px, svg_texts};

use relocant::plot::{ColumnWidth, PlotError, PlotOptions, plot_comparison, plot_run};
use relocant::table::outcome_tables;

// ---------------------------------------------------------------------------------------
// Fixture generator

/// splitmix64: a tiny deterministic generator, seeded per replicate so that replicate r
/// of every scenario shares its random numbers, like the engine's.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Splits `total` into parts proportional to `weights` (largest remainder), so the parts
/// are whole persons that sum exactly to `total`.
fn split(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut parts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let missing = total - parts.iter().sum::<u64>();
    for &i in order.iter().take(missing as usize) {
        parts[i] += 1;
    }
    parts
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let d = relocant::calendar::Date::from_days(z);
    (i64::from(d.year), u32::from(d.month), u32::from(d.day))
}

fn iso(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// 2022-09-21, the day mobilisation was announced.
const START: i64 = 19_256;

const REASONS: [&str; 7] = [
    "money", "legal", "job_loss", "stress", "housing", "family", "deported",
];
const DESTINATIONS: [&str; 3] = ["georgia", "armenia", "turkey"];

#[derive(Clone)]
struct Fixture {
    scenario: String,
    replicates: u64,
    days: i64,
    /// Daily hazard of returning to Russia (scenario effect).
    return_rate: f64,
    /// Write the engine's social-capital columns (`ties_*`, `*_via_tie`).
    social: bool,
    /// Also write cumulative `help_*` columns.
    help: bool,
    events: Vec<(i64, String)>,
}

impl Fixture {
    fn new(scenario: &str) -> Self {
        Self {
            scenario: scenario.into(),
            replicates: 4,
            days: 100,
            return_rate: 0.004,
            social: true,
            help: false,
            events: vec![
                (START + 30, "border-run ban".into()),
                (START + 38, "RVP quota".into()),
                (START + 70, "new registration rules".into()),
            ],
        }
    }

    fn write(&self, dir: &Path) -> PathBuf {
        fs::create_dir_all(dir).unwrap();
        let mut daily = String::from(
            "replicate,day,date,arrived,present,integrated,moved_on,returned,\
             legal_visa_free,legal_rvp_pending,legal_rvp,legal_vnzh,legal_overstay,\
             housing_hotel,housing_rent_alone,housing_rent_shared,housing_friends,\
             housing_local_host,housing_shelter,housing_none,\
             employed_remote,employed_local,employed_both,employed_none,left_transit",
        );
        for r in REASONS {
            write!(daily, ",left_{r}").unwrap();
        }
        daily.push_str(",iin_issued");
        for d in DESTINATIONS {
            write!(daily, ",moved_on_to_{d}").unwrap();
        }
        if self.social {
            daily.push_str(
                ",ties_co_migrant,ties_local,ties_transnational,housed_via_tie,local_job,local_job_via_tie",
            );
        }
        if self.help {
            daily.push_str(",help_housing,help_money,help_job");
        }
        daily.push('\n');

        let mut finals = Vec::new();
        let mut cohorts = String::from("replicate,cohort,days_since_arrival,share_present\n");
        for rep in 0..self.replicates {
            let mut rng = Rng(0xC0FFEE + rep * 7919);
            let (mut arrived, mut present, mut moved, mut returned) = (0u64, 0u64, 0u64, 0u64);
            let mut left = [0u64; REASONS.len()];
            let mut to = [0u64; DESTINATIONS.len()];
            let mut help = [0u64; 3];
            let mut integrated = 0;
            for day in 0..self.days {
                let t = day as f64;
                let wave = 20.0 + 300.0 * (-((t - 12.0) / 10.0).powi(2)).exp();
                let arrivals = (wave * (0.8 + 0.4 * rng.uniform())).round() as u64;
                arrived += arrivals;
                present += arrivals;
                let moving = ((present as f64) * 0.006 * (0.5 + rng.uniform())).round() as u64;
                let returning =
                    ((present as f64) * self.return_rate * (0.5 + rng.uniform())).round() as u64;
                let moving = moving.min(present);
                let returning = returning.min(present - moving);
                present -= moving + returning;
                moved += moving;
                returned += returning;
                for (acc, part) in to.iter_mut().zip(split(moving, &[0.5, 0.3, 0.2])) {
                    *acc += part;
                }
                let reasons = split(returning, &[0.3, 0.15, 0.15, 0.15, 0.1, 0.1, 0.05]);
                for (acc, part) in left.iter_mut().zip(reasons) {
                    *acc += part;
                }
                integrated = ((present as f64) * (t / 180.0).min(0.5)).round() as u64;
                let legal = split(
                    present,
                    &[
                        (1.0 - t / 60.0).max(0.05),
                        0.3,
                        t / 100.0,
                        t / 400.0,
                        0.02 + t / 1000.0,
                    ],
                );
                let housing = split(
                    present,
                    &[
                        (0.5 - t / 200.0).max(0.05),
                        0.2,
                        0.3,
                        0.15,
                        0.05,
                        0.02,
                        0.01,
                    ],
                );
                let employment = split(present, &[0.6, 0.05 + t / 300.0, 0.05, 0.3]);
                let iin = ((arrived as f64) * (t / 40.0).min(0.9)).round() as u64;
                write!(
                    daily,
                    "{rep},{day},{},{arrived},{present},{integrated},{moved},{returned}",
                    iso(START + day)
                )
                .unwrap();
                for v in legal.iter().chain(&housing).chain(&employment) {
                    write!(daily, ",{v}").unwrap();
                }
                write!(daily, ",{moved}").unwrap();
                for v in left.iter() {
                    write!(daily, ",{v}").unwrap();
                }
                write!(daily, ",{iin}").unwrap();
                for v in to.iter() {
                    write!(daily, ",{v}").unwrap();
                }
                if self.social {
                    // Like the engine: ties as means over those present, help as stocks.
                    let p = present as f64;
                    let per = |v: f64| if present > 0 { v } else { 0.0 };
                    let local_job = employment[1] + employment[2];
                    write!(
                        daily,
                        ",{},{:.4},{},{},{local_job},{}",
                        per(3.0),
                        per(0.2 + t / 150.0),
                        per(2.0),
                        (p * 0.3).round(),
                        (local_job as f64 * (0.2 + t / 2000.0)).round()
                    )
                    .unwrap();
                }
                if self.help {
                    for (h, rate) in help.iter_mut().zip([0.01, 0.02, 0.005]) {
                        *h += ((present as f64) * rate * rng.uniform()).round() as u64;
                    }
                    write!(daily, ",{},{},{}", help[0], help[1], help[2]).unwrap();
                }
                daily.push('\n');
            }
            finals.push((rep, arrived, present, integrated, moved, returned));

            // Monthly arrival cohorts, observed every 7 days until the end of the run.
            let mut month_start = START;
            while month_start < START + self.days {
                let (y, m, _) = civil_from_days(month_start);
                let hazard = self.return_rate + 0.002 + 0.001 * rng.uniform();
                let mut since = 0;
                while month_start + since < START + self.days {
                    let share = (-(hazard * since as f64)).exp();
                    writeln!(cohorts, "{rep},{y:04}-{m:02},{since},{share:.4}").unwrap();
                    since += 7;
                }
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                month_start = days_from_civil(ny, nm);
            }
        }

        let outcomes = "arrived,present,integrated,moved_on,returned,\
             share_present,share_integrated,share_moved_on,share_returned\n";
        let mut summary = format!("replicate,{outcomes}");
        let mut summary_stats = format!("stat,{outcomes}");
        let rows: Vec<Vec<f64>> = finals
            .iter()
            .map(|&(_, a, p, i, m, r)| {
                let a = a as f64;
                vec![
                    a,
                    p as f64,
                    i as f64,
                    m as f64,
                    r as f64,
                    p as f64 / a,
                    i as f64 / a,
                    m as f64 / a,
                    r as f64 / a,
                ]
            })
            .collect();
        for (&(rep, ..), row) in finals.iter().zip(&rows) {
            writeln!(summary, "{rep},{}", join(row)).unwrap();
        }
        for (stat, f) in [
            ("mean", mean as fn(&[f64]) -> f64),
            ("sd", sd),
            ("q05", |v: &[f64]| quantile(v, 0.05)),
            ("q50", |v: &[f64]| quantile(v, 0.5)),
            ("q95", |v: &[f64]| quantile(v, 0.95)),
        ] {
            let stats: Vec<f64> = (0..rows[0].len())
                .map(|c| f(&rows.iter().map(|r| r[c]).collect::<Vec<_>>()))
                .collect();
            writeln!(summary_stats, "{stat},{}", join(&stats)).unwrap();
        }

        let mut events = String::from("date,label\n");
        for (day, label) in &self.events {
            writeln!(events, "{},{label}", iso(*day)).unwrap();
        }
        fs::write(dir.join("daily.csv"), daily).unwrap();
        fs::write(dir.join("summary.csv"), summary).unwrap();
        fs::write(dir.join("summary_stats.csv"), summary_stats).unwrap();
        fs::write(dir.join("events.csv"), events).unwrap();
        fs::write(dir.join("cohorts.csv"), cohorts).unwrap();
        fs::write(
            dir.join("manifest.json"),
            format!("{{\"scenario\": \"{}\", \"seed\": 42}}\n", self.scenario),
        )
        .unwrap();
        dir.to_owned()
    }
}

/// Day number of the first of a month.
fn days_from_civil(y: i64, m: u32) -> i64 {
    relocant::calendar::Date::new(y as i32, m as u8, 1)
        .expect("valid month")
        .to_days()
}

fn join(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0).max(1.0)).sqrt()
}

fn quantile(v: &[f64], q: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let h = (s.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (h - lo as f64)
}

// ---------------------------------------------------------------------------------------
// Checks on written files

/// Decodes a PNG and checks its size and that it shows something.
fn check_png(path: &Path, width: u32, height: u32) {
    assert_eq!(
        check_png_ink(path, 2),
        (width, height),
        "{}",
        path.display()
    );
}

fn svg(out: &Path, name: &str) -> String {
    fs::read_to_string(out.join(format!("{name}.svg"))).unwrap()
}

/// The text of every `<text>` element, trimmed and unescaped.
fn texts(svg: &str) -> Vec<String> {
    svg_texts(svg)
}

/// Asserts that each of `labels` is the whole text of some `<text>` element.
fn assert_texts(svg: &str, labels: &[&str], what: &str) {
    let found = texts(svg);
    for label in labels {
        assert!(
            found.iter().any(|t| t == label),
            "{what} has no text `{label}` (texts: {found:?})"
        );
    }
}

fn assert_contains(haystack: &str, needles: &[&str], what: &str) {
    for needle in needles {
        assert!(haystack.contains(needle), "{what} lacks `{needle}`");
    }
}

const RUN_FIGURES: [&str; 7] = [
    "outcomes",
    "composition_legal",
    "composition_housing",
    "composition_employment",
    "departures_by_reason",
    "survival",
    "social_capital",
];

// ---------------------------------------------------------------------------------------
// Figures from one run

#[test]
fn every_run_figure_is_written_as_svg_png_and_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Fixture::new("status quo").write(&tmp.path().join("run"));
    let out = tmp.path().join("figures/nested");
    let written = plot_run(&run, &out, &PlotOptions::default()).unwrap();

    assert_eq!(written.len(), RUN_FIGURES.len() * 3);
    for name in RUN_FIGURES {
        for ext in ["svg", "png", "pdf"] {
            assert!(
                written.contains(&out.join(format!("{name}.{ext}"))),
                "{name}.{ext} not reported"
            );
        }
        check_png(&out.join(format!("{name}.png")), 2067, px(85.0));
        check_pdf(&out.join(format!("{name}.pdf")));
        assert!(svg(&out, name).starts_with("<svg"), "{name}.svg");
    }
    // Atomic writes leave no temporary files behind.
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), RUN_FIGURES.len() * 3, "{names:?}");
}

#[test]
fn svgs_carry_axis_titles_ticks_legends_and_event_labels_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Fixture::new("status quo").write(&tmp.path().join("run"));
    let out = tmp.path().join("out");
    plot_run(
        &run,
        &out,
        &PlotOptions {
            width: ColumnWidth::Double,
            title: true,
        },
    )
    .unwrap();

    let events = ["border-run ban", "RVP quota", "new registration rules"];
    let outcomes = svg(&out, "outcomes");
    assert_texts(&outcomes, &events, "outcomes.svg");
    assert_texts(
        &outcomes,
        &[
            "persons",
            "Oct 2022",
            "Nov 2022",
            "Dec 2022",
            "0",
            "present",
            "integrated",
            "moved on",
            "returned",
        ],
        "outcomes.svg",
    );
    assert_texts(&outcomes, &["Arrivals by outcome"], "outcomes.svg (title)");
    assert_contains(
        &outcomes,
        &[r#"width="175mm" height="85mm""#, "DejaVu Sans"],
        "outcomes.svg",
    );
    let legal = svg(&out, "composition_legal");
    assert_texts(
        &legal,
        &[
            "share of those present (%)",
            "visa-free stay",
            "overstay",
            "100",
            "border-run ban",
        ],
        "composition_legal.svg",
    );
    assert_texts(
        &svg(&out, "composition_housing"),
        &["renting shared", "no housing"],
        "composition_housing.svg",
    );
    assert_texts(
        &svg(&out, "composition_employment"),
        &["remote work", "not employed"],
        "composition_employment.svg",
    );
    assert_texts(
        &svg(&out, "departures_by_reason"),
        &[
            "departures per 7 days",
            "moved on (transit)",
            "job loss",
            "RVP quota",
        ],
        "departures_by_reason.svg",
    );
    assert_texts(
        &svg(&out, "survival"),
        &[
            "days since arrival",
            "still present (%)",
            "2022-09",
            "2022-12",
            "0",
            "100",
        ],
        "survival.svg",
    );
    assert_texts(
        &svg(&out, "social_capital"),
        &[
            "ties per migrant present",
            "co-migrants",
            "helped through a tie (%)",
            "housed through a tie (% of present)",
            "new registration rules",
        ],
        "social_capital.svg",
    );
}

#[test]
fn help_columns_become_a_panel_of_weekly_help_events() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = Fixture {
        help: true,
        ..Fixture::new("status quo")
    };
    let run = fixture.write(&tmp.path().join("run"));
    let out = tmp.path().join("out");
    plot_run(&run, &out, &PlotOptions::default()).unwrap();
    assert_texts(
        &svg(&out, "social_capital"),
        &[
            "ties per migrant present",
            "help events per 7 days",
            "money",
            "job",
        ],
        "social_capital.svg",
    );
    check_png(&out.join("social_capital.png"), 2067, px(85.0));
}

#[test]
fn untitled_figures_have_no_title() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Fixture::new("status quo").write(&tmp.path().join("run"));
    let out = tmp.path().join("out");
    plot_run(&run, &out, &PlotOptions::default()).unwrap();
    assert!(!svg(&out, "outcomes").contains("Arrivals by outcome"));
}

#[test]
fn single_column_figures_are_85_mm_wide_at_300_dpi() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Fixture::new("status quo").write(&tmp.path().join("run"));
    let out = tmp.path().join("out");
    plot_run(
        &run,
        &out,
        &PlotOptions {
            width: ColumnWidth::Single,
            title: false,
        },
    )
    .unwrap();
    check_png(&out.join("outcomes.png"), 1004, px(70.0));
    check_png(&out.join("survival.png"), 1004, px(70.0));
    // Two panels stack at single width, so that figure is taller.
    check_png(&out.join("social_capital.png"), 1004, px(70.0 * 1.8));
    assert!(svg(&out, "outcomes").contains(r#"width="85mm" height="70mm""#));
}

#[test]
fn social_capital_is_skipped_without_tie_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = Fixture {
        social: false,
        ..Fixture::new("status quo")
    };
    let run = fixture.write(&tmp.path().join("run"));
    let out = tmp.path().join("out");
    let written = plot_run(&run, &out, &PlotOptions::default()).unwrap();
    assert_eq!(written.len(), (RUN_FIGURES.len() - 1) * 3);
    assert!(!out.join("social_capital.svg").exists());
}

#[test]
fn a_run_without_events_still_plots() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = Fixture {
        events: Vec::new(),
        ..Fixture::new("status quo")
    };
    let run = fixture.write(&tmp.path().join("run"));
    let out = tmp.path().join("out");
    plot_run(&run, &out, &PlotOptions::default()).unwrap();
    check_png(&out.join("outcomes.png"), 2067, px(85.0));
}

// ---------------------------------------------------------------------------------------
// Bad input: errors that name the file (and column or line), never panics

/// Rewrites `file` in `dir` through `edit` applied to each line (with its index).
fn edit_lines(dir: &Path, file: &str, edit: impl Fn(usize, &str) -> Option<String>) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let out: Vec<String> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| edit(i, l))
        .collect();
    fs::write(&path, out.join("\n") + "\n").unwrap();
}

fn drop_column(dir: &Path, file: &str, column: &str) {
    let header = fs::read_to_string(dir.join(file)).unwrap();
    let index = header
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == column)
        .unwrap();
    edit_lines(dir, file, |_, line| {
        let cells: Vec<&str> = line
            .split(',')
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, c)| c)
            .collect();
        Some(cells.join(","))
    });
}

fn plot_error(run: &Path, out: &Path) -> String {
    let err: PlotError = plot_run(run, out, &PlotOptions::default()).unwrap_err();
    err.to_string()
}

#[test]
fn a_missing_column_is_an_error_naming_file_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Fixture::new("status quo").write(&tmp.path().join("run"));
    drop_column(&run, "daily.csv", "integrated");
    let out = tmp.path().join("out");
    let message = plot_error(&run, &out);
    assert!(message.contains("daily.csv"), "{message}");
    assert!(message.contains("`integrated`"), "{message}");
    assert!(!out.exists(), "nothing is written when an input is bad");

    let run2 = Fixture::new("status quo").write(&tmp.path().join("run2"));
    drop_column(&run2, "cohorts.csv", "share_present");
    let message = plot_error(&run2, &out);
    assert!(
        message.contains("cohorts.csv") && message.contains("`share_present`"),
        "{message}"
    );

    let run3 = Fixture::new("status quo").write(&tmp.path().join("run3"));
    drop_column(&run3, "summary.csv", "share_returned");
    let dirs = vec![run2.clone(), run3.clone()];
    let message = plot_comparison(&dirs, &out, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("summary.csv") && message.contains("`share_returned`"),
        "{message}"
    );
    let message = outcome_tables(&dirs).unwrap_err().to_string();
    assert!(message.contains("`share_returned`"), "{message}");
}

#[test]
fn a_bad_value_is_an_error_naming_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Fixture::new("status quo").write(&tmp.path().join("run"));
    let present = 4;
    edit_lines(&run, "daily.csv", |i, line| {
        if i != 3 {
            return Some(line.to_owned());
        }
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[present] = "lots";
        Some(cells.join(","))
    });
    let message = plot_error(&run, &tmp.path().join("out"));
    assert!(message.contains("daily.csv:4:"), "{message}");
    assert!(
        message.contains("`present`") && message.contains("`lots`"),
        "{message}"
    );

    let run = Fixture::new("status quo").write(&tmp.path().join("run2"));
    edit_lines(&run, "events.csv", |i, line| {
        Some(if i == 1 {
            "27.01.2023,ban".into()
        } else {
            line.into()
        })
    });
    let message = plot_error(&run, &tmp.path().join("out"));
    assert!(
        message.contains("events.csv:2:") && message.contains("YYYY-MM-DD"),
        "{message}"
    );
}

#[test]
fn malformed_or_missing_files_are_errors_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");

    let message = plot_error(&tmp.path().join("no-such-run"), &out);
    assert!(message.contains("daily.csv"), "{message}");

    let run = Fixture::new("status quo").write(&tmp.path().join("ragged"));
    edit_lines(&run, "daily.csv", |i, line| {
        Some(if i == 5 { "0,1,2".into() } else { line.into() })
    });
    let message = plot_error(&run, &out);
    assert!(message.contains("daily.csv"), "{message}");

    let run = Fixture::new("status quo").write(&tmp.path().join("header-only"));
    edit_lines(&run, "daily.csv", |i, line| {
        (i == 0).then(|| line.to_owned())
    });
    let message = plot_error(&run, &out);
    assert!(
        message.contains("daily.csv") && message.contains("no data rows"),
        "{message}"
    );

    let run = Fixture::new("status quo").write(&tmp.path().join("binary"));
    fs::write(run.join("daily.csv"), [0xff, 0xfe, 0x00, 0x81, b'\n', 0x00]).unwrap();
    let message = plot_error(&run, &out);
    assert!(message.contains("daily.csv"), "{message}");

    let run = Fixture::new("status quo").write(&tmp.path().join("no-events"));
    fs::remove_file(run.join("events.csv")).unwrap();
    let message = plot_error(&run, &out);
    assert!(message.contains("events.csv"), "{message}");

    let run = Fixture::new("status quo").write(&tmp.path().join("bad-manifest"));
    fs::write(run.join("manifest.json"), "{ not json").unwrap();
    let dirs = vec![run.clone(), run];
    let message = outcome_tables(&dirs).unwrap_err().to_string();
    assert!(message.contains("manifest.json"), "{message}");
}

// ---------------------------------------------------------------------------------------
// Scenario comparison

fn three_scenarios(root: &Path) -> Vec<PathBuf> {
    vec![
        Fixture::new("status quo").write(&root.join("a")),
        Fixture {
            return_rate: 0.008,
            ..Fixture::new("border_ban")
        }
        .write(&root.join("b")),
        Fixture {
            return_rate: 0.002,
            ..Fixture::new("easier RVP & work")
        }
        .write(&root.join("c")),
    ]
}

#[test]
fn comparison_figure_shows_every_scenario_and_both_panels() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = three_scenarios(tmp.path());
    for (width, w, h) in [
        (ColumnWidth::Double, 2067, px(80.0)),
        (ColumnWidth::Single, 1004, px(125.0)),
    ] {
        let out = tmp.path().join(format!("out-{w}"));
        let written = plot_comparison(
            &dirs,
            &out,
            &PlotOptions {
                width,
                title: false,
            },
        )
        .unwrap();
        assert_eq!(written.len(), 3);
        check_png(&out.join("comparison.png"), w, h);
        check_pdf(&out.join("comparison.pdf"));
        assert_texts(
            &svg(&out, "comparison"),
            &[
                "status quo (baseline)",
                "border_ban",
                "easier RVP & work",
                "share of arrivals (%)",
                "difference from baseline (pp)",
                "integrated",
                "moved on",
                "returned",
                "a",
                "b",
            ],
            "comparison.svg",
        );
    }
}

#[test]
fn comparison_needs_two_runs_with_shared_replicates() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = three_scenarios(tmp.path());
    let out = tmp.path().join("out");
    let err = plot_comparison(&dirs[..1], &out, &PlotOptions::default()).unwrap_err();
    assert!(
        matches!(err, PlotError::NotEnoughRuns { needed: 2, got: 1 }),
        "{err}"
    );

    // Replicate ids 0..4 in the baseline, 10..14 in the other: nothing to pair.
    edit_lines(&dirs[1], "summary.csv", |i, line| {
        Some(if i == 0 {
            line.to_owned()
        } else {
            format!("1{line}")
        })
    });
    let message = plot_comparison(&dirs[..2], &out, &PlotOptions::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("no replicate ids in common"), "{message}");
}

// ---------------------------------------------------------------------------------------
// Tables

#[test]
fn outcome_tables_list_every_scenario_in_booktabs_and_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = three_scenarios(tmp.path());
    let (latex, markdown) = outcome_tables(&dirs).unwrap();
    assert_contains(
        &latex,
        &[
            r"\toprule",
            r"\midrule",
            r"\bottomrule",
            r"\begin{tabular}",
            "status quo",
            r"border\_ban",
            r"easier RVP \& work",
            r"Integrated (\%)",
        ],
        "LaTeX table",
    );
    assert_eq!(
        latex.matches(r" \\").count(),
        4,
        "header and three rows:\n{latex}"
    );
    assert_contains(
        &markdown,
        &[
            "| status quo |",
            "| border_ban |",
            "| easier RVP & work |",
            "|:--|",
        ],
        "Markdown table",
    );
    assert_eq!(
        markdown.lines().filter(|l| l.starts_with('|')).count(),
        5,
        "{markdown}"
    );
}

#[test]
fn outcome_tables_quote_summary_statistics_in_percent() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, stats: &str| {
        let dir = tmp.path().join(name);
        fs::create_dir_all(&dir).unwrap();
        let columns = "arrived,present,integrated,moved_on,returned,\
             share_present,share_integrated,share_moved_on,share_returned,extra\n";
        let mut text = format!("replicate,{columns}");
        for (rep, share) in [(0, 0.3), (1, 0.4), (2, 0.5)] {
            writeln!(
                text,
                "{rep},12000,6000,3000,3000,3000,0.5,{share},0.25,0.25,x"
            )
            .unwrap();
        }
        fs::write(dir.join("summary.csv"), text).unwrap();
        if !stats.is_empty() {
            fs::write(
                dir.join("summary_stats.csv"),
                format!("stat,{columns}{stats}"),
            )
            .unwrap();
        }
        dir
    };
    // No statistics rows: computed from the replicates (type-7 quantiles).
    let computed = write("computed", "");
    // The engine's own mean/q05/q95 rows take precedence.
    let quoted = write(
        "quoted",
        "mean,12345,0,0,0,0,0.5,0.41,0.25,0.25,\nq05,0,0,0,0,0,0.5,0.33,0.25,0.25,\nq95,0,0,0,0,0,0.5,0.47,0.25,0.25,\n",
    );
    let (latex, markdown) = outcome_tables(&[computed, quoted]).unwrap();
    // No manifest: the directory's name labels the row.
    assert_contains(
        &latex,
        &["computed & 3 & 12\\,000 & 40.0 [31.0, 49.0]"],
        "LaTeX table",
    );
    assert_contains(
        &markdown,
        &["| quoted | 3 | 12,345 | 41.0 [33.0, 47.0] | 25.0 [25.0, 25.0] |"],
        "Markdown table",
    );
}

// ---------------------------------------------------------------------------------------
// A gallery for looking at the figures (ignored by default)

#[test]
#[ignore]
fn gallery() {
    let root = PathBuf::from(
        std::env::var("RELOCANT_GALLERY").unwrap_or_else(|_| "/tmp/relocant-gallery".into()),
    );
    let events = vec![
        (START + 128, "border-run ban".to_owned()),
        (START + 150, "RVP quota".to_owned()),
        (START + 470, "new migration law".to_owned()),
        (START + 800, "visa-free stay cut to 30 days".to_owned()),
    ];
    let long = |name: &str, return_rate: f64| Fixture {
        replicates: 8,
        days: 820,
        return_rate,
        events: events.clone(),
        ..Fixture::new(name)
    };
    let dirs = vec![
        long("status quo", 0.004).write(&root.join("runs/status_quo")),
        long("border-run ban", 0.006).write(&root.join("runs/border_ban")),
        long("easier RVP", 0.003).write(&root.join("runs/easier_rvp")),
    ];
    for (width, label) in [
        (ColumnWidth::Double, "double"),
        (ColumnWidth::Single, "single"),
    ] {
        let out = root.join(label);
        let opts = PlotOptions {
            width,
            title: false,
        };
        plot_run(&dirs[0], &out, &opts).unwrap();
        plot_comparison(&dirs, &out, &opts).unwrap();
    }
    // The small fixture the other tests use: a short date axis, few replicates.
    let short = Fixture::new("status quo").write(&root.join("runs/short"));
    let short_b = Fixture {
        return_rate: 0.008,
        ..Fixture::new("border_ban")
    }
    .write(&root.join("runs/short_b"));
    let opts = PlotOptions {
        width: ColumnWidth::Single,
        title: true,
    };
    plot_run(&short, &root.join("short"), &opts).unwrap();
    plot_comparison(&[short, short_b], &root.join("short"), &opts).unwrap();

    let (latex, markdown) = outcome_tables(&dirs).unwrap();
    fs::write(root.join("outcomes.tex"), latex).unwrap();
    fs::write(root.join("outcomes.md"), markdown).unwrap();
    eprintln!("gallery written to {}", root.display());
}

/// Plots real run directories: `RELOCANT_RUN_DIRS=a:b:c` (the first is the baseline),
/// written to `RELOCANT_GALLERY` (default `/tmp/relocant-gallery`)/`runs-double` and
/// `runs-single`.
#[test]
#[ignore]
fn gallery_of_run_dirs() {
    let Ok(dirs) = std::env::var("RELOCANT_RUN_DIRS") else {
        eprintln!("set RELOCANT_RUN_DIRS to plot real run directories");
        return;
    };
    let dirs: Vec<PathBuf> = dirs.split(':').map(PathBuf::from).collect();
    let root = PathBuf::from(
        std::env::var("RELOCANT_GALLERY").unwrap_or_else(|_| "/tmp/relocant-gallery".into()),
    );
    for (width, label) in [
        (ColumnWidth::Double, "runs-double"),
        (ColumnWidth::Single, "runs-single"),
    ] {
        let out = root.join(label);
        let opts = PlotOptions {
            width,
            title: false,
        };
        plot_run(&dirs[0], &out, &opts).unwrap();
        if dirs.len() > 1 {
            plot_comparison(&dirs, &out, &opts).unwrap();
        }
    }
    let (latex, markdown) = outcome_tables(&dirs).unwrap();
    eprintln!("{latex}\n{markdown}");
}

#[test]
fn plot_on_a_folder_that_is_not_a_run_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_relocant"))
        .args(["plot", tmp.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("is not a relocant run directory: it has none of daily.csv, runs.csv"),
        "{err}"
    );
}
