//! Pieces every figure is built from: text, the title and legend, the `Frame` that lays
//! out a header (title, legend, event labels from `events`) above a chart (axes from
//! `axes`), the shapes for means, bands, stacked areas and point estimates, and text read
//! upwards or broken after dots. Figures decide *what* to draw; this module and its
//! siblings decide how it looks.
//!
//! Layout works in the figure's pixels (300 dpi) from the top down: each header part
//! reports the height it used, and the chart gets the rest, so nothing overlaps.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{YAxis, date_ticks_for, draw_axes, x_label_area_height};
use super::data::Event;
use super::events::{EventLabels, draw_event_key, layout_events, max_event_rows};
use super::render::{Area, DrawError};
use super::style::{self, BLACK, EVENT_LINE, FONT, INK, Theme};

/// A chart with a numeric y axis over `X`.
pub type Chart<'a, 'b, X> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, RangedCoordf64>>;

/// Text in the embedded font, `size` in plotters units (see [`Theme`]).
pub fn text_style(size: f64, colour: RGBColor) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: colour.to_backend_color(),
        pos: Pos::default(),
    }
}

/// Width and height in pixels of `text` drawn at `size`.
pub fn text_size(area: &Area, text: &str, size: f64) -> (i32, i32) {
    area.estimate_text_size(text, &text_style(size, INK))
        .map(|(w, h)| (w as i32, h as i32))
        .unwrap_or((0, 0))
}

/// Height of one line of text at `size`, with leading.
pub fn line_height(size: f64) -> i32 {
    (size / 1.24 * 1.35).round() as i32
}

/// Draws `text` with its anchor at `pos` (area coordinates).
pub fn draw_text(
    area: &Area,
    text: &str,
    pos: (i32, i32),
    size: f64,
    colour: RGBColor,
    anchor: (HPos, VPos),
) -> Result<(), DrawError> {
    let style = text_style(size, colour).pos(Pos::new(anchor.0, anchor.1));
    area.draw(&Text::new(text.to_owned(), pos, style))
}

/// Draws the figure title (when there is one) at `top`; returns the new top.
pub fn draw_title(
    area: &Area,
    theme: &Theme,
    title: Option<&str>,
    top: i32,
) -> Result<i32, DrawError> {
    let Some(title) = title else { return Ok(top) };
    draw_text(
        area,
        title,
        (theme.margin, top),
        theme.title,
        BLACK,
        (HPos::Left, VPos::Top),
    )?;
    Ok(top + line_height(theme.title) + theme.pad)
}

/// How a legend entry shows its series.
#[derive(Clone, Copy, Debug)]
pub enum Swatch {
    /// A mean line.
    Line,
    /// A mean line over its translucent interval band.
    LineBand,
    /// A filled area.
    Area,
    /// A point with an interval whisker.
    Point,
    /// A marker on a horizontal interval whisker (for charts whose values run along x).
    Across(Marker),
}

#[derive(Clone, Debug)]
pub struct LegendEntry {
    pub label: String,
    pub colour: RGBColor,
    pub swatch: Swatch,
}

impl LegendEntry {
    pub fn new(label: impl Into<String>, colour: RGBColor, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            colour,
            swatch,
        }
    }
}

/// Draws a legend as rows of entries between `x0` and `x1`, starting at `top`, wrapping
/// as needed; returns the new top. Legends sit above the chart so they never hide data.
pub fn draw_legend(
    area: &Area,
    theme: &Theme,
    entries: &[LegendEntry],
    (x0, x1): (i32, i32),
    top: i32,
) -> Result<i32, DrawError> {
    if entries.is_empty() {
        return Ok(top);
    }
    let swatch_w = style::pt(14.0) as i32;
    let gap = style::pt(3.0) as i32;
    let spacing = style::pt(10.0) as i32;
    let row_h = line_height(theme.text);
    let (mut x, mut y) = (x0, top);
    for entry in entries {
        let width = swatch_w + gap + text_size(area, &entry.label, theme.text).0;
        if x > x0 && x + width > x1 {
            x = x0;
            y += row_h;
        }
        let mid = y + row_h / 2;
        draw_swatch(area, theme, entry, (x, mid), swatch_w)?;
        draw_text(
            area,
            &entry.label,
            (x + swatch_w + gap, mid),
            theme.text,
            INK,
            (HPos::Left, VPos::Center),
        )?;
        x += width + spacing;
    }
    Ok(y + row_h + theme.pad)
}

fn draw_swatch(
    area: &Area,
    theme: &Theme,
    entry: &LegendEntry,
    (x, mid): (i32, i32),
    w: i32,
) -> Result<(), DrawError> {
    let half = (line_height(theme.text) as f64 * 0.3) as i32;
    let line = entry.colour.stroke_width(theme.line);
    match entry.swatch {
        Swatch::Line => area.draw(&PathElement::new(vec![(x, mid), (x + w, mid)], line)),
        Swatch::LineBand => {
            area.draw(&Rectangle::new(
                [(x, mid - half), (x + w, mid + half)],
                style::band(entry.colour).filled(),
            ))?;
            area.draw(&PathElement::new(vec![(x, mid), (x + w, mid)], line))
        }
        Swatch::Area => area.draw(&Rectangle::new(
            [(x, mid - half), (x + w, mid + half)],
            entry.colour.filled(),
        )),
        Swatch::Point => {
            let c = x + w / 2;
            area.draw(&PathElement::new(
                vec![(c, mid - half), (c, mid + half)],
                entry.colour.stroke_width(theme.thin * 2),
            ))?;
            draw_marker(area, theme, Marker::Circle, (c, mid), entry.colour)
        }
        Swatch::Across(marker) => {
            area.draw(&PathElement::new(
                vec![(x, mid), (x + w, mid)],
                entry.colour.stroke_width(theme.thin * 2),
            ))?;
            draw_marker(area, theme, marker, (x + w / 2, mid), entry.colour)
        }
    }
}

/// The shape of a point estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
}

/// Draws a marker centred at `centre` (area pixels); a square has the circle's area.
pub fn draw_marker(
    area: &Area,
    theme: &Theme,
    shape: Marker,
    (x, y): (i32, i32),
    colour: RGBColor,
) -> Result<(), DrawError> {
    let r = marker_radius(theme);
    match shape {
        Marker::Circle => area.draw(&Circle::new((x, y), r, colour.filled())),
        Marker::Square => {
            let h = (f64::from(r) * 0.886).round() as i32;
            area.draw(&Rectangle::new(
                [(x - h, y - h), (x + h, y + h)],
                colour.filled(),
            ))
        }
    }
}

/// Draws `lines` of text rotated to read upwards, as one block centred at `centre` (the
/// first line leftmost): for a vertical axis title.
pub fn draw_vertical_text(
    area: &Area,
    lines: &[String],
    centre: (i32, i32),
    size: f64,
    colour: RGBColor,
) -> Result<(), DrawError> {
    let lh = line_height(size);
    let n = lines.len() as i32;
    for (i, line) in lines.iter().enumerate() {
        // Twice the offset, halved, so that an even number of lines stays centred.
        let dx = (2 * i as i32 - (n - 1)) * lh / 2;
        let style = text_style(size, colour)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(line.clone(), (centre.0 + dx, centre.1), style))?;
    }
    Ok(())
}

/// Breaks a dotted parameter path (`policy.rvp.employment.processing_days`) into lines no
/// wider than `max_width` at `size`, after its dots; a part longer than that stays whole.
pub fn wrap_path(area: &Area, text: &str, size: f64, max_width: i32) -> Vec<String> {
    if text_size(area, text, size).0 <= max_width {
        return vec![text.to_owned()];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in text.split_inclusive('.') {
        let candidate = format!("{line}{part}");
        if !line.is_empty() && text_size(area, &candidate, size).0 > max_width {
            lines.push(std::mem::take(&mut line));
            line = part.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn marker_radius(theme: &Theme) -> i32 {
    (theme.line as f64 * 1.6).round() as i32
}

/// A framed chart: header (title or panel letter, legend, event labels) above a chart
/// with a numeric y axis, and a vertical line for each policy event when x is dates.
pub struct Frame<'e> {
    pub title: Option<String>,
    pub legend: Vec<LegendEntry>,
    /// Policy events, drawn only on date axes.
    pub events: &'e [Event],
    pub x_title: Option<String>,
    pub y: YAxis,
    /// Draw event lines over the data rather than behind it (for filled areas, which
    /// would hide them).
    pub events_on_top: bool,
    pub event_labels: EventLabels,
}

/// What drawing a frame reports back to the figure.
#[derive(Clone, Copy, Debug)]
pub struct Drawn {
    /// Pixels the chart falls short of the theme's minimum height (0 if none).
    pub shortfall: i32,
    /// Whether events were numbered (with a key, unless [`EventLabels::NumbersOnly`]).
    pub numbered: bool,
}

impl<'e> Frame<'e> {
    pub fn new(y: YAxis) -> Self {
        Self {
            title: None,
            legend: Vec::new(),
            events: &[],
            x_title: None,
            y,
            events_on_top: false,
            event_labels: EventLabels::Auto,
        }
    }

    /// Lays out and draws the frame on `area`. `x_axis` builds the x axis given how many
    /// tick labels fit; `series` then draws the data. Reports how many pixels the chart
    /// falls short of the theme's minimum height, so that a figure whose header grew (many
    /// events, a long legend) can be drawn again taller.
    pub fn draw<X>(
        &self,
        area: &Area,
        theme: &Theme,
        x_axis: impl FnOnce(usize) -> X,
        series: impl FnOnce(&mut Chart<'_, '_, X>) -> Result<(), DrawError>,
    ) -> Result<Drawn, DrawError>
    where
        X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        let (width, _) = area.dim_in_pixel();
        let width = width as i32;
        let y_area = self.y.label_area_width(area, theme);
        let plot_x0 = theme.margin + y_area;
        let plot_x1 = width - theme.margin;
        let x_ticks = date_ticks_for(area, theme, plot_x1 - plot_x0);
        let x_spec = x_axis(x_ticks);
        let x_range = x_spec.range();

        let mut top = draw_title(area, theme, self.title.as_deref(), theme.pad)?;
        top = draw_legend(area, theme, &self.legend, (plot_x0, plot_x1), top)?;

        let span = (x_range.end - x_range.start).max(f64::MIN_POSITIVE);
        let to_px = |x: f64| {
            plot_x0 + ((x - x_range.start) / span * f64::from(plot_x1 - plot_x0)).round() as i32
        };
        // Events on the same day share one line and one label.
        let mut groups: Vec<(f64, String)> = Vec::new();
        for e in self.events {
            let day = e.date as f64;
            if !(x_range.contains(&day) || day == x_range.end) {
                continue;
            }
            match groups.last_mut() {
                Some((d, label)) if *d == day => {
                    label.push_str("; ");
                    label.push_str(&e.label);
                }
                _ => groups.push((day, e.label.clone())),
            }
        }
        // Labels beside their lines while they fit in a few rows; otherwise the lines get
        // numbers and a key lists the events, so the chart keeps its height.
        let direct: Vec<(i32, &str)> = groups
            .iter()
            .map(|(d, l)| (to_px(*d), l.as_str()))
            .collect();
        let mut layout = layout_events(area, theme, &direct, width - theme.pad, false);
        let numbers: Vec<String> = (1..=groups.len()).map(|n| n.to_string()).collect();
        let numbered = self.event_labels == EventLabels::NumbersOnly
            || layout.rows > max_event_rows(plot_x1 - plot_x0);
        let marks: Vec<(i32, &str)> = if numbered {
            let marks: Vec<(i32, &str)> = direct
                .iter()
                .zip(&numbers)
                .map(|(d, n)| (d.0, n.as_str()))
                .collect();
            layout = layout_events(area, theme, &marks, width - theme.pad, true);
            let key: Vec<(&str, &str)> = numbers
                .iter()
                .zip(&groups)
                .map(|(n, g)| (n.as_str(), g.1.as_str()))
                .collect();
            if self.event_labels == EventLabels::Auto {
                top = draw_event_key(area, theme, &key, (plot_x0, plot_x1), top)?;
            }
            marks
        } else {
            direct
        };
        let row_h = line_height(theme.small);
        let strip_top = top;
        if layout.rows > 0 {
            top += layout.rows as i32 * row_h + theme.pad / 2;
        }

        let mut chart = ChartBuilder::on(area)
            .margin_top(top)
            .margin_left(theme.margin)
            .margin_right(theme.margin)
            .margin_bottom(theme.pad)
            .x_label_area_size(x_label_area_height(theme, self.x_title.is_some()))
            .y_label_area_size(y_area)
            .build_cartesian_2d(x_spec, self.y.range.clone())?;
        draw_axes(&mut chart, theme, &self.y, self.x_title.as_deref(), x_ticks)?;

        // Event lines run from the x axis up to their label, normally behind the data.
        let (base_x, base_y) = area.get_base_pixel();
        let mut lines = Vec::new();
        for &(i, row, left, centred) in &layout.placed {
            let (x_abs, bottom_abs) = chart.backend_coord(&(groups[i].0, self.y.range.start));
            let (x, bottom) = (x_abs - base_x, bottom_abs - base_y);
            let label_mid = strip_top + (layout.rows - 1 - row) as i32 * row_h + row_h / 2;
            let line_top = if centred {
                label_mid + row_h / 2
            } else {
                label_mid
            };
            lines.push(vec![(x, bottom), (x, line_top)]);
            draw_text(
                area,
                marks[i].1,
                (left, label_mid),
                theme.small,
                INK,
                (HPos::Left, VPos::Center),
            )?;
        }
        let draw_lines = |lines: Vec<Vec<(i32, i32)>>| {
            lines.into_iter().try_for_each(|line| {
                area.draw(&PathElement::new(line, EVENT_LINE.stroke_width(theme.thin)))
            })
        };
        if self.events_on_top {
            series(&mut chart)?;
            draw_lines(lines)?;
        } else {
            draw_lines(lines)?;
            series(&mut chart)?;
        }
        let plot_height = chart.plotting_area().dim_in_pixel().1 as i32;
        Ok(Drawn {
            shortfall: (theme.min_plot - plot_height).max(0),
            numbered,
        })
    }
}

/// Draws a translucent band between `low` and `high` (points where either is NaN are
/// skipped).
pub fn draw_band<X: Ranged<ValueType = f64>>(
    chart: &mut Chart<'_, '_, X>,
    xs: &[f64],
    (low, high): (&[f64], &[f64]),
    colour: RGBColor,
) -> Result<(), DrawError> {
    let idx: Vec<usize> = (0..xs.len())
        .filter(|&i| !(low[i].is_nan() || high[i].is_nan()))
        .collect();
    let band: Vec<(f64, f64)> = idx
        .iter()
        .map(|&i| (xs[i], high[i]))
        .chain(idx.iter().rev().map(|&i| (xs[i], low[i])))
        .collect();
    if !band.is_empty() {
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            style::band(colour).filled(),
        )))?;
    }
    Ok(())
}

/// Draws a line through the points whose value is not NaN.
pub fn draw_line<X: Ranged<ValueType = f64>>(
    chart: &mut Chart<'_, '_, X>,
    theme: &Theme,
    xs: &[f64],
    ys: &[f64],
    colour: RGBColor,
) -> Result<(), DrawError> {
    let points = xs
        .iter()
        .zip(ys)
        .filter(|(_, y)| !y.is_nan())
        .map(|(x, y)| (*x, *y));
    chart.draw_series(LineSeries::new(points, colour.stroke_width(theme.line)))?;
    Ok(())
}

/// Draws `layers` stacked from the bottom up as filled areas. Each layer is filled from
/// zero to its cumulative top, topmost first, so anti-aliasing leaves no seams between
/// neighbouring layers.
pub fn draw_stack<X: Ranged<ValueType = f64>>(
    chart: &mut Chart<'_, '_, X>,
    xs: &[f64],
    layers: &[Vec<f64>],
    colours: &[RGBColor],
) -> Result<(), DrawError> {
    let idx: Vec<usize> = (0..xs.len())
        .filter(|&i| layers.iter().all(|l| !l[i].is_nan()))
        .collect();
    let mut tops = Vec::with_capacity(layers.len());
    let mut running = vec![0.0; xs.len()];
    for layer in layers {
        running = running.iter().zip(layer).map(|(b, v)| b + v).collect();
        tops.push(running.clone());
    }
    for (top, colour) in tops.iter().zip(colours).rev() {
        let outline: Vec<(f64, f64)> = idx
            .iter()
            .map(|&i| (xs[i], top[i]))
            .chain(idx.iter().rev().map(|&i| (xs[i], 0.0)))
            .collect();
        if !outline.is_empty() {
            chart.draw_series(std::iter::once(Polygon::new(outline, colour.filled())))?;
        }
    }
    Ok(())
}

/// Breaks `text` into lines no wider than `max_width` at `size`, between words; a word
/// longer than that stays whole.
pub fn wrap_words(area: &Area, text: &str, size: f64, max_width: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_size(area, &format!("{line} {word}"), size).0 <= max_width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}
