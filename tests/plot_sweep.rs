//! Figures of sweeps, end to end with the real binary on tiny sweeps (a run takes ~10 ms):
//! a grid sweep draws its heatmaps when it finishes (and a merge of its shards does too),
//! `relocant analyze` draws the sensitivity figures of a Sobol or Morris sweep, `relocant
//! plot DIR` redraws either from the files alone; and bad, unfinished or partial sweep
//! directories are clear errors, never panics.

use std::fs;
use std::path::Path;

use relocant::plot::{PlotOptions, plot_sweep};

mod common;
use common::{
    MORRIS, SOBOL, check_pdf, check_png_ink, ok, px, relocant, stderr, svg_texts, sweep,
    sweep_and_analyze, sweep_file,
};

/// A grid of 2 dates x 3 values x 2 replicates on a tiny sample.
const GRID: &str = r#"
seed = 11
replicates = 2
design = "grid"
[set]
arrivals.persons_per_agent = 400
[params]
policy.border_run_ban.date = [2023-05-01, 2023-01-27]
decisions.money = { min = 1.0, max = 3.0, steps = 3 }
"#;

const OUTCOMES: [&str; 3] = ["share_integrated", "share_moved_on", "share_returned"];

// ---------------------------------------------------------------------------------------
// Checks on written files (as in tests/plot.rs)

/// Decodes a PNG, returns its size, and checks that it shows something in colour.
fn check_png(path: &Path) -> (u32, u32) {
    check_png_ink(path, 20)
}

/// The text of every `<text>` element of `dir/name.svg`, trimmed and unescaped.
fn texts(dir: &Path, name: &str) -> Vec<String> {
    let path = dir.join(format!("{name}.svg"));
    svg_texts(&fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn assert_texts(dir: &Path, name: &str, labels: &[&str]) {
    let found = texts(dir, name);
    for label in labels {
        assert!(
            found.iter().any(|t| t == label),
            "{name}.svg has no text `{label}` (texts: {found:?})"
        );
    }
}

/// The figures `prefix_<outcome>` exist as SVG, PNG and PDF; returns the PNGs' sizes.
fn check_figures(dir: &Path, prefix: &str) -> Vec<(u32, u32)> {
    OUTCOMES
        .iter()
        .map(|o| {
            let name = format!("{prefix}_{o}");
            assert!(dir.join(format!("{name}.svg")).is_file(), "{name}.svg");
            check_pdf(&dir.join(format!("{name}.pdf")));
            check_png(&dir.join(format!("{name}.png")))
        })
        .collect()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------
// Heatmaps

#[test]
fn a_grid_sweep_draws_heatmaps_of_each_outcome_over_its_two_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let out = tmp.path().join("grid");
    ok(&sweep(&f, &out, &[]));
    let figures = out.join("figures");
    for (w, h) in check_figures(&figures, "heatmap") {
        assert_eq!((w, h), (px(175.0), px(85.0)));
    }
    assert_eq!(names_in(&figures).len(), 9, "{:?}", names_in(&figures));
    for (o, label) in OUTCOMES.iter().zip(["integrated", "moved on", "returned"]) {
        assert_texts(
            &figures,
            &format!("heatmap_{o}"),
            &[
                "policy.border_run_ban.date",
                "decisions.money",
                // Dates in order, whatever the sweep file's order; numbers with the
                // decimals they need (1.0, 2.0, 3.0 need none).
                "27 Jan 2023",
                "1 May 2023",
                "1",
                "2",
                "3",
                &format!("{label} (% of arrivals)"),
            ],
        );
    }
    let svg = fs::read_to_string(figures.join("heatmap_share_integrated.svg")).unwrap();
    assert!(svg.find("27 Jan 2023").unwrap() < svg.find("1 May 2023").unwrap());
    // Six cells this size carry their values: numbers with two decimals, in percent.
    let values = texts(&figures, "heatmap_share_integrated")
        .into_iter()
        .filter(|t| {
            t.split_once('.').is_some_and(|(a, b)| {
                (1..=2).contains(&a.len())
                    && b.len() <= 2
                    && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            })
        })
        .count();
    assert!(
        values >= 6,
        "{:?}",
        texts(&figures, "heatmap_share_integrated")
    );

    // Redrawn from the files alone, at single-column width, with titles.
    let single = tmp.path().join("single");
    let o = relocant(&[
        "plot",
        out.to_str().unwrap(),
        "--single-column",
        "--title",
        "--out",
        single.to_str().unwrap(),
        "--verbose",
    ]);
    ok(&o);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 9);
    for (w, h) in check_figures(&single, "heatmap") {
        assert_eq!(w, px(85.0));
        assert!(h >= px(70.0));
    }
    assert!(
        texts(&single, "heatmap_share_returned")
            .iter()
            .any(|t| t == "Share returned (% of arrivals)")
    );

    // --no-plots draws nothing; --force removes the old figures with the old sweep.
    let bare = tmp.path().join("bare");
    ok(&sweep(&f, &bare, &["--no-plots"]));
    assert!(!bare.join("figures").exists());
    fs::write(figures.join("notes.txt"), "mine").unwrap();
    ok(&sweep(&f, &out, &["--force", "--no-plots"]));
    assert_eq!(names_in(&figures), ["notes.txt"]);
}

#[test]
fn merging_shards_draws_the_heatmaps_and_shards_draw_none() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let split = tmp.path().join("split");
    for k in ["1/2", "2/2"] {
        ok(&sweep(&f, &split, &["--shard", k]));
    }
    let shard = split.join("shard-1-of-2");
    assert!(!shard.join("figures").exists());
    // A shard cannot be plotted on its own: it says to merge.
    let o = relocant(&["plot", shard.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("relocant merge"), "{}", stderr(&o));

    ok(&relocant(&[
        "merge",
        shard.to_str().unwrap(),
        split.join("shard-2-of-2").to_str().unwrap(),
    ]));
    check_figures(&split.join("figures"), "heatmap");
}

// ---------------------------------------------------------------------------------------
// Sensitivity

#[test]
fn analyze_draws_sobol_indices_of_each_outcome_with_parameter_names() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "sobol", SOBOL);
    let out = tmp.path().join("sobol");
    ok(&sweep(&f, &out, &[]));
    // A Sobol design is no grid: no heatmaps, and nothing to plot before the analysis.
    assert!(!out.join("figures").exists());
    let o = relocant(&["plot", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing to draw"), "{}", stderr(&o));

    ok(&relocant(&[
        "analyze",
        out.to_str().unwrap(),
        "--bootstrap",
        "50",
        "--no-plots",
    ]));
    assert!(!out.join("figures").exists());
    ok(&relocant(&[
        "analyze",
        out.to_str().unwrap(),
        "--bootstrap",
        "50",
    ]));
    let figures = out.join("figures");
    for (w, _) in check_figures(&figures, "sensitivity") {
        assert_eq!(w, px(175.0));
    }
    for o in OUTCOMES {
        assert_texts(
            &figures,
            &format!("sensitivity_{o}"),
            &[
                "decisions.money",
                "legal.visa_free_days",
                "first order (S1)",
                "total order (ST)",
                "Sobol index",
            ],
        );
    }
    // `relocant plot` redraws them from sensitivity.csv.
    let again = tmp.path().join("again");
    ok(&relocant(&[
        "plot",
        out.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]));
    check_figures(&again, "sensitivity");
}

#[test]
fn analyze_draws_morris_measures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sweep_and_analyze(tmp.path(), "morris", MORRIS, &["--bootstrap", "20"]);
    let figures = out.join("figures");
    check_figures(&figures, "sensitivity");
    assert_texts(
        &figures,
        "sensitivity_share_returned",
        &[
            "decisions.money",
            "policy.border_run_ban.date",
            "μ* (mean |elementary effect|)",
            "σ (spread of effects)",
            "elementary effect (pp of arrivals over the parameter's range)",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Bad input

fn plot_error(dir: &Path) -> String {
    match plot_sweep(dir, &dir.join("figures"), &PlotOptions::default()) {
        Ok(written) => panic!("expected an error, wrote {written:?}"),
        Err(e) => e.to_string(),
    }
}

fn edit(path: &Path, f: impl Fn(String) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, f(text)).unwrap();
}

#[test]
fn bad_unfinished_or_partial_sweep_directories_are_errors_not_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let good = tmp.path().join("good");
    ok(&sweep(&f, &good, &["--no-plots"]));
    let copy = |name: &str| {
        let dir = tmp.path().join(name);
        fs::create_dir_all(&dir).unwrap();
        for e in fs::read_dir(&good).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                fs::copy(e.path(), dir.join(e.file_name())).unwrap();
            }
        }
        dir
    };

    // Unfinished.
    let d = copy("running");
    edit(&d.join("manifest.json"), |t| {
        t.replace("\"complete\"", "\"running\"")
    });
    let e = plot_error(&d);
    assert!(
        e.contains("not finished") && e.contains("manifest.json"),
        "{e}"
    );
    let o = relocant(&["plot", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not finished"), "{}", stderr(&o));

    // No manifest, or not JSON.
    let d = copy("no_manifest");
    fs::remove_file(d.join("manifest.json")).unwrap();
    assert!(plot_error(&d).contains("manifest.json"));
    let d = copy("bad_manifest");
    fs::write(d.join("manifest.json"), "{ not json").unwrap();
    assert!(plot_error(&d).contains("not valid JSON"));

    // points.csv: missing, a column missing, a bad value, an incomplete grid.
    let d = copy("no_points");
    fs::remove_file(d.join("points.csv")).unwrap();
    assert!(plot_error(&d).contains("points.csv"));
    let d = copy("no_column");
    edit(&d.join("points.csv"), |t| {
        t.replacen("share_returned", "share_gone", 1)
    });
    let e = plot_error(&d);
    assert!(
        e.contains("points.csv") && e.contains("missing column `share_returned`"),
        "{e}"
    );
    let d = copy("bad_value");
    edit(&d.join("points.csv"), |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
        let cols: Vec<&str> = lines[0].split(',').collect();
        let i = cols.iter().position(|c| *c == "share_integrated").unwrap();
        let mut row: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
        row[i] = "lots".into();
        lines[1] = row.join(",");
        lines.join("\n") + "\n"
    });
    let e = plot_error(&d);
    assert!(
        e.contains("points.csv:2") && e.contains("`lots` is not a number"),
        "{e}"
    );
    let d = copy("holes");
    edit(&d.join("points.csv"), |t| {
        t.lines()
            .filter(|l| !l.starts_with("0,"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    assert!(
        plot_error(&d).contains("not a full grid"),
        "{}",
        plot_error(&d)
    );

    // sensitivity.csv: an unknown index, a missing outcome.
    let d = copy("bad_sensitivity");
    fs::write(
        d.join("sensitivity.csv"),
        "outcome,parameter,measure,estimate,ci_low,ci_high\nshare_integrated,decisions.money,S9,0.1,0,0.2\n",
    )
    .unwrap();
    let e = plot_error(&d);
    assert!(
        e.contains("sensitivity.csv:2") && e.contains("unknown index `S9`"),
        "{e}"
    );
    fs::write(
        d.join("sensitivity.csv"),
        "outcome,parameter,measure,estimate,ci_low,ci_high\nshare_integrated,decisions.money,S1,0.1,0,0.2\nshare_integrated,decisions.money,ST,NaN,NaN,NaN\n",
    )
    .unwrap();
    let e = plot_error(&d);
    assert!(
        e.contains("no `S1` of parameter `decisions.money` for `share_moved_on`"),
        "{e}"
    );

    // A run directory and a sweep directory cannot be plotted together.
    let run = tmp.path().join("run");
    fs::create_dir_all(&run).unwrap();
    fs::write(run.join("daily.csv"), "replicate,day,date\n").unwrap();
    let o = relocant(&["plot", good.to_str().unwrap(), run.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not both"), "{}", stderr(&o));

    // Nothing was written into any of them.
    for name in [
        "running",
        "no_column",
        "bad_value",
        "holes",
        "bad_sensitivity",
    ] {
        assert!(!tmp.path().join(name).join("figures").exists(), "{name}");
    }
}
