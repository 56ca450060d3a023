//! Reading a run directory's output files (`daily.csv`, `summary.csv`, `events.csv`,
//! `cohorts.csv`, `manifest.json`) into the small numeric shapes the figures and tables
//! need, and the statistics over replicates (means and quantiles).
//!
//! Columns are always looked up by name, so columns the engine appends later are ignored.
//! Every problem becomes a [`PlotError`] that names the file (and the line and column where
//! there is one); nothing here panics on a malformed file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::PlotError;
use super::date;

/// A CSV file held as text records, parsed into numbers column by column on request.
pub struct CsvTable {
    pub path: PathBuf,
    headers: Vec<String>,
    records: Vec<csv::StringRecord>,
}

impl CsvTable {
    pub fn read(path: &Path) -> Result<Self, PlotError> {
        let csv_error = |source| PlotError::Csv {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(|source| PlotError::Io {
            path: path.to_owned(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(std::io::BufReader::new(file));
        let headers = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(str::to_owned)
            .collect();
        let records = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(csv_error)?;
        Ok(Self {
            path: path.to_owned(),
            headers,
            records,
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn has(&self, column: &str) -> bool {
        self.headers.iter().any(|h| h == column)
    }

    /// The index of `column`, or an error naming the file and the column.
    pub fn column(&self, column: &str) -> Result<usize, PlotError> {
        self.headers
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| PlotError::MissingColumn {
                path: self.path.clone(),
                column: column.to_owned(),
            })
    }

    /// Names of the columns starting with `prefix`, in file order.
    pub fn columns_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|h| h.starts_with(prefix) && h.len() > prefix.len())
            .cloned()
            .collect()
    }

    pub fn text(&self, row: usize, col: usize) -> &str {
        self.records[row].get(col).unwrap_or("")
    }

    pub fn bad_value(&self, row: usize, col: usize, message: String) -> PlotError {
        PlotError::BadValue {
            path: self.path.clone(),
            line: self.records[row].position().map_or(0, |p| p.line()),
            column: self.headers[col].clone(),
            message,
        }
    }

    /// The value at (`row`, `col`) as a finite number.
    pub fn number(&self, row: usize, col: usize) -> Result<f64, PlotError> {
        let text = self.text(row, col);
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.bad_value(row, col, format!("`{text}` is not a number"))),
        }
    }

    /// The value at (`row`, `col`) as a number, `None` when it is not finite (`NaN`,
    /// `inf`): for estimates that can be undefined.
    pub fn number_or_nan(&self, row: usize, col: usize) -> Result<Option<f64>, PlotError> {
        let text = self.text(row, col);
        match text.parse::<f64>() {
            Ok(v) => Ok(v.is_finite().then_some(v)),
            Err(_) => Err(self.bad_value(row, col, format!("`{text}` is not a number"))),
        }
    }

    /// The value at (`row`, `col`) as an ISO date (day number).
    pub fn date(&self, row: usize, col: usize) -> Result<i64, PlotError> {
        let text = self.text(row, col);
        date::parse_iso(text)
            .ok_or_else(|| self.bad_value(row, col, format!("`{text}` is not a YYYY-MM-DD date")))
    }

    fn no_rows(&self) -> PlotError {
        PlotError::BadFile {
            path: self.path.clone(),
            message: "no data rows".into(),
        }
    }
}

/// Values of one quantity per replicate and day; `NaN` where a replicate lacks a day.
#[derive(Clone, Debug)]
pub struct Matrix {
    pub reps: usize,
    pub days: usize,
    values: Vec<f64>,
}

impl Matrix {
    fn new(reps: usize, days: usize) -> Self {
        Self {
            reps,
            days,
            values: vec![f64::NAN; reps * days],
        }
    }

    pub fn get(&self, rep: usize, day: usize) -> f64 {
        self.values[rep * self.days + day]
    }

    fn set(&mut self, rep: usize, day: usize, value: f64) {
        self.values[rep * self.days + day] = value;
    }

    fn day_values(&self, day: usize) -> Vec<f64> {
        (0..self.reps)
            .map(|r| self.get(r, day))
            .filter(|v| !v.is_nan())
            .collect()
    }

    /// Mean over replicates, per day.
    pub fn mean(&self) -> Vec<f64> {
        (0..self.days).map(|d| mean(&self.day_values(d))).collect()
    }

    /// The `q` quantile over replicates, per day.
    pub fn quantile(&self, q: f64) -> Vec<f64> {
        (0..self.days)
            .map(|d| quantile(&self.day_values(d), q))
            .collect()
    }

    /// Element-wise combination of two matrices of the same shape.
    pub fn zip(&self, other: &Matrix, f: impl Fn(f64, f64) -> f64) -> Matrix {
        Matrix {
            reps: self.reps,
            days: self.days,
            values: self
                .values
                .iter()
                .zip(&other.values)
                .map(|(&a, &b)| f(a, b))
                .collect(),
        }
    }

    /// Whether every replicate's series never decreases (a cumulative count).
    pub fn is_cumulative(&self) -> bool {
        (0..self.reps).all(|r| {
            let series: Vec<f64> = (0..self.days)
                .map(|d| self.get(r, d))
                .filter(|v| !v.is_nan())
                .collect();
            series.windows(2).all(|w| w[1] >= w[0])
        })
    }
}

/// `daily.csv`: one row per replicate and date.
pub struct Daily {
    table: CsvTable,
    /// Day number (days since 1970-01-01) of each day index, ascending.
    pub dates: Vec<i64>,
    /// Replicate labels as written, in order of first appearance.
    pub replicates: Vec<String>,
    /// (replicate index, day index) of each row.
    cells: Vec<(usize, usize)>,
}

impl Daily {
    pub fn read(run_dir: &Path) -> Result<Self, PlotError> {
        let table = CsvTable::read(&run_dir.join("daily.csv"))?;
        let rep_col = table.column("replicate")?;
        let date_col = table.column("date")?;
        if table.len() == 0 {
            return Err(table.no_rows());
        }
        let mut row_dates = Vec::with_capacity(table.len());
        for row in 0..table.len() {
            row_dates.push(table.date(row, date_col)?);
        }
        let mut dates = row_dates.clone();
        dates.sort_unstable();
        dates.dedup();
        let mut replicates: Vec<String> = Vec::new();
        let mut rep_index = HashMap::new();
        let mut cells = Vec::with_capacity(table.len());
        for (row, day) in row_dates.iter().enumerate() {
            let label = table.text(row, rep_col);
            let rep = *rep_index.entry(label.to_owned()).or_insert_with(|| {
                replicates.push(label.to_owned());
                replicates.len() - 1
            });
            let day = dates
                .binary_search(day)
                .expect("date is in the sorted list");
            cells.push((rep, day));
        }
        Ok(Self {
            table,
            dates,
            replicates,
            cells,
        })
    }

    pub fn path(&self) -> &Path {
        &self.table.path
    }

    pub fn has(&self, column: &str) -> bool {
        self.table.has(column)
    }

    pub fn columns_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.table.columns_with_prefix(prefix)
    }

    /// The values of `column` per replicate and day.
    pub fn matrix(&self, column: &str) -> Result<Matrix, PlotError> {
        let col = self.table.column(column)?;
        let mut m = Matrix::new(self.replicates.len(), self.dates.len());
        for (row, &(rep, day)) in self.cells.iter().enumerate() {
            m.set(rep, day, self.table.number(row, col)?);
        }
        Ok(m)
    }

    /// Checks that every column in `columns` exists, before any drawing starts.
    pub fn require(&self, columns: &[&str]) -> Result<(), PlotError> {
        columns
            .iter()
            .try_for_each(|c| self.table.column(c).map(|_| ()))
    }

    /// Flow over the trailing `window` days of a cumulative count: `cum(t) - cum(t - window)`,
    /// with the count taken as zero before the first date.
    pub fn trailing_flow(&self, cumulative: &Matrix, window: i64) -> Matrix {
        let mut out = Matrix::new(cumulative.reps, cumulative.days);
        for rep in 0..cumulative.reps {
            for day in 0..cumulative.days {
                let now = cumulative.get(rep, day);
                let then_date = self.dates[day] - window;
                // The last recorded day at or before `then_date`.
                let before = match self.dates.binary_search(&then_date) {
                    Ok(i) => Some(i),
                    Err(0) => None,
                    Err(i) => Some(i - 1),
                };
                let then = before.map_or(0.0, |i| cumulative.get(rep, i));
                out.set(rep, day, now - if then.is_nan() { 0.0 } else { then });
            }
        }
        out
    }

    /// Sum over the trailing `window` days of a daily count (days not recorded count as 0).
    pub fn trailing_sum(&self, daily: &Matrix, window: i64) -> Matrix {
        let mut out = Matrix::new(daily.reps, daily.days);
        for rep in 0..daily.reps {
            let mut first = 0;
            let mut sum = 0.0;
            for day in 0..daily.days {
                sum += nan_zero(daily.get(rep, day));
                while self.dates[first] <= self.dates[day] - window {
                    sum -= nan_zero(daily.get(rep, first));
                    first += 1;
                }
                out.set(
                    rep,
                    day,
                    if daily.get(rep, day).is_nan() {
                        f64::NAN
                    } else {
                        sum
                    },
                );
            }
        }
        out
    }
}

fn nan_zero(v: f64) -> f64 {
    if v.is_nan() { 0.0 } else { v }
}

/// One policy event from `events.csv`.
#[derive(Clone, Debug)]
pub struct Event {
    pub date: i64,
    pub label: String,
}

pub fn read_events(run_dir: &Path) -> Result<Vec<Event>, PlotError> {
    let table = CsvTable::read(&run_dir.join("events.csv"))?;
    let (date_col, label_col) = (table.column("date")?, table.column("label")?);
    let mut events = (0..table.len())
        .map(|row| {
            Ok(Event {
                date: table.date(row, date_col)?,
                label: table.text(row, label_col).to_owned(),
            })
        })
        .collect::<Result<Vec<_>, PlotError>>()?;
    events.sort_by_key(|e| e.date);
    Ok(events)
}

/// Mean survival curve of one arrival cohort: share still present by days since arrival.
#[derive(Clone, Debug)]
pub struct Cohort {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// `cohorts.csv`, averaged over replicates; cohorts sorted by label (ISO months sort in
/// time order).
pub fn read_cohorts(run_dir: &Path) -> Result<Vec<Cohort>, PlotError> {
    let table = CsvTable::read(&run_dir.join("cohorts.csv"))?;
    table.column("replicate")?;
    let cohort_col = table.column("cohort")?;
    let days_col = table.column("days_since_arrival")?;
    let share_col = table.column("share_present")?;
    let mut by_cohort: HashMap<String, HashMap<i64, Vec<f64>>> = HashMap::new();
    for row in 0..table.len() {
        let days = table.number(row, days_col)?;
        let share = table.number(row, share_col)?;
        by_cohort
            .entry(table.text(row, cohort_col).to_owned())
            .or_default()
            .entry(days.round() as i64)
            .or_default()
            .push(share);
    }
    let mut cohorts: Vec<Cohort> = by_cohort
        .into_iter()
        .map(|(label, days)| {
            let mut points: Vec<(f64, f64)> = days
                .into_iter()
                .map(|(d, shares)| (d as f64, mean(&shares)))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            Cohort { label, points }
        })
        .collect();
    cohorts.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(cohorts)
}

/// The scenario's name from `manifest.json`, or the directory's name when the manifest is
/// missing or names no scenario. A manifest that is not valid JSON is an error.
pub fn scenario_name(run_dir: &Path) -> Result<String, PlotError> {
    let path = run_dir.join("manifest.json");
    let fallback = || {
        run_dir
            .canonicalize()
            .unwrap_or_else(|_| run_dir.to_owned())
            .file_name()
            .map_or_else(
                || run_dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(fallback()),
        Err(source) => return Err(PlotError::Io { path, source }),
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| PlotError::BadFile {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(match json.get("scenario").and_then(|s| s.as_str()) {
        Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
        _ => fallback(),
    })
}

/// Scenario names of several run directories; duplicates get their directory appended so
/// that every label in a figure or table is distinct.
pub fn scenario_names(run_dirs: &[PathBuf]) -> Result<Vec<String>, PlotError> {
    let names = run_dirs
        .iter()
        .map(|d| scenario_name(d))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names
        .iter()
        .zip(run_dirs)
        .map(|(name, dir)| {
            if names.iter().filter(|n| *n == name).count() > 1 {
                format!("{name} ({})", dir.display())
            } else {
                name.clone()
            }
        })
        .collect())
}

/// `summary.csv`: end-of-run values per replicate, for the columns asked for.
pub struct Summary {
    pub path: PathBuf,
    pub columns: Vec<&'static str>,
    /// `(replicate id, values in `columns` order)` of the rows with `stat = replicate`.
    pub replicates: Vec<(String, Vec<f64>)>,
    /// The engine's own statistics rows (`mean`, `q05`, ...), by stat name.
    stats: HashMap<String, Vec<f64>>,
}

impl Summary {
    pub fn read(run_dir: &Path, columns: &[&'static str]) -> Result<Self, PlotError> {
        let table = CsvTable::read(&run_dir.join("summary.csv"))?;
        let rep_col = table.column("replicate")?;
        let values_of = |table: &CsvTable, row: usize| -> Result<Vec<f64>, PlotError> {
            columns
                .iter()
                .map(|c| table.number(row, table.column(c)?))
                .collect()
        };
        let mut replicates = Vec::new();
        for row in 0..table.len() {
            replicates.push((table.text(row, rep_col).to_owned(), values_of(&table, row)?));
        }
        if replicates.is_empty() {
            return Err(PlotError::BadFile {
                path: table.path,
                message: "no replicate rows".into(),
            });
        }
        // The engine's statistics, when the run wrote them.
        let mut stats = HashMap::new();
        let stats_path = run_dir.join("summary_stats.csv");
        if stats_path.is_file() {
            let t = CsvTable::read(&stats_path)?;
            let stat_col = t.column("stat")?;
            for row in 0..t.len() {
                stats.insert(t.text(row, stat_col).to_owned(), values_of(&t, row)?);
            }
        }
        Ok(Self {
            path: table.path,
            columns: columns.to_vec(),
            replicates,
            stats,
        })
    }

    fn index(&self, column: &str) -> usize {
        self.columns
            .iter()
            .position(|c| *c == column)
            .expect("column was requested when reading")
    }

    /// Per-replicate values of `column`.
    pub fn values(&self, column: &str) -> Vec<f64> {
        let i = self.index(column);
        self.replicates.iter().map(|(_, v)| v[i]).collect()
    }

    /// Mean and 5%–95% interval of `column` over replicates. The engine's `mean`, `q05`
    /// and `q95` rows are used when present, so figures and tables quote its numbers;
    /// otherwise they are computed from the replicate rows.
    pub fn interval(&self, column: &str) -> Interval {
        let i = self.index(column);
        match (
            self.stats.get("mean"),
            self.stats.get("q05"),
            self.stats.get("q95"),
        ) {
            (Some(m), Some(lo), Some(hi)) => Interval {
                mean: m[i],
                low: lo[i],
                high: hi[i],
            },
            _ => Interval::of(&self.values(column)),
        }
    }
}

/// A mean with a 90% interval (5% and 95% quantiles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn of(values: &[f64]) -> Self {
        Self {
            mean: mean(values),
            low: quantile(values, 0.05),
            high: quantile(values, 0.95),
        }
    }

    pub fn scaled(self, factor: f64) -> Self {
        Self {
            mean: self.mean * factor,
            low: self.low * factor,
            high: self.high * factor,
        }
    }
}

/// Per-replicate differences `scenario - baseline` of `column`, pairing replicates by id
/// (replicate r of every scenario shares its seed, so the pairs share random numbers).
pub fn paired_differences(scenario: &Summary, baseline: &Summary, column: &str) -> Vec<f64> {
    let i = scenario.index(column);
    let j = baseline.index(column);
    let base: HashMap<&str, f64> = baseline
        .replicates
        .iter()
        .map(|(id, v)| (id.as_str(), v[j]))
        .collect();
    scenario
        .replicates
        .iter()
        .filter_map(|(id, v)| base.get(id.as_str()).map(|b| v[i] - b))
        .collect()
}

/// Arithmetic mean; NaN for no values.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Quantile with linear interpolation between order statistics (type 7, as R's and
/// NumPy's defaults); NaN for no values.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&v, 0.95) - 4.8).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
        assert_eq!(mean(&v), 3.0);
    }
}
