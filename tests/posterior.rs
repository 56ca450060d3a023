//! Posterior ensembles (`--posterior`, `--draws`): intervals that carry the parameters'
//! uncertainty, the same bits for any `--jobs`, the shipped posterior on a fresh clone, and
//! bad posterior input rejected like any input.

mod common;

use std::fs;
use std::path::Path;

use common::{ok, read, relocant, stderr};

/// `relocant run` of the baseline at 1 agent = 200 persons.
fn small_run(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "scenarios/baseline.toml",
        "--set",
        "arrivals.persons_per_agent=200",
        "--quiet",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    relocant(&args)
}

/// The `stat` row `stat` of a summary_stats.csv column.
fn summary_stat(dir: &Path, stat: &str, column: &str) -> f64 {
    let text = String::from_utf8(read(&dir.join("summary_stats.csv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let c = header.iter().position(|h| *h == column).unwrap();
    let row = lines
        .find(|l| l.starts_with(&format!("{stat},")))
        .unwrap_or_else(|| panic!("no {stat} row"));
    row.split(',').nth(c).unwrap().parse().unwrap()
}

/// Two particles far apart on the return constant: a wide posterior.
const WIDE: &str = "particle,weight,distance,decisions.return_constant,sim_x\n\
                    0,0.5,0.1,-9.5,1\n\
                    1,0.5,0.1,-6.5,2\n";

#[test]
fn posterior_intervals_are_wider_than_stochastic_ones_when_the_posterior_is_wide() {
    let tmp = tempfile::tempdir().unwrap();
    let post = tmp.path().join("posterior.csv");
    fs::write(&post, WIDE).unwrap();
    let (plain, drawn) = (tmp.path().join("plain"), tmp.path().join("drawn"));
    ok(&small_run(&plain, &["--replicates", "8"]));
    ok(&small_run(
        &drawn,
        &["--replicates", "8", "--posterior", post.to_str().unwrap()],
    ));
    let width = |d: &Path| {
        summary_stat(d, "q95", "share_returned") - summary_stat(d, "q05", "share_returned")
    };
    let (stochastic, with_params) = (width(&plain), width(&drawn));
    assert!(
        with_params > 3.0 * stochastic,
        "90% interval of the return share: {with_params} with the posterior, {stochastic} without"
    );
    // Both particles were drawn, and the draws are recorded.
    let draws = String::from_utf8(read(&drawn.join("draws.csv"))).unwrap();
    assert!(
        draws.starts_with("draw,particle,weight,decisions.return_constant\n"),
        "{draws}"
    );
    assert_eq!(draws.lines().count(), 9, "one draw per replicate: {draws}");
    assert!(
        draws.contains(",-9.5\n") && draws.contains(",-6.5\n"),
        "{draws}"
    );
    assert_eq!(read(&drawn.join("posterior.csv")), WIDE.as_bytes());
    // draws.csv and posterior.csv are in the data dictionary with the run's other files.
    assert_eq!(common::check_datapackage(&drawn), 8);
    let m: serde_json::Value = serde_json::from_slice(&read(&drawn.join("manifest.json"))).unwrap();
    assert_eq!(m["posterior"]["draws"], 8);
    assert_eq!(
        m["posterior"]["drawn_particles"].as_array().unwrap().len(),
        8
    );
    let m: serde_json::Value = serde_json::from_slice(&read(&plain.join("manifest.json"))).unwrap();
    assert!(m["posterior"].is_null());
}

#[test]
fn posterior_runs_are_the_same_bits_for_any_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let post = tmp.path().join("posterior.csv");
    fs::write(&post, WIDE).unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let args = |jobs| {
        [
            "--replicates",
            "4",
            "--draws",
            "3",
            "--posterior",
            post.to_str().unwrap(),
            "--jobs",
            jobs,
        ]
    };
    ok(&small_run(&a, &args("1")));
    ok(&small_run(&b, &args("2")));
    for f in ["daily.csv", "summary.csv", "cohorts.csv", "draws.csv"] {
        assert_eq!(read(&a.join(f)), read(&b.join(f)), "{f} differs");
    }
    // Replicate 3 runs draw 0 again: four draws rows are three.
    let draws = String::from_utf8(read(&a.join("draws.csv"))).unwrap();
    assert_eq!(draws.lines().count(), 4);
}

#[test]
fn the_shipped_posterior_runs_on_the_calibrated_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    ok(&relocant(&[
        "run",
        "scenarios/calibrated.toml",
        "--posterior",
        "scenarios/calibration/posterior.csv",
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--quiet",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ]));
    let draws = String::from_utf8(read(&out.join("draws.csv"))).unwrap();
    // Every calibrated parameter is a column of the draws.
    let calibrated = String::from_utf8(read(
        &common::root().join("scenarios/calibration/baseline.toml"),
    ))
    .unwrap();
    let header = draws.lines().next().unwrap();
    for line in calibrated.lines().filter(|l| l.starts_with("[params.")) {
        let key = line
            .trim_start_matches("[params.")
            .trim_end_matches(']')
            .trim_matches('"');
        assert!(header.contains(key), "{key} is not drawn: {header}");
    }
}

#[test]
fn validate_takes_a_posterior_too() {
    let tmp = tempfile::tempdir().unwrap();
    let post = tmp.path().join("posterior.csv");
    fs::write(&post, WIDE).unwrap();
    let out = tmp.path().join("v");
    ok(&relocant(&[
        "validate",
        "scenarios/baseline.toml",
        "--targets",
        "scenarios/calibration/targets.csv",
        "--posterior",
        post.to_str().unwrap(),
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(out.join("draws.csv").is_file());
    common::check_datapackage(&out);
    let md = String::from_utf8(read(&out.join("fit.md"))).unwrap();
    assert!(md.contains("drawn from"), "{md}");
}

#[test]
fn bad_posterior_input_is_rejected_with_its_location() {
    let tmp = tempfile::tempdir().unwrap();
    let post = tmp.path().join("p.csv");
    let out = tmp.path().join("never");
    let reject = |args: &[&str], expect: &str| {
        let o = small_run(&out, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "a rejected run leaves nothing");
    };
    fs::write(&post, "particle,weight,decisions.retrn_constant\n0,1,-7\n").unwrap();
    let p = post.to_str().unwrap();
    reject(
        &["--posterior", p],
        &format!(
            "{p}:1:17: the column `decisions.retrn_constant` is not a numeric key of the scenario; did you mean `decisions.return_constant`?"
        ),
    );
    fs::write(&post, WIDE).unwrap();
    reject(
        &["--posterior", p, "--replicates", "2", "--draws", "3"],
        "--draws 3: must be between 1 and the number of replicates (2)",
    );
    reject(&["--draws", "3"], "--posterior");
    fs::write(&post, "particle,weight,seed\n0,1,50\n").unwrap();
    reject(&["--posterior", p], "may not set the run's frame");
    fs::write(
        &post,
        "particle,weight,online.community_leave_prob_per_day\n0,1,5\n",
    )
    .unwrap();
    reject(&["--posterior", p], "particle 0 (draw 0)");
    reject(
        &["--posterior", "/dev/null/nothing"],
        "cannot read posterior",
    );
}
