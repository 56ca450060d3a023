//! The real binary end to end: result files, byte-identical reruns whatever `--jobs`, the
//! resolved scenario reproducing a run, and the output-directory contract.

use std::path::Path;
use std::process::Command;

/// The binary, run from the repository root.
fn binary() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_relocant"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn relocant(args: &[&str]) -> std::process::Output {
    binary().args(args).output().expect("binary runs")
}

fn small_run(out: &Path, jobs: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "scenarios/baseline.toml",
        "--replicates",
        "3",
        "--set",
        "arrivals.persons_per_agent=200",
        "--jobs",
        jobs,
        "--quiet",
        "--no-plots",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    relocant(&args)
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn results_are_byte_identical_for_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(small_run(&a, "1", &[]).status.success());
    assert!(small_run(&b, "2", &[]).status.success());
    for f in [
        "daily.csv",
        "summary.csv",
        "cohorts.csv",
        "events.csv",
        "scenario.toml",
    ] {
        assert_eq!(read(&a.join(f)), read(&b.join(f)), "{f} differs");
    }
}

#[test]
fn a_run_writes_every_result_file_with_the_contract_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let o = small_run(&out, "0", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    for word in [
        "integrated",
        "moved on",
        "returned",
        "present",
        "90% interval",
    ] {
        assert!(
            stdout.contains(word),
            "summary table lacks {word}: {stdout}"
        );
    }
    let daily = String::from_utf8(read(&out.join("daily.csv"))).unwrap();
    let header: Vec<&str> = daily.lines().next().unwrap().split(',').collect();
    assert_eq!(
        &header[..8],
        [
            "replicate",
            "day",
            "date",
            "arrived",
            "present",
            "integrated",
            "moved_on",
            "returned"
        ]
    );
    assert_eq!(daily.lines().count(), 1 + 3 * 833);
    let reentries = header.iter().position(|c| *c == "reentries").unwrap();
    let mut last = (String::new(), 0.0);
    for line in daily.lines().skip(1) {
        let cells: Vec<f64> = line
            .split(',')
            .skip(3)
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect();
        let v = &cells[..5];
        assert_eq!(
            v[0],
            v[1] + v[3] + v[4],
            "arrived = present + moved_on + returned: {line}"
        );
        // Re-entries are cumulative: they never fall within a replicate.
        let replicate = line.split(',').next().unwrap_or_default().to_string();
        let r = cells[reentries - 3];
        if replicate == last.0 {
            assert!(r >= last.1, "reentries fell: {line}");
        }
        last = (replicate, r);
    }
    // Tidy: one row per replicate in summary.csv, the statistics in summary_stats.csv, so
    // no column changes type between rows.
    let first_cells = |name: &str| -> Vec<String> {
        String::from_utf8(read(&out.join(name)))
            .unwrap()
            .lines()
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(first_cells("summary.csv"), ["replicate", "0", "1", "2"]);
    assert_eq!(
        first_cells("summary_stats.csv"),
        ["stat", "mean", "sd", "q05", "q50", "q95"]
    );
    let manifest = String::from_utf8(read(&out.join("manifest.json"))).unwrap();
    for key in [
        "\"version\"",
        "\"command_line\"",
        "\"seed\"",
        "\"agents\"",
        "\"days\"",
        "\"wall_seconds\"",
        "\"agent_days_per_second\"",
    ] {
        assert!(manifest.contains(key), "manifest lacks {key}");
    }
    assert!(
        String::from_utf8(read(&out.join("events.csv")))
            .unwrap()
            .contains("2023-01-27,border-run ban")
    );
}

#[test]
fn the_resolved_scenario_reproduces_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    assert!(
        small_run(
            &first,
            "0",
            &[
                "--seed",
                "99",
                "--set",
                "policy.border_run_ban.date=2023-06-01"
            ]
        )
        .status
        .success()
    );
    let resolved = first.join("scenario.toml");
    let text = String::from_utf8(read(&resolved)).unwrap();
    assert!(text.contains("seed = 99") && text.contains("2023-06-01"));
    let second = tmp.path().join("second");
    let o = relocant(&[
        "run",
        resolved.to_str().unwrap(),
        "--quiet",
        "--no-plots",
        "--out",
        second.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        read(&first.join("daily.csv")),
        read(&second.join("daily.csv"))
    );
}

#[test]
fn an_existing_output_is_kept_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    assert!(small_run(&out, "0", &[]).status.success());
    let before = read(&out.join("daily.csv"));
    let o = small_run(&out, "0", &["--seed", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(read(&out.join("daily.csv")), before);
    assert!(
        small_run(&out, "0", &["--seed", "5", "--force"])
            .status
            .success()
    );
    assert_ne!(read(&out.join("daily.csv")), before);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary directories left behind: {leftovers:?}"
    );
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    // Like `relocant run ... | head -1` when the reader has gone before the table is printed:
    // the run takes a while and prints only at the end, so the pipe is surely closed by then.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let mut child = binary()
        .args([
            "run",
            "--replicates",
            "2",
            "--set",
            "arrivals.persons_per_agent=50",
            "--quiet",
            "--no-plots",
        ])
        .args(["--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    drop(child.stdout.take());
    let done = child.wait_with_output().expect("binary ends");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.join("summary.csv").exists(),
        "results are written before the table is printed"
    );
}

#[test]
fn a_run_killed_before_its_rename_leaves_nothing_behind_for_long() {
    // A killed run leaves `.NAME.tmp-PID`; the next run into the same place removes it.
    let tmp = tempfile::tempdir().unwrap();
    let abandoned = tmp.path().join(".run.tmp-4000000000");
    std::fs::create_dir(&abandoned).unwrap();
    std::fs::write(abandoned.join("daily.csv"), "half a file").unwrap();
    assert!(
        small_run(&tmp.path().join("run"), "0", &[])
            .status
            .success()
    );
    assert!(!abandoned.exists());
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["run"]);
}

/// Runs the binary with stderr (or stdout) on a full device (`/dev/full`).
fn on_full_device(args: &[&str], stream: &str) -> std::process::Output {
    let full = || std::fs::File::create("/dev/full").expect("/dev/full");
    let mut cmd = binary();
    cmd.args(args);
    match stream {
        "stderr" => cmd.stderr(full()),
        _ => cmd.stdout(full()),
    };
    cmd.output().expect("runs")
}

#[test]
fn a_full_stderr_never_panics_and_the_exit_code_still_tells() {
    let o = on_full_device(&["check", "tests/bad/wrong_type.toml"], "stderr");
    assert_eq!(o.status.code(), Some(2), "bad input stays exit 2");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = on_full_device(
        &[
            "run",
            "--replicates",
            "1",
            "--set",
            "arrivals.persons_per_agent=2000",
            "--out",
            out.to_str().unwrap(),
        ],
        "stderr",
    );
    assert_eq!(o.status.code(), Some(0), "a run that worked exits 0");
    assert!(out.join("daily.csv").exists());
}

#[test]
fn a_full_stdout_is_a_failure_not_a_panic() {
    let o = on_full_device(&["check", "scenarios/baseline.toml"], "stdout");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("No space left"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn two_runs_into_the_same_new_directory_do_not_both_succeed_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    for round in 0..3 {
        let out = tmp.path().join(format!("same-{round}"));
        let start = || {
            binary()
                .args([
                    "run",
                    "--replicates",
                    "2",
                    "--set",
                    "arrivals.persons_per_agent=300",
                    "--quiet",
                    "--no-plots",
                    "--out",
                    out.to_str().unwrap(),
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("starts")
        };
        let (a, b) = (start(), start());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let won = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert_eq!(
            won, 1,
            "round {round}: exactly one run may write the directory"
        );
        let lost = if a.status.success() { &b } else { &a };
        assert!(
            String::from_utf8_lossy(&lost.stderr).contains("already exists"),
            "{}",
            String::from_utf8_lossy(&lost.stderr)
        );
        assert!(out.join("daily.csv").exists() && out.join("manifest.json").exists());
        let leftovers = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".tmp-")
            })
            .count();
        assert_eq!(leftovers, 0, "no temporary left behind");
    }
}

#[test]
fn a_run_killed_while_drawing_its_figures_leaves_no_visible_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let mut child = binary()
        .args([
            "run",
            "--replicates",
            "2",
            "--set",
            "arrivals.persons_per_agent=200",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    // Wait (up to two minutes: only a stuck run takes that long) until the figures are
    // being drawn in the run's temporary directory, then kill the run.
    let drawing = || {
        std::fs::read_dir(tmp.path()).unwrap().any(|e| {
            let e = e.unwrap();
            e.file_name().to_string_lossy().starts_with(".r.tmp-")
                && e.path().join("figures").exists()
        })
    };
    let started = std::time::Instant::now();
    while !drawing() && child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed().as_secs() < 120,
            "the run never drew its figures"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    if status.success() {
        // It finished before the kill landed: then it is whole.
        assert!(out.join("figures/outcomes.pdf").exists());
        return;
    }
    assert!(!out.exists(), "a killed run left a visible directory");
    // A plain rerun is not refused, and it clears the abandoned temporary.
    let o = binary()
        .args([
            "run",
            "--replicates",
            "1",
            "--set",
            "arrivals.persons_per_agent=400",
            "--quiet",
        ])
        .args(["--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("figures/outcomes.pdf").exists());
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["r"]);
}

#[test]
fn plot_lists_files_only_with_verbose_and_says_nothing_with_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let o = small_run(&run, "1", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plot = |extra: &[&str]| {
        let mut args = vec!["plot", run.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = relocant(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (out, err) = plot(&[]);
    assert_eq!(out, "", "stdout carries no file listing by default");
    assert!(
        err.contains("relocant: wrote ") && err.contains("figure files"),
        "{err}"
    );
    let (out, err) = plot(&["--quiet"]);
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    let (out, _) = plot(&["--verbose", "--quiet"]);
    let listed: Vec<&str> = out.lines().collect();
    assert!(listed.len() >= 18, "{out}");
    assert!(listed.iter().all(|p| Path::new(p).is_file()), "{out}");
}

#[test]
fn table_writes_no_listing_on_stdout_and_keeps_existing_tables_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let o = small_run(&run, "1", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tables = tmp.path().join("tables");
    let table = |extra: &[&str]| {
        let mut args = vec![
            "table",
            run.to_str().unwrap(),
            "--out",
            tables.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        relocant(&args)
    };
    let o = table(&[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "",
        "no file listing on stdout"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote 2 table files"));
    std::fs::write(tables.join("outcomes.md"), "edited by hand").unwrap();
    let o = table(&["--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("outcomes.tex exists; pass --force"), "{err}");
    assert_eq!(read(&tables.join("outcomes.md")), b"edited by hand");
    let o = table(&["--force", "--quiet", "--verbose"]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    assert_ne!(read(&tables.join("outcomes.md")), b"edited by hand");
}

/// The shared options (`--quiet`, `--jobs`, `--force`, `--out`, `--set`) are declared once
/// (`command::options`): wherever a command takes one, its name, value and parser are the
/// same; `--quiet`, `--jobs` and `--set` read the same help everywhere (`--out` and
/// `--force` say each command's own default and what they replace).
#[test]
fn shared_options_are_the_same_in_every_command_that_takes_them() {
    use clap::CommandFactory;
    let cli = relocant::cli::Cli::command();
    let takes = |name: &str, id: &str| {
        cli.find_subcommand(name)
            .unwrap_or_else(|| panic!("no command {name}"))
            .get_arguments()
            .any(|a| a.get_id() == id)
    };
    let expected: [(&str, &[&str]); 5] = [
        (
            "quiet",
            &[
                "run",
                "check",
                "validate",
                "calibrate",
                "sweep",
                "merge",
                "analyze",
                "experiment",
                "plot",
                "table",
                "report",
            ],
        ),
        (
            "jobs",
            &["run", "validate", "calibrate", "sweep", "experiment"],
        ),
        (
            "force",
            &[
                "run",
                "validate",
                "calibrate",
                "sweep",
                "merge",
                "experiment",
                "table",
                "report",
            ],
        ),
        (
            "out",
            &[
                "run",
                "validate",
                "calibrate",
                "sweep",
                "merge",
                "experiment",
                "plot",
                "table",
                "report",
            ],
        ),
        ("set", &["run", "check", "validate", "experiment"]),
    ];
    for (id, commands) in expected {
        for c in cli.get_subcommands() {
            let name = c.get_name();
            assert_eq!(
                takes(name, id),
                commands.contains(&name),
                "`{name}` should {}take --{id}",
                if commands.contains(&name) { "" } else { "not " }
            );
        }
        let args: Vec<&clap::Arg> = cli
            .get_subcommands()
            .flat_map(|c| c.get_arguments())
            .filter(|a| a.get_id() == id)
            .collect();
        let shape = |a: &clap::Arg| {
            (
                a.get_long().map(str::to_owned),
                a.get_value_names()
                    .map(|v| v.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
                format!("{:?}", a.get_action()),
            )
        };
        assert!(
            args.windows(2).all(|w| shape(w[0]) == shape(w[1])),
            "--{id} differs"
        );
        if matches!(id, "quiet" | "jobs" | "set") {
            let help = |a: &clap::Arg| a.get_help().map(|h| h.to_string());
            assert!(
                args.windows(2).all(|w| help(w[0]) == help(w[1])),
                "--{id}'s help differs"
            );
        }
    }
    // One default shown for --jobs, not clap's `[default: 0]` beside ours.
    let mut run = cli.find_subcommand("run").unwrap().clone();
    let help = run.render_help().to_string();
    let jobs_line = help
        .lines()
        .skip_while(|l| !l.contains("--jobs"))
        .take(2)
        .collect::<String>();
    assert_eq!(jobs_line.matches("[default").count(), 1, "{jobs_line}");
}

#[test]
fn a_one_day_run_and_a_run_that_ends_before_baseline_events_are_expressible() {
    let tmp = tempfile::tempdir().unwrap();
    // One day: the run's start is its end.
    let one = tmp.path().join("one");
    let o = small_run(&one, "1", &["--set", "end=2022-09-21"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let daily = String::from_utf8(read(&one.join("daily.csv"))).unwrap();
    assert_eq!(daily.lines().count(), 1 + 3, "one day of three replicates");
    // Ending in mid-2023: the built-in baseline's later events are left out, each noted.
    let short = tmp.path().join("short");
    let o = binary()
        .args([
            "run",
            "--replicates",
            "1",
            "--set",
            "arrivals.persons_per_agent=400",
        ])
        .args([
            "--set",
            "end=2023-07-01",
            "--no-plots",
            "--out",
            short.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let notes = String::from_utf8_lossy(&o.stderr);
    for event in [
        "MIR stage `stop_2024`",
        "rent shock `h1_2024`",
        "panel `mid_2023`",
    ] {
        assert!(
            notes.contains(&format!("note: {event}")),
            "{event}: {notes}"
        );
    }
    let events = String::from_utf8(read(&short.join("events.csv"))).unwrap();
    assert!(
        !events.contains("2024-"),
        "no event after the end: {events}"
    );
    // A date outside the modelled period (to 2024-12-31) is still a mistake; a disabled
    // event's is not.
    let o = relocant(&[
        "check",
        "--set",
        "end=2023-07-01",
        "--set",
        "policy.rent_shocks.h1_2024.date=2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("2026-01-01 is outside the run (2022-09-21 to 2023-07-01)")
    );
    let o = relocant(&[
        "check",
        "--set",
        "policy.rent_shocks.h1_2024.enabled=false",
        "--set",
        "policy.rent_shocks.h1_2024.date=2030-01-01",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn completions_load_in_bash_and_the_man_page_lists_every_command() {
    let o = relocant(&["completions", "bash"]);
    assert!(o.status.success());
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("relocant.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    let b = Command::new("bash")
        .args([
            "-c",
            &format!("source {} && complete -p relocant", script.display()),
        ])
        .output()
        .expect("bash runs");
    let registered = String::from_utf8_lossy(&b.stdout);
    assert!(
        b.status.success() && registered.contains("relocant"),
        "{registered} {}",
        String::from_utf8_lossy(&b.stderr)
    );
    // The completion offers the subcommands.
    let words = String::from_utf8_lossy(&o.stdout);
    for cmd in ["run", "check", "experiment", "completions"] {
        assert!(words.contains(cmd), "{cmd}");
    }
    for shell in ["zsh", "fish", "powershell"] {
        let o = relocant(&["completions", shell]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    let o = relocant(&["man"]);
    assert!(o.status.success());
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH relocant 1"), "{page}");
    for cmd in ["run", "sweep", "calibrate", "experiment", "validate"] {
        assert!(
            page.contains(&format!("relocant\\-{cmd}")) || page.contains(cmd),
            "{cmd}"
        );
    }
    let o = relocant(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "an unknown shell is bad input");
}

#[test]
fn diff_shows_the_keys_that_differ_with_where_each_side_set_them() {
    let o = relocant(&[
        "diff",
        "scenarios/baseline.toml",
        "scenarios/no_border_run_ban.toml",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let keys: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(keys, ["name", "policy.border_run_ban.enabled"], "{text}");
    assert!(
        text.contains("  - true  (scenarios/baseline.toml:"),
        "{text}"
    );
    assert!(
        text.contains("  + false  (scenarios/no_border_run_ban.toml:6)"),
        "{text}"
    );
    // Run directories compare by their resolved scenario.toml.
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(small_run(&a, "1", &[]).status.success());
    assert!(
        small_run(&b, "1", &["--set", "decisions.return_constant=-7"])
            .status
            .success()
    );
    let o = relocant(&["diff", a.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "no differences\n");
    let o = relocant(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("decisions.return_constant\n"), "{text}");
    assert!(text.contains("scenario.toml:"), "{text}");
    // A missing scenario is bad input.
    let o = relocant(&["diff", "scenarios/baseline.toml", "nowhere.toml"]);
    assert_eq!(o.status.code(), Some(2));
}
