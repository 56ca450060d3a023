//! Axes: numeric y axes with round ticks and short labels, tick-label formatting, and
//! the categorical and numeric x axes (the date axis lives in `date`). Sizes of the label
//! areas are computed here so that the layout can reserve them before drawing.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::parts::{Chart, line_height, text_size, text_style};
use super::render::{Area, DrawError};
use super::style::{self, GRID, INK, Theme};

/// Formats tick values with the decimals their spacing needs and thousands separators.
pub fn tick_formatter(ticks: &[f64]) -> impl Fn(&f64) -> String + use<> {
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|s| *s > 0.0)
        .fold(f64::INFINITY, f64::min);
    // The nudge keeps a step of 0.1 that floating point made 0.0999... at one decimal.
    let decimals = if step.is_finite() && step < 1.0 {
        (-(step.log10() + 1e-6).floor()).clamp(0.0, 6.0) as usize
    } else {
        0
    };
    move |v: &f64| format_number(*v, decimals)
}

/// `12345.6` with 0 decimals → `12,346`; negative zero prints as `0`.
pub fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !is_zero {
        "\u{2212}"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A numeric y axis: its title, range, and the ticks plotters will draw for it.
pub struct YAxis {
    pub title: String,
    pub range: Range<f64>,
}

impl YAxis {
    pub const TICKS: usize = 8;

    /// An axis from 0 to a little above `max` (at least 1).
    pub fn from_zero(title: impl Into<String>, max: f64) -> Self {
        let top = if max.is_finite() && max > 0.0 {
            max * 1.05
        } else {
            1.0
        };
        Self {
            title: title.into(),
            range: 0.0..top,
        }
    }

    /// An axis covering `low..high` with some air, always including 0.
    pub fn around(title: impl Into<String>, low: f64, high: f64) -> Self {
        let (lo, hi) = (low.min(0.0), high.max(0.0));
        let air = ((hi - lo) * 0.08).max(1e-9);
        Self {
            title: title.into(),
            range: if lo < 0.0 { lo - air } else { 0.0 }..if hi > 0.0 { hi + air } else { air },
        }
    }

    pub fn ticks(&self) -> Vec<f64> {
        RangedCoordf64::from(self.range.clone()).key_points(Self::TICKS)
    }

    /// Width of the label area left of the chart: tick labels plus the rotated title.
    pub fn label_area_width(&self, area: &Area, theme: &Theme) -> i32 {
        let fmt = tick_formatter(&self.ticks());
        let widest = self
            .ticks()
            .iter()
            .map(|t| text_size(area, &fmt(t), theme.text).0)
            .max()
            .unwrap_or(0);
        widest + 2 * theme.tick + theme.pad + line_height(theme.axis_title)
    }
}

/// Height of the label area under a chart: tick labels and, if any, the axis title.
pub fn x_label_area_height(theme: &Theme, has_title: bool) -> i32 {
    let ticks = 2 * theme.tick + line_height(theme.text);
    if has_title {
        ticks + theme.pad / 2 + line_height(theme.axis_title)
    } else {
        ticks
    }
}

/// Draws axes, tick labels and light horizontal grid lines (no vertical ones, no box).
pub fn draw_axes<X>(
    chart: &mut Chart<'_, '_, X>,
    theme: &Theme,
    y: &YAxis,
    x_title: Option<&str>,
    x_ticks: usize,
) -> Result<(), DrawError>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let fmt = tick_formatter(&y.ticks());
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .bold_line_style(GRID.stroke_width(theme.thin))
        .light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .axis_style(INK.stroke_width(theme.thin))
        .set_all_tick_mark_size(theme.tick)
        .x_labels(x_ticks)
        .y_labels(YAxis::TICKS)
        .label_style(text_style(theme.text, INK))
        .axis_desc_style(text_style(theme.axis_title, INK))
        .y_label_formatter(&fmt)
        .y_desc(y.title.clone());
    if let Some(title) = x_title {
        mesh.x_desc(title);
    }
    mesh.draw()
}

/// How many date labels fit along `width` pixels without crowding.
pub fn date_ticks_for(area: &Area, theme: &Theme, width: i32) -> usize {
    let label = text_size(area, "Sep 2022", theme.text).0 + style::pt(5.0) as i32;
    ((width / label.max(1)) as usize).clamp(2, 12)
}

/// A categorical x axis: category `i` occupies `i..i + 1` and is labelled at its centre.
/// Values are `f64` so that several series can sit side by side within a category.
#[derive(Clone, Debug)]
pub struct CategoryAxis {
    pub labels: Vec<String>,
}

impl Ranged for CategoryAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let frac = value / self.labels.len().max(1) as f64;
        limit.0 + (frac * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.max_num_points() == 0 || hint.weight().allow_light_points() {
            return Vec::new();
        }
        (0..self.labels.len()).map(|i| i as f64 + 0.5).collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..self.labels.len().max(1) as f64
    }
}

impl ValueFormatter<f64> for CategoryAxis {
    fn format_ext(&self, value: &f64) -> String {
        self.labels
            .get(value.floor().max(0.0) as usize)
            .cloned()
            .unwrap_or_default()
    }
}

/// A numeric x axis with plotters' round-number ticks, labelled like the y axes.
#[derive(Clone)]
pub struct NumberAxis {
    inner: RangedCoordf64,
    ticks: usize,
}

impl NumberAxis {
    pub fn new(range: Range<f64>, ticks: usize) -> Self {
        Self {
            inner: RangedCoordf64::from(range),
            ticks,
        }
    }
}

impl Ranged for NumberAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        // The caller sized `ticks` for these labels; plotters' hint is sized for dates.
        self.inner.key_points(self.ticks)
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

impl ValueFormatter<f64> for NumberAxis {
    fn format_ext(&self, value: &f64) -> String {
        tick_formatter(&self.inner.key_points(self.ticks))(value)
    }
}
