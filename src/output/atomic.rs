//! The one way relocant replaces a file or a directory: write everything under a temporary
//! name in the same directory, sync it, then rename it over the final name, so a reader (or
//! a crash) sees the old version or the new one, never half of one.
//!
//! Temporary names are `.NAME.tmp-PID-N`: hidden, unique per process and call (so threads
//! writing the same name never share one), and recognisable, so that what a killed process
//! left can be found and removed ([`temporary_owner`]). A write that fails removes its
//! temporary.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh temporary sibling of `path`: `.NAME.tmp-PID-N`.
fn temporary(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// The process that made a temporary file or directory, if `file_name` is one
/// (`.NAME.tmp-PID-N`, or `.NAME.tmp-PID` as earlier versions named them).
pub fn temporary_owner(file_name: &str) -> Option<u32> {
    let (_, tail) = file_name.rsplit_once(".tmp-")?;
    let (pid, n) = tail.split_once('-').unwrap_or((tail, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(n) && digits(pid))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Syncs the directory holding `path`, so that a rename in it survives a power loss.
pub fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A file written in full under a temporary name and renamed into place on `commit`;
/// dropped uncommitted (an error on the way), it leaves nothing behind.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<io::BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let tmp = temporary(path);
        let out = io::BufWriter::with_capacity(1 << 16, File::create(&tmp)?);
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            out: Some(out),
        })
    }

    /// Writes out and syncs what was written, without renaming: after this the file's
    /// bytes are on disk, so a `commit` right after cannot fail for want of space. Files
    /// that must appear together are all synced first, then all committed.
    pub fn sync(&mut self) -> io::Result<()> {
        let out = self.out.as_mut().expect("open");
        out.flush()?;
        out.get_ref().sync_all()
    }

    /// Syncs the file, renames it into place and syncs the directory.
    pub fn commit(mut self) -> io::Result<()> {
        let out = self.out.take().expect("not yet committed");
        let result = (|| {
            let f = out.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
            fs::rename(&self.tmp, &self.path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        result?;
        sync_dir(&self.path);
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.as_mut().expect("open").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.as_mut().expect("open").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes several files that belong together (a table as LaTeX and Markdown): each is
/// written and synced under its temporary name before any is renamed into place, so a full
/// disk leaves none of them (and no temporary) rather than some.
pub fn write_files_together(files: &[(PathBuf, &[u8])]) -> io::Result<()> {
    let mut open = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let mut f = AtomicFile::create(path)?;
        f.write_all(bytes)?;
        f.sync()?;
        open.push(f);
    }
    for f in open {
        f.commit()?;
    }
    Ok(())
}

/// Writes one file atomically.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Makes the directory `dir` atomically: `fill` writes its contents into a fresh temporary
/// sibling, which is then renamed to `dir`. An existing `dir` is replaced only if `replace`;
/// otherwise a `dir` that appeared meanwhile (another process writing the same place) wins
/// and this call fails with `AlreadyExists`: the final rename onto a directory that is not
/// empty fails, so of two writers exactly one succeeds. On failure the temporary is removed
/// and `dir` is as it was.
pub fn create_dir_atomically(
    dir: &Path,
    replace: bool,
    fill: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temporary(dir);
    fs::create_dir(&tmp)?;
    let taken = || {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists (written meanwhile by another command); choose another --out or pass --force to replace it",
                dir.display()
            ),
        )
    };
    let result = fill(&tmp).and_then(|()| {
        if !replace {
            if dir.exists() {
                return Err(taken());
            }
            return fs::rename(&tmp, dir).map_err(|e| match e.raw_os_error() {
                // ENOTEMPTY, EEXIST: another writer's directory is there now.
                Some(39) | Some(17) => taken(),
                _ => e,
            });
        }
        if dir.exists() {
            let old = temporary(dir);
            fs::rename(dir, &old)?;
            fs::rename(&tmp, dir)?;
            fs::remove_dir_all(&old)
        } else {
            fs::rename(&tmp, dir)
        }
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    sync_dir(dir);
    Ok(())
}

/// Removes temporaries of `name` (files or directories) in `parent` that processes which
/// no longer run left behind, where `/proc` says which processes run.
pub fn remove_abandoned_temporaries(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .starts_with(&prefix)
            .then(|| temporary_owner(&file))
            .flatten()
        else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let path = e.path();
            let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_unique_and_recognised() {
        let a = temporary(Path::new("out/runs.csv"));
        let b = temporary(Path::new("out/runs.csv"));
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".runs.csv.tmp-"), "{name}");
        assert_eq!(temporary_owner(name), Some(std::process::id()));
        assert_eq!(temporary_owner(".run.tmp-4000000000"), Some(4_000_000_000));
        assert_eq!(temporary_owner("runs.csv"), None);
        assert_eq!(temporary_owner("a.tmp-x"), None);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        write_file_atomically(&p, b"old").unwrap();
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"new, half").unwrap();
        drop(f);
        assert_eq!(fs::read(&p).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        let err = create_dir_atomically(&dir.path().join("d"), false, |tmp| {
            fs::write(tmp.join("x"), "x")?;
            Err(io::Error::other("no"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_directory_written_meanwhile_by_another_command_wins_and_is_kept() {
        // While this writer fills its temporary, another one puts `d` in place (the race of
        // two `relocant run --out d`): without `replace` this writer must fail and leave the
        // other's directory as it is.
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("d");
        let err = create_dir_atomically(&d, false, |tmp| {
            fs::write(tmp.join("mine"), "mine")?;
            fs::create_dir(&d)?;
            fs::write(d.join("theirs"), "theirs")
        })
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(d.join("theirs")).unwrap(), "theirs");
        assert!(!d.join("mine").exists());
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
        // With `replace`, the new directory replaces the old one whole.
        create_dir_atomically(&d, true, |tmp| fs::write(tmp.join("mine"), "mine")).unwrap();
        assert!(d.join("mine").exists() && !d.join("theirs").exists());
    }
}
