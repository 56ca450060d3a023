//! Figures over calendar time from one run's `daily.csv`: outcome stocks, composition of
//! those present, departures by reason, and social capital. Each figure has a `prepare`
//! step (reads columns, may fail with a [`PlotError`]) and a `draw` step (only draws), so
//! a bad file is reported before anything is written.

use plotters::style::RGBColor;

use super::PlotError;
use super::axes::YAxis;
use super::data::{Daily, Event, Matrix};
use super::date::DateAxis;
use super::events::EventLabels;
use super::parts::{self, Drawn, Frame, LegendEntry, Swatch};
use super::render::{Area, DrawError};
use super::style::{self, Outcome, Theme};
use crate::output::columns;

/// Days summed for flows (departures, help events).
const FLOW_WINDOW: i64 = 7;

/// A series with a mean line and a 5–95% band over replicates.
struct Banded {
    label: String,
    colour: RGBColor,
    mean: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
}

/// A set of series over dates, drawn as lines, bands or stacked areas.
pub struct TimePanel {
    xs: Vec<f64>,
    y_title: String,
    kind: PanelKind,
}

enum PanelKind {
    Bands(Vec<Banded>),
    Lines(Vec<(String, RGBColor, Vec<f64>)>),
    Stack(Vec<(String, RGBColor, Vec<f64>)>),
}

/// Counts above this are shown in thousands, so tick labels stay short.
const THOUSANDS_FROM: f64 = 10_000.0;

fn count_scale(max: f64, unit: &str) -> (f64, String) {
    if max >= THOUSANDS_FROM {
        (1e-3, format!("{unit} (thousands)"))
    } else {
        (1.0, unit.to_owned())
    }
}

fn max_of<'a>(series: impl IntoIterator<Item = &'a Vec<f64>>) -> f64 {
    series
        .into_iter()
        .flatten()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(0.0, f64::max)
}

fn scale(values: &[f64], factor: f64) -> Vec<f64> {
    values.iter().map(|v| v * factor).collect()
}

fn x_values(daily: &Daily) -> Vec<f64> {
    daily.dates.iter().map(|&d| d as f64).collect()
}

/// `outcomes`: stocks present, integrated, moved on and returned.
pub fn outcomes(daily: &Daily) -> Result<TimePanel, PlotError> {
    let matrices = Outcome::ALL
        .iter()
        .map(|o| Ok((*o, daily.matrix(o.column())?)))
        .collect::<Result<Vec<_>, PlotError>>()?;
    let highs: Vec<Vec<f64>> = matrices.iter().map(|(_, m)| m.quantile(0.95)).collect();
    let (factor, y_title) = count_scale(max_of(&highs), "persons");
    let series = matrices
        .iter()
        .zip(highs)
        .map(|((outcome, m), high)| Banded {
            label: outcome.label().to_owned(),
            colour: outcome.colour(),
            mean: scale(&m.mean(), factor),
            low: scale(&m.quantile(0.05), factor),
            high: scale(&high, factor),
        })
        .collect();
    Ok(TimePanel {
        xs: x_values(daily),
        y_title,
        kind: PanelKind::Bands(series),
    })
}

/// The composition groups of those present: (figure name, column prefix, title).
pub const COMPOSITIONS: [(&str, &str, &str); 3] = [
    (
        "composition_legal",
        columns::LEGAL.name,
        "Legal status of migrants present",
    ),
    (
        "composition_housing",
        columns::HOUSING.name,
        "Housing of migrants present",
    ),
    (
        "composition_employment",
        columns::EMPLOYMENT.name,
        "Employment of migrants present",
    ),
];

/// Readable legend labels for the categories of the observation table; others are shown
/// with underscores as spaces.
fn category_label(prefix: &str, column: &str) -> String {
    columns::category_label(prefix, column)
}

/// `composition_*`: each category's share of those present (ratio of replicate means),
/// as stacked areas summing to 100%.
pub fn composition(daily: &Daily, prefix: &str) -> Result<TimePanel, PlotError> {
    let columns = daily.columns_with_prefix(prefix);
    if columns.is_empty() {
        return Err(PlotError::MissingColumn {
            path: daily.path().to_owned(),
            column: format!("{prefix}*"),
        });
    }
    let present = daily.matrix("present")?.mean();
    let colours = style::category_colours(&columns);
    let layers = columns
        .iter()
        .zip(colours)
        .map(|(column, colour)| {
            let mean = daily.matrix(column)?.mean();
            let share = mean
                .iter()
                .zip(&present)
                .map(|(v, p)| if *p > 0.0 { 100.0 * v / p } else { f64::NAN })
                .collect();
            Ok((category_label(prefix, column), colour, share))
        })
        .collect::<Result<Vec<_>, PlotError>>()?;
    Ok(TimePanel {
        xs: x_values(daily),
        y_title: "share of those present (%)".into(),
        kind: PanelKind::Stack(layers),
    })
}

/// Flows over the trailing window from columns that are either cumulative counts (never
/// decreasing in any replicate) or daily counts.
fn flows(daily: &Daily, m: &Matrix) -> Matrix {
    if m.is_cumulative() {
        daily.trailing_flow(m, FLOW_WINDOW)
    } else {
        daily.trailing_sum(m, FLOW_WINDOW)
    }
}

/// `departures_by_reason`: departures in the trailing 7 days by reason (from the
/// cumulative `left_*` columns), mean over replicates, stacked. Reasons that never occur
/// are left out of the chart and its legend.
pub fn departures(daily: &Daily) -> Result<TimePanel, PlotError> {
    let columns = daily.columns_with_prefix(columns::LEFT.name);
    if columns.is_empty() {
        return Err(PlotError::MissingColumn {
            path: daily.path().to_owned(),
            column: "left_*".into(),
        });
    }
    let colours = style::category_colours(&columns);
    let mut layers = Vec::new();
    for (column, colour) in columns.iter().zip(colours) {
        let cumulative = daily.matrix(column)?;
        let flow = daily.trailing_flow(&cumulative, FLOW_WINDOW).mean();
        if flow.iter().any(|v| *v > 0.0) {
            layers.push((category_label(columns::LEFT.name, column), colour, flow));
        }
    }
    let total: Vec<f64> = (0..daily.dates.len())
        .map(|d| layers.iter().map(|l| l.2[d]).filter(|v| !v.is_nan()).sum())
        .collect();
    let (factor, y_title) = count_scale(max_of([&total]), "departures per 7 days");
    for layer in &mut layers {
        layer.2 = scale(&layer.2, factor);
    }
    Ok(TimePanel {
        xs: x_values(daily),
        y_title,
        kind: PanelKind::Stack(layers),
    })
}

/// The social-capital columns (mean ties per migrant present, by kind).
/// The tie columns this run wrote (runs of earlier versions lack `ties_abroad`).
pub fn tie_columns(daily: &Daily) -> Vec<String> {
    let mut names = columns::names(&columns::TIES, &Default::default());
    names.retain(|c| daily.has(c));
    names
}

/// Whether this run wrote the social-capital columns.
pub fn has_social_capital(daily: &Daily) -> bool {
    !tie_columns(daily).is_empty()
}

/// Stocks of help received through ties, if this run wrote them: (column, denominator,
/// legend label).
const VIA_TIE: [(&str, &str, &str); 2] = [
    (
        "housed_via_tie",
        "present",
        "housed through a tie (% of present)",
    ),
    (
        "local_job_via_tie",
        "local_job",
        "local job found through a tie (% of local jobs)",
    ),
];

/// `social_capital`: mean ties per migrant present by type (the engine writes the `ties_*`
/// columns as means over those present), and a second panel on help through ties: help
/// events by kind in the trailing 7 days when there are `help_*` columns, otherwise the
/// shares housed and employed through a tie when those columns exist.
pub fn social_capital(daily: &Daily) -> Result<Vec<TimePanel>, PlotError> {
    let present = daily.matrix("present")?;
    let tie_columns = tie_columns(daily);
    let colours = style::category_colours(&tie_columns);
    let ties = tie_columns
        .iter()
        .zip(colours)
        .map(|(column, colour)| {
            // A day with nobody present has no mean (the engine writes 0 there).
            let mean = daily
                .matrix(column)?
                .zip(&present, |t, p| if p > 0.0 { t } else { f64::NAN });
            Ok((
                category_label(columns::TIES.name, column),
                colour,
                mean.mean(),
            ))
        })
        .collect::<Result<Vec<_>, PlotError>>()?;
    let mut panels = vec![TimePanel {
        xs: x_values(daily),
        y_title: "ties per migrant present".into(),
        kind: PanelKind::Lines(ties),
    }];
    let help_columns = daily.columns_with_prefix(columns::HELP.name);
    if !help_columns.is_empty() {
        let colours = style::category_colours(&help_columns);
        let mut lines = help_columns
            .iter()
            .zip(colours)
            .map(|(column, colour)| {
                let flow = flows(daily, &daily.matrix(column)?).mean();
                Ok((category_label(columns::HELP.name, column), colour, flow))
            })
            .collect::<Result<Vec<_>, PlotError>>()?;
        let (factor, y_title) =
            count_scale(max_of(lines.iter().map(|l| &l.2)), "help events per 7 days");
        for line in &mut lines {
            line.2 = scale(&line.2, factor);
        }
        panels.push(TimePanel {
            xs: x_values(daily),
            y_title,
            kind: PanelKind::Lines(lines),
        });
    } else if VIA_TIE.iter().all(|(c, d, _)| daily.has(c) && daily.has(d)) {
        let colours = [style::ORANGE, style::REDDISH_PURPLE];
        let lines = VIA_TIE
            .iter()
            .zip(colours)
            .map(|((column, denominator, label), colour)| {
                let (part, whole) = (
                    daily.matrix(column)?.mean(),
                    daily.matrix(denominator)?.mean(),
                );
                let share = part
                    .iter()
                    .zip(&whole)
                    .map(|(p, w)| if *w > 0.0 { 100.0 * p / w } else { f64::NAN })
                    .collect();
                Ok((label.to_string(), colour, share))
            })
            .collect::<Result<Vec<_>, PlotError>>()?;
        panels.push(TimePanel {
            xs: x_values(daily),
            y_title: "helped through a tie (%)".into(),
            kind: PanelKind::Lines(lines),
        });
    }
    Ok(panels)
}

impl TimePanel {
    fn legend(&self) -> Vec<LegendEntry> {
        match &self.kind {
            PanelKind::Bands(series) => series
                .iter()
                .map(|s| LegendEntry::new(&s.label, s.colour, Swatch::LineBand))
                .collect(),
            PanelKind::Lines(lines) => lines
                .iter()
                .map(|(label, colour, _)| LegendEntry::new(label, *colour, Swatch::Line))
                .collect(),
            PanelKind::Stack(layers) => layers
                .iter()
                .map(|(label, colour, _)| LegendEntry::new(label, *colour, Swatch::Area))
                .collect(),
        }
    }

    fn y_axis(&self) -> YAxis {
        match &self.kind {
            PanelKind::Bands(series) => {
                YAxis::from_zero(&self.y_title, max_of(series.iter().map(|s| &s.high)))
            }
            PanelKind::Lines(lines) => {
                YAxis::from_zero(&self.y_title, max_of(lines.iter().map(|l| &l.2)))
            }
            PanelKind::Stack(layers) => {
                let top: Vec<f64> = (0..self.xs.len())
                    .map(|d| layers.iter().map(|l| l.2[d]).filter(|v| !v.is_nan()).sum())
                    .collect();
                let max = max_of([&top]);
                // Shares stack to exactly 100%: end the axis there.
                if (max - 100.0).abs() < 1e-6 {
                    YAxis {
                        title: self.y_title.clone(),
                        range: 0.0..100.0,
                    }
                } else {
                    YAxis::from_zero(&self.y_title, max)
                }
            }
        }
    }

    /// Draws the panel with its legend and the policy events on `area`.
    pub fn draw(
        &self,
        area: &Area,
        theme: &Theme,
        title: Option<String>,
        events: &[Event],
        event_labels: EventLabels,
    ) -> Result<Drawn, DrawError> {
        let (first, last) = (
            self.xs.first().copied().unwrap_or(0.0),
            self.xs.last().copied().unwrap_or(1.0),
        );
        let frame = Frame {
            title,
            legend: self.legend(),
            events,
            events_on_top: matches!(self.kind, PanelKind::Stack(_)),
            event_labels,
            ..Frame::new(self.y_axis())
        };
        frame.draw(
            area,
            theme,
            |ticks| DateAxis::new(first, last, ticks),
            |chart| match &self.kind {
                PanelKind::Bands(series) => {
                    // All bands first, so no band veils another series' mean line.
                    for s in series {
                        parts::draw_band(chart, &self.xs, (&s.low, &s.high), s.colour)?;
                    }
                    series.iter().try_for_each(|s| {
                        parts::draw_line(chart, theme, &self.xs, &s.mean, s.colour)
                    })
                }
                PanelKind::Lines(lines) => lines.iter().try_for_each(|(_, colour, ys)| {
                    parts::draw_line(chart, theme, &self.xs, ys, *colour)
                }),
                PanelKind::Stack(layers) => {
                    let values: Vec<Vec<f64>> = layers.iter().map(|l| l.2.clone()).collect();
                    let colours: Vec<RGBColor> = layers.iter().map(|l| l.1).collect();
                    parts::draw_stack(chart, &self.xs, &values, &colours)
                }
            },
        )
    }
}
