//! Calendar dates for chart axes: day numbers (days since 1970-01-01, as
//! `crate::calendar::Date` counts them) and a date axis whose ticks fall on month starts.

use std::ops::Range;

use crate::calendar::Date;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    Date {
        year: year as i32,
        month: month as u8,
        day: day as u8,
    }
    .to_days()
}

/// Civil date `(year, month 1..=12, day 1..=31)` of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let d = Date::from_days(z);
    (i64::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// `Jan`, ..., `Dec` for months 1..=12.
pub fn month_abbreviation(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// Parses a strict ISO date `YYYY-MM-DD` into a day number.
pub fn parse_iso(text: &str) -> Option<i64> {
    Date::parse(text.trim()).map(Date::to_days)
}

/// A time axis over day numbers with ticks on the first day of every `step` months
/// (or every `step` days when the span is shorter than two months).
#[derive(Clone, Debug)]
pub struct DateAxis {
    start: f64,
    end: f64,
    step: TickStep,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TickStep {
    Days(i64),
    Months(u32),
}

impl DateAxis {
    /// An axis from `start` to `end` (day numbers) showing at most `max_ticks` tick labels.
    pub fn new(start: f64, end: f64, max_ticks: usize) -> Self {
        let end = if end > start { end } else { start + 1.0 };
        let max_ticks = max_ticks.max(2);
        let span = end - start;
        // The finest calendar step whose ticks fit.
        let candidates: Vec<TickStep> = if span < 60.0 {
            [1, 2, 7, 14, 28].into_iter().map(TickStep::Days).collect()
        } else {
            [1, 2, 3, 6, 12, 24, 60]
                .into_iter()
                .map(TickStep::Months)
                .collect()
        };
        let fits = |step: &TickStep| {
            Self {
                start,
                end,
                step: *step,
            }
            .ticks()
            .len()
                <= max_ticks
        };
        let step = candidates
            .iter()
            .copied()
            .find(fits)
            .unwrap_or(*candidates.last().expect("non-empty"));
        Self { start, end, step }
    }

    fn ticks(&self) -> Vec<f64> {
        let first = self.start.ceil() as i64;
        let last = self.end.floor() as i64;
        match self.step {
            TickStep::Days(step) => (first..=last)
                .step_by(step as usize)
                .map(|d| d as f64)
                .collect(),
            TickStep::Months(step) => {
                let (mut y, mut m, d) = civil_from_days(first);
                if d != 1 {
                    (y, m) = next_month(y, m);
                }
                // Align multi-month steps to the calendar (quarters start in Jan, Apr, ...).
                while (m - 1) % step.min(12) != 0 {
                    (y, m) = next_month(y, m);
                }
                if step > 12 {
                    while y.rem_euclid(i64::from(step / 12)) != 0 {
                        y += 1;
                    }
                }
                let mut out = Vec::new();
                loop {
                    let day = days_from_civil(y, m, 1);
                    if day > last {
                        break out;
                    }
                    out.push(day as f64);
                    for _ in 0..step {
                        (y, m) = next_month(y, m);
                    }
                }
            }
        }
    }

    fn label(&self, value: f64) -> String {
        let (y, m, d) = civil_from_days(value.round() as i64);
        let month = MONTHS[m as usize - 1];
        match self.step {
            TickStep::Days(_) => format!("{d} {month}"),
            TickStep::Months(s) if s >= 12 => format!("{y}"),
            TickStep::Months(_) => format!("{month} {y}"),
        }
    }
}

fn next_month(y: i64, m: u32) -> (i64, u32) {
    if m == 12 { (y + 1, 1) } else { (y, m + 1) }
}

impl Ranged for DateAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let frac = (value - self.start) / (self.end - self.start);
        limit.0 + (frac * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Light (minor) grid lines are not drawn in these charts.
        if hint.max_num_points() == 0 || hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks()
    }

    fn range(&self) -> Range<f64> {
        self.start..self.end
    }
}

impl ValueFormatter<f64> for DateAxis {
    fn format_ext(&self, value: &f64) -> String {
        self.label(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_iso("2022-09-21"), Some(19_256));
        for z in [-1000, 0, 19_256, 19_782, 20_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_iso("22-09-21"), None);
    }

    #[test]
    fn month_ticks_fall_on_month_starts() {
        let start = parse_iso("2022-09-21").unwrap() as f64;
        let end = parse_iso("2024-12-31").unwrap() as f64;
        let axis = DateAxis::new(start, end, 6);
        let labels: Vec<String> = axis.ticks().into_iter().map(|t| axis.label(t)).collect();
        assert_eq!(labels, ["Jan 2023", "Jul 2023", "Jan 2024", "Jul 2024"]);
        let short = DateAxis::new(start, start + 100.0, 8);
        let labels: Vec<String> = short.ticks().into_iter().map(|t| short.label(t)).collect();
        assert_eq!(labels, ["Oct 2022", "Nov 2022", "Dec 2022"]);
    }
}
