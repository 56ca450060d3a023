//! The formats of a result directory's tables (`--format csv|parquet|both`).
//!
//! relocant writes every table as CSV first (figures, `plot`, `table`, `merge`, `analyze`
//! read CSV), then, with `parquet` or `both`, a Parquet copy of each beside it
//! (`output::parquet`): `X.csv` → `X.parquet`, and a sweep's `daily/run-*.csv` → one
//! `daily.parquet` with a row group per run. With `parquet` the daily series (the bulk of a
//! result) are then kept only as Parquet; the small tables stay in both formats, because
//! the other commands read them.

use std::io;
use std::path::Path;

/// Which formats the tables are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV only.
    #[default]
    Csv,
    /// Parquet for every table; the daily series only as Parquet (other tables also as CSV,
    /// which plot, table, merge and analyze read).
    Parquet,
    /// Every table as CSV and as Parquet.
    Both,
}

impl Format {
    pub fn parquet(self) -> bool {
        self != Format::Csv
    }

    /// Whether the daily series stay as CSV.
    pub fn daily_csv(self) -> bool {
        self != Format::Parquet
    }

    /// Refuses Parquet when this program was built without it (bad input: exit 2).
    pub fn check_available(self) -> Result<(), String> {
        if self.parquet() && !cfg!(feature = "parquet") {
            return Err(
                "--format parquet|both: this relocant was built without Parquet support; build it with `cargo build --release --features parquet` (a default feature)".into(),
            );
        }
        Ok(())
    }
}

/// Writes the Parquet copies of the tables in `dir` that `format` asks for, and with
/// `Format::Parquet` removes the daily series' CSV files once their Parquet file is written.
#[cfg(feature = "parquet")]
pub fn write(dir: &Path, format: Format) -> io::Result<()> {
    use super::parquet::{write_parts, write_table};
    if !format.parquet() {
        return Ok(());
    }
    for rel in super::dictionary::result_files(dir, &["network"], ".csv") {
        let csv = std::fs::read_to_string(dir.join(&rel))?;
        write_table(&rel, &csv, &dir.join(rel.replace(".csv", ".parquet")))?;
    }
    // A sweep's daily series: every run's file, in run order, one row group each.
    let daily = dir.join("daily");
    if daily.is_dir() {
        let mut parts: Vec<String> = std::fs::read_dir(&daily)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("run-") && n.ends_with(".csv"))
            .collect();
        parts.sort();
        if !parts.is_empty() {
            let mut texts = parts.iter().map(|p| std::fs::read_to_string(daily.join(p)));
            write_parts("daily/run.csv", &mut texts, &dir.join("daily.parquet"))?;
        }
    }
    if !format.daily_csv() {
        // The daily series: a run's wide and long tables, a sweep's per-run files.
        for rel in ["daily.csv", "daily_long.csv"] {
            let p = dir.join(rel);
            if p.exists() {
                std::fs::remove_file(&p)?;
            }
        }
        if daily.is_dir() {
            std::fs::remove_dir_all(&daily)?;
        }
    }
    Ok(())
}

/// Without Parquet support nothing is written (`Format::check_available` refused earlier).
#[cfg(not(feature = "parquet"))]
pub fn write(_dir: &Path, _format: Format) -> io::Result<()> {
    Ok(())
}
