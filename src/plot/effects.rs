//! The `effects_<outcome>` figures of an experiment, from `effects.csv`: a forest plot with
//! one row per arm (in the experiment file's order) and, per date compared, the mean
//! difference from the base arm with its 90% interval over replicates. Shares are shown in
//! percentage points, counts in persons.

use std::path::Path;

use super::forest::Series;
use super::parts::Marker;
use super::style::{BLACK, BLUE, ORANGE, REDDISH_PURPLE, VERMILLION};
use super::sweep::Estimate;
use super::{PlotError, data::CsvTable};

/// Series colours and markers by date, in the file's order (Okabe–Ito, black first).
const SERIES: [(plotters::style::RGBColor, Marker); 5] = [
    (BLACK, Marker::Circle),
    (VERMILLION, Marker::Square),
    (BLUE, Marker::Circle),
    (ORANGE, Marker::Square),
    (REDDISH_PURPLE, Marker::Circle),
];

/// The effects of one outcome.
pub struct OutcomeEffects {
    pub outcome: String,
    /// Arm labels, top to bottom.
    pub rows: Vec<String>,
    pub series: Vec<Series>,
    /// Per row, one estimate per date.
    pub estimates: Vec<Vec<Estimate>>,
    pub x_title: String,
}

/// Reads `effects.csv` into one forest per outcome (in the file's order).
pub fn read(path: &Path) -> Result<Vec<OutcomeEffects>, PlotError> {
    let t = CsvTable::read(path)?;
    let col = |c: &str| t.column(c);
    let (label, outcome, date) = (col("label")?, col("outcome")?, col("date")?);
    let (diff, lo, hi) = (
        col("difference")?,
        col("difference_q05")?,
        col("difference_q95")?,
    );
    let number = |row: usize, c: usize| -> Result<f64, PlotError> {
        t.text(row, c)
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| t.bad_value(row, c, format!("`{}` is not a number", t.text(row, c))))
    };
    let mut out: Vec<OutcomeEffects> = Vec::new();
    let mut dates: Vec<String> = Vec::new();
    for row in 0..t.len() {
        let d = t.text(row, date).to_string();
        if !dates.contains(&d) {
            dates.push(d);
        }
    }
    if dates.len() > SERIES.len() {
        return Err(PlotError::BadFile {
            path: t.path.clone(),
            message: format!(
                "{} dates; a figure shows at most {}",
                dates.len(),
                SERIES.len()
            ),
        });
    }
    for row in 0..t.len() {
        let name = t.text(row, outcome).to_string();
        let share = name.starts_with("share_");
        let scale = if share { 100.0 } else { 1.0 };
        let i =
            match out.iter().position(|o| o.outcome == name) {
                Some(i) => i,
                None => {
                    out.push(OutcomeEffects {
                    x_title: format!(
                        "difference from the base arm ({}; mean and 90% interval over replicates)",
                        if share { "percentage points" } else { "persons" }
                    ),
                    outcome: name,
                    rows: Vec::new(),
                    series: dates
                        .iter()
                        .zip(SERIES)
                        .map(|(d, (colour, marker))| Series {
                            label: format!("on {d}"),
                            colour,
                            marker,
                        })
                        .collect(),
                    estimates: Vec::new(),
                });
                    out.len() - 1
                }
            };
        let o = &mut out[i];
        let arm = t.text(row, label).to_string();
        let r = match o.rows.iter().position(|a| *a == arm) {
            Some(r) => r,
            None => {
                o.rows.push(arm);
                o.estimates.push(vec![Estimate::default(); dates.len()]);
                o.rows.len() - 1
            }
        };
        let s = dates
            .iter()
            .position(|x| x == t.text(row, date))
            .expect("every date is listed");
        o.estimates[r][s] = Estimate {
            value: Some(number(row, diff)? * scale),
            low: Some(number(row, lo)? * scale),
            high: Some(number(row, hi)? * scale),
        };
    }
    Ok(out)
}
