//! Pieces every figure is built from: text styles, the header above a chart (title,
//! legend, event labels), axes with readable ticks, and the shapes for means, bands and
//! stacked areas. Figures decide *what* to draw; this module decides how it looks.
//!
//! Layout works in the figure's pixels (300 dpi) from the top down: each header part
//! reports the height it used, and the chart gets the rest, so nothing overlaps.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Event;
use super::render::{Area, DrawError};
use super::style::{self, BLACK, EVENT_KEY, EVENT_LINE, FONT, GRID, INK, Theme};

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
            area.draw(&Circle::new(
                (c, mid),
                marker_radius(theme),
                entry.colour.filled(),
            ))
        }
    }
}

pub fn marker_radius(theme: &Theme) -> i32 {
    (theme.line as f64 * 1.6).round() as i32
}

/// Where each event label goes above the chart: a row (0 is nearest the chart) and the
/// label's left edge. Labels hang to the right of their line (to the left near the right
/// edge), or are `centred` over it (short labels: numbers). A label never overlaps another label, and never crosses another event's line:
/// an event whose line lies under label L gets a lower row than L, since each line runs
/// from the chart up to its own label.
pub struct EventLayout {
    pub rows: usize,
    /// `(event index, row, left x)`, in event order.
    pub placed: Vec<(usize, usize, i32)>,
    /// Labels sit centred above their line (which then stops below the label).
    pub centred: bool,
}

pub fn layout_events(
    area: &Area,
    theme: &Theme,
    events: &[(i32, &str)],
    x_max: i32,
    centred: bool,
) -> EventLayout {
    let pad = style::pt(2.0) as i32;
    let gap = style::pt(if centred { 1.5 } else { 4.0 }) as i32;
    let spans: Vec<(i32, i32)> = events
        .iter()
        .map(|&(x, label)| {
            let w = text_size(area, label, theme.small).0;
            if centred {
                (x - w / 2, x - w / 2 + w)
            } else if x + pad + w <= x_max {
                (x + pad, x + pad + w)
            } else {
                (x - pad - w, x - pad)
            }
        })
        .collect();
    // below[i]: events whose line passes under label i, so must be placed lower.
    let below: Vec<Vec<usize>> = (0..events.len())
        .map(|i| {
            (0..events.len())
                .filter(|&j| {
                    j != i && events[j].0 >= spans[i].0 - gap && events[j].0 <= spans[i].1 + gap
                })
                .collect()
        })
        .collect();
    let mut row_of: Vec<Option<usize>> = vec![None; events.len()];
    for _ in 0..events.len() {
        // Next: an unplaced event whose "below" events are all placed, rightmost first;
        // if the constraints form a cycle (two labels over each other's lines), the
        // rightmost unplaced event goes next and one crossing is accepted.
        let unplaced = (0..events.len()).filter(|&i| row_of[i].is_none());
        let ready = unplaced
            .clone()
            .filter(|&i| below[i].iter().all(|&j| row_of[j].is_some()))
            .max_by_key(|&i| events[i].0);
        let Some(i) = ready.or_else(|| unplaced.max_by_key(|&i| events[i].0)) else {
            break;
        };
        let min_row = below[i]
            .iter()
            .filter_map(|&j| row_of[j])
            .map(|r| r + 1)
            .max()
            .unwrap_or(0);
        let (l, r) = spans[i];
        let row = (min_row..)
            .find(|&row| {
                !(0..events.len())
                    .any(|k| row_of[k] == Some(row) && l < spans[k].1 + gap && spans[k].0 < r + gap)
            })
            .expect("an empty row always exists");
        row_of[i] = Some(row);
    }
    let placed: Vec<(usize, usize, i32)> = row_of
        .iter()
        .enumerate()
        .filter_map(|(i, row)| row.map(|row| (i, row, spans[i].0)))
        .collect();
    EventLayout {
        rows: placed.iter().map(|p| p.1 + 1).max().unwrap_or(0),
        placed,
        centred,
    }
}

/// Formats tick values with the decimals their spacing needs and thousands separators.
pub fn tick_formatter(ticks: &[f64]) -> impl Fn(&f64) -> String + use<> {
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|s| *s > 0.0)
        .fold(f64::INFINITY, f64::min);
    let decimals = if step.is_finite() && step < 1.0 {
        (-step.log10().floor()).clamp(0.0, 6.0) as usize
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

/// Rows of event labels allowed above a chart `plot_width` pixels wide before the
/// events are numbered instead.
fn max_event_rows(plot_width: i32) -> usize {
    if plot_width < style::mm(110.0) { 2 } else { 3 }
}

/// Draws the key of numbered events (`1 label   2 label ...`), wrapping between `x0` and
/// `x1`; returns the new top.
fn draw_event_key(
    area: &Area,
    theme: &Theme,
    entries: &[(&str, &str)],
    (x0, x1): (i32, i32),
    top: i32,
) -> Result<i32, DrawError> {
    let gap = style::pt(2.5) as i32;
    let spacing = style::pt(8.0) as i32;
    let row_h = line_height(theme.small);
    let (mut x, mut y) = (x0, top);
    for (number, label) in entries {
        let number_w = text_size(area, number, theme.small).0;
        let width = number_w + gap + text_size(area, label, theme.small).0;
        if x > x0 && x + width > x1 {
            x = x0;
            y += row_h;
        }
        let mid = y + row_h / 2;
        draw_text(
            area,
            number,
            (x, mid),
            theme.small,
            BLACK,
            (HPos::Left, VPos::Center),
        )?;
        draw_text(
            area,
            label,
            (x + number_w + gap, mid),
            theme.small,
            EVENT_KEY,
            (HPos::Left, VPos::Center),
        )?;
        x += width + spacing;
    }
    Ok(y + row_h + theme.pad / 2)
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
        }
    }

    /// Lays out and draws the frame on `area`. `x_axis` builds the x axis given how many
    /// tick labels fit; `series` then draws the data. Returns how many pixels the chart
    /// falls short of the theme's minimum height (0 if none), so that a figure whose
    /// header grew (many events, a long legend) can be drawn again taller.
    pub fn draw<X>(
        &self,
        area: &Area,
        theme: &Theme,
        x_axis: impl FnOnce(usize) -> X,
        series: impl FnOnce(&mut Chart<'_, '_, X>) -> Result<(), DrawError>,
    ) -> Result<i32, DrawError>
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
        let numbered = layout.rows > max_event_rows(plot_x1 - plot_x0);
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
            top = draw_event_key(area, theme, &key, (plot_x0, plot_x1), top)?;
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
        for &(i, row, left) in &layout.placed {
            let (x_abs, bottom_abs) = chart.backend_coord(&(groups[i].0, self.y.range.start));
            let (x, bottom) = (x_abs - base_x, bottom_abs - base_y);
            let label_mid = strip_top + (layout.rows - 1 - row) as i32 * row_h + row_h / 2;
            let line_top = if layout.centred {
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
        Ok((theme.min_plot - plot_height).max(0))
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
        self.inner.key_points(hint.max_num_points().min(self.ticks))
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
