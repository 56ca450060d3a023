//! The `survival` figure: for each arrival cohort (month of arrival), the share still
//! present N days after arrival, from `cohorts.csv` averaged over replicates. Cohorts are
//! ordered in time, so they get a sequential colour ramp rather than categorical colours.

use super::axes::{NumberAxis, YAxis};
use super::data::Cohort;
use super::parts::{self, Frame, LegendEntry, Swatch};
use super::render::{Area, DrawError};
use super::style::{self, Theme};

/// With more cohorts than this, an evenly spaced selection is drawn (always the first and
/// the last): two dozen monthly curves on one small panel cannot be told apart.
const MAX_COHORTS: usize = 8;

fn colour_of(i: usize, n: usize) -> plotters::style::RGBColor {
    style::sequential(if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    })
}

/// Indices of the cohorts drawn.
fn shown(n: usize) -> Vec<usize> {
    if n <= MAX_COHORTS {
        return (0..n).collect();
    }
    let k = MAX_COHORTS - 1;
    let mut picks: Vec<usize> = (0..k)
        .map(|j| (j * (n - 1) + (k - 1) / 2) / (k - 1))
        .collect();
    picks.dedup();
    picks
}

fn legend(cohorts: &[Cohort]) -> Vec<LegendEntry> {
    let n = cohorts.len();
    shown(n)
        .into_iter()
        .map(|i| LegendEntry::new(&cohorts[i].label, colour_of(i, n), Swatch::Line))
        .collect()
}

pub fn draw(
    cohorts: &[Cohort],
    area: &Area,
    theme: &Theme,
    title: Option<String>,
) -> Result<i32, DrawError> {
    let max_days = cohorts
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .fold(0.0, f64::max)
        .max(7.0);
    let frame = Frame {
        title,
        legend: legend(cohorts),
        x_title: Some("days since arrival".into()),
        ..Frame::new(YAxis {
            title: "still present (%)".into(),
            range: 0.0..100.0,
        })
    };
    frame
        .draw(
            area,
            theme,
            // Day counts are narrower labels than dates: twice as many fit.
            |ticks| NumberAxis::new(0.0..max_days, 2 * ticks),
            |chart| {
                for i in shown(cohorts.len()) {
                    let cohort = &cohorts[i];
                    let xs: Vec<f64> = cohort.points.iter().map(|p| p.0).collect();
                    let ys: Vec<f64> = cohort.points.iter().map(|p| 100.0 * p.1).collect();
                    parts::draw_line(chart, theme, &xs, &ys, colour_of(i, cohorts.len()))?;
                }
                Ok(())
            },
        )
        .map(|drawn| drawn.shortfall)
}
