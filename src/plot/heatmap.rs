//! The `heatmap_<outcome>` figures of a grid sweep: an outcome's mean over replicates (a
//! share of arrivals, in percent) in a cell per combination of the sweep's first two
//! parameters, on the sequential viridis ramp of `style`, with a labelled colour bar.
//! Cells carry their value as text while it fits legibly.
//!
//! Laid out in pixels from the outside in: title, colour bar on the right, parameter
//! labels and titles on the left and below, cells in what remains. The first parameter
//! runs along x, the second up y, both in ascending order when they are numbers or dates.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{format_number, tick_formatter};
use super::parts::{
    draw_text, draw_title, draw_vertical_text, line_height, text_size, text_style, wrap_path,
};
use super::render::{Area, DrawError};
use super::style::{self, BLACK, INK, Outcome, Theme};
use super::sweep::Grid;

/// Annotate cells with values only up to this many cells (beyond it the numbers become a
/// texture rather than information).
const MAX_ANNOTATED: usize = 120;

/// Draws the heatmap of `grid.cells[k]`, which holds `outcome`'s share of arrivals.
pub fn draw(
    grid: &Grid,
    k: usize,
    outcome: Outcome,
    area: &Area,
    theme: &Theme,
    title: Option<String>,
) -> Result<i32, DrawError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let values: Vec<f64> = grid.cells[k].iter().map(|v| v * 100.0).collect();
    let scale = Scale::of(&values);
    let (nx, ny) = (grid.nx() as i32, grid.ny() as i32);

    let text_h = line_height(theme.text);
    let title_h = line_height(theme.axis_title);
    // The colour bar's top and bottom labels reach half a line beyond the cells.
    let top = draw_title(area, theme, title.as_deref(), theme.pad)? + text_h / 2;

    // Right: the colour bar, its tick labels and its title.
    let bar_w = style::mm(3.0);
    let ticks = scale.ticks();
    let fmt = tick_formatter(&ticks);
    let tick_labels: Vec<String> = ticks.iter().map(&fmt).collect();
    let tick_w = tick_labels
        .iter()
        .map(|t| text_size(area, t, theme.text).0)
        .max()
        .unwrap_or(0);
    let bar_x0 =
        w - theme.margin - title_h - theme.pad - tick_w - theme.pad / 2 - theme.tick - bar_w;
    let x1 = bar_x0 - style::mm(4.0);

    // Left: the second parameter's name, up the side (broken after a dot when longer than
    // the side), and its values; bottom: the first parameter's values and its name. The
    // side's length depends on how the bottom labels go, which depends on the width left by
    // the side: lay out once with a guess, then again with the first result.
    let widest = |labels: &[String]| {
        labels
            .iter()
            .map(|l| text_size(area, l, theme.text).0)
            .max()
            .unwrap_or(0)
    };
    let y_labels_w = widest(&grid.y.labels);
    let x_label_w = widest(&grid.x.labels);
    // Dates may go on two lines, day and month over the year.
    let split: Option<Vec<(String, String)>> = grid.x.dates.then(|| {
        grid.x
            .labels
            .iter()
            .map(|l| match l.rsplit_once(' ') {
                Some((a, b)) => (a.to_owned(), b.to_owned()),
                None => (l.clone(), String::new()),
            })
            .collect()
    });
    let split_w = split.as_ref().map_or(i32::MAX, |parts| {
        parts
            .iter()
            .map(|(a, b)| {
                text_size(area, a, theme.text)
                    .0
                    .max(text_size(area, b, theme.text).0)
            })
            .max()
            .unwrap_or(0)
    });
    let room = |label_w: i32| f64::from(label_w + style::pt(4.0) as i32);
    let layout = |side: i32| {
        let y_title = wrap_path(area, &grid.y.path, theme.axis_title, side);
        let x0 = theme.margin
            + y_title.len() as i32 * title_h
            + theme.pad
            + y_labels_w
            + theme.pad
            + theme.tick;
        let cw = f64::from(x1 - x0) / f64::from(nx);
        // Across while they fit, else on two lines (dates), else turned to read upwards,
        // every `stride`-th if even that crowds.
        let (x_labels, labels_h) = if room(x_label_w) <= cw {
            (XLabels::Across, text_h)
        } else if room(split_w) <= cw {
            (XLabels::TwoLines, 2 * text_h)
        } else {
            // Turned labels stand an em and a little apart (no leading needed).
            let stride = stride(theme.text / 1.24 * 1.15, cw);
            (XLabels::Upwards { stride }, x_label_w)
        };
        let x_title = wrap_path(area, &grid.x.path, theme.axis_title, x1 - x0);
        // Space for tick marks is kept whether or not they are drawn (only with a stride,
        // to show which column a label belongs to).
        let y1 = h
            - (theme.tick
                + theme.pad
                + labels_h
                + theme.pad
                + x_title.len() as i32 * title_h
                + theme.pad);
        Layout {
            x0,
            y1,
            cw,
            x_labels,
            labels_h,
            x_title,
            y_title,
        }
    };
    let guess = layout(h - top - 3 * text_h - 2 * title_h);
    let Layout {
        x0,
        y1,
        cw,
        x_labels,
        labels_h: x_labels_h,
        x_title,
        y_title,
    } = layout(guess.y1 - top);
    let y0 = top;
    let ch = f64::from(y1 - y0) / f64::from(ny);
    let col = |i: i32| x0 + (f64::from(i) * cw).round() as i32;
    // Row 0 at the bottom, so values grow upwards.
    let row = |j: i32| y1 - (f64::from(j) * ch).round() as i32;

    // Cells, separated by thin white gaps (which also hide anti-aliasing seams).
    let gap = (theme.thin as i32 / 2).max(1);
    let decimals = scale.decimals();
    let texts: Vec<String> = values.iter().map(|v| format_number(*v, decimals)).collect();
    let widest = texts
        .iter()
        .map(|t| text_size(area, t, theme.small).0)
        .max()
        .unwrap_or(0);
    let annotate = values.len() <= MAX_ANNOTATED
        && f64::from(widest + 2 * theme.pad) <= cw
        && f64::from(line_height(theme.small) + theme.pad) <= ch;
    for j in 0..ny {
        for i in 0..nx {
            let v = values[(j * nx + i) as usize];
            let colour = scale.colour(v);
            area.draw(&Rectangle::new(
                [
                    (col(i) + gap, row(j + 1) + gap),
                    (col(i + 1) - gap, row(j) - gap),
                ],
                colour.filled(),
            ))?;
            if annotate {
                draw_text(
                    area,
                    &texts[(j * nx + i) as usize],
                    ((col(i) + col(i + 1)) / 2, (row(j) + row(j + 1)) / 2),
                    theme.small,
                    ink_on(colour),
                    (HPos::Center, VPos::Center),
                )?;
            }
        }
    }

    // Value labels, with tick marks when only every `stride`-th is labelled.
    let y_stride = stride(f64::from(text_h), ch);
    let tick = |points: Vec<(i32, i32)>| {
        area.draw(&PathElement::new(points, INK.stroke_width(theme.thin)))
    };
    let x_stride = match x_labels {
        XLabels::Upwards { stride } => stride,
        _ => 1,
    };
    for (i, label) in grid.x.labels.iter().enumerate().step_by(x_stride) {
        let x = (col(i as i32) + col(i as i32 + 1)) / 2;
        if x_stride > 1 {
            tick(vec![(x, y1), (x, y1 + theme.tick)])?;
        }
        let y = y1 + theme.pad + if x_stride > 1 { theme.tick } else { 0 };
        let across = |text: &str, y: i32| {
            draw_text(
                area,
                text,
                (x, y),
                theme.text,
                INK,
                (HPos::Center, VPos::Top),
            )
        };
        match (x_labels, &split) {
            (XLabels::TwoLines, Some(parts)) => {
                across(&parts[i].0, y)?;
                across(&parts[i].1, y + text_h)?;
            }
            (XLabels::Upwards { .. }, _) => {
                // Reading upwards and ending just under its column.
                let style = text_style(theme.text, INK)
                    .transform(FontTransform::Rotate270)
                    .pos(Pos::new(HPos::Right, VPos::Center));
                area.draw(&Text::new(label.clone(), (x, y), style))?;
            }
            _ => across(label, y)?,
        }
    }
    for (j, label) in grid.y.labels.iter().enumerate().step_by(y_stride) {
        let y = (row(j as i32) + row(j as i32 + 1)) / 2;
        if y_stride > 1 {
            tick(vec![(x0 - theme.tick, y), (x0, y)])?;
        }
        draw_text(
            area,
            label,
            (
                x0 - theme.pad - if y_stride > 1 { theme.tick } else { 0 },
                y,
            ),
            theme.text,
            INK,
            (HPos::Right, VPos::Center),
        )?;
    }

    // Parameter names.
    let mut y = y1 + theme.tick + theme.pad + x_labels_h + theme.pad;
    for line in &x_title {
        draw_text(
            area,
            line,
            ((x0 + x1) / 2, y),
            theme.axis_title,
            BLACK,
            (HPos::Center, VPos::Top),
        )?;
        y += title_h;
    }
    let y_title_w = y_title.len() as i32 * title_h;
    draw_vertical_text(
        area,
        &y_title,
        (theme.margin + y_title_w / 2, (y0 + y1) / 2),
        theme.axis_title,
        BLACK,
    )?;

    // The colour bar: thin bands, each overlapping the next by a pixel so none shows a seam.
    const BANDS: i32 = 128;
    let bar_h = f64::from(y1 - y0);
    for b in 0..BANDS {
        let lo = y1 - (f64::from(b) * bar_h / f64::from(BANDS)).round() as i32;
        let hi = y1 - (f64::from(b + 1) * bar_h / f64::from(BANDS)).round() as i32;
        let t = (f64::from(b) + 0.5) / f64::from(BANDS);
        area.draw(&Rectangle::new(
            [(bar_x0, (hi - 1).max(y0)), (bar_x0 + bar_w, lo)],
            style::sequential(t).filled(),
        ))?;
    }
    let bar_x1 = bar_x0 + bar_w;
    for (t, label) in ticks.iter().zip(&tick_labels) {
        let y = y1 - ((t - scale.lo) / (scale.hi - scale.lo) * bar_h).round() as i32;
        area.draw(&PathElement::new(
            vec![(bar_x1, y), (bar_x1 + theme.tick, y)],
            INK.stroke_width(theme.thin),
        ))?;
        draw_text(
            area,
            label,
            (bar_x1 + theme.tick + theme.pad / 2, y),
            theme.text,
            INK,
            (HPos::Left, VPos::Center),
        )?;
    }
    draw_vertical_text(
        area,
        &[format!("{} (% of arrivals)", outcome.label())],
        (w - theme.margin - title_h / 2, (y0 + y1) / 2),
        theme.axis_title,
        BLACK,
    )?;
    Ok((theme.min_plot - (y1 - y0)).max(0))
}

/// How the first parameter's values are written under the columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum XLabels {
    Across,
    /// Day and month over the year.
    TwoLines,
    /// Turned to read upwards, every `stride`-th.
    Upwards {
        stride: usize,
    },
}

struct Layout {
    /// Left edge and bottom of the cells.
    x0: i32,
    y1: i32,
    /// Column width.
    cw: f64,
    x_labels: XLabels,
    /// Height of the first parameter's value labels.
    labels_h: i32,
    x_title: Vec<String>,
    y_title: Vec<String>,
}

/// The least `k` such that labels on every k-th of cells `cell` pixels apart are `need`
/// pixels apart.
fn stride(need: f64, cell: f64) -> usize {
    if cell <= 0.0 {
        return 1;
    }
    (need / cell).ceil().max(1.0) as usize
}

/// Text colour that reads on a cell of `colour`: white on the dark end of the ramp.
fn ink_on(colour: RGBColor) -> RGBColor {
    let luma =
        0.299 * f64::from(colour.0) + 0.587 * f64::from(colour.1) + 0.114 * f64::from(colour.2);
    if luma > 140.0 { BLACK } else { WHITE }
}

/// The colour scale: the data's range onto the sequential ramp.
struct Scale {
    lo: f64,
    hi: f64,
}

impl Scale {
    fn of(values: &[f64]) -> Self {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let lo = finite.clone().fold(f64::INFINITY, f64::min);
        let hi = finite.fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() {
            return Self { lo: 0.0, hi: 1.0 };
        }
        // A flat outcome still gets a scale (and shows the ramp's middle).
        let air = 1e-9 * hi.abs().max(1.0);
        if hi - lo < air {
            let pad = (hi.abs() * 0.01).max(0.01);
            return Self {
                lo: lo - pad,
                hi: hi + pad,
            };
        }
        Self { lo, hi }
    }

    fn colour(&self, v: f64) -> RGBColor {
        if !v.is_finite() {
            return style::GREY;
        }
        style::sequential((v - self.lo) / (self.hi - self.lo))
    }

    fn ticks(&self) -> Vec<f64> {
        RangedCoordf64::from(self.lo..self.hi)
            .key_points(5)
            .into_iter()
            .filter(|t| *t >= self.lo - 1e-12 && *t <= self.hi + 1e-12)
            .collect()
    }

    /// Decimals that tell the cells apart: more the narrower the range.
    fn decimals(&self) -> usize {
        let span = self.hi - self.lo;
        if span >= 20.0 {
            0
        } else if span >= 2.0 {
            1
        } else {
            2
        }
    }
}
