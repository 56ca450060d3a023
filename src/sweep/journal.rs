//! The journal of a sweep in progress: an append-only file of completed runs, the only
//! state a sweep keeps between a crash and `--resume`.
//!
//! Each record is one line, `KIND LEN HASH PAYLOAD\n`, where LEN is the payload's length in
//! bytes and HASH its FNV-1a hash (16 hex digits). A record is appended with a single
//! write and then synced, so a kill or power loss can leave at most a torn last line; a
//! reader keeps the records up to the first line that does not check out and `recover`
//! cuts the file there. Kinds: `J` the journal's identity (written when the file is
//! created, atomically), `H` the outcome columns (with the first run), `R` one run's
//! `runs.csv` row.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::plan::fnv1a;
use crate::output::write_file_atomically;

pub const IDENTITY: &str = "relocant-sweep-journal v1";

/// An open journal, appended to under a lock by the worker threads.
pub struct Journal {
    file: File,
}

fn record(kind: char, payload: &str) -> String {
    format!(
        "{kind} {} {:016x} {payload}\n",
        payload.len(),
        fnv1a(payload.as_bytes())
    )
}

impl Journal {
    /// Creates `path` holding only its identity record (atomically: a torn journal never
    /// exists).
    pub fn create(path: &Path, identity: &str) -> io::Result<Journal> {
        write_file_atomically(path, record('J', identity).as_bytes())?;
        Journal::open(path)
    }

    /// Opens an existing journal for appending.
    pub fn open(path: &Path) -> io::Result<Journal> {
        Ok(Journal {
            file: OpenOptions::new().append(true).open(path)?,
        })
    }

    /// Appends one record and syncs it to disk.
    pub fn append(&mut self, kind: char, payload: &str) -> io::Result<()> {
        self.append_unsynced(kind, payload)?;
        self.file.sync_data()
    }

    /// Appends one record (in a single write) without waiting for the disk; a later
    /// `sync_data` on [`Journal::syncer`] makes it durable. Lets threads sync outside the
    /// lock that orders their appends.
    pub fn append_unsynced(&mut self, kind: char, payload: &str) -> io::Result<()> {
        debug_assert!(!payload.contains('\n'));
        self.file.write_all(record(kind, payload).as_bytes())
    }

    /// A second handle on the journal, for syncing it.
    pub fn syncer(&self) -> io::Result<File> {
        self.file.try_clone()
    }
}

/// What a journal holds.
pub struct Scan {
    pub identity: Option<String>,
    pub columns: Option<String>,
    /// (run, byte offset of the payload, payload length), in the order written.
    pub runs: Vec<(u64, u64, u32)>,
    /// Length of the valid prefix of the file.
    pub valid_len: u64,
    /// Length of the file.
    pub file_len: u64,
}

impl Scan {
    /// The first recorded run that is not among `0..runs`: a journal of other work.
    pub fn first_beyond(&self, runs: u64) -> Option<u64> {
        self.runs.iter().map(|r| r.0).find(|r| *r >= runs)
    }
}

/// Why an existing journal cannot be resumed.
#[derive(Debug)]
pub enum Refused {
    Io(io::Error),
    /// It was started by other work (its identity differs).
    Foreign,
    /// It records this run, beyond the work's runs.
    Beyond(u64),
}

/// A journal opened for appending, with what it held.
pub struct Resumed {
    pub journal: Journal,
    /// What an existing journal held (`None`: a new one).
    pub scan: Option<Scan>,
    /// Bytes of a torn last record that were cut.
    pub cut: u64,
}

/// Opens the journal at `path` for work of `runs` runs: a new one holding `identity`, or
/// an existing one of the same identity, cut after its last whole record. The one way a
/// sweep or an experiment picks up what an interrupted one left.
pub fn resume(path: &Path, identity: &str, runs: u64) -> Result<Resumed, Refused> {
    if !path.exists() {
        let journal = Journal::create(path, identity).map_err(Refused::Io)?;
        return Ok(Resumed {
            journal,
            scan: None,
            cut: 0,
        });
    }
    let scan = scan(path).map_err(Refused::Io)?;
    if scan.identity.as_deref() != Some(identity) {
        return Err(Refused::Foreign);
    }
    if let Some(run) = scan.first_beyond(runs) {
        return Err(Refused::Beyond(run));
    }
    let cut = recover(path, &scan).map_err(Refused::Io)?;
    Ok(Resumed {
        journal: Journal::open(path).map_err(Refused::Io)?,
        scan: Some(scan),
        cut,
    })
}

/// Reads a journal's valid records (those before the first bad line).
pub fn scan(path: &Path) -> io::Result<Scan> {
    let f = File::open(path)?;
    let file_len = f.metadata()?.len();
    let mut r = BufReader::new(f);
    let mut s = Scan {
        identity: None,
        columns: None,
        runs: Vec::new(),
        valid_len: 0,
        file_len,
    };
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line)?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        let Some((kind, payload_at, payload)) = parse(&line[..n - 1]) else {
            break;
        };
        let offset = s.valid_len + payload_at as u64;
        match kind {
            b'J' if s.valid_len == 0 => s.identity = Some(payload.to_string()),
            b'H' => {
                if s.columns.is_none() {
                    s.columns = Some(payload.to_string());
                }
            }
            b'R' => {
                let Some(run) = payload.split(',').next().and_then(|x| x.parse().ok()) else {
                    break;
                };
                s.runs.push((run, offset, payload.len() as u32));
            }
            _ => break,
        }
        s.valid_len += n as u64;
    }
    Ok(s)
}

/// Splits a line (without its newline) into kind, payload offset and payload, if its
/// length and hash check out.
fn parse(line: &[u8]) -> Option<(u8, usize, &str)> {
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.splitn(4, ' ');
    let kind = parts.next()?;
    let len: usize = parts.next()?.parse().ok()?;
    let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
    let payload = parts.next().unwrap_or("");
    if kind.len() != 1 || payload.len() != len || fnv1a(payload.as_bytes()) != hash {
        return None;
    }
    Some((kind.as_bytes()[0], text.len() - payload.len(), payload))
}

/// Cuts a journal after its last valid record (a torn line from a crash), returning how
/// many bytes were dropped.
pub fn recover(path: &Path, scan: &Scan) -> io::Result<u64> {
    if scan.valid_len == scan.file_len {
        return Ok(0);
    }
    let f = OpenOptions::new().write(true).open(path)?;
    f.set_len(scan.valid_len)?;
    f.sync_all()?;
    Ok(scan.file_len - scan.valid_len)
}

/// Reads `len` bytes at `offset` of a file.
pub fn read_at(f: &File, offset: u64, len: u32) -> io::Result<Vec<u8>> {
    let mut buf = vec![0; len as usize];
    f.read_exact_at(&mut buf, offset)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_torn_last_line_is_dropped_and_cut() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j");
        let mut j = Journal::create(&p, "id").unwrap();
        j.append('R', "0,0,0,1,5").unwrap();
        j.append('R', "1,0,1,1,6").unwrap();
        drop(j);
        let full = fs::read(&p).unwrap();
        for cut in 0..full.len() {
            fs::write(&p, &full[..cut]).unwrap();
            let s = scan(&p).unwrap();
            let whole: Vec<u64> = s.runs.iter().map(|r| r.0).collect();
            let lines_kept = full[..cut].iter().filter(|b| **b == b'\n').count();
            assert_eq!(whole.len(), lines_kept.saturating_sub(1));
            recover(&p, &s).unwrap();
            let again = fs::read(&p).unwrap();
            assert!(again.is_empty() || again.ends_with(b"\n"));
        }
        // A flipped byte inside a record is caught by its hash.
        let mut bad = full.clone();
        let at = bad.len() - 3;
        bad[at] ^= 1;
        fs::write(&p, &bad).unwrap();
        assert_eq!(scan(&p).unwrap().runs.len(), 1);
    }
}
