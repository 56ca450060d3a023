//! Result files: the only module besides `scenario` that knows file formats.
//!
//! A run directory holds `daily.csv`, `summary.csv`, `cohorts.csv`, `events.csv`,
//! `scenario.toml` and `manifest.json` (README.md documents every column). The directory
//! appears whole or not at all: files are written into a hidden temporary sibling which is
//! then renamed into place, and an existing directory is replaced only when asked to.

pub mod csv;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Fails if `dir` exists and may not be replaced, so a run can stop before doing any work.
pub fn check_writable(dir: &Path, force: bool) -> io::Result<()> {
    if dir.exists() && !force {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists; choose another --out or pass --force to replace it",
                dir.display()
            ),
        ));
    }
    Ok(())
}

/// Writes `files` (name, contents) as the directory `dir`, atomically.
pub fn write_dir_atomically(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
) -> io::Result<()> {
    check_writable(dir, force)?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    remove_abandoned_temporaries(parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    fs::create_dir(&tmp)?;
    let result = (|| {
        for (file, bytes) in files {
            if let Some(dir) = Path::new(file).parent() {
                fs::create_dir_all(tmp.join(dir))?;
            }
            let mut f = fs::File::create(tmp.join(file))?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        if dir.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(dir, &old)?;
            fs::rename(&tmp, dir)?;
            fs::remove_dir_all(&old)
        } else {
            fs::rename(&tmp, dir)
        }
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Writes one file atomically (temporary sibling, then rename).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp: PathBuf = {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".tmp-{}", std::process::id()));
        path.with_file_name(name)
    };
    let mut f = fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)
}

/// Removes `.NAME.tmp-PID` directories left by runs that were killed before renaming their
/// results into place (their process is gone). Only where `/proc` says which processes live.
fn remove_abandoned_temporaries(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}
