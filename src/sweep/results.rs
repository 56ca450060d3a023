//! The result files of a sweep, written from rows in run order, one row at a time, so memory
//! does not grow with the number of runs: `runs.csv` (a row per run) and `points.csv`
//! (per design point: mean, sd, q05, q50, q95 over its replicates, computed from the
//! `runs.csv` text itself, so a merged sweep gets the very same numbers).
//!
//! Both files are written under temporary names and renamed into place: they appear whole
//! or not at all.

use std::io::{self, Write};
use std::path::Path;

use super::spec::csv_field;
use crate::output::AtomicFile;
use crate::stats::Summary;

/// The five rows per point of `points.csv`, in order.
pub const STATS: [&str; 5] = ["mean", "sd", "q05", "q50", "q95"];

/// Splits one CSV line into fields (RFC 4180 quoting).
pub fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    out.push(field);
    out
}

/// Per-point statistics accumulated while `runs.csv` streams past.
struct Points<W: Write> {
    out: W,
    /// Fields before the parameters (`run,point,replicate,seed`) and parameters.
    k: usize,
    point: Option<String>,
    params: Vec<String>,
    rows: Vec<Vec<f64>>,
}

const PREFIX: usize = 4;

impl<W: Write> Points<W> {
    fn header(&mut self, header: &str) -> io::Result<()> {
        let fields = split_csv(header);
        let mut h = vec!["point".to_string(), "stat".to_string()];
        h.extend(fields[PREFIX..].iter().map(|f| csv_field(f)));
        writeln!(self.out, "{}", h.join(","))
    }

    fn row(&mut self, line: &str) -> io::Result<()> {
        let f = split_csv(line);
        if self.point.as_deref() != Some(&f[1]) {
            self.flush()?;
            self.point = Some(f[1].clone());
            self.params = f[PREFIX..PREFIX + self.k]
                .iter()
                .map(|x| csv_field(x))
                .collect();
        }
        self.rows.push(
            f[PREFIX + self.k..]
                .iter()
                .map(|x| x.parse().unwrap_or(f64::NAN))
                .collect(),
        );
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let Some(point) = self.point.take() else {
            return Ok(());
        };
        let n = self.rows.first().map_or(0, Vec::len);
        let cols: Vec<Summary> = (0..n)
            .map(|c| Summary::of(&self.rows.iter().map(|r| r[c]).collect::<Vec<_>>()))
            .collect();
        for (i, stat) in STATS.iter().enumerate() {
            write!(self.out, "{point},{stat}")?;
            for p in &self.params {
                write!(self.out, ",{p}")?;
            }
            for s in &cols {
                let x = [s.mean, s.sd, s.q05, s.q50, s.q95][i];
                write!(self.out, ",{x}")?;
            }
            writeln!(self.out)?;
        }
        self.rows.clear();
        Ok(())
    }
}

/// Writes `runs.csv` (and `points.csv` when `points_k` gives the number of parameters) in
/// `dir`, with the rows that `row` returns for `runs`, in that order.
pub fn write(
    dir: &Path,
    header: &str,
    runs: impl Iterator<Item = u64>,
    row: &mut dyn FnMut(u64) -> io::Result<Vec<u8>>,
    points_k: Option<usize>,
) -> io::Result<()> {
    let mut out = AtomicFile::create(&dir.join("runs.csv"))?;
    writeln!(out, "{header}")?;
    let mut points = match points_k {
        Some(k) => {
            let mut p = Points {
                out: AtomicFile::create(&dir.join("points.csv"))?,
                k,
                point: None,
                params: Vec::new(),
                rows: Vec::new(),
            };
            p.header(header)?;
            Some(p)
        }
        None => None,
    };
    for run in runs {
        let bytes = row(run)?;
        out.write_all(&bytes)?;
        out.write_all(b"\n")?;
        if let Some(p) = points.as_mut() {
            let line = std::str::from_utf8(&bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            p.row(line)?;
        }
    }
    // The two files appear together or not at all: both are written out and synced (where
    // a full disk fails) before either is renamed into place.
    out.sync()?;
    if let Some(p) = points.as_mut() {
        p.flush()?;
        p.out.sync()?;
    }
    out.commit()?;
    if let Some(p) = points {
        p.out.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_split_with_quotes() {
        assert_eq!(
            split_csv("a,\"b,c\",\"d\"\"e\",,f"),
            ["a", "b,c", "d\"e", "", "f"]
        );
    }

    #[test]
    fn runs_and_points_appear_together_or_not_at_all() {
        // A failure while the pair is written (a damaged row here; a full disk alike)
        // leaves neither file and no temporary: before, runs.csv could be committed while
        // points.csv failed.
        let tmp = tempfile::tempdir().unwrap();
        let header = "run,point,replicate,seed,a,present";
        let mut rows = |run: u64| -> io::Result<Vec<u8>> {
            if run == 3 {
                Err(io::Error::other("no space left on device"))
            } else {
                Ok(format!("{run},{},{},7,0.5,10", run / 2, run % 2).into_bytes())
            }
        };
        assert!(write(tmp.path(), header, 0..4, &mut rows, Some(1)).is_err());
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
        // Without the failure both are there.
        write(tmp.path(), header, 0..3, &mut rows, Some(1)).unwrap();
        assert!(tmp.path().join("runs.csv").is_file() && tmp.path().join("points.csv").is_file());
    }
}
