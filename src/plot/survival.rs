//! The `survival` figure: for each arrival cohort (month of arrival), the share still
//! present N days after arrival, from `cohorts.csv` averaged over replicates. Cohorts are
//! ordered in time, so they get a sequential colour ramp rather than categorical colours.

use super::axes::{NumberAxis, YAxis};
use super::data::Cohort;
use super::parts::{self, Frame, LegendEntry, Swatch};
use super::render::{Area, DrawError};
use super::style::{self, Theme};

/// With more cohorts than this, the legend names an evenly spaced selection (always the
/// first and the last); the colour ramp shows where the others fall.
const MAX_LEGEND_COHORTS: usize = 12;

fn colour_of(i: usize, n: usize) -> plotters::style::RGBColor {
    style::sequential(if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    })
}

fn legend(cohorts: &[Cohort]) -> Vec<LegendEntry> {
    let n = cohorts.len();
    let shown: Vec<usize> = if n <= MAX_LEGEND_COHORTS {
        (0..n).collect()
    } else {
        let k = 7;
        let mut picks: Vec<usize> = (0..k)
            .map(|j| (j * (n - 1) + (k - 1) / 2) / (k - 1))
            .collect();
        picks.dedup();
        picks
    };
    shown
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
                for (i, cohort) in cohorts.iter().enumerate() {
                    let xs: Vec<f64> = cohort.points.iter().map(|p| p.0).collect();
                    let ys: Vec<f64> = cohort.points.iter().map(|p| 100.0 * p.1).collect();
                    parts::draw_line(chart, theme, &xs, &ys, colour_of(i, cohorts.len()))?;
                }
                Ok(())
            },
        )
        .map(|drawn| drawn.shortfall)
}
