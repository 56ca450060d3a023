//! The `comparison` figure across scenarios (one run directory each, the first being the
//! baseline): end-of-run shares of arrivals with 90% intervals, and each scenario's
//! difference from the baseline computed per replicate. Replicate r of every scenario
//! shares its seed (common random numbers), so paired differences are far tighter than
//! the difference of two intervals would suggest.

use std::path::PathBuf;

use plotters::prelude::*;

use super::axes::{CategoryAxis, YAxis};
use super::data::{self, Interval, Summary};
use super::parts::{Frame, LegendEntry, Swatch, draw_legend, draw_title};
use super::render::{Area, DrawError};
use super::style::{EVENT_LINE, Outcome, Theme, scenario_colour};
use super::{ColumnWidth, PlotError};

/// The outcomes compared, in panel order.
pub const OUTCOMES: [Outcome; 3] = [Outcome::Integrated, Outcome::MovedOn, Outcome::Returned];

pub struct Comparison {
    names: Vec<String>,
    /// Per scenario, per outcome: share of arrivals in percent.
    shares: Vec<Vec<Interval>>,
    /// Per non-baseline scenario (index - 1), per outcome: paired difference in
    /// percentage points.
    differences: Vec<Vec<Interval>>,
}

pub fn prepare(run_dirs: &[PathBuf]) -> Result<Comparison, PlotError> {
    if run_dirs.len() < 2 {
        return Err(PlotError::NotEnoughRuns {
            needed: 2,
            got: run_dirs.len(),
        });
    }
    let names = data::scenario_names(run_dirs)?;
    let columns: Vec<&'static str> = OUTCOMES.iter().map(|o| o.share_column()).collect();
    let summaries = run_dirs
        .iter()
        .map(|d| Summary::read(d, &columns))
        .collect::<Result<Vec<_>, _>>()?;
    let shares = summaries
        .iter()
        .map(|s| {
            columns
                .iter()
                .map(|c| s.interval(c).scaled(100.0))
                .collect()
        })
        .collect();
    let baseline = &summaries[0];
    let differences = summaries[1..]
        .iter()
        .map(|s| {
            columns
                .iter()
                .map(|c| {
                    let d = data::paired_differences(s, baseline, c);
                    if d.is_empty() {
                        return Err(PlotError::BadFile {
                            path: s.path.clone(),
                            message: format!(
                                "no replicate ids in common with the baseline {}",
                                baseline.path.display()
                            ),
                        });
                    }
                    Ok(Interval::of(&d).scaled(100.0))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Comparison {
        names,
        shares,
        differences,
    })
}

/// Figure height: panels side by side at double width, stacked at single width.
pub fn height_mm(width: &ColumnWidth) -> f64 {
    match width {
        ColumnWidth::Single => 125.0,
        ColumnWidth::Double => 80.0,
    }
}

impl Comparison {
    pub fn draw(
        &self,
        area: &Area,
        theme: &Theme,
        title: Option<String>,
        width: &ColumnWidth,
    ) -> Result<i32, DrawError> {
        let (w, _) = area.dim_in_pixel();
        let legend: Vec<LegendEntry> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                // Say which scenario is the baseline, unless its name already does.
                let label = if i == 0 && !name.to_lowercase().contains("baseline") {
                    format!("{name} (baseline)")
                } else {
                    name.clone()
                };
                LegendEntry::new(label, scenario_colour(i), Swatch::Point)
            })
            .collect();
        let mut top = draw_title(area, theme, title.as_deref(), theme.pad)?;
        top = draw_legend(
            area,
            theme,
            &legend,
            (theme.margin, w as i32 - theme.margin),
            top,
        )?;
        let body = area.margin(top, 0, 0, 0);
        let (left, right) = match width {
            ColumnWidth::Double => body.split_horizontally(w / 2),
            ColumnWidth::Single => {
                let (_, h) = body.dim_in_pixel();
                body.split_vertically(h / 2)
            }
        };

        let all = |rows: &[Vec<Interval>], f: fn(&Interval) -> f64| -> Vec<f64> {
            rows.iter()
                .flatten()
                .map(f)
                .filter(|v| v.is_finite())
                .collect()
        };
        let high = all(&self.shares, |i| i.high)
            .into_iter()
            .fold(0.0, f64::max);
        let mut shares_axis = YAxis::from_zero("share of arrivals (%)", high);
        shares_axis.range.end = shares_axis.range.end.min(100.0);
        let short_a = self.panel(&left, theme, "a", shares_axis, &self.shares, 0)?;

        let low = all(&self.differences, |i| i.low)
            .into_iter()
            .fold(0.0, f64::min);
        let high = all(&self.differences, |i| i.high)
            .into_iter()
            .fold(0.0, f64::max);
        let diff_axis = YAxis::around("difference from baseline (pp)", low, high);
        let short_b = self.panel(&right, theme, "b", diff_axis, &self.differences, 1)?;
        // Stacked panels share any extra height; side by side, each gets all of it.
        Ok(match width {
            ColumnWidth::Double => short_a.max(short_b),
            ColumnWidth::Single => 2 * short_a.max(short_b),
        })
    }

    /// One dot-and-whisker panel: `rows[k]` belongs to scenario `first + k`.
    fn panel(
        &self,
        area: &Area,
        theme: &Theme,
        letter: &str,
        y: YAxis,
        rows: &[Vec<Interval>],
        first: usize,
    ) -> Result<i32, DrawError> {
        let labels: Vec<String> = OUTCOMES.iter().map(|o| o.label().to_owned()).collect();
        let frame = Frame {
            title: Some(letter.to_owned()),
            ..Frame::new(y)
        };
        let n = rows.len().max(1) as f64;
        let spacing = (0.7 / n).min(0.2);
        let radius = super::parts::marker_radius(theme);
        frame
            .draw(
                area,
                theme,
                |_| CategoryAxis { labels },
                |chart| {
                    if first > 0 {
                        chart.draw_series(std::iter::once(PathElement::new(
                            vec![(0.0, 0.0), (OUTCOMES.len() as f64, 0.0)],
                            EVENT_LINE.stroke_width(theme.thin),
                        )))?;
                    }
                    for (k, row) in rows.iter().enumerate() {
                        let colour = scenario_colour(first + k);
                        for (j, interval) in row.iter().enumerate() {
                            if !interval.mean.is_finite() {
                                continue;
                            }
                            let x = j as f64 + 0.5 + (k as f64 - (n - 1.0) / 2.0) * spacing;
                            chart.draw_series(std::iter::once(PathElement::new(
                                vec![(x, interval.low), (x, interval.high)],
                                colour.stroke_width(theme.thin * 2),
                            )))?;
                            chart.draw_series(std::iter::once(Circle::new(
                                (x, interval.mean),
                                radius,
                                colour.filled(),
                            )))?;
                        }
                    }
                    Ok(())
                },
            )
            .map(|drawn| drawn.shortfall)
    }
}
