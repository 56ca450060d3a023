//! Labels for policy events above time charts: where each label goes so that none
//! overlaps another or crosses another event's line, and, when there are too many for a
//! few rows, numbered lines with a key. Pure layout over pixel positions; drawing the
//! lines themselves is left to `parts::Frame`.

use plotters::style::text_anchor::{HPos, VPos};

use super::parts::{draw_text, line_height, text_size};
use super::render::{Area, DrawError};
use super::style::{self, BLACK, EVENT_KEY, Theme};

/// Where each event label goes above the chart: a row (0 is nearest the chart) and the
/// label's left edge. A label never overlaps another label and never crosses another
/// event's line: an event whose line lies under label L gets a lower row than L, since
/// each line runs from the chart up to its own label.
///
/// Long labels hang to the right of their line (to the left near the right edge). Short
/// ones (`numbers`) sit centred over their line, which then stops below them, unless a
/// neighbouring line is too close: then they hang away from it.
pub struct EventLayout {
    pub rows: usize,
    /// `(event index, row, left x, centred)`, in event order.
    pub placed: Vec<(usize, usize, i32, bool)>,
}

pub fn layout_events(
    area: &Area,
    theme: &Theme,
    events: &[(i32, &str)],
    x_max: i32,
    numbers: bool,
) -> EventLayout {
    let pad = style::pt(if numbers { 1.0 } else { 2.0 }) as i32;
    let gap = style::pt(if numbers { 1.5 } else { 4.0 }) as i32;
    let widths: Vec<i32> = events
        .iter()
        .map(|(_, label)| text_size(area, label, theme.small).0)
        .collect();
    let spans: Vec<(i32, i32, bool)> = events
        .iter()
        .zip(&widths)
        .map(|(&(x, _), &w)| {
            let near =
                |from: i32, to: i32| events.iter().any(|e| e.0 != x && e.0 >= from && e.0 <= to);
            let right = (x + pad, x + pad + w, false);
            let left = (x - pad - w, x - pad, false);
            if numbers {
                let (l, r) = (x - w / 2 - gap, x - w / 2 + w + gap);
                match (near(l, x), near(x, r)) {
                    (false, false) => (x - w / 2, x - w / 2 + w, true),
                    (false, true) => left,
                    _ => right,
                }
            } else if right.1 <= x_max {
                right
            } else {
                left
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
        let (l, r, _) = spans[i];
        let row = (min_row..)
            .find(|&row| {
                !(0..events.len())
                    .any(|k| row_of[k] == Some(row) && l < spans[k].1 + gap && spans[k].0 < r + gap)
            })
            .expect("an empty row always exists");
        row_of[i] = Some(row);
    }
    let placed: Vec<(usize, usize, i32, bool)> = row_of
        .iter()
        .enumerate()
        .filter_map(|(i, row)| row.map(|row| (i, row, spans[i].0, spans[i].2)))
        .collect();
    EventLayout {
        rows: placed.iter().map(|p| p.1 + 1).max().unwrap_or(0),
        placed,
    }
}

/// Rows of event labels allowed above a chart `plot_width` pixels wide before the
/// events are numbered instead.
pub fn max_event_rows(plot_width: i32) -> usize {
    if plot_width < style::mm(110.0) { 2 } else { 3 }
}

/// Draws the key of numbered events (`1 label   2 label ...`), wrapping between `x0` and
/// `x1`; returns the new top.
pub fn draw_event_key(
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

/// How policy events are labelled above a chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventLabels {
    /// Names beside the lines while they fit in a few rows, else numbers and a key.
    Auto,
    /// Numbers only, for a panel beside one that already shows the key.
    NumbersOnly,
}
