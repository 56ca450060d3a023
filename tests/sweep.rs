//! Sweeps end to end with the real binary: byte-identical `runs.csv` whatever `--jobs` or
//! split into shards, merge's checks, sweeps killed with SIGKILL at random moments and
//! resumed, strict validation of sweep files; and the sensitivity estimators on functions
//! with known indices (Ishigami, a linear-quadratic function).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use relocant::sweep::analyze::{morris_indices, sobol_indices};
use relocant::sweep::design::UnitDesign;

mod common;
use common::{
    MORRIS, SOBOL, ok, read, relocant, root, stderr, sweep, sweep_and_analyze, sweep_file,
};

/// A grid of 2 x 3 points x 3 replicates on a tiny sample (a run takes ~10 ms).
const GRID: &str = r#"
seed = 11
replicates = 3
design = "grid"
[set]
arrivals.persons_per_agent = 400
[params]
policy.border_run_ban.date = [2023-01-27, 2023-05-01]
decisions.money = { min = 1.0, max = 3.0, steps = 3 }
"#;

#[test]
fn runs_csv_is_the_same_bytes_for_one_and_two_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&sweep(&f, &a, &["--jobs", "1"]));
    ok(&sweep(&f, &b, &["--jobs", "2"]));
    for name in ["runs.csv", "points.csv", "design.csv"] {
        assert_eq!(read(&a.join(name)), read(&b.join(name)), "{name} differs");
    }
    let runs = String::from_utf8(read(&a.join("runs.csv"))).unwrap();
    let lines: Vec<&str> = runs.lines().collect();
    assert_eq!(lines.len(), 1 + 18);
    assert!(lines[0].starts_with(
        "run,point,replicate,seed,policy.border_run_ban.date,decisions.money,arrived,present,integrated,moved_on,returned,share_present,share_integrated,share_moved_on,share_returned,left_"
    ));
    // Rows in run order; a point's replicates share its values; values as written.
    for (i, l) in lines[1..].iter().enumerate() {
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f[0], i.to_string());
        assert_eq!(f[1], (i / 3).to_string());
        assert_eq!(f[2], (i % 3).to_string());
        assert_eq!(
            f[3], "11",
            "common random numbers: every run uses the sweep seed"
        );
    }
    assert!(lines[1].contains(",2023-01-27,1.0,"));
    assert!(lines[18].contains(",2023-05-01,3.0,"));
    // Replicates differ (streams), and with common random numbers replicate r of two points
    // share their stream: the same replicate at a changed parameter gives a changed result.
    assert_ne!(
        lines[1].split_once(",1.0,").unwrap().1,
        lines[2].split_once(",1.0,").unwrap().1
    );
    // points.csv: five statistics per point.
    let points = String::from_utf8(read(&a.join("points.csv"))).unwrap();
    assert_eq!(points.lines().count(), 1 + 6 * 5);
    assert!(
        points
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("0,mean,2023-01-27,1.0,")
    );
}

#[test]
fn a_run_reproduces_with_relocant_run_and_its_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let body = GRID.replace(
        "replicates = 3",
        "replicates = 2\ncommon_random_numbers = false",
    );
    let f = sweep_file(tmp.path(), "grid", &body);
    let out = tmp.path().join("s");
    ok(&sweep(&f, &out, &[]));
    let runs = String::from_utf8(read(&out.join("runs.csv"))).unwrap();
    let row: Vec<&str> = runs.lines().nth(8).unwrap().split(',').collect(); // run 7: point 3, replicate 1
    assert_eq!(&row[..3], ["7", "3", "1"]);
    let seeds: BTreeSet<&str> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(
        seeds.len(),
        6,
        "without common random numbers each point has its own seed"
    );
    let run_dir = tmp.path().join("run");
    ok(&relocant(&[
        "run",
        "--seed",
        row[3],
        "--replicates",
        "2",
        "--set",
        "arrivals.persons_per_agent=400",
        "--set",
        &format!("policy.border_run_ban.date={}", row[4]),
        "--set",
        &format!("decisions.money={}", row[5]),
        "--out",
        run_dir.to_str().unwrap(),
        "--quiet",
        "--no-plots",
    ]));
    let summary = String::from_utf8(read(&run_dir.join("summary.csv"))).unwrap();
    let rep1: Vec<&str> = summary.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(rep1[0], "1");
    let want: Vec<f64> = row[6..].iter().map(|x| x.parse().unwrap()).collect();
    let got: Vec<f64> = rep1[1..].iter().map(|x| x.parse().unwrap()).collect();
    for (w, g) in want.iter().zip(&got) {
        assert!(
            (w - g).abs() <= 1e-6 * w.abs().max(1.0),
            "{want:?} vs {got:?}"
        );
    }
}

#[test]
fn shards_merge_into_the_single_machine_sweep_and_merge_names_missing_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let whole = tmp.path().join("whole");
    ok(&sweep(&f, &whole, &["--daily"]));
    let split = tmp.path().join("split");
    for (k, jobs) in [("1/4", "2"), ("2/4", "1"), ("3/4", "2"), ("4/4", "1")] {
        ok(&sweep(
            &f,
            &split,
            &["--shard", k, "--jobs", jobs, "--daily"],
        ));
    }
    let shard = |k: u32| split.join(format!("shard-{k}-of-4"));
    assert!(
        !shard(1).join("points.csv").exists(),
        "a shard has no complete points"
    );
    let shard1 = String::from_utf8(read(&shard(1).join("runs.csv"))).unwrap();
    let ids: Vec<&str> = shard1
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["0", "4", "8", "12", "16"]);

    // Incomplete or doubled sets of shards are refused, naming the runs.
    let o = relocant(&[
        "merge",
        shard(1).to_str().unwrap(),
        shard(2).to_str().unwrap(),
        shard(4).to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("4 of 18 runs are missing: 2, 6, 10, 14"), "{e}");
    assert!(e.contains("missing shards: 3/4"), "{e}");
    assert!(!split.join("runs.csv").exists());
    let o = relocant(&[
        "merge",
        shard(1).to_str().unwrap(),
        shard(2).to_str().unwrap(),
        shard(3).to_str().unwrap(),
        shard(4).to_str().unwrap(),
        whole.to_str().unwrap(),
        "--out",
        tmp.path().join("dup").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("run 0 is in both"), "{}", stderr(&o));

    let mut args = vec!["merge".to_string(), "--quiet".to_string()];
    args.extend((1..=4).map(|k| shard(k).display().to_string()));
    let o = relocant(&args.iter().map(String::as_str).collect::<Vec<_>>());
    ok(&o);
    assert_eq!(stderr(&o), "", "merge --quiet says nothing");
    for name in ["runs.csv", "points.csv", "design.csv"] {
        assert_eq!(
            read(&whole.join(name)),
            read(&split.join(name)),
            "{name} differs"
        );
    }
    let daily: Vec<_> = fs::read_dir(split.join("daily")).unwrap().collect();
    assert_eq!(daily.len(), 18);
    assert_eq!(
        read(&whole.join("daily/run-0007.csv")),
        read(&split.join("daily/run-0007.csv"))
    );
    // Merging again would replace the merged sweep: only with --force.
    let before = read(&split.join("runs.csv"));
    let o = relocant(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already holds a merged sweep (runs.csv); pass --force"),
        "{}",
        stderr(&o)
    );
    args.push("--force".into());
    ok(&relocant(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    ));
    assert_eq!(
        read(&split.join("runs.csv")),
        before,
        "a forced merge of the same shards is the same"
    );
    let d = String::from_utf8(read(&whole.join("daily/run-0007.csv"))).unwrap();
    assert!(d.starts_with("run,replicate,day,date,arrived,"));
    assert!(d.lines().nth(1).unwrap().starts_with("7,1,0,2022-09-21,"));

    // A shard of another sweep does not mix in.
    let other = sweep_file(tmp.path(), "other", &GRID.replace("seed = 11", "seed = 12"));
    let odir = tmp.path().join("other");
    ok(&sweep(&other, &odir, &["--shard", "3/4"]));
    let o = relocant(&[
        "merge",
        shard(1).to_str().unwrap(),
        odir.join("shard-3-of-4").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("different sweep"), "{}", stderr(&o));
}

#[test]
fn merge_rejects_a_shard_row_with_too_many_or_too_few_fields_and_creates_nothing_when_it_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let split = tmp.path().join("split");
    for k in ["1/2", "2/2"] {
        ok(&sweep(&f, &split, &["--shard", k]));
    }
    let shard = |k: u32| split.join(format!("shard-{k}-of-2"));
    let runs = shard(2).join("runs.csv");
    let good = String::from_utf8(read(&runs)).unwrap();
    let merge = |out: &Path| {
        relocant(&[
            "merge",
            shard(1).to_str().unwrap(),
            shard(2).to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let header_fields = lines[0].split(',').count();
    for (what, row) in [
        ("an extra field", format!("{},9", lines[2])),
        (
            "a missing field",
            lines[2][..lines[2].rfind(',').unwrap()].to_string(),
        ),
    ] {
        let original = std::mem::replace(&mut lines[2], row);
        fs::write(&runs, lines.join("\n") + "\n").unwrap();
        let out = tmp.path().join("not").join("made");
        let o = merge(&out);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stderr(&o));
        let expected = format!(
            "{}:3: this row has {} fields, the header {header_fields}",
            runs.display(),
            if what == "an extra field" {
                header_fields + 1
            } else {
                header_fields - 1
            }
        );
        assert!(stderr(&o).contains(&expected), "{what}: {}", stderr(&o));
        assert!(
            !tmp.path().join("not").exists(),
            "{what}: a refused merge made --out"
        );
        lines[2] = original;
    }
    // A refused merge for a missing shard makes nothing either.
    let out = tmp.path().join("also").join("not");
    let o = relocant(&[
        "merge",
        shard(1).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("also").exists());
}

/// A small deterministic generator for the kill moments (reproducible "random" moments).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// Waits until `ready()` holds or `child` has exited, whichever comes first; returns
/// whether it exited. The bound is generous: it only fails when the sweep is stuck.
fn wait_until(child: &mut Child, what: &str, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if ready() {
            return false;
        }
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        assert!(
            Instant::now() < deadline,
            "the sweep is stuck: still waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Checks what a killed sweep left: a journal whose records all check out (but a torn
/// last line), no run recorded twice, and result files either absent or whole.
fn check_remains(out: &Path, runs: usize) -> usize {
    let journal = out.join("journal");
    if !journal.exists() {
        return 0;
    }
    let text = read(&journal);
    let mut seen = BTreeSet::new();
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    for (i, l) in lines.iter().enumerate() {
        let last = i + 1 == lines.len();
        let s = std::str::from_utf8(l).unwrap_or("");
        let parts: Vec<&str> = s.splitn(4, ' ').collect();
        let whole = parts.len() == 4 && parts[1].parse::<usize>().ok() == Some(parts[3].len());
        if !whole {
            assert!(last, "only the last line of the journal may be torn: {s:?}");
            continue;
        }
        if parts[0] == "R" {
            let run: usize = parts[3].split(',').next().unwrap().parse().unwrap();
            assert!(seen.insert(run), "run {run} was completed twice");
        }
    }
    if out.join("runs.csv").exists() {
        let r = String::from_utf8(read(&out.join("runs.csv"))).unwrap();
        assert_eq!(r.lines().count(), runs + 1, "runs.csv is whole");
    }
    seen.len()
}

#[test]
fn sweeps_killed_at_random_moments_resume_to_the_uninterrupted_result() {
    let tmp = tempfile::tempdir().unwrap();
    let body = r#"
seed = 5
replicates = 4
design = "latin_hypercube"
samples = 12
[set]
arrivals.persons_per_agent = 200
[params]
decisions.money = { min = 1.0, max = 3.0 }
housing.search_prob_per_day = { min = 0.05, max = 0.3 }
"#;
    let f = sweep_file(tmp.path(), "lhs", body);
    let reference = tmp.path().join("reference");
    ok(&sweep(&f, &reference, &["--jobs", "2"]));
    let runs = 48;

    let mut rng = Lcg(0x5eed);
    let mut done_at_kills = Vec::new();
    for trial in 0..3 {
        let out = tmp.path().join(format!("killed-{trial}"));
        let mut kills = 0;
        // The moments to kill at, observed rather than timed: at start-up (right after the
        // start), when the journal has just been created, after a random number of further
        // runs each time (1 to 8: between runs, or while one is being recorded), and once
        // every run is recorded (while the result files are written). Each is a condition
        // the sweep reaches, so the kills land the same way on a fast or a loaded machine.
        for spawn in 0.. {
            let mut child = Command::new(env!("CARGO_BIN_EXE_relocant"))
                .args([
                    "sweep",
                    f.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--resume",
                    "--quiet",
                    "--jobs",
                    "2",
                ])
                .current_dir(root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let done = common::journaled(&out);
            let exited = match spawn {
                0 => false,
                1 => wait_until(&mut child, "the journal", || out.join("journal").exists()),
                _ if done < runs => {
                    let at = (done + 1 + (rng.next() % 8) as usize).min(runs);
                    wait_until(&mut child, &format!("{at} runs"), || {
                        common::journaled(&out) >= at
                    })
                }
                _ => {
                    // Every run is recorded: this one only writes the result files.
                    child.wait().unwrap();
                    true
                }
            };
            if !exited {
                child.kill().unwrap(); // SIGKILL (harmless if it has just exited)
            }
            let status = child.wait().unwrap();
            if status.code() == Some(0) {
                break;
            }
            let o = child.wait_with_output().unwrap();
            assert!(status.code().is_none(), "{status}: {}", stderr(&o));
            kills += 1;
            done_at_kills.push(check_remains(&out, runs));
        }
        assert_eq!(check_remains(&out, runs), runs);
        for name in ["runs.csv", "points.csv", "design.csv"] {
            assert_eq!(
                read(&reference.join(name)),
                read(&out.join(name)),
                "{name} differs after {kills} kills"
            );
        }
        let leftovers: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
    // The kills fell before the first run, between runs and after the last one.
    eprintln!("runs done at each kill: {done_at_kills:?}");
    assert!(
        done_at_kills.iter().any(|d| *d > 0 && *d < runs),
        "{done_at_kills:?}"
    );
    assert!(done_at_kills.len() >= 6, "{done_at_kills:?}");
}

/// Makes a finished sweep look interrupted: its manifest says it is still running.
fn mark_running(out: &Path) {
    let m = String::from_utf8(read(&out.join("manifest.json"))).unwrap();
    fs::write(
        out.join("manifest.json"),
        m.replace("\"complete\"", "\"running\""),
    )
    .unwrap();
}

#[test]
fn a_journal_record_of_a_run_beyond_the_plan_is_refused_on_resume_instead_of_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let out = tmp.path().join("beyond");
    ok(&sweep(&f, &out, &[]));
    // A well-formed record (right length and hash) of run 999 of an 18-run sweep.
    let text = String::from_utf8(read(&out.join("journal"))).unwrap();
    let row = text
        .lines()
        .find_map(|l| l.strip_prefix('R'))
        .and_then(|l| l.splitn(4, ' ').nth(3))
        .expect("a run record");
    let payload = format!("999{}", &row[row.find(',').unwrap()..]);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in payload.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let record = format!("R {} {hash:016x} {payload}\n", payload.len());
    fs::write(out.join("journal"), format!("{text}{record}")).unwrap();
    fs::remove_file(out.join("runs.csv")).unwrap();
    mark_running(&out);
    let o = sweep(&f, &out, &["--resume"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("records run 999, but this sweep has 18 runs"),
        "{err}"
    );
}

#[test]
fn a_torn_journal_line_is_dropped_on_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let reference = tmp.path().join("reference");
    ok(&sweep(&f, &reference, &[]));
    // Simulate a crash: keep the journal's first 7 records and half of the 8th, drop the
    // result files and mark the manifest as running.
    let out = tmp.path().join("torn");
    ok(&sweep(&f, &out, &[]));
    let j = read(&out.join("journal"));
    let ends: Vec<usize> = j
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    let cut = ends[7] + (ends[8] - ends[7]) / 2;
    fs::write(out.join("journal"), &j[..cut]).unwrap();
    fs::remove_file(out.join("runs.csv")).unwrap();
    fs::remove_file(out.join("points.csv")).unwrap();
    mark_running(&out);
    let o = sweep(&f, &out, &["--resume"]);
    ok(&o);
    assert_eq!(
        read(&reference.join("runs.csv")),
        read(&out.join("runs.csv"))
    );
    assert_eq!(check_remains(&out, 18), 18);
    // Already complete: a second resume does nothing and says so.
    let o = relocant(&[
        "sweep",
        f.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--resume",
    ]);
    ok(&o);
    assert!(stderr(&o).contains("already complete"), "{}", stderr(&o));
}

#[test]
fn a_sweep_directory_is_neither_overwritten_nor_resumed_from_another_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let f = sweep_file(tmp.path(), "grid", GRID);
    let out = tmp.path().join("s");
    ok(&sweep(&f, &out, &[]));
    let o = sweep(&f, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("already holds a sweep; pass --resume"),
        "{}",
        stderr(&o)
    );
    // Kill-like state of one sweep, resumed with another file: refused.
    fs::remove_file(out.join("runs.csv")).unwrap();
    fs::write(out.join("manifest.json"), "{\"status\": \"running\"}").unwrap();
    let g = sweep_file(
        tmp.path(),
        "g2",
        &GRID.replace("replicates = 3", "replicates = 2"),
    );
    let o = sweep(&g, &out, &["--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("was started from a different sweep"),
        "{}",
        stderr(&o)
    );
    ok(&sweep(&g, &out, &["--force"]));
    assert_eq!(
        String::from_utf8(read(&out.join("runs.csv")))
            .unwrap()
            .lines()
            .count(),
        13
    );
}

#[test]
fn bad_sweep_files_report_every_problem_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let body = r#"seed = 1
replicats = 2
design = "grid"
[set]
arrivals.persons_per_agent = 400
seed = 3
[params]
policy.border_run_ban.dat = [2023-01-27]
decisions.money = { min = 1.0, max = 3.0 }
labour.referral_prob_per_tie = [0.5, 1.5]
housing.search_prob_per_day = { min = 0.3, max = 0.1, steps = 3 }
"#;
    let f = sweep_file(tmp.path(), "bad", body);
    let o = sweep(&f, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    let name = f.display().to_string();
    for want in [
        format!("{name}:3:1: unknown key `replicats`; did you mean `replicates`?"),
        format!("{name}:1:1: missing key `replicates`"),
        format!("{name}:7:1: `seed` cannot be set in a sweep: use the sweep's own `seed`"),
        format!("{name}:10:19: a grid needs a list of values for `decisions.money`"),
        format!("{name}:12:50: `housing.search_prob_per_day.max` must be greater than `min`"),
    ] {
        assert!(e.contains(&want), "missing {want:?} in:\n{e}");
    }
    assert!(
        !tmp.path().join("out").exists(),
        "nothing is created for bad input"
    );

    // Problems found against the scenario: unknown paths with the whole suggested path,
    // values the scenario rejects, located in the sweep file.
    let body = r#"seed = 1
replicates = 2
design = "grid"
[params]
policy.border_run_ban.dat = [2023-01-27]
labour.referral_prob_per_tie = [0.5, 1.5]
"#;
    let f = sweep_file(tmp.path(), "bad2", body);
    let o = sweep(&f, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    let name = f.display().to_string();
    for want in [
        format!(
            "{name}:6:23: unknown key `policy.border_run_ban.dat`; did you mean `policy.border_run_ban.date`?"
        ),
        format!(
            "{name}:7:32: `labour.referral_prob_per_tie` must be a probability in [0, 1], found 1.5"
        ),
    ] {
        assert!(e.contains(&want), "missing {want:?} in:\n{e}");
    }
    // Values that clash with the base only in some combinations: the sweep is checked
    // point by point, and only the bad points are named.
    let body = r#"seed = 1
replicates = 1
design = "grid"
[set]
arrivals.persons_per_agent = 400
[params]
policy.border_run_ban.announced = [2022-12-31, 2023-03-01]
policy.border_run_ban.date = [2023-01-27, 2023-06-01]
"#;
    let f = sweep_file(tmp.path(), "clash", body);
    let o = sweep(&f, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("design point 2 (policy.border_run_ban.announced = 2023-03-01, policy.border_run_ban.date = 2023-01-27) is not a valid scenario:\n  the border-run ban is announced (2023-03-01) after it takes effect (2023-01-27)"), "{e}");
    assert!(!e.contains("design point 3"), "{e}");
    assert!(
        !tmp.path().join("out").exists(),
        "nothing is created for bad input"
    );
    let f = sweep_file(tmp.path(), "clash2", &body.replace("2023-01-27, ", ""));
    ok(&sweep(&f, &tmp.path().join("out"), &[]));
    // Sizes of other designs and unknown designs.
    let body = "seed = 1\nreplicates = 1\ndesign = \"sobl\"\nsamples = 4\n[params]\ndecisions.money = { min = 1.0, max = 2.0 }\n";
    let f = sweep_file(tmp.path(), "bad3", body);
    let o = sweep(&f, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"sobol\"?"),
        "{}",
        stderr(&o)
    );
    let body = "seed = 1\nreplicates = 1\ndesign = \"grid\"\nsamples = 4\n[params]\ndecisions.money = [1.0, 2.0]\n";
    let f = sweep_file(tmp.path(), "bad4", body);
    let o = sweep(&f, &tmp.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(":5:1: `samples` is not used by a grid design"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_typo_in_a_leading_part_of_a_sweep_parameter_key_is_located_once() {
    let tmp = tempfile::tempdir().unwrap();
    for (key, unknown) in [
        (
            "tis.decay_per_week",
            "unknown key `tis`; did you mean `ties`?",
        ),
        (
            "policy.order_run_ban.date",
            "unknown key `policy.order_run_ban`",
        ),
    ] {
        let value = if key.ends_with("date") {
            "{ values = [2023-02-01, 2023-03-01] }"
        } else {
            "{ values = [0.01, 0.02] }"
        };
        let f = sweep_file(
            tmp.path(),
            "typo",
            &format!(
                "seed = 3\nreplicates = 1\ndesign = \"grid\"\n[set]\narrivals.persons_per_agent = 400\n[params]\n{key} = {value}\n"
            ),
        );
        let o = sweep(&f, &tmp.path().join("never"), &[]);
        assert_eq!(o.status.code(), Some(2), "{key}");
        let err = stderr(&o);
        assert!(
            err.contains("typo.toml:8:") && err.contains(unknown),
            "{key}: {err}"
        );
        assert!(
            !err.contains("design point"),
            "{key}: no per-point messages: {err}"
        );
        assert!(!tmp.path().join("never").exists());
    }
}

#[test]
fn shipped_sweep_files_are_valid() {
    let dir = root().join("scenarios/sweeps");
    let mut n = 0;
    for e in fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            let spec = relocant::sweep::spec::load(&p).unwrap_or_else(|e| panic!("{e}"));
            let plan = relocant::sweep::plan::Plan::new(spec)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let all: Vec<u64> = (0..plan.points).collect();
            plan.check_points(&all)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            n += 1;
        }
    }
    assert!(n >= 4);
}

#[test]
fn analyze_writes_sobol_indices_of_a_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let body = SOBOL;
    let f = sweep_file(tmp.path(), "sobol", body);
    let out = tmp.path().join("s");
    ok(&sweep(&f, &out, &[]));
    let runs = String::from_utf8(read(&out.join("runs.csv"))).unwrap();
    assert_eq!(runs.lines().count(), 1 + 8 * 4);
    let o = relocant(&["analyze", out.to_str().unwrap(), "--bootstrap", "50"]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("relocant: wrote"));
    // --quiet: the indices on stdout, nothing on stderr.
    let q = relocant(&[
        "analyze",
        out.to_str().unwrap(),
        "--bootstrap",
        "50",
        "--quiet",
    ]);
    ok(&q);
    assert!(q.stderr.is_empty() && o.stdout == q.stdout);
    let s = String::from_utf8(read(&out.join("sensitivity.csv"))).unwrap();
    assert!(s.starts_with("outcome,parameter,measure,estimate,ci_low,ci_high\n"));
    assert!(s.contains("\nshare_integrated,decisions.money,S1,"));
    assert!(s.contains("\nshare_returned,legal.visa_free_days,ST,"));
    let outcomes = runs.lines().next().unwrap().split(',').count() - 6;
    assert_eq!(s.lines().count(), 1 + outcomes * 2 * 2);
    // Analysis needs a sobol or morris design.
    let g = sweep_file(tmp.path(), "grid", GRID);
    let gout = tmp.path().join("g");
    ok(&sweep(&g, &gout, &[]));
    let o = relocant(&["analyze", gout.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs a sobol or morris design"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn analyze_writes_morris_measures_of_a_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sweep_and_analyze(tmp.path(), "morris", MORRIS, &["--bootstrap", "20"]);
    let s = String::from_utf8(read(&out.join("sensitivity.csv"))).unwrap();
    for index in ["mu", "mu_star", "sigma"] {
        assert!(s.contains(&format!(
            "\nshare_moved_on,policy.border_run_ban.date,{index},"
        )));
    }
    // mu* >= |mu| always.
    let get = |o: &str, p: &str, i: &str| -> f64 {
        let prefix = format!("{o},{p},{i},");
        s.lines().find(|l| l.starts_with(&prefix)).unwrap()[prefix.len()..]
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (mu, ms) = (
        get("share_returned", "decisions.money", "mu"),
        get("share_returned", "decisions.money", "mu_star"),
    );
    assert!(ms >= mu.abs() - 1e-12);
}

#[test]
fn analyze_rejects_damaged_result_files_with_their_location_instead_of_panicking() {
    let tmp = tempfile::tempdir().unwrap();
    let good = sweep_and_analyze(tmp.path(), "morris", MORRIS, &["--bootstrap", "5"]);
    // Each case damages a copy of the finished sweep and expects exit 2 and a message.
    let damage = |name: &str, file: &str, change: &dyn Fn(String) -> String, expected: &str| {
        let dir = tmp.path().join(name);
        fs::create_dir_all(&dir).unwrap();
        for f in ["runs.csv", "design.csv", "manifest.json"] {
            fs::copy(good.join(f), dir.join(f)).unwrap();
        }
        let text = String::from_utf8(read(&dir.join(file))).unwrap();
        fs::write(dir.join(file), change(text)).unwrap();
        let o = relocant(&["analyze", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{name}: {}", stderr(&o));
    };
    let nth_line = |text: String, n: usize, f: &dyn Fn(&str) -> String| -> String {
        text.lines()
            .enumerate()
            .map(|(i, l)| if i == n { f(l) } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    damage(
        "stray-quote",
        "runs.csv",
        &|t| {
            nth_line(t, 3, &|l| {
                format!("{}\"{}", &l[..l.len() - 2], &l[l.len() - 2..])
            })
        },
        "runs.csv:4:",
    );
    damage(
        "truncated-design",
        "design.csv",
        &|t| nth_line(t, 2, &|l| l[..l.rfind(',').unwrap()].to_string()),
        "design.csv:3: this row has",
    );
    damage(
        "shuffled-design",
        "design.csv",
        &|t| {
            let mut lines: Vec<&str> = t.lines().collect();
            lines.swap(1, 2);
            lines.join("\n") + "\n"
        },
        "design.csv:2: expected design point 0 here",
    );
    damage(
        "repeated-param",
        "manifest.json",
        &|t| {
            let mut m: serde_json::Value = serde_json::from_str(&t).unwrap();
            let first = m["params"][0].clone();
            m["params"].as_array_mut().unwrap()[1] = first;
            m.to_string()
        },
        "lists parameter `decisions.money` twice",
    );
    let o = relocant(&["analyze", good.to_str().unwrap(), "--bootstrap", "0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--bootstrap must be at least 1"),
        "{}",
        stderr(&o)
    );
}

/// Ishigami's function on [-π, π]^3, whose Sobol indices are known in closed form.
fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u
        .iter()
        .map(|u| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * u)
        .collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

#[test]
fn sobol_indices_of_ishigami_match_the_known_values() {
    let (a, b, pi) = (7.0f64, 0.1f64, std::f64::consts::PI);
    let v1 = 0.5 * (1.0 + b * pi.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * pi.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let d = v1 + v2 + v13;
    let first = [v1 / d, v2 / d, 0.0];
    let total = [(v1 + v13) / d, v2 / d, v13 / d];

    let k = 3;
    let n = 4096;
    let design = UnitDesign::saltelli(k, n, 42);
    let y: Vec<f64> = (0..design.len())
        .map(|p| ishigami(&design.point(p)))
        .collect();
    let idx = sobol_indices(&y, k, 300, 0.95, 1);
    eprintln!("Ishigami, N = {n}: {idx:?}");
    for j in 0..k {
        let (s, t) = (idx[j].first, idx[j].total);
        assert!(
            (s.value - first[j]).abs() < 0.03,
            "S1[{j}] = {} vs {}",
            s.value,
            first[j]
        );
        assert!(
            (t.value - total[j]).abs() < 0.03,
            "ST[{j}] = {} vs {}",
            t.value,
            total[j]
        );
        assert!(
            s.low - 0.01 <= first[j] && first[j] <= s.high + 0.01,
            "S1[{j}] interval {s:?}"
        );
        assert!(
            t.low - 0.01 <= total[j] && total[j] <= t.high + 0.01,
            "ST[{j}] interval {t:?}"
        );
        assert!(s.low <= s.value && s.value <= s.high);
    }
    // More samples, narrower intervals.
    let small = UnitDesign::saltelli(k, 256, 42);
    let ys: Vec<f64> = (0..small.len())
        .map(|p| ishigami(&small.point(p)))
        .collect();
    let wide = sobol_indices(&ys, k, 300, 0.95, 1);
    assert!(wide[1].first.high - wide[1].first.low > idx[1].first.high - idx[1].first.low);
}

#[test]
fn morris_measures_match_a_function_with_known_effects() {
    // f = 3 u0 + 0 u1 + 4 u2^2: u0's effects are all 3, u1 has none, u2's vary.
    let f = |u: &[f64]| 3.0 * u[0] + 4.0 * u[2] * u[2];
    let k = 3;
    let design = UnitDesign::morris(k, 40, 4, 9);
    let x: Vec<Vec<f64>> = (0..design.len()).map(|p| design.point(p)).collect();
    let y: Vec<f64> = x.iter().map(|u| f(u)).collect();
    let m = morris_indices(&x, &y, k, 100, 0.95, 2);
    assert!((m[0].mu.value - 3.0).abs() < 1e-9 && (m[0].mu_star.value - 3.0).abs() < 1e-9);
    assert!(m[0].sigma.value.abs() < 1e-9);
    assert_eq!(m[1].mu_star.value, 0.0);
    // With 4 levels, Δ = 2/3: u2 steps between 0 and 2/3 (effect 8/3) or 1/3 and 1 (16/3).
    assert!(m[2].mu_star.value > 8.0 / 3.0 - 1e-9 && m[2].mu_star.value < 16.0 / 3.0 + 1e-9);
    assert!(m[2].sigma.value > 0.5);
    assert!(m[2].mu_star.low <= m[2].mu_star.value && m[2].mu_star.value <= m[2].mu_star.high);

    // On Ishigami, u2 (x3) acts only through its interaction with x1: S1 = 0, yet Morris
    // sees it.
    let design = UnitDesign::morris(k, 100, 4, 9);
    let x: Vec<Vec<f64>> = (0..design.len()).map(|p| design.point(p)).collect();
    let y: Vec<f64> = x.iter().map(|u| ishigami(u)).collect();
    let m = morris_indices(&x, &y, k, 0, 0.95, 2);
    assert!(
        m[2].mu_star.value > 1.0 && m[2].sigma.value > 1.0,
        "{:?}",
        m[2]
    );
}

#[test]
fn a_sweep_too_big_for_memory_is_refused_with_its_estimate_before_anything_is_made() {
    // Ten million samples × 100,000 replicates passed the sweep check and then aborted
    // allocating terabytes (issue 12, item 2).
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("huge.toml");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    fs::write(
        &file,
        format!(
            "name = \"huge\"\nbase = {:?}\nseed = 1\nreplicates = 100000\ndesign = \"random\"\nsamples = 10000000\n\
             [set]\narrivals.persons_per_agent = 50\n[params]\nlegal.iin_prob_per_day = {{ min = 0.1, max = 0.5 }}\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = relocant(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--max-memory",
        "64",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("this sweep needs about")
            && e.contains("1000000000000 runs over 10000000 design points")
            && e.contains("allowed by --max-memory"),
        "{e}"
    );
    assert!(!out.exists(), "nothing is made");
}
