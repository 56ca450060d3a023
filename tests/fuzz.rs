//! A bounded mutation fuzzer over every input a user gives relocant: scenario files and
//! `--set`, sweep, targets, params and experiment files, and the result files that `plot`,
//! `table`, `merge`, `analyze` and `sweep --resume` read back. Each case mutates a valid
//! input (bytes cut, lines doubled or swapped, tokens replaced by hostile values, invalid
//! UTF-8) and runs the command on it. The promise checked: exit 0, 1 or 2 — never a panic
//! (101) or a signal; a rejection (2) names where the problem is (the file, a line, or the
//! option); and a command that fails leaves no output directory behind.
//!
//! In the suite each input kind gets `RELOCANT_FUZZ_CASES` cases (default 60) from
//! `RELOCANT_FUZZ_SEED` (default 1), a few seconds in all; `scripts/fuzz.sh` runs the same
//! generators with new seeds for as long as asked.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ok, relocant, root};

/// A small deterministic generator (reproducible cases from the seed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn cases() -> usize {
    std::env::var("RELOCANT_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
}

fn seed(kind: u64) -> u64 {
    let s: u64 = std::env::var("RELOCANT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    s.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ kind
}

/// Values that have broken parsers before: huge, negative, not numbers, empty, odd dates.
const HOSTILE: [&str; 22] = [
    "-1",
    "0",
    "1e300",
    "-1e300",
    "NaN",
    "inf",
    "18446744073709551616",
    "9999999999",
    "\"\"",
    "\"x\"",
    "2023-13-01",
    "1900-01-01",
    "2999-12-31",
    "true",
    "[]",
    "{}",
    "0.5",
    "\"",
    ",",
    "=",
    "[[x]]",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q",
];

/// One mutation of `text`.
fn mutate(text: &str, rng: &mut Lcg) -> Vec<u8> {
    let bytes = text.as_bytes();
    let lines: Vec<&str> = text.lines().collect();
    match rng.below(7) {
        // Cut a range of bytes.
        0 if !bytes.is_empty() => {
            let a = rng.below(bytes.len());
            let b = (a + 1 + rng.below(40)).min(bytes.len());
            [&bytes[..a], &bytes[b..]].concat()
        }
        // Double a line.
        1 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            let mut v = lines.clone();
            v.insert(i, lines[i]);
            (v.join("\n") + "\n").into_bytes()
        }
        // Swap two lines.
        2 if lines.len() > 1 => {
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            let mut v = lines.clone();
            v.swap(i, j);
            (v.join("\n") + "\n").into_bytes()
        }
        // Truncate.
        3 => bytes[..rng.below(bytes.len() + 1)].to_vec(),
        // Invalid UTF-8 somewhere.
        4 => {
            let at = rng.below(bytes.len() + 1);
            [&bytes[..at], &[0xff, 0xfe][..], &bytes[at..]].concat()
        }
        // Replace a token (a run of non-separator characters) with a hostile value.
        _ => {
            let seps: &[char] = &[' ', '\n', ',', '=', '"', '[', ']', '{', '}'];
            let starts: Vec<usize> = text
                .char_indices()
                .filter(|(i, c)| !seps.contains(c) && (*i == 0 || text[..*i].ends_with(seps)))
                .map(|(i, _)| i)
                .collect();
            if starts.is_empty() {
                return bytes.to_vec();
            }
            let a = starts[rng.below(starts.len())];
            let b = text[a..].find(seps).map_or(text.len(), |k| a + k);
            let v = HOSTILE[rng.below(HOSTILE.len())];
            format!("{}{v}{}", &text[..a], &text[b..]).into_bytes()
        }
    }
}

/// Runs the binary with a time limit (an accepted input may run long: that is not a
/// failure of the promise); returns the exit code (None: killed by a signal of its own).
fn run_limited(args: &[String], limit: Duration) -> (Option<i32>, String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_relocant"))
        .args(args)
        .current_dir(root())
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return (Some(0), String::new(), true);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        false,
    )
}

/// Checks the promise for one case; `file` is the mutated file, `out` the output it named.
fn check(kind: &str, case: usize, args: &[String], file: &Path, out: Option<&Path>, input: &[u8]) {
    let (code, stderr, timed_out) = run_limited(args, Duration::from_secs(20));
    let show = || {
        format!(
            "{kind} case {case}: exit {code:?}\nargs: {args:?}\ninput:\n{}\nstderr:\n{stderr}",
            String::from_utf8_lossy(&input[..input.len().min(3000)])
        )
    };
    assert!(
        matches!(code, Some(0..=2)),
        "never a panic or a signal: {}",
        show()
    );
    if timed_out {
        return;
    }
    if code == Some(2) {
        let name = file.file_name().unwrap().to_string_lossy();
        let located = stderr.contains(&*name)
            || stderr.contains("--")
            || stderr.contains("line")
            || stderr.contains(".toml:")
            || stderr.contains(".csv:");
        assert!(located, "a rejection says where: {}", show());
    }
    if code != Some(0)
        && let Some(out) = out
    {
        assert!(!out.exists(), "nothing left behind on failure: {}", show());
    }
}

/// Fuzzes the input file `name` (its valid text) with `command(file, out)` as arguments.
fn fuzz_file(kind: u64, name: &str, valid: &str, command: impl Fn(&Path, &Path) -> Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = Lcg(seed(kind));
    for case in 0..cases() {
        let dir = tmp.path().join(format!("c{case}"));
        fs::create_dir(&dir).unwrap();
        let file = dir.join(name);
        let input = mutate(valid, &mut rng);
        fs::write(&file, &input).unwrap();
        let out = dir.join("out");
        check(name, case, &command(&file, &out), &file, Some(&out), &input);
        let _ = fs::remove_dir_all(&dir);
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

fn p(x: &Path) -> String {
    x.display().to_string()
}

const SCALE: &str = "arrivals.persons_per_agent=400";

#[test]
fn fuzz_scenario_files() {
    let valid = fs::read_to_string(root().join("scenarios/no_border_run_ban.toml")).unwrap()
        + &fs::read_to_string(root().join("scenarios/second_mobilization_wave.toml"))
            .unwrap()
            .replace("base = \"baseline.toml\"", "")
            .replace("name = ", "# name = ");
    fuzz_file(1, "scenario.toml", &valid, |f, out| {
        vec![
            s("run"),
            p(f),
            s("--replicates"),
            s("1"),
            s("--set"),
            s(SCALE),
            s("--quiet"),
            s("--no-plots"),
            s("--out"),
            p(out),
        ]
    });
}

#[test]
fn fuzz_set_overrides() {
    let mut rng = Lcg(seed(2));
    let keys = [
        "decisions.return_constant",
        "policy.border_run_ban.date",
        "arrivals.anchors.tail_2024.cumulative",
        "cities.almaty.local_jobs",
        "ties.max_per_agent",
        "legal.iin_prob_per_day",
        "end",
        "social.max_guests",
    ];
    let tmp = tempfile::tempdir().unwrap();
    for case in 0..cases() {
        let key = keys[rng.below(keys.len())];
        let value = HOSTILE[rng.below(HOSTILE.len())];
        let set = if rng.below(4) == 0 {
            String::from_utf8_lossy(&mutate(&format!("{key}={value}"), &mut rng)).into_owned()
        } else {
            format!("{key}={value}")
        };
        let out = tmp.path().join(format!("o{case}"));
        // `--set=…`: a value starting with `-` is then not read as an option.
        let args = vec![s("check"), format!("--set={set}"), s("--set"), s(SCALE)];
        let (code, stderr, _) = run_limited(&args, Duration::from_secs(20));
        assert!(
            matches!(code, Some(0 | 2)),
            "--set {set}: {code:?} {stderr}"
        );
        if code == Some(2) {
            assert!(
                stderr.contains("--set") || stderr.contains(".toml"),
                "--set {set}: {stderr}"
            );
        }
        assert!(!out.exists());
    }
}

#[test]
fn fuzz_sweep_files() {
    let valid = common::SOBOL.replace("samples = 8", "samples = 2");
    let base = root().join("scenarios/baseline.toml");
    let valid = format!("base = {:?}\n{valid}", base.display().to_string());
    fuzz_file(3, "sweep.toml", &valid, |f, out| {
        vec![
            s("sweep"),
            p(f),
            s("--quiet"),
            s("--no-plots"),
            s("--out"),
            p(out),
        ]
    });
}

#[test]
fn fuzz_targets_files() {
    let valid = fs::read_to_string(root().join("scenarios/calibration/targets.csv")).unwrap();
    fuzz_file(4, "targets.csv", &valid, |f, out| {
        vec![
            s("validate"),
            s("--targets"),
            p(f),
            s("--replicates"),
            s("1"),
            s("--set"),
            s(SCALE),
            s("--quiet"),
            s("--out"),
            p(out),
        ]
    });
}

#[test]
fn fuzz_params_files() {
    let valid = "[abc]\nparticles = 4\ngenerations = 1\npersons_per_agent = 400\nseed = 3\n\n\
                 [validation]\nreplicates = 1\npersons_per_agent = 400\n\n\
                 [[param]]\nkey = \"legal.iin_prob_per_day\"\nprior = \"log-uniform\"\nmin = 0.03\nmax = 0.6\n\n\
                 [[param]]\nkey = \"decisions.return_constant\"\nprior = \"uniform\"\nmin = -9.0\nmax = -6.0\n";
    let targets = root().join("scenarios/calibration/targets.csv");
    let scenario = root().join("scenarios/baseline.toml");
    fuzz_file(5, "params.toml", valid, |f, out| {
        vec![
            s("calibrate"),
            p(&scenario),
            s("--targets"),
            p(&targets),
            s("--params"),
            p(f),
            s("--quiet"),
            s("--out"),
            p(out),
        ]
    });
}

#[test]
fn fuzz_experiment_files() {
    let base = root().join("scenarios/baseline.toml");
    let valid = format!(
        "base = {:?}\nreplicates = 2\noutcomes = [\"share_integrated\"]\ndates = [2023-07-01]\n\
         [set]\narrivals.persons_per_agent = 400\n\
         [arms.no_aid]\nlabel = \"mutual aid\"\ngroup = \"social capital\"\n\
         [arms.no_aid.set]\nsocial.mutual_aid_enabled = false\n",
        base.display().to_string()
    );
    fuzz_file(6, "experiment.toml", &valid, |f, out| {
        vec![
            s("experiment"),
            p(f),
            s("--quiet"),
            s("--no-plots"),
            s("--out"),
            p(out),
        ]
    });
}

/// A finished run, sweep and shards to damage, made once per test.
fn made(dir: &Path) -> (PathBuf, PathBuf) {
    let run = dir.join("run");
    ok(&relocant(&[
        "run",
        "--replicates",
        "2",
        "--set",
        SCALE,
        "--quiet",
        "--no-plots",
        "--out",
        &p(&run),
    ]));
    let f = common::sweep_file(dir, "sw", common::SOBOL);
    let sweep = dir.join("sweep");
    ok(&common::sweep(&f, &sweep, &["--no-plots"]));
    (run, sweep)
}

/// Copies `from` into `to` with `file` (relative) replaced by a mutation of it.
fn damaged_copy(from: &Path, to: &Path, file: &str, rng: &mut Lcg) -> Vec<u8> {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let text = fs::read_to_string(from.join(file)).unwrap();
    let bad = mutate(&text, rng);
    fs::write(to.join(file), &bad).unwrap();
    bad
}

#[test]
fn fuzz_result_files_read_by_plot_table_report_merge_analyze_and_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let (run, sweep) = made(tmp.path());
    let mut rng = Lcg(seed(7));
    let n = cases();
    for case in 0..n {
        let dir = tmp.path().join(format!("c{case}"));
        let out = dir.join("out");
        let (file, args, input) = match case % 5 {
            0 | 1 => {
                // Every other table case is a report, which also reads the scenario, the
                // manifest and the data dictionary.
                let report = case % 5 == 1 && (case / 5) % 2 == 1;
                let files: &[&str] = if report {
                    &[
                        "daily.csv",
                        "summary_stats.csv",
                        "events.csv",
                        "scenario.toml",
                        "manifest.json",
                        "datapackage.json",
                        "panel.csv",
                    ]
                } else {
                    &[
                        "daily.csv",
                        "summary.csv",
                        "events.csv",
                        "summary_stats.csv",
                        "cohorts.csv",
                    ]
                };
                let file = files[rng.below(files.len())];
                let d = dir.join("run");
                let input = damaged_copy(&run, &d, file, &mut rng);
                let args = if case % 5 == 0 {
                    vec![s("plot"), p(&d), s("--quiet"), s("--out"), p(&out)]
                } else if report {
                    vec![s("report"), p(&d), s("--quiet"), s("--out"), p(&out)]
                } else {
                    vec![s("table"), p(&d), s("--out"), p(&out)]
                };
                (d.join(file), args, input)
            }
            2 => {
                let file = ["runs.csv", "manifest.json", "points.csv"][rng.below(3)];
                let d = dir.join("shard");
                let input = damaged_copy(&sweep, &d, file, &mut rng);
                (
                    d.join(file),
                    vec![
                        s("merge"),
                        p(&d),
                        s("--quiet"),
                        s("--no-plots"),
                        s("--out"),
                        p(&out),
                    ],
                    input,
                )
            }
            3 => {
                let file = ["runs.csv", "design.csv", "manifest.json"][rng.below(3)];
                let d = dir.join("sweep");
                let input = damaged_copy(&sweep, &d, file, &mut rng);
                (
                    d.join(file),
                    vec![
                        s("analyze"),
                        p(&d),
                        s("--no-plots"),
                        s("--quiet"),
                        s("--bootstrap"),
                        s("20"),
                    ],
                    input,
                )
            }
            _ => {
                let d = dir.join("sweep");
                let input = damaged_copy(&sweep, &d, "journal", &mut rng);
                // A finished sweep resumes as complete only with its manifest: drop it so
                // the journal is read.
                let _ = fs::remove_file(d.join("manifest.json"));
                let f = tmp.path().join("sw.toml");
                (
                    d.join("journal"),
                    vec![
                        s("sweep"),
                        p(&f),
                        s("--resume"),
                        s("--quiet"),
                        s("--no-plots"),
                        s("--out"),
                        p(&d),
                    ],
                    input,
                )
            }
        };
        let out_checked = if case % 5 <= 2 {
            Some(out.as_path())
        } else {
            None
        };
        check("result file", case, &args, &file, out_checked, &input);
        let _ = fs::remove_dir_all(&dir);
    }
}
