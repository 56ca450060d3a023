//! Bad input: a malformed scenario or override makes `check` and `run` exit with code 2
//! and report every problem as `path:line:col: message`. They never panic, and `run`
//! creates no output directory.
//!
//! A case is a pair of files in `tests/bad/`: `NAME.toml`, the scenario, and
//! `NAME.expected`, which holds one line for each message that must appear in stderr. Paths
//! in those lines are written from the repository root, where the binary runs. A line that
//! starts with `!` holds text that must *not* appear, such as a follow-on message caused by
//! an earlier problem. Files that a case needs but that are not cases themselves (`base`
//! parents) live in `tests/bad/parts/`. Each case is also named in `cases!` below, so that a
//! known bug can be marked `#[ignore = "..."]`. `every_case_file_is_listed` checks that the
//! list and the directory match.
//!
//! Cases on the command line (`--set`), on file encodings and on the output directory are
//! written as code.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root: the working directory of every run unless a test says otherwise.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary in `cwd`.
fn relocant_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relocant"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the relocant binary runs")
}

fn relocant(args: &[&str]) -> Output {
    relocant_in(root(), args)
}

/// What stderr must and must not contain.
struct Expected {
    present: Vec<String>,
    absent: Vec<String>,
}

impl Expected {
    fn parse(lines: &[&str]) -> Expected {
        let mut e = Expected {
            present: Vec::new(),
            absent: Vec::new(),
        };
        for line in lines.iter().map(|l| l.trim_end()).filter(|l| !l.is_empty()) {
            match line.strip_prefix('!') {
                Some(text) => e.absent.push(text.to_string()),
                None => e.present.push(line.to_string()),
            }
        }
        e
    }

    fn of_case(name: &str) -> Expected {
        let path = root().join("tests/bad").join(format!("{name}.expected"));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Expected::parse(&text.lines().collect::<Vec<_>>())
    }
}

/// Whether a message line has the form `path:line:col: message`.
fn is_located(line: &str) -> bool {
    line.match_indices(':').any(|(i, _)| {
        let mut parts = line[i + 1..].splitn(3, ':');
        let (Some(l), Some(c), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        number(l) && number(c) && rest.starts_with(' ')
    })
}

/// Asserts that a command failed as bad input (exit code 2) with the expected messages,
/// without a panic. With `located`, every line of stderr must be `path:line:col: message`.
fn assert_bad_input(what: &str, out: &Output, expected: &Expected, located: bool) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{what}: panicked\n--- stderr ---\n{stderr}"
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{what}: expected exit code 2\n--- stderr ---\n{stderr}"
    );
    let missing: Vec<&String> = expected
        .present
        .iter()
        .filter(|l| !stderr.contains(l.as_str()))
        .collect();
    let unwanted: Vec<&String> = expected
        .absent
        .iter()
        .filter(|l| stderr.contains(l.as_str()))
        .collect();
    assert!(
        missing.is_empty() && unwanted.is_empty(),
        "{what}:\nmissing from stderr: {missing:#?}\nunwanted in stderr: {unwanted:#?}\n--- stderr ---\n{stderr}"
    );
    if located {
        let bare: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty() && !is_located(l))
            .collect();
        assert!(
            bare.is_empty(),
            "{what}: messages without `path:line:col: `: {bare:#?}\n--- stderr ---\n{stderr}"
        );
    }
}

/// Runs `run ARGS --out TMP/out` and asserts that it failed as bad input and left nothing
/// behind: no output directory and no temporary sibling.
fn assert_run_fails_cleanly(what: &str, args: &[&str], expected: &Expected, located: bool) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out_dir = tmp.path().join("out");
    let out_arg = out_dir.to_str().expect("UTF-8 temp path");
    let mut full = vec!["run"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--out", out_arg, "--quiet", "--no-plots"]);
    let out = relocant(&full);
    assert_bad_input(what, &out, expected, located);
    assert!(
        !out_dir.exists(),
        "{what}: `run` created the output directory"
    );
    let left: Vec<PathBuf> = fs::read_dir(tmp.path())
        .expect("read temp dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    assert!(left.is_empty(), "{what}: `run` left files behind: {left:?}");
}

/// One case from `tests/bad/`: `check` and `run` both reject it with the expected messages.
fn bad_case(name: &str) {
    let file = format!("tests/bad/{name}.toml");
    let expected = Expected::of_case(name);
    assert!(
        !expected.present.is_empty(),
        "tests/bad/{name}.expected names no message"
    );
    let out = relocant(&["check", &file]);
    assert_bad_input(&format!("check {file}"), &out, &expected, true);
    assert_run_fails_cleanly(&format!("run {file}"), &[&file], &expected, true);
}

macro_rules! cases {
    ($($(#[$attr:meta])* $name:ident,)*) => {
        /// Every case in `tests/bad/`, by name.
        pub const CASES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            $(#[$attr])*
            fn $name() {
                super::bad_case(stringify!($name));
            }
        )*
    };
}

/// The cases in `tests/bad/`, one test each.
mod case {
    cases! {
        // Syntax (the raw stage).
        syntax_error,
        syntax_unterminated_string,
        duplicate_key,
        integer_out_of_range,
        invalid_calendar_date,
        date_time_not_date,
        // Unknown keys.
        unknown_top_level_key,
        unknown_key_in_section,
        unknown_key_in_policy_event,
        unknown_key_dotted,
        event_missing_keys,
        // Types and ranges.
        wrong_type,
        table_expected,
        probability_out_of_range,
        negative_money,
        negative_capacity,
        not_a_number,
        replicates_zero,
        bad_name,
        bad_exchange_rates,
        unicode_columns,
        // Dates.
        end_before_start,
        run_too_long,
        ban_announced_after_date,
        mir_announced_after_date,
        anchors_decreasing,
        anchors_same_date,
        date_outside_run,
        // References and fixed sets of words.
        unknown_city_in_shelter_event,
        unknown_city_in_rent_shock,
        unknown_enum_value,
        unknown_profession,
        // `base` inheritance.
        base_missing_file,
        base_loop,
        base_self_loop,
        base_not_a_string,
        base_parent_error,
        base_parent_syntax_error,
        // All at once.
        many_problems,
        // A check that compares a value in this file with an inherited one points at the
        // value this file wrote, not at the baseline's.
        start_after_end,
        ban_date_before_announcement,
        anchor_cumulative_lowered,
        arrival_shares_sum,
        profession_shares_sum,
        // A missing date is reported once, with no follow-on messages.
        event_missing_date,
    }
}

#[test]
fn every_case_file_is_listed() {
    let dir = root().join("tests/bad");
    let mut tomls = BTreeSet::new();
    let mut expecteds = BTreeSet::new();
    for entry in fs::read_dir(&dir).expect("tests/bad exists") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => tomls.insert(stem),
            Some("expected") => expecteds.insert(stem),
            _ => panic!("unexpected file {} in tests/bad", path.display()),
        };
    }
    assert_eq!(
        tomls, expecteds,
        "every tests/bad/NAME.toml needs NAME.expected and the other way round (helper files go in tests/bad/parts/)"
    );
    let listed: BTreeSet<String> = case::CASES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        tomls, listed,
        "the files in tests/bad and the names in `cases!` differ"
    );
}

// ---------------------------------------------------------------------------------------
// `--set` overrides

/// Keeps the run small in case a bad override is accepted by mistake; the case's own
/// `--set`s come later and win.
const SMALL: [&str; 4] = [
    "--set",
    "arrivals.persons_per_agent=1000",
    "--set",
    "replicates=1",
];

/// `run` with the built-in baseline, `SMALL` and `args`, expected to fail with `expected`.
fn bad_set(what: &str, args: &[&str], expected: &[&str]) {
    let mut full = SMALL.to_vec();
    full.extend_from_slice(args);
    assert_run_fails_cleanly(what, &full, &Expected::parse(expected), true);
}

#[test]
fn set_probability_out_of_range() {
    bad_set(
        "probability",
        &["--set", "legal.iin_prob_per_day=2"],
        &["--set:1:24: `legal.iin_prob_per_day` must be a probability in [0, 1], found 2"],
    );
}

#[test]
fn set_unknown_key_lists_the_known_ones() {
    bad_set(
        "unknown key",
        &["--set", "nosuch.key=1"],
        &["--set:1:1: unknown key `nosuch`; expected one of: name, seed, start, end, replicates"],
    );
}

#[test]
fn set_misspelled_key_gets_did_you_mean() {
    bad_set(
        "misspelled key",
        &["--set", "legal.iin_prob_per_dya=0.1"],
        &["--set:1:7: unknown key `legal.iin_prob_per_dya`; did you mean `iin_prob_per_day`?"],
    );
    bad_set(
        "misspelled key in a section",
        &["--set", "housing.shelter_max_day=3"],
        &["--set:1:9: unknown key `housing.shelter_max_day`; did you mean `shelter_max_days`?"],
    );
}

#[test]
fn set_malformed_assignment() {
    bad_set(
        "no `=`",
        &["--set", "novalue"],
        &["--set:1:1: expected `dotted.key=value`"],
    );
    bad_set(
        "empty key part",
        &["--set", "legal..x=1"],
        &["--set:1:1: `legal..x` is not a dotted key"],
    );
}

#[test]
fn set_key_with_thousands_of_parts_is_refused_instead_of_overflowing_the_stack() {
    let deep = format!("{}=1", vec!["a"; 60_000].join("."));
    bad_set(
        "a very deep key",
        &["--set", &deep],
        &[
            "--set:1:1: a --set key has at most 16 dotted parts (scenario keys have at most 4), this one has 60000",
        ],
    );
}

#[test]
fn set_wrong_type_and_date_outside_run() {
    bad_set(
        "wrong type",
        &["--set", "replicates=ten"],
        &["--set:1:12: `replicates` must be a whole number, found a string"],
    );
    bad_set(
        "date outside the run",
        &["--set", "policy.mir.stop_2024.date=2030-01-01"],
        &[
            "--set:1:27: MIR stage `stop_2024` 2030-01-01 is outside the run (2022-09-21 to 2024-12-31)",
        ],
    );
    bad_set(
        "unknown profession",
        &[
            "--set",
            r#"policy.vnzh_skilled.professions=["it","medcal"]"#,
        ],
        &[
            r#"--set:1:33: unknown value "medcal" in `policy.vnzh_skilled.professions`; did you mean "medical"?"#,
        ],
    );
}

#[test]
fn set_every_problem_is_reported() {
    bad_set(
        "two bad overrides",
        &["--set", "housing.x=1", "--set", "legal.iin_prob_per_day=2"],
        &[
            "--set:1:9: unknown key `housing.x`",
            "--set:1:24: `legal.iin_prob_per_day` must be a probability in [0, 1], found 2",
        ],
    );
}

#[test]
fn set_problems_and_file_problems_are_reported_together() {
    assert_run_fails_cleanly(
        "bad file and bad override",
        &[
            "tests/bad/probability_out_of_range.toml",
            "--set",
            "money.living_kzt_day=-5",
        ],
        &Expected::parse(&[
            "tests/bad/probability_out_of_range.toml:3:20: `legal.iin_prob_per_day` must be a probability in [0, 1], found 1.3",
            "--set:1:22: `money.living_kzt_day` must be a non-negative number, found -5",
        ]),
        true,
    );
}

#[test]
fn replicates_flag_zero() {
    assert_run_fails_cleanly(
        "--replicates 0",
        &["--replicates", "0"],
        &Expected::parse(&["'--replicates <REPLICATES>': 0 is not in 1..=100000"]),
        false,
    );
}

#[test]
fn malformed_set_does_not_hide_file_problems() {
    assert_run_fails_cleanly(
        "bad file and malformed override",
        &["tests/bad/unknown_top_level_key.toml", "--set", "novalue"],
        &Expected::parse(&[
            "--set:1:1: expected `dotted.key=value`",
            "tests/bad/unknown_top_level_key.toml:2:1: unknown key `replicats`; did you mean `replicates`?",
        ]),
        true,
    );
}

#[test]
fn set_value_column_skips_spaces() {
    bad_set(
        "spaces around =",
        &["--set", "legal.iin_prob_per_day = 2"],
        &["--set:1:26: `legal.iin_prob_per_day` must be a probability in [0, 1], found 2"],
    );
}

#[test]
fn set_key_column_skips_leading_space() {
    bad_set(
        "leading space",
        &["--set", " legal.iin_prob_per_dya=0.1"],
        &["--set:1:8: unknown key `legal.iin_prob_per_dya`; did you mean `iin_prob_per_day`?"],
    );
}

#[test]
fn set_with_unicode_space_does_not_panic() {
    bad_set(
        "ideographic spaces before the key",
        &["--set", "\u{3000}\u{3000}\u{3000}housing.x=1"],
        &["unknown key `housing.x`"],
    );
}

#[test]
fn set_bad_value_gives_no_follow_on_messages() {
    bad_set(
        "policy is not a table",
        &["--set", "policy=3"],
        &[
            "--set:1:8: [policy] must be a table, found an integer",
            "!2000-01-01",
        ],
    );
    bad_set(
        "invalid start date",
        &["--set", "start=2023-02-30"],
        &[
            r#"--set:1:7: `start` must be a date such as 2023-01-27, found "2023-02-30""#,
            "!2000-01",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Files: several at once, unreadable, other line endings

#[test]
fn check_reports_every_file() {
    let out = relocant(&[
        "check",
        "tests/bad/negative_money.toml",
        "scenarios/baseline.toml",
        "tests/bad/unknown_top_level_key.toml",
    ]);
    assert_bad_input(
        "check with three files",
        &out,
        &Expected::parse(&[
            "tests/bad/negative_money.toml:2:24: `money.living_kzt_day` must be a non-negative number, found -5",
            "tests/bad/unknown_top_level_key.toml:2:1: unknown key `replicats`; did you mean `replicates`?",
        ]),
        true,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("scenarios/baseline.toml: ok"),
        "the good file is still checked: {stdout}"
    );
}

#[test]
fn check_missing_file() {
    let out = relocant(&["check", "tests/bad/parts/no_such_file.toml"]);
    assert_bad_input(
        "missing file",
        &out,
        &Expected::parse(&["cannot read scenario `tests/bad/parts/no_such_file.toml`"]),
        false,
    );
}

#[test]
fn check_file_that_is_not_utf8() {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::write(tmp.path().join("latin1.toml"), b"name = \"Almat\xfd\"\n").unwrap();
    let out = relocant_in(tmp.path(), &["check", "latin1.toml"]);
    assert_bad_input(
        "not UTF-8",
        &out,
        &Expected::parse(&["latin1.toml:1:14: not valid UTF-8"]),
        true,
    );
}

#[test]
fn check_counts_lines_with_crlf_endings() {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::write(
        tmp.path().join("crlf.toml"),
        "name = \"crlf\"\r\n[legal]\r\niin_prob_per_day = 1.3\r\n",
    )
    .unwrap();
    let out = relocant_in(tmp.path(), &["check", "crlf.toml"]);
    assert_bad_input(
        "CRLF",
        &out,
        &Expected::parse(&[
            "crlf.toml:3:20: `legal.iin_prob_per_day` must be a probability in [0, 1], found 1.3",
        ]),
        true,
    );
}

#[test]
fn check_byte_order_mark_is_not_a_column() {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::write(tmp.path().join("bom.toml"), "\u{feff}replicats = 3\n").unwrap();
    let out = relocant_in(tmp.path(), &["check", "bom.toml"]);
    assert_bad_input(
        "BOM",
        &out,
        &Expected::parse(&["bom.toml:1:1: unknown key `replicats`; did you mean `replicates`?"]),
        true,
    );
}

// ---------------------------------------------------------------------------------------
// The output directory and the shipped scenarios

#[test]
fn run_into_existing_dir_without_force_fails_and_keeps_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out_dir = tmp.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    fs::write(out_dir.join("keep.txt"), "results of an earlier run\n").unwrap();
    let mut args = vec!["run"];
    args.extend_from_slice(&SMALL);
    args.extend_from_slice(&["--out", out_dir.to_str().unwrap(), "--quiet", "--no-plots"]);
    let out = relocant(&args);
    assert_bad_input(
        "run into an existing directory",
        &out,
        &Expected::parse(&["already exists", "--force"]),
        false,
    );
    let entries: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["keep.txt"], "the directory's contents changed");
    assert_eq!(
        fs::read_to_string(out_dir.join("keep.txt")).unwrap(),
        "results of an earlier run\n"
    );
    let siblings: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["out"], "temporary directories were left behind");
}

#[test]
fn check_accepts_shipped_scenarios() {
    // Top-level scenarios and those in ablation/ and scale/ (sweeps, experiments and
    // calibration files are other formats, checked by their own tests).
    let mut files: Vec<String> = ["", "ablation/", "scale/"]
        .iter()
        .flat_map(|dir| {
            fs::read_dir(root().join("scenarios").join(dir))
                .expect("the scenario folder exists")
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .map(move |p| format!("scenarios/{dir}{}", p.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios/*.toml");
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = relocant(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "check of shipped scenarios failed\n--- stderr ---\n{stderr}"
    );
    for f in &files {
        assert!(
            stdout.contains(&format!("{f}: ok")),
            "{f} not reported ok: {stdout}"
        );
    }
}

#[test]
fn problems_are_listed_in_file_order() {
    let out = relocant(&["check", "tests/bad/many_problems.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<u32> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("tests/bad/many_problems.toml:"))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert!(lines.len() >= 3, "{stderr}");
    assert!(
        lines.windows(2).all(|w| w[0] <= w[1]),
        "not in file order: {lines:?}"
    );
}

#[test]
fn a_population_beyond_what_can_be_simulated_is_refused_before_allocating() {
    // 1e300 persons used to panic with a capacity overflow; 4e9 to abort on allocation.
    let o = relocant(&[
        "run",
        "--set",
        "arrivals.anchors.tail_2024.cumulative=1e300",
        "--out",
        "/nonexistent/never",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("1.000e300 agents"));
    let tmp = tempfile::tempdir().unwrap();
    let huge = tmp.path().join("huge.toml");
    std::fs::write(
        &huge,
        "base = \"baseline.toml\"\n[arrivals.anchors.tail_2024]\ndate = 2024-12-31\ncumulative = 4e9\n",
    )
    .unwrap();
    let o = relocant(&["check", huge.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "check refuses it too");
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("this run needs about") && err.contains("GiB"),
        "{err}"
    );
}

#[test]
fn replicates_whose_results_exceed_the_memory_limit_are_refused_with_the_estimate() {
    let o = relocant(&[
        "run",
        "--replicates",
        "100000",
        "--set",
        "arrivals.persons_per_agent=1000",
        "--max-memory",
        "1",
        "--out",
        "/nonexistent/never",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("100000 replicates' daily results") && err.contains("allowed by --max-memory"),
        "{err}"
    );
}

#[test]
fn a_base_that_is_not_a_regular_file_is_refused_instead_of_read_forever() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    for base in ["/dev/zero", fifo.to_str().unwrap()] {
        let s = tmp.path().join("s.toml");
        std::fs::write(&s, format!("base = \"{base}\"\n")).unwrap();
        let o = relocant(&["check", s.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{base}");
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(
            err.contains("s.toml:1:8: cannot read scenario") && err.contains("not a regular file"),
            "{err}"
        );
    }
}

#[test]
fn base_baseline_toml_outside_scenarios_is_the_built_in_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().join("mine.toml");
    std::fs::write(&s, "base = \"baseline.toml\"\nname = \"mine\"\n").unwrap();
    let o = relocant(&["check", s.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A file of that name beside the scenario is still the one read.
    std::fs::write(
        tmp.path().join("baseline.toml"),
        "seed = \"not a number\"\n",
    )
    .unwrap();
    let o = relocant(&["check", s.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_utf8_is_located_at_its_first_bad_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let s = tmp.path().join("bad8.toml");
    std::fs::write(&s, b"name = \"x\"\nseed = 1 # caf\xe9\n").unwrap();
    let o = relocant(&["check", s.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(err.contains("bad8.toml:2:15: not valid UTF-8"), "{err}");
}

#[test]
fn a_name_too_long_or_with_a_control_character_is_refused_at_check_time() {
    let long = format!("name={}", "a".repeat(300));
    for (what, set) in [
        ("300 bytes", long.as_str()),
        ("a NUL", "name=\"a\\u0000b\""),
    ] {
        let o = relocant(&["run", "--set", set, "--out", "/nonexistent/never"]);
        assert_eq!(o.status.code(), Some(2), "{what}");
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(
            err.contains("--set:1:6: `name` must be at most 200 bytes without control characters"),
            "{what}: {err}"
        );
    }
}

#[test]
fn out_of_range_jobs_replicates_and_seed_name_their_option() {
    for (args, expected) in [
        (
            vec!["run", "--jobs", "20000"],
            "'--jobs <N>': 20000 is not in 0..=1024",
        ),
        (
            vec!["run", "--replicates", "0"],
            "'--replicates <REPLICATES>': 0 is not in 1..=100000",
        ),
        (
            vec!["run", "--seed", "18446744073709551615"],
            "'--seed <SEED>': 18446744073709551615 is not in 0..=9223372036854775807",
        ),
        (
            vec!["sweep", "x.toml", "--jobs", "5000"],
            "'--jobs <N>': 5000 is not in 0..=1024",
        ),
    ] {
        let o = relocant(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn a_space_instead_of_equals_in_set_gets_a_hint_not_a_missing_scenario() {
    let o = relocant(&[
        "run",
        "--set",
        "legal.iin_prob_per_day",
        "0.3",
        "--out",
        "/nonexistent/x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains("did you mean --set legal.iin_prob_per_day=0.3?")
            && !err.contains("cannot read scenario"),
        "{err}"
    );
}

#[test]
fn check_takes_set_and_checks_the_override_before_a_long_run() {
    let o = relocant(&["check", "--set", "legal.iin_prob_per_day=2"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        err.contains(
            "--set:1:24: `legal.iin_prob_per_day` must be a probability in [0, 1], found 2"
        ),
        "{err}"
    );
    let o = relocant(&["check", "scenarios/rvp_strict.toml", "--set", "seed=5"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("scenarios/rvp_strict.toml: ok"));
    let o = relocant(&["check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "without a file: the built-in baseline"
    );
}

#[test]
fn a_bad_event_date_is_one_error_not_a_second_false_one_about_its_announcement() {
    for (set, other) in [
        ("policy.border_run_ban.date=2023-13-01", "is announced"),
        ("policy.mir.limit_2023.date=2023-02-30", "is announced"),
    ] {
        let o = relocant(&["check", "--set", set]);
        assert_eq!(o.status.code(), Some(2), "{set}");
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(err.contains("must be a date such as"), "{set}: {err}");
        assert!(!err.contains(other), "{set}: a second, false error: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("--set:")).count(),
            1,
            "{set}: exactly one located error: {err}"
        );
    }
}
