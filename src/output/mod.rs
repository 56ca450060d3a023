//! Result files: the only module besides `scenario` that knows file formats.
//!
//! A run directory holds `daily.csv`, `summary.csv`, `cohorts.csv`, `events.csv`,
//! `scenario.toml` and `manifest.json` (README.md documents every column). The directory
//! appears whole or not at all: files are written into a hidden temporary sibling which is
//! then renamed into place, and an existing directory is replaced only when asked to.
//! `atomic` is the one writer of files and directories that every command uses, `manifest`
//! the one writer of `manifest.json`.

mod atomic;
pub mod columns;
pub mod csv;
pub mod dictionary;
pub mod manifest;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod provenance;
pub mod sections;
pub mod tables;

pub use atomic::{
    AtomicFile, create_dir_atomically, remove_abandoned_temporaries, sync_dir, temporary_owner,
    write_file_atomically, write_files_together,
};

use std::fs;
use std::io::{self, Write};
use std::path::Path;

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
    write_dir_atomically_then(dir, files, force, |_| Ok(()))
}

/// Writes `files` as the directory `dir`, then lets `then` add what is made from them (a
/// run's figures, drawn from its CSV files) in the same temporary, so `dir` appears with
/// all of it or not at all.
pub fn write_dir_atomically_then(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
    then: impl FnOnce(&Path) -> io::Result<()>,
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
    create_dir_atomically(dir, force, |tmp| {
        for (file, bytes) in files {
            if let Some(dir) = Path::new(file).parent() {
                fs::create_dir_all(tmp.join(dir))?;
            }
            let mut f = fs::File::create(tmp.join(file))?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        then(tmp)
    })
}
