//! Forest plots: one row per item (parameters of a sweep, arms of an experiment), each with
//! one or more estimates drawn as markers with their intervals along a shared x axis, the
//! zero line marked when the axis crosses it. Row names sit left of the rows (broken after
//! a dot or between words when long); the legend, one entry per series, is above.
//!
//! The sensitivity figures of sweeps and the effects figures of experiments are forest
//! plots; each only says what its rows, series and axis are.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ColumnWidth;
use super::axes::tick_formatter;
use super::parts::{
    LegendEntry, Marker, Swatch, draw_legend, draw_marker, draw_text, draw_title, line_height,
    text_size, wrap_path, wrap_words,
};
use super::render::{Area, DrawError};
use super::style::{self, BLACK, EVENT_LINE, GRID, INK, Theme};
use super::sweep::Estimate;

/// One series of estimates: a marker and colour in every row.
pub struct Series {
    pub label: String,
    pub colour: RGBColor,
    pub marker: Marker,
}

/// What a forest plot shows.
pub struct Forest<'a> {
    /// Row names, top to bottom.
    pub rows: &'a [String],
    pub series: &'a [Series],
    /// Per row, one estimate per series.
    pub estimates: &'a [Vec<Estimate>],
    pub x_title: &'a str,
}

/// Figure height for `rows` rows of `series` estimates each.
pub fn height_mm(width: &ColumnWidth, rows: usize, series: usize) -> f64 {
    let per_row = match width {
        ColumnWidth::Single => 8.0,
        ColumnWidth::Double => 7.0,
    } * (1.0 + 0.25 * series.saturating_sub(2) as f64);
    (28.0 + per_row * rows as f64).clamp(50.0, 230.0)
}

/// Draws a forest plot; returns how many pixels more height the rows would need.
pub fn draw(
    forest: &Forest<'_>,
    area: &Area,
    theme: &Theme,
    title: Option<String>,
) -> Result<i32, DrawError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let text_h = line_height(theme.text);

    // Left: row names, broken when they would take too much of the width.
    let names: Vec<Vec<String>> = forest
        .rows
        .iter()
        .map(|p| {
            let max = (f64::from(w) * 0.4) as i32;
            if p.contains('.') && !p.contains(' ') {
                wrap_path(area, p, theme.text, max)
            } else {
                wrap_words(area, p, theme.text, max)
            }
        })
        .collect();
    let names_w = names
        .iter()
        .flatten()
        .map(|l| text_size(area, l, theme.text).0)
        .max()
        .unwrap_or(0);
    let x0 = theme.margin + names_w + theme.pad;

    // The x range: every estimate and interval, from zero at least.
    let all: Vec<f64> = forest
        .estimates
        .iter()
        .flatten()
        .flat_map(|e| [e.value, e.low, e.high])
        .flatten()
        .collect();
    let lo = all.iter().copied().fold(0.0, f64::min);
    let hi = all.iter().copied().fold(0.0, f64::max);
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let air = (hi - lo) * 0.04;
    let range = if lo < 0.0 { lo - air } else { 0.0 }..hi + air;

    // Ticks: as many as fit, the last label's half-width kept inside the figure.
    let probe = RangedCoordf64::from(range.clone());
    let widest_tick = {
        let ticks = probe.key_points(10);
        let fmt = tick_formatter(&ticks);
        ticks
            .iter()
            .map(|t| text_size(area, &fmt(t), theme.text).0)
            .max()
            .unwrap_or(0)
    };
    let x1 = w - theme.margin - widest_tick / 2;
    let fits = ((x1 - x0) / (widest_tick + style::pt(10.0) as i32).max(1)) as usize;
    let ticks = probe.key_points(fits.clamp(2, 10));
    let fmt = tick_formatter(&ticks);
    let to_x = |v: f64| {
        x0 + ((v - range.start) / (range.end - range.start) * f64::from(x1 - x0)).round() as i32
    };

    let legend: Vec<LegendEntry> = forest
        .series
        .iter()
        .map(|s| LegendEntry::new(&s.label, s.colour, Swatch::Across(s.marker)))
        .collect();
    let mut top = draw_title(area, theme, title.as_deref(), theme.pad)?;
    top = draw_legend(area, theme, &legend, (x0, x1), top)?;
    // The axis title goes on as many lines as the figure's width needs.
    let title_lines = wrap_words(area, forest.x_title, theme.axis_title, w - 2 * theme.margin);
    let title_h = line_height(theme.axis_title);
    let y0 = top;
    let y1 = h
        - (theme.tick
            + theme.pad / 2
            + text_h
            + theme.pad / 2
            + title_lines.len() as i32 * title_h
            + theme.pad);

    // Grid lines, the zero line when the axis goes below it, and the axis.
    for t in &ticks {
        let x = to_x(*t);
        let colour = if *t == 0.0 && range.start < 0.0 {
            EVENT_LINE
        } else {
            GRID
        };
        area.draw(&PathElement::new(
            vec![(x, y0), (x, y1)],
            colour.stroke_width(theme.thin),
        ))?;
        area.draw(&PathElement::new(
            vec![(x, y1), (x, y1 + theme.tick)],
            INK.stroke_width(theme.thin),
        ))?;
        draw_text(
            area,
            &fmt(t),
            (x, y1 + theme.tick + theme.pad / 2),
            theme.text,
            INK,
            (HPos::Center, VPos::Top),
        )?;
    }
    area.draw(&PathElement::new(
        vec![(x0, y1), (x1, y1)],
        INK.stroke_width(theme.thin),
    ))?;
    // Centred under the axis, but kept inside the figure.
    let mut y = y1 + theme.tick + theme.pad / 2 + text_h + theme.pad / 2;
    for line in &title_lines {
        let half = text_size(area, line, theme.axis_title).0 / 2;
        let x = ((x0 + x1) / 2).clamp(
            theme.margin + half,
            (w - theme.margin - half).max(theme.margin + half),
        );
        draw_text(
            area,
            line,
            (x, y),
            theme.axis_title,
            BLACK,
            (HPos::Center, VPos::Top),
        )?;
        y += title_h;
    }

    // Rows: the series spread evenly about the row's middle, the first on top.
    let k = forest.rows.len().max(1) as i32;
    let n = forest.series.len().max(1);
    let row_h = f64::from(y1 - y0) / f64::from(k);
    let step = if n > 1 {
        (row_h * 0.34 / (n - 1) as f64).min(style::pt(7.0) / (n - 1) as f64)
    } else {
        0.0
    };
    for (i, (estimates, name)) in forest.estimates.iter().zip(&names).enumerate() {
        let mid = y0 + ((i as f64 + 0.5) * row_h).round() as i32;
        let lines = name.len() as i32;
        for (l, line) in name.iter().enumerate() {
            let dy = (2 * l as i32 - (lines - 1)) * text_h / 2;
            draw_text(
                area,
                line,
                (x0 - theme.pad, mid + dy),
                theme.text,
                INK,
                (HPos::Right, VPos::Center),
            )?;
        }
        for (s, (e, series)) in estimates.iter().zip(forest.series).enumerate() {
            let y = mid + ((s as f64 - (n - 1) as f64 / 2.0) * step).round() as i32;
            draw_estimate(area, theme, e, y, series.colour, series.marker, &to_x)?;
        }
    }
    let need = theme.min_plot.max(k * style::mm(5.0));
    Ok((need - (y1 - y0)).max(0))
}

fn draw_estimate(
    area: &Area,
    theme: &Theme,
    e: &Estimate,
    y: i32,
    colour: RGBColor,
    marker: Marker,
    to_x: &impl Fn(f64) -> i32,
) -> Result<(), DrawError> {
    let Some(value) = e.value else {
        return Ok(());
    };
    if let (Some(low), Some(high)) = (e.low, e.high) {
        area.draw(&PathElement::new(
            vec![(to_x(low), y), (to_x(high), y)],
            colour.stroke_width(theme.thin * 2),
        ))?;
    }
    draw_marker(area, theme, marker, (to_x(value), y), colour)
}
