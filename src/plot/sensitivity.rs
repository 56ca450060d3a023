//! The `sensitivity_<outcome>` figures of a Sobol or Morris sweep, from `sensitivity.csv`:
//! one row per parameter (in the sweep's order, the same in every outcome's figure), with
//! the method's two indices as points with their confidence intervals: first-order (S1,
//! circles) and total-order (ST, squares) Sobol indices, or Morris μ* (circles) and σ
//! (squares) in percentage points of arrivals.
//!
//! Parameter names sit left of the rows (broken after a dot when long); the index runs
//! along x with light vertical grid lines; the legend is above.

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
use super::style::{self, BLACK, EVENT_LINE, GRID, INK, REDDISH_PURPLE, Theme};
use super::sweep::{Estimate, Method, OutcomeIndices, Sensitivity};

/// Colours and markers of the two indices; not outcome colours, which mean outcomes
/// elsewhere.
const FIRST: (RGBColor, Marker) = (BLACK, Marker::Circle);
const SECOND: (RGBColor, Marker) = (REDDISH_PURPLE, Marker::Square);

/// Figure height for `params` rows.
pub fn height_mm(width: &ColumnWidth, params: usize) -> f64 {
    let per_row = match width {
        ColumnWidth::Single => 8.0,
        ColumnWidth::Double => 7.0,
    };
    (28.0 + per_row * params as f64).clamp(50.0, 230.0)
}

fn legend(method: Method) -> Vec<LegendEntry> {
    let (a, b) = match method {
        Method::Sobol => ("first order (S1)", "total order (ST)"),
        Method::Morris => ("μ* (mean |elementary effect|)", "σ (spread of effects)"),
    };
    vec![
        LegendEntry::new(a, FIRST.0, Swatch::Across(FIRST.1)),
        LegendEntry::new(b, SECOND.0, Swatch::Across(SECOND.1)),
    ]
}

fn x_title(method: Method) -> &'static str {
    match method {
        Method::Sobol => "Sobol index",
        Method::Morris => "elementary effect (pp of arrivals over the parameter's range)",
    }
}

/// Draws the indices of one outcome.
pub fn draw(
    sensitivity: &Sensitivity,
    indices: &OutcomeIndices,
    area: &Area,
    theme: &Theme,
    title: Option<String>,
) -> Result<i32, DrawError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let text_h = line_height(theme.text);

    // Left: parameter names, broken after dots when they would take too much of the width.
    let names: Vec<Vec<String>> = sensitivity
        .params
        .iter()
        .map(|p| wrap_path(area, p, theme.text, (f64::from(w) * 0.4) as i32))
        .collect();
    let names_w = names
        .iter()
        .flatten()
        .map(|l| text_size(area, l, theme.text).0)
        .max()
        .unwrap_or(0);
    let x0 = theme.margin + names_w + theme.pad;

    // The x range: every estimate and interval, from zero at least.
    let all: Vec<f64> = indices
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

    let mut top = draw_title(area, theme, title.as_deref(), theme.pad)?;
    top = draw_legend(area, theme, &legend(sensitivity.method), (x0, x1), top)?;
    // The axis title goes on as many lines as the figure's width needs.
    let title_lines = wrap_words(
        area,
        x_title(sensitivity.method),
        theme.axis_title,
        w - 2 * theme.margin,
    );
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

    // Rows: the first index a little above the row's middle, the second below.
    let k = sensitivity.params.len().max(1) as i32;
    let row_h = f64::from(y1 - y0) / f64::from(k);
    let offset = (row_h * 0.17).min(style::pt(3.5)).round() as i32;
    for (i, (estimates, name)) in indices.estimates.iter().zip(&names).enumerate() {
        let mid = y0 + ((i as f64 + 0.5) * row_h).round() as i32;
        let n = name.len() as i32;
        for (l, line) in name.iter().enumerate() {
            let dy = (2 * l as i32 - (n - 1)) * text_h / 2;
            draw_text(
                area,
                line,
                (x0 - theme.pad, mid + dy),
                theme.text,
                INK,
                (HPos::Right, VPos::Center),
            )?;
        }
        for (e, (colour, marker), y) in [
            (&estimates[0], FIRST, mid - offset),
            (&estimates[1], SECOND, mid + offset),
        ] {
            draw_estimate(area, theme, e, y, colour, marker, &to_x)?;
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
