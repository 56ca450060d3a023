//! Faults of the machine, not of the input: a full disk and a read-only directory. Each
//! command fails with exit 1 and a message, and leaves nothing behind: no half of a result,
//! no temporary file.
//!
//! The disks are real file systems: a small tmpfs, and a read-only one, mounted in a user
//! and mount namespace of the test's own (`unshare -rm`, no root needed), so nothing of the
//! machine is touched.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{ok, relocant, root};

/// Runs `script` (sh) in a new user and mount namespace where `$MNT` is a fresh tmpfs of
/// `size` (with `full`, filled to the last byte first) and `$BIN` the relocant binary;
/// returns (exit code of the script, its stdout and stderr, the files left under $MNT).
fn in_namespace(size: &str, mode: &str, script: &str) -> (Option<i32>, String, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    let mnt = tmp.path().join("mnt");
    fs::create_dir(&mnt).unwrap();
    let listing = tmp.path().join("left");
    let prepare = match mode {
        "full" => "dd if=/dev/zero of=\"$MNT/filler\" bs=4k 2>/dev/null; true",
        "read-only" => "mount -o remount,ro \"$MNT\"",
        _ => "true",
    };
    let whole = format!(
        "set -u; mount -t tmpfs -o size={size} none \"$MNT\" || exit 97; {prepare}; \
         ( {script} ); rc=$?; (cd \"$MNT\" && find . -mindepth 1 | sort) > \"$LEFT\"; exit $rc"
    );
    let o = Command::new("unshare")
        .args(["-rm", "sh", "-c", &whole])
        .env("MNT", &mnt)
        .env("LEFT", &listing)
        .env("BIN", env!("CARGO_BIN_EXE_relocant"))
        .current_dir(root())
        .output()
        .expect("unshare runs (util-linux)");
    let code = o.status.code();
    assert_ne!(
        code,
        Some(97),
        "cannot mount a tmpfs in a user namespace: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    let left = fs::read_to_string(&listing)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    (code, text, left)
}

/// Two small finished runs to make tables of, outside the namespace.
fn two_runs(dir: &Path) -> (String, String) {
    let mut out = Vec::new();
    for name in ["a", "b"] {
        let d = dir.join(name);
        ok(&relocant(&[
            "run",
            "--replicates",
            "2",
            "--set",
            "arrivals.persons_per_agent=400",
            "--quiet",
            "--no-plots",
            "--out",
            d.to_str().unwrap(),
        ]));
        out.push(d.display().to_string());
    }
    (out[0].clone(), out[1].clone())
}

const SMALL_RUN: &str = "\"$BIN\" run --replicates 2 --set arrivals.persons_per_agent=400 --quiet";

#[test]
fn on_a_full_disk_commands_fail_with_exit_1_and_leave_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_runs(tmp.path());
    for (what, script) in [
        ("run", format!("{SMALL_RUN} --out \"$MNT/run\"")),
        (
            "run with figures and Parquet",
            format!("{SMALL_RUN} --format both --out \"$MNT/run\""),
        ),
        (
            "table",
            format!("\"$BIN\" table {a} {b} --out \"$MNT/tables\""),
        ),
        (
            "validate",
            "\"$BIN\" validate --targets scenarios/calibration/targets.csv --replicates 1 \
             --set arrivals.persons_per_agent=400 --quiet --out \"$MNT/v\""
                .to_string(),
        ),
    ] {
        let (code, text, left) = in_namespace("1m", "full", &script);
        assert_eq!(code, Some(1), "{what}: {text}");
        assert!(text.contains("No space left on device"), "{what}: {text}");
        assert_eq!(left, ["./filler"], "{what} left something behind: {text}");
    }
}

#[test]
fn a_table_on_a_disk_with_room_for_one_file_writes_neither() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_runs(tmp.path());
    // Room for the LaTeX table (about 1 KiB) but not for both: fill all but 6 KiB.
    let script = format!(
        "dd if=/dev/zero of=\"$MNT/filler\" bs=1k count=$(( $(df -k --output=avail \"$MNT\" | tail -1) - 6 )) 2>/dev/null; \
         mkdir \"$MNT/tables\"; head -c 3000 /dev/urandom > \"$MNT/tables/ballast\"; \
         \"$BIN\" table {a} {b} --out \"$MNT/tables\""
    );
    let (code, text, left) = in_namespace("1m", "empty", &script);
    if code == Some(0) {
        // The disk had room after all: then both tables are there, never one.
        assert!(left.contains(&"./tables/outcomes.tex".to_string()));
        assert!(
            left.contains(&"./tables/outcomes.md".to_string()),
            "{left:?}"
        );
    } else {
        assert_eq!(code, Some(1), "{text}");
        assert_eq!(left, ["./filler", "./tables", "./tables/ballast"], "{text}");
    }
}

#[test]
fn in_a_read_only_directory_commands_fail_with_exit_1_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_runs(tmp.path());
    for (what, script) in [
        ("run", format!("{SMALL_RUN} --out \"$MNT/run\"")),
        (
            "table",
            format!("\"$BIN\" table {a} {b} --out \"$MNT/tables\""),
        ),
        (
            "sweep",
            format!(
                "\"$BIN\" sweep {} --out \"$MNT/sweep\" --quiet",
                root().join("scenarios/sweeps/smoke.toml").display()
            ),
        ),
    ] {
        let (code, text, left) = in_namespace("1m", "read-only", &script);
        assert_eq!(code, Some(1), "{what}: {text}");
        assert!(text.contains("Read-only file system"), "{what}: {text}");
        assert!(left.is_empty(), "{what}: {left:?}");
    }
}
