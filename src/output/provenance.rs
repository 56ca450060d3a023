//! Provenance: what every manifest records so that a result can be traced to exactly what
//! produced it — when the command started (UTC), the program's version and source commit,
//! the machine (host, OS, CPU), and the SHA-256 of every input file and of the resolved
//! scenario.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::calendar::Date;

/// The source commit the program was built from (`build.rs`), or `unknown`.
pub const COMMIT: &str = env!("RELOCANT_COMMIT");

static START: OnceLock<SystemTime> = OnceLock::new();

/// Records the moment the command started (called first thing by `main`); later calls
/// keep the first moment.
pub fn mark_start() {
    START.get_or_init(SystemTime::now);
}

/// The command's start as `YYYY-MM-DDTHH:MM:SSZ` (now, if `mark_start` was never called).
pub fn started_utc() -> String {
    let t = *START.get_or_init(SystemTime::now);
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let day = Date::new(1970, 1, 1)
        .expect("a valid date")
        .add_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// SHA-256 of bytes, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One input file of a result: its name as given (or the built-in baseline's name) and the
/// SHA-256 of its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub file: String,
    pub sha256: String,
}

impl Input {
    pub fn of(file: impl Into<String>, bytes: &[u8]) -> Input {
        Input {
            file: file.into(),
            sha256: sha256_hex(bytes),
        }
    }
}

/// Inputs as the manifest lists them, each file once, in order.
pub fn inputs_json(inputs: &[Input]) -> Value {
    let mut seen: Vec<&Input> = Vec::new();
    for i in inputs {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    Value::Array(
        seen.iter()
            .map(|i| json!({"file": i.file, "sha256": i.sha256}))
            .collect(),
    )
}

fn first_line_of(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

/// The machine: host name, OS (with its kernel release where known), architecture, CPU
/// model and logical cores.
pub fn machine() -> Value {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let host = read("/proc/sys/kernel/hostname")
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into());
    let kernel = read("/proc/sys/kernel/osrelease");
    let os = match kernel {
        Some(k) => format!("{} {k}", std::env::consts::OS),
        None => std::env::consts::OS.to_string(),
    };
    let cpu = first_line_of("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into());
    json!({
        "host": host,
        "os": os,
        "arch": std::env::consts::ARCH,
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_start_is_an_iso_utc_time() {
        let s = started_utc();
        assert_eq!(s.len(), 20, "{s}");
        assert!(s.ends_with('Z') && s.as_bytes()[10] == b'T', "{s}");
        assert!(s.as_str() > "2026-01-01", "{s}");
    }
}
