//! The fit table: each target's observed value and band beside the simulated mean and 90%
//! interval over replicates, whether the mean is inside the band, and the overall mean
//! relative difference |simulated mean − observed| / observed (the summary error refugee-model
//! validations report). Rendered as text for the terminal, CSV and Markdown; computed from
//! simulated values only, never copied from anywhere.

use super::targets::{Targets, Unit};
use crate::stats::Summary;

/// One target's row.
#[derive(Clone, Debug)]
pub struct FitRow {
    pub key: String,
    pub date: String,
    /// The day the model is read on (ISO).
    pub day: String,
    pub unit: Unit,
    pub observed: f64,
    pub low: f64,
    pub high: f64,
    pub mean: f64,
    pub q05: f64,
    pub q95: f64,
    pub inside: bool,
    pub relative_difference: f64,
}

/// The whole table.
#[derive(Clone, Debug)]
pub struct FitTable {
    pub rows: Vec<FitRow>,
    pub replicates: usize,
    pub persons_per_agent: u32,
    pub mean_relative_difference: f64,
}

impl FitTable {
    /// `values[r][k]` is target k in replicate r.
    pub fn compute(targets: &Targets, values: &[Vec<f64>], persons_per_agent: u32) -> FitTable {
        let rows: Vec<FitRow> = targets
            .list
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let xs: Vec<f64> = values.iter().map(|v| v[k]).collect();
                let s = Summary::of(&xs);
                FitRow {
                    key: t.key.clone(),
                    date: t.date_text.clone(),
                    day: t.date.to_string(),
                    unit: t.unit(),
                    observed: t.value,
                    low: t.low,
                    high: t.high,
                    mean: s.mean,
                    q05: s.q05,
                    q95: s.q95,
                    inside: t.inside(s.mean),
                    relative_difference: (s.mean - t.value).abs() / t.value.abs(),
                }
            })
            .collect();
        let mean_relative_difference =
            rows.iter().map(|r| r.relative_difference).sum::<f64>() / rows.len() as f64;
        FitTable {
            rows,
            replicates: values.len(),
            persons_per_agent,
            mean_relative_difference,
        }
    }

    pub fn inside_count(&self) -> usize {
        self.rows.iter().filter(|r| r.inside).count()
    }

    pub fn all_inside(&self) -> bool {
        self.inside_count() == self.rows.len()
    }

    /// CSV: one row per target, then a row `overall` with the mean relative difference.
    pub fn to_csv(&self) -> String {
        let mut s = String::from(
            "target,date,day,unit,observed,low,high,sim_mean,sim_q05,sim_q95,inside,relative_difference\n",
        );
        for r in &self.rows {
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{}\n",
                r.key,
                r.date,
                r.day,
                r.unit.name(),
                r.observed,
                r.low,
                r.high,
                csv_number(r.mean, r.unit),
                csv_number(r.q05, r.unit),
                csv_number(r.q95, r.unit),
                r.inside,
                csv_number(r.relative_difference, Unit::Share)
            ));
        }
        s
    }

    /// The fit as a whole (`fit_summary.csv`): targets, how many are inside their bands,
    /// and the mean relative difference.
    pub fn summary_csv(&self) -> String {
        format!(
            "targets,inside,mean_relative_difference\n{},{},{}\n",
            self.rows.len(),
            self.inside_count(),
            csv_number(self.mean_relative_difference, Unit::Share)
        )
    }

    /// A Markdown table with a sentence on what it shows.
    pub fn to_markdown(&self) -> String {
        let mut s = String::from(
            "| target | date | observed (band) | simulated mean | 90% interval | inside | relative difference |\n|---|---|---|---|---|---|---|\n",
        );
        for r in &self.rows {
            s.push_str(&format!(
                "| `{}` | {} | {} ({} to {}) | {} | {} to {} | {} | {:.1}% |\n",
                r.key,
                if r.date == r.day {
                    r.date.clone()
                } else {
                    format!("{} (read on {})", r.date, r.day)
                },
                show(r.observed, r.unit),
                show(r.low, r.unit),
                show(r.high, r.unit),
                show(r.mean, r.unit),
                show(r.q05, r.unit),
                show(r.q95, r.unit),
                if r.inside { "yes" } else { "**no**" },
                100.0 * r.relative_difference
            ));
        }
        s.push_str(&format!(
            "\n{} of {} targets inside their band; mean relative difference {:.1}%. Simulated: mean and 5–95% quantiles over {} replicates {}.\n",
            self.inside_count(),
            self.rows.len(),
            100.0 * self.mean_relative_difference,
            self.replicates,
            if self.persons_per_agent == 1 {
                "at full scale".to_string()
            } else {
                format!("at 1 agent = {} persons", self.persons_per_agent)
            }
        ));
        s
    }
}

fn csv_number(x: f64, unit: Unit) -> String {
    if x.is_nan() {
        return String::new();
    }
    match unit {
        Unit::Persons | Unit::Permits => format!("{x:.1}"),
        Unit::Share => format!("{x:.6}"),
    }
}

/// A value for people to read: persons grouped by thousands, shares with three decimals.
pub fn show(x: f64, unit: Unit) -> String {
    if x.is_nan() {
        return "n/a".to_string();
    }
    match unit {
        Unit::Share => format!("{x:.3}"),
        Unit::Persons | Unit::Permits => {
            let n = x.round() as i64;
            let digits = n.unsigned_abs().to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(' ');
                }
                out.push(c);
            }
            if n < 0 { format!("-{out}") } else { out }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(show(53000.0, Unit::Persons), "53 000");
        assert_eq!(show(999.4, Unit::Persons), "999");
        assert_eq!(show(1234567.0, Unit::Persons), "1 234 567");
        assert_eq!(show(0.6543, Unit::Share), "0.654");
    }
}
