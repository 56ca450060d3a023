//! `relocant experiment` end to end: effects that can come out either way (a channel made
//! harmful shows as a harm), the same bits for any `--jobs` and after a kill and
//! `--resume`, bad experiment files rejected with their location, the figure's checks, and
//! the report section.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{check_pdf, check_png_ink, ok, read, relocant, root, stderr, svg_texts};

/// Writes an experiment file over the repository's baseline into `dir`.
fn experiment_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let base = root().join("scenarios/baseline.toml");
    let text = format!("base = {:?}\n{body}", base.display().to_string());
    let p = dir.join(format!("{name}.toml"));
    fs::write(&p, text).unwrap();
    p
}

fn experiment(file: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "experiment",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    relocant(&args)
}

/// The effects.csv row of an arm and outcome: (difference, q05, q95).
fn effect(dir: &Path, arm: &str, outcome: &str) -> (f64, f64, f64) {
    let text = String::from_utf8(read(&dir.join("effects.csv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |c: &str| header.iter().position(|h| *h == c).unwrap();
    let row: Vec<&str> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[col("arm")] == arm && r[col("outcome")] == outcome)
        .unwrap_or_else(|| panic!("no row for {arm}, {outcome}: {text}"));
    let num = |c: &str| row[col(c)].parse::<f64>().unwrap();
    (
        num("difference"),
        num("difference_q05"),
        num("difference_q95"),
    )
}

/// Information from ties and channels, switched off; with `harm`, the advice is wrong
/// (informed migrants apply for permits ten times less often and meet bad intermediaries).
/// At 50 persons per agent: the effect on integration (a few tenths of a percentage point)
/// must stand out of each replicate's noise, which returnees coming back add to; moves
/// between cities, which add more, are off in both arms (what is tested is the experiment).
fn information_experiment(dir: &Path, name: &str, harm: bool) -> PathBuf {
    let wrong = if harm {
        "social.info_speedup = -0.9\nsocial.info_fraud_factor = 3.0\n"
    } else {
        ""
    };
    experiment_file(
        dir,
        name,
        &format!(
            r#"
replicates = 10
outcomes = ["share_integrated"]
dates = [2023-07-01]
[set]
arrivals.persons_per_agent = 50
mobility.enabled = false
{wrong}
[arms.no_information]
label = "information"
group = "social capital"
[arms.no_information.set]
social.information_enabled = false
"#
        ),
    )
}

#[test]
fn a_channel_made_harmful_shows_as_a_harm_and_removing_it_raises_integration() {
    let tmp = tempfile::tempdir().unwrap();
    // As the model is built, information helps: removing it lowers integration...
    let helps = tmp.path().join("helps");
    ok(&experiment(
        &information_experiment(tmp.path(), "helps", false),
        &helps,
        &["--no-plots"],
    ));
    let (d, _, hi) = effect(&helps, "no_information", "share_integrated");
    assert!(d < 0.0 && hi < 0.0, "helpful information: {d} (q95 {hi})");
    // ...and when its advice is wrong, the same experiment finds the opposite.
    let harms = tmp.path().join("harms");
    ok(&experiment(
        &information_experiment(tmp.path(), "harms", true),
        &harms,
        &["--no-plots"],
    ));
    let (d, lo, _) = effect(&harms, "no_information", "share_integrated");
    assert!(d > 0.0 && lo > 0.0, "harmful information: {d} (q05 {lo})");
}

const SMALL: &str = r#"
replicates = 8
outcomes = ["share_integrated", "share_returned"]
dates = [2023-03-01, "2023-07-01"]
[set]
arrivals.persons_per_agent = 200

[arms.no_mutual_aid]
label = "mutual aid"
group = "social capital"
[arms.no_mutual_aid.set]
social.mutual_aid_enabled = false

[arms.strict_rvp]
label = "legal routes"
group = "legal routes"
scenario = "RVP_STRICT"
"#;

fn small(dir: &Path) -> PathBuf {
    let strict = root().join("scenarios/rvp_strict.toml");
    experiment_file(
        dir,
        "small",
        &SMALL.replace("RVP_STRICT", strict.to_str().unwrap()),
    )
}

const RESULTS: [&str; 6] = [
    "effects.csv",
    "effects.md",
    "effects.tex",
    "outcomes.csv",
    "arms/base.toml",
    "arms/strict_rvp.toml",
];

#[test]
fn an_experiment_is_the_same_bits_for_any_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let f = small(tmp.path());
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&experiment(&f, &a, &["--jobs", "1", "--no-plots"]));
    ok(&experiment(&f, &b, &["--jobs", "2", "--no-plots"]));
    for name in RESULTS {
        assert_eq!(read(&a.join(name)), read(&b.join(name)), "{name} differs");
    }
    // Two arms × two outcomes × two dates, in the file's arm order.
    let effects = String::from_utf8(read(&a.join("effects.csv"))).unwrap();
    assert_eq!(effects.lines().count(), 1 + 8, "{effects}");
    assert!(
        effects
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("no_mutual_aid,mutual aid,social capital,share_integrated,2023-03-01,")
    );
    // Every run's outcomes at every date: 3 arms × 8 replicates × 2 dates.
    let outcomes = String::from_utf8(read(&a.join("outcomes.csv"))).unwrap();
    assert_eq!(outcomes.lines().count(), 1 + 48);
}

#[test]
fn an_interrupted_experiment_resumes_to_identical_results() {
    let tmp = tempfile::tempdir().unwrap();
    let f = small(tmp.path());
    let reference = tmp.path().join("reference");
    ok(&experiment(&f, &reference, &["--no-plots"]));
    let killed = tmp.path().join("killed");
    // Kill it (SIGKILL) once a few runs are recorded: a moment the experiment reaches,
    // not a time, so the kill lands the same way on a fast or a loaded machine.
    let mut kills = 0;
    for at in [3, 11, 19] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relocant"))
            .args([
                "experiment",
                f.to_str().unwrap(),
                "--out",
                killed.to_str().unwrap(),
            ])
            .args(["--quiet", "--no-plots", "--jobs", "1", "--resume"])
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        while common::journaled(&killed) < at && child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "stuck before {at} runs");
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap();
        if child.wait().unwrap().code().is_none() {
            kills += 1;
            assert!(
                !killed.join("effects.csv").exists(),
                "no results before the end"
            );
        }
    }
    assert!(kills > 0, "no kill landed before the experiment finished");
    let o = experiment(&f, &killed, &["--no-plots", "--resume"]);
    ok(&o);
    for name in RESULTS {
        assert_eq!(
            read(&reference.join(name)),
            read(&killed.join(name)),
            "{name} differs after {kills} kills"
        );
    }
    // Nothing more to do on a finished experiment; without --resume or --force: refused.
    ok(&experiment(&f, &killed, &["--no-plots", "--resume"]));
    let o = experiment(&f, &killed, &["--no-plots"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already holds an experiment"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_bad_experiment_file_is_rejected_with_its_location() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let reject = |body: &str, expect: &[&str]| {
        let f = experiment_file(tmp.path(), "bad", body);
        let o = experiment(&f, &out, &[]);
        assert_eq!(o.status.code(), Some(2), "{body}\n{}", stderr(&o));
        let e = stderr(&o);
        for x in expect {
            assert!(e.contains(x), "{body}\nexpected {x:?} in:\n{e}");
        }
        assert!(!out.exists(), "a rejected experiment leaves nothing");
    };
    let file = tmp.path().join("bad.toml").display().to_string();
    // Lines count the `base` line the helper writes first.
    reject(
        "replicats = 3\n[arms.a.set]\nsocial.mutual_aid_enabled = false\n",
        &[&format!(
            "{file}:2:1: unknown key `replicats`; did you mean `replicates`?"
        )],
    );
    reject(
        "[arms.a.set]\nsocial.mutal_aid_enabled = false\n",
        &[&format!(
            "{file}:3:8: unknown key `social.mutal_aid_enabled`; did you mean `social.mutual_aid_enabled`?"
        )],
    );
    reject(
        "outcomes = [\"share_integrted\"]\n[arms.a.set]\nsocial.mutual_aid_enabled = false\n",
        &[&format!(
            "{file}:2:13: unknown outcome \"share_integrted\"; did you mean \"share_integrated\"?"
        )],
    );
    reject(
        "[arms.a.set]\nsocial.loan_prob_per_day = 3.0\n",
        &[&format!("{file}:3:28:"), "probability"],
    );
    reject(
        "[arms.a]\nlabel = \"nothing\"\n",
        &["arm `a` changes nothing"],
    );
    reject(
        "[arms.base.set]\nsocial.mutual_aid_enabled = false\n",
        &["not `base`"],
    );
    reject(
        "dates = [2030-01-01]\n[arms.a.set]\nsocial.mutual_aid_enabled = false\n",
        &[&format!(
            "{file}:2:10: the date 2030-01-01 is outside the run"
        )],
    );
    reject(
        "draws = 3\n[arms.a.set]\nsocial.mutual_aid_enabled = false\n",
        &["`draws` needs a `posterior`"],
    );
    reject(
        "[arms.a]\nscenario = \"nowhere.toml\"\n",
        &["arm `a`: its scenario has problems", "nowhere.toml"],
    );
    reject(
        "[arms.a.set]\narrivals.persons_per_agent = 100\n",
        &["arm `a` runs", "arms are compared on the same days"],
    );
}

#[test]
fn the_effects_figure_carries_its_text_and_the_report_keeps_other_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let f = small(tmp.path());
    let out = tmp.path().join("e");
    let report = tmp.path().join("REPORT.md");
    fs::write(&report, "# Validation\n\nWritten by calibrate.\n").unwrap();
    ok(&experiment(
        &f,
        &out,
        &["--report", report.to_str().unwrap()],
    ));
    assert_eq!(common::check_datapackage(&out), 2);
    let figures = out.join("figures");
    for outcome in ["share_integrated", "share_returned"] {
        let name = format!("effects_{outcome}");
        let svg = fs::read_to_string(figures.join(format!("{name}.svg"))).unwrap();
        let texts = svg_texts(&svg);
        for t in [
            "mutual aid",
            "legal routes",
            "on 2023-03-01",
            "on 2023-07-01",
        ] {
            assert!(
                texts.iter().any(|x| x == t),
                "{name}.svg lacks {t:?}: {texts:?}"
            );
        }
        assert!(
            texts
                .iter()
                .any(|x| x.starts_with("difference from the base arm"))
        );
        let (w, _) = check_png_ink(&figures.join(format!("{name}.png")), 3);
        assert_eq!(w, common::px(175.0), "{name}.png width");
        check_pdf(&figures.join(format!("{name}.pdf")));
    }
    let text = fs::read_to_string(&report).unwrap();
    assert!(
        text.starts_with("# Validation\n\nWritten by calibrate.\n"),
        "{text}"
    );
    assert!(text.contains("<!-- begin experiment:small -->"));
    assert!(text.contains("**Finding.**"), "{text}");
    // A second run replaces its section rather than adding one.
    ok(&experiment(
        &f,
        &out,
        &[
            "--report",
            report.to_str().unwrap(),
            "--force",
            "--no-plots",
        ],
    ));
    let again = fs::read_to_string(&report).unwrap();
    assert_eq!(again.matches("<!-- begin experiment:small -->").count(), 1);
    assert_eq!(again, text);
    // `relocant plot` redraws an experiment's figures.
    let redrawn = tmp.path().join("redrawn");
    ok(&relocant(&[
        "plot",
        out.to_str().unwrap(),
        "--out",
        redrawn.to_str().unwrap(),
        "--quiet",
    ]));
    assert!(redrawn.join("effects_share_integrated.svg").is_file());
}
