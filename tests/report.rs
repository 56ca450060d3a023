//! `relocant report` end to end: one self-contained report.html for a run, a comparison, a
//! sweep, a validation and an experiment, each with its tables, inline figures, the
//! scenario's differences from the baseline, the manifest and the data dictionary; nothing
//! loaded from outside the file; an existing report kept unless `--force`; a wrong folder
//! named. (`scripts/browser_test.sh` opens these pages in a real browser.)

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{ok, read, relocant, root, stderr, sweep, sweep_file};

fn small_run(out: &Path, extra: &[&str]) {
    let mut args = vec![
        "run",
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--quiet",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(&relocant(&args));
}

fn report(dirs: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&str> = vec!["report"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    args.extend_from_slice(extra);
    relocant(&args)
}

fn html(p: &Path) -> String {
    String::from_utf8(read(p)).unwrap()
}

/// What every report has: one document, the font inline, no outside resource, the sections.
fn check_page(page: &str, figures: usize) {
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches("<svg").count(), figures, "inline figures");
    assert!(
        page.contains("src: url(data:font/ttf;base64,"),
        "the font travels in the file"
    );
    for outside in [
        "src=\"http",
        "href=\"http",
        "<link",
        "<script",
        "<img",
        "url(http",
    ] {
        assert!(
            !page.contains(outside),
            "loads something from outside: {outside}"
        );
    }
    for id in ["outcomes", "scenario", "manifest", "dictionary"] {
        assert!(page.contains(&format!("<h2 id=\"{id}\">")), "section {id}");
        assert!(
            page.contains(&format!("<a href=\"#{id}\">")),
            "contents link to {id}"
        );
    }
    assert!(page.contains("@media print"));
}

#[test]
fn a_run_report_has_its_outcomes_figures_differences_manifest_and_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    small_run(&run, &["--set", "policy.border_run_ban.date=2023-06-01"]);
    let o = report(&[&run], &[]);
    ok(&o);
    assert!(stderr(&o).contains("wrote") && stderr(&o).contains("report.html"));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
    let page = html(&run.join("report.html"));
    check_page(&page, 7);
    assert!(page.contains("<title>Run — baseline</title>"));
    // summary_stats.csv turned: one row per outcome.
    assert!(page.contains("<tr><td>share_integrated</td>"));
    // What differs from the built-in baseline, with both values.
    assert!(page.contains(
        "<tr><td>policy.border_run_ban.date</td><td>2023-01-27</td><td>2023-06-01</td></tr>"
    ));
    assert!(page.contains("3 resolved key(s) differ from the built-in baseline"));
    assert!(page.contains("&quot;scenario_sha256&quot;"), "the manifest");
    assert!(page.contains("<h3>daily.csv</h3>") && page.contains("<td>present</td>"));
    // The figures carry their text and captions.
    assert!(page.contains(">\npresent\n</text>") || page.contains(">present</text>"));
    assert!(page.contains("<figcaption>survival: "));

    // An existing report is kept unless --force; the same inputs give the same page.
    let o = report(&[&run], &["--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("report.html exists; pass --force"),
        "{}",
        stderr(&o)
    );
    let o = report(&[&run], &["--quiet", "--force"]);
    ok(&o);
    assert_eq!(stderr(&o), "");
    assert_eq!(
        html(&run.join("report.html")),
        page,
        "a report is reproducible"
    );
}

#[test]
fn a_comparison_report_shows_each_runs_outcomes_and_how_it_differs_from_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    small_run(&a, &[]);
    small_run(&b, &["--set", "legal.enabled=false"]);
    let out = tmp.path().join("cmp");
    ok(&report(
        &[&a, &b],
        &["--out", out.to_str().unwrap(), "--quiet"],
    ));
    let page = html(&out.join("report.html"));
    check_page(&page, 1);
    assert!(page.contains("<title>Comparison of runs — 2 runs</title>"));
    assert!(page.contains("<th>Integrated (%)</th>"));
    assert!(page.contains(&format!("1 resolved key(s) differ from {}", a.display())));
    assert!(page.contains("<tr><td>legal.enabled</td><td>true</td><td>false</td></tr>"));
}

#[test]
fn sweep_validation_and_experiment_reports_show_their_own_tables() {
    let tmp = tempfile::tempdir().unwrap();
    // A grid over two parameters: three heatmaps.
    let f = sweep_file(
        tmp.path(),
        "grid",
        "seed = 3\nreplicates = 2\ndesign = \"grid\"\n[set]\narrivals.persons_per_agent = 400\n\
         [params]\npolicy.border_run_ban.date = [2023-01-27, 2023-05-01]\n\
         decisions.money = { min = 1.0, max = 3.0, steps = 2 }\n",
    );
    let s = tmp.path().join("sweep");
    ok(&sweep(&f, &s, &["--no-plots"]));
    ok(&report(&[&s], &["--quiet"]));
    let page = html(&s.join("report.html"));
    check_page(&page, 3);
    assert!(page.contains("Design `grid` over 2 parameter(s)"));
    assert!(page.contains("Outcomes by design point (points.csv)"));

    let v = tmp.path().join("validation");
    ok(&relocant(&[
        "validate",
        "--targets",
        "scenarios/calibration/targets.csv",
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--out",
        v.to_str().unwrap(),
        "--quiet",
    ]));
    ok(&report(&[&v], &["--quiet"]));
    let page = html(&v.join("report.html"));
    check_page(&page, 0);
    assert!(page.contains("<td>stock_in_kz_2022_10_04</td>"));
    let fit = String::from_utf8(read(&v.join("fit.csv"))).unwrap();
    let missed = fit
        .lines()
        .skip(1)
        .filter(|l| l.contains(",false,"))
        .count();
    assert_eq!(
        page.contains(&format!("{missed} target(s) outside their band.")),
        missed > 0,
        "a missed target is reported"
    );

    let strict = root().join("scenarios/rvp_strict.toml");
    let body = format!(
        "base = {:?}\nreplicates = 2\noutcomes = [\"share_integrated\"]\ndates = [2023-07-01]\n\
         [set]\narrivals.persons_per_agent = 400\n\
         [arms.strict_rvp]\nlabel = \"legal routes\"\nscenario = {:?}\n",
        root().join("scenarios/baseline.toml").display().to_string(),
        strict.display().to_string()
    );
    let file = tmp.path().join("exp.toml");
    fs::write(&file, body).unwrap();
    let e = tmp.path().join("exp");
    ok(&relocant(&[
        "experiment",
        file.to_str().unwrap(),
        "--out",
        e.to_str().unwrap(),
        "--quiet",
        "--no-plots",
    ]));
    ok(&report(&[&e], &["--quiet"]));
    let page = html(&e.join("report.html"));
    check_page(&page, 1);
    assert!(page.contains("<td>strict_rvp</td>"));
    assert!(page.contains("<h3>strict_rvp.toml</h3>"));
}

#[test]
fn a_folder_that_is_no_result_and_a_mix_of_kinds_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let o = report(&[&empty], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not a relocant result directory: it has none of daily.csv"),
        "{}",
        stderr(&o)
    );
    assert!(!empty.join("report.html").exists(), "nothing written");

    let run = tmp.path().join("run");
    small_run(&run, &[]);
    let fake_sweep: PathBuf = tmp.path().join("sweep");
    fs::create_dir(&fake_sweep).unwrap();
    fs::write(fake_sweep.join("runs.csv"), "run\n").unwrap();
    let o = report(&[&run, &fake_sweep], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("several run directories (a comparison)"),
        "{}",
        stderr(&o)
    );
}
