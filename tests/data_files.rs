//! Result files as researchers load them: provenance in every manifest (start time, version
//! and commit, machine, and the SHA-256 of every input file and of the resolved scenario,
//! which change when an input changes), the data dictionary (`datapackage.json`) of every
//! result directory, and tidy tables (the long daily series, short parameter values).

mod common;

use std::fs;
use std::path::Path;

use common::{ok, read, relocant, root, sweep_file};
use serde_json::Value;

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&read(&dir.join("manifest.json"))).unwrap()
}

fn sha256_of(m: &Value, file_ends_with: &str) -> String {
    m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"].as_str().unwrap().ends_with(file_ends_with))
        .unwrap_or_else(|| panic!("no input {file_ends_with} in {}", m["inputs"]))["sha256"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The common provenance fields.
fn check_common(m: &Value) {
    let commit = m["commit"].as_str().unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{commit}"
    );
    if root().join(".git").exists() {
        assert_ne!(commit, "unknown", "built in a git checkout");
    }
    let t = m["started_utc"].as_str().unwrap();
    assert!(t.len() == 20 && t.ends_with('Z') && t > "2026", "{t}");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    for k in ["host", "os", "arch", "cpu"] {
        assert!(!m["machine"][k].as_str().unwrap().is_empty(), "machine.{k}");
    }
    assert!(m["machine"]["cores"].as_u64().unwrap() >= 1);
    for i in m["inputs"].as_array().unwrap() {
        let h = i["sha256"].as_str().unwrap();
        assert!(
            h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()),
            "{i}"
        );
    }
}

fn run(scenario: &Path, out: &Path) {
    ok(&relocant(&[
        "run",
        scenario.to_str().unwrap(),
        "--replicates",
        "1",
        "--set",
        "arrivals.persons_per_agent=400",
        "--quiet",
        "--no-plots",
        "--force",
        "--out",
        out.to_str().unwrap(),
    ]));
}

#[test]
fn a_run_manifest_hashes_its_inputs_and_the_hashes_follow_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("mine.toml");
    let out = tmp.path().join("run");
    fs::write(
        &scenario,
        "name = \"mine\"\n[decisions]\nreturn_constant = -7.5\n",
    )
    .unwrap();
    run(&scenario, &out);
    let first = manifest(&out);
    // Every result file with every column is in the data dictionary.
    assert_eq!(common::check_datapackage(&out), 6);
    check_common(&first);
    assert!(first["threads"].as_u64().unwrap() >= 1);
    let file_hash = sha256_of(&first, "mine.toml");
    let builtin = sha256_of(&first, "(built in)");
    let resolved = first["scenario_sha256"].as_str().unwrap().to_string();
    // A comment changes the file but not the scenario it resolves to.
    fs::write(
        &scenario,
        "# a comment\nname = \"mine\"\n[decisions]\nreturn_constant = -7.5\n",
    )
    .unwrap();
    run(&scenario, &out);
    let second = manifest(&out);
    assert_ne!(sha256_of(&second, "mine.toml"), file_hash);
    assert_eq!(second["scenario_sha256"], resolved.as_str());
    assert_eq!(sha256_of(&second, "(built in)"), builtin);
    // A value changes both.
    fs::write(
        &scenario,
        "name = \"mine\"\n[decisions]\nreturn_constant = -7.0\n",
    )
    .unwrap();
    run(&scenario, &out);
    let third = manifest(&out);
    assert_ne!(sha256_of(&third, "mine.toml"), file_hash);
    assert_ne!(third["scenario_sha256"], resolved.as_str());
}

#[test]
fn sweep_validate_and_experiment_manifests_hash_their_own_input_files() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "s", common::SOBOL);
    let out = tmp.path().join("sweep");
    ok(&common::sweep(&f, &out, &["--no-plots", "--daily"]));
    let m = manifest(&out);
    check_common(&m);
    ok(&relocant(&["analyze", out.to_str().unwrap(), "--no-plots"]));
    common::check_datapackage(&out);
    let want = relocant::output::provenance::sha256_hex(&read(&f));
    assert_eq!(sha256_of(&m, "s.toml"), want);
    sha256_of(&m, "scenarios/baseline.toml");

    let v = tmp.path().join("validation");
    ok(&relocant(&[
        "validate",
        "scenarios/calibrated.toml",
        "--targets",
        "scenarios/calibration/targets.csv",
        "--replicates",
        "1",
        "--set",
        "arrivals.persons_per_agent=400",
        "--quiet",
        "--out",
        v.to_str().unwrap(),
    ]));
    let m = manifest(&v);
    check_common(&m);
    assert_eq!(m["command"], "validate");
    assert_eq!(
        sha256_of(&m, "targets.csv"),
        relocant::output::provenance::sha256_hex(&read(
            &root().join("scenarios/calibration/targets.csv")
        ))
    );
    sha256_of(&m, "calibrated.toml");

    let e = tmp.path().join("experiment");
    let file = tmp.path().join("e.toml");
    fs::write(
        &file,
        format!(
            "base = {:?}\nreplicates = 1\n[set]\narrivals.persons_per_agent = 400\n[arms.a.set]\nsocial.mutual_aid_enabled = false\n",
            root().join("scenarios/baseline.toml").display().to_string()
        ),
    )
    .unwrap();
    ok(&relocant(&[
        "experiment",
        file.to_str().unwrap(),
        "--quiet",
        "--no-plots",
        "--out",
        e.to_str().unwrap(),
    ]));
    let m = manifest(&e);
    check_common(&m);
    assert_eq!(
        sha256_of(&m, "e.toml"),
        relocant::output::provenance::sha256_hex(&read(&file))
    );
    assert!(m["scenario_sha256"].is_string());
}

#[test]
fn long_daily_series_hold_the_same_values_as_the_wide_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    ok(&relocant(&[
        "run",
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--long",
        "--quiet",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ]));
    let wide = String::from_utf8(read(&out.join("daily.csv"))).unwrap();
    let long = String::from_utf8(read(&out.join("daily_long.csv"))).unwrap();
    let header: Vec<&str> = wide.lines().next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = wide
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let mut lines = long.lines();
    assert_eq!(lines.next(), Some("replicate,date,variable,value"));
    let long_rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(long_rows.len(), rows.len() * (header.len() - 3));
    // Every value of the wide table, in order: row by row, column by column.
    let mut k = 0;
    for row in &rows {
        for (c, name) in header.iter().enumerate().skip(3) {
            assert_eq!(long_rows[k], [row[0], row[2], name, row[c]]);
            k += 1;
        }
    }
    common::check_datapackage(&out);
}

#[test]
fn sampled_parameter_values_are_short_decimals_without_single_precision_noise() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "s", common::SOBOL);
    let out = tmp.path().join("sweep");
    ok(&common::sweep(&f, &out, &["--no-plots"]));
    let design = String::from_utf8(read(&out.join("design.csv"))).unwrap();
    for line in design.lines().skip(1) {
        for cell in line.split(',').skip(1) {
            let digits = cell.trim_start_matches(['-', '0', '.']).replace('.', "");
            assert!(digits.len() <= 12, "{cell} in {line}");
            let x: f64 = cell.parse().unwrap();
            assert_eq!(format!("{x}"), cell, "printed as the shortest decimal");
        }
    }
}

/// Cells equal as text, or as numbers when both parse (a CSV `1e-5` and Parquet's `0.00001`).
#[cfg(feature = "parquet")]
fn same_cell(a: &str, b: &str) -> bool {
    a == b
        || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y || (x.is_nan() && y.is_nan()))
}

/// The rows of a CSV file as cells.
#[cfg(feature = "parquet")]
fn csv_cells(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let split = |l: &str| relocant::sweep::results::split_csv(l);
    let header = split(lines.next().unwrap());
    (header, lines.map(split).collect())
}

#[cfg(feature = "parquet")]
fn assert_same_table(csv: &Path, parquet: &Path) {
    let (h1, r1) = csv_cells(csv);
    let (h2, r2) = relocant::output::parquet::read_as_text(parquet).unwrap();
    assert_eq!(h1, h2, "{}", parquet.display());
    assert_eq!(r1.len(), r2.len(), "{}", parquet.display());
    for (a, b) in r1.iter().zip(&r2) {
        assert!(
            a.iter().zip(b).all(|(x, y)| same_cell(x, y)),
            "{}: {a:?} vs {b:?}",
            parquet.display()
        );
    }
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_tables_hold_the_same_values_as_the_csv_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let both = tmp.path().join("both");
    let run = |out: &Path, format: &str| {
        ok(&relocant(&[
            "run",
            "--replicates",
            "2",
            "--set",
            "arrivals.persons_per_agent=400",
            "--network-dates",
            "2023-01-01",
            "--long",
            "--format",
            format,
            "--quiet",
            "--no-plots",
            "--out",
            out.to_str().unwrap(),
        ]))
    };
    run(&both, "both");
    let mut compared = 0;
    for sub in ["", "network"] {
        for e in fs::read_dir(both.join(sub)).unwrap().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "csv") {
                assert_same_table(&p, &p.with_extension("parquet"));
                compared += 1;
            }
        }
    }
    assert_eq!(
        compared, 8,
        "daily, daily_long, summary, summary_stats, cohorts, panel, events, network"
    );
    common::check_datapackage(&both);
    // Parquet only: the daily series are only Parquet, the small tables both.
    let only = tmp.path().join("only");
    run(&only, "parquet");
    assert!(!only.join("daily.csv").exists() && !only.join("daily_long.csv").exists());
    assert_eq!(
        read(&only.join("daily.parquet")),
        read(&both.join("daily.parquet"))
    );
    assert!(only.join("summary.csv").is_file() && only.join("summary.parquet").is_file());
    common::check_datapackage(&only);
    // plot says why it cannot draw a Parquet-only run.
    let o = relocant(&["plot", only.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains("--format both"),
        "{}",
        common::stderr(&o)
    );
}

#[cfg(feature = "parquet")]
#[test]
fn a_sweeps_parquet_daily_file_survives_kills_and_resume_with_no_run_lost_or_doubled() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "s", common::SOBOL);
    let reference = tmp.path().join("reference");
    let args = ["--daily", "--format", "parquet", "--no-plots"];
    ok(&common::sweep(&f, &reference, &args));
    assert!(
        !reference.join("daily").exists(),
        "the daily CSV files are gone"
    );
    let killed = tmp.path().join("killed");
    let mut kills = 0;
    for at in [2, 9, 20, 32] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_relocant"))
            .args([
                "sweep",
                f.to_str().unwrap(),
                "--out",
                killed.to_str().unwrap(),
            ])
            .args(["--quiet", "--jobs", "1", "--resume"])
            .args(args)
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
        kills += usize::from(child.wait().unwrap().code().is_none());
    }
    assert!(kills > 0);
    ok(&common::sweep(
        &f,
        &killed,
        &["--resume", "--daily", "--format", "parquet", "--no-plots"],
    ));
    // Every run once, in run order, each with every day; the same bytes as uninterrupted.
    let (header, rows) =
        relocant::output::parquet::read_as_text(&killed.join("daily.parquet")).unwrap();
    assert_eq!(header[0], "run");
    let mut runs: Vec<u64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    runs.dedup();
    assert_eq!(runs, (0..32).collect::<Vec<u64>>());
    assert_eq!(rows.len() % 32, 0);
    assert_eq!(
        read(&killed.join("daily.parquet")),
        read(&reference.join("daily.parquet"))
    );
    assert_eq!(
        read(&killed.join("runs.parquet")),
        read(&reference.join("runs.parquet"))
    );
    common::check_datapackage(&killed);
}

#[test]
fn commands_with_quiet_and_json_print_one_json_document_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let json_of = |args: &[&str]| -> Value {
        let o = relocant(args);
        ok(&o);
        assert!(
            o.stderr.is_empty(),
            "{args:?}: --quiet: {}",
            common::stderr(&o)
        );
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&o.stdout)
            )
        })
    };
    let run = tmp.path().join("run");
    let v = json_of(&[
        "run",
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--no-plots",
        "--quiet",
        "--json",
        "--out",
        run.to_str().unwrap(),
    ]);
    assert_eq!(v["command"], "run");
    let stats = v["statistics"].as_array().unwrap();
    assert_eq!(stats[0]["stat"], "mean");
    assert!(stats[0]["share_integrated"].is_number());

    let val = tmp.path().join("val");
    let v = json_of(&[
        "validate",
        "--targets",
        "scenarios/calibration/targets.csv",
        "--replicates",
        "1",
        "--set",
        "arrivals.persons_per_agent=400",
        "--quiet",
        "--json",
        "--out",
        val.to_str().unwrap(),
    ]);
    assert_eq!(v["targets"].as_array().unwrap().len(), 11);
    assert!(v["targets"][0]["inside"].is_boolean());
    assert_eq!(v["fit"]["targets"], 11);

    let f = sweep_file(tmp.path(), "s", common::SOBOL);
    let sweep = tmp.path().join("sweep");
    ok(&common::sweep(&f, &sweep, &["--no-plots"]));
    let v = json_of(&[
        "analyze",
        sweep.to_str().unwrap(),
        "--no-plots",
        "--quiet",
        "--json",
        "--bootstrap",
        "20",
    ]);
    assert!(
        v["indices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["measure"] == "ST")
    );

    let e = tmp.path().join("e.toml");
    fs::write(
        &e,
        format!(
            "base = {:?}\nreplicates = 2\n[set]\narrivals.persons_per_agent = 400\n[arms.a.set]\nsocial.mutual_aid_enabled = false\n",
            root().join("scenarios/baseline.toml").display().to_string()
        ),
    )
    .unwrap();
    let out = tmp.path().join("exp");
    let v = json_of(&[
        "experiment",
        e.to_str().unwrap(),
        "--no-plots",
        "--quiet",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    let effects = v["effects"].as_array().unwrap();
    assert_eq!(effects.len(), 4, "one arm, four default outcomes");
    assert!(effects[0]["difference"].is_number());
}
