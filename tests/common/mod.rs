//! Helpers shared by the integration tests that drive the real binary.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn relocant(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relocant"))
        .args(args)
        .current_dir(root())
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the relocant binary runs")
}

pub fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Writes a sweep file over the repository's baseline into `dir`.
pub fn sweep_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let base = root().join("scenarios/baseline.toml");
    let text = format!("base = {:?}\n{body}", base.display().to_string());
    let p = dir.join(format!("{name}.toml"));
    fs::write(&p, text).unwrap();
    p
}

/// Runs `relocant sweep FILE --out OUT --quiet EXTRA...`.
pub fn sweep(file: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    relocant(&args)
}

/// A tiny Sobol sweep (8 base samples × 4 = 32 runs of ~10 ms).
pub const SOBOL: &str = r#"
seed = 3
replicates = 1
design = "sobol"
samples = 8
[set]
arrivals.persons_per_agent = 400
[params]
decisions.money = { min = 1.0, max = 3.0 }
legal.visa_free_days = { min = 30, max = 180 }
"#;

/// A tiny Morris sweep (4 trajectories × 3 points).
pub const MORRIS: &str = r#"
seed = 3
replicates = 1
design = "morris"
trajectories = 4
[set]
arrivals.persons_per_agent = 400
[params]
decisions.money = { min = 1.0, max = 3.0 }
policy.border_run_ban.date = { min = 2023-01-27, max = 2023-12-31 }
"#;

/// Runs the sweep `body` into `dir/name` and then `relocant analyze` on it (with `extra`
/// options); returns the sweep directory.
pub fn sweep_and_analyze(dir: &Path, name: &str, body: &str, extra: &[&str]) -> PathBuf {
    let f = sweep_file(dir, name, body);
    let out = dir.join(format!("{name}-out"));
    ok(&sweep(&f, &out, &[]));
    let mut args = vec!["analyze", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(&relocant(&args));
    out
}
