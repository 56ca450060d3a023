//! The `sensitivity_<outcome>` figures of a Sobol or Morris sweep, from `sensitivity.csv`:
//! one row per parameter (in the sweep's order, the same in every outcome's figure), with
//! the method's two indices as points with their confidence intervals: first-order (S1,
//! circles) and total-order (ST, squares) Sobol indices, or Morris μ* (circles) and σ
//! (squares) in percentage points of arrivals.
//!
//! Parameter names sit left of the rows (broken after a dot when long); the index runs
//! along x with light vertical grid lines; the legend is above.

use plotters::prelude::*;

use super::ColumnWidth;
use super::forest::{self, Forest, Series};
use super::parts::Marker;
use super::render::{Area, DrawError};
use super::style::{BLACK, REDDISH_PURPLE, Theme};
use super::sweep::{Method, OutcomeIndices, Sensitivity};

/// Colours and markers of the two indices; not outcome colours, which mean outcomes
/// elsewhere.
const FIRST: (RGBColor, Marker) = (BLACK, Marker::Circle);
const SECOND: (RGBColor, Marker) = (REDDISH_PURPLE, Marker::Square);

/// Figure height for `params` rows.
pub fn height_mm(width: &ColumnWidth, params: usize) -> f64 {
    forest::height_mm(width, params, 2)
}

fn series(method: Method) -> [Series; 2] {
    let (a, b) = match method {
        Method::Sobol => ("first order (S1)", "total order (ST)"),
        Method::Morris => ("μ* (mean |elementary effect|)", "σ (spread of effects)"),
    };
    [
        Series {
            label: a.into(),
            colour: FIRST.0,
            marker: FIRST.1,
        },
        Series {
            label: b.into(),
            colour: SECOND.0,
            marker: SECOND.1,
        },
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
    let estimates: Vec<Vec<_>> = indices.estimates.iter().map(|e| e.to_vec()).collect();
    forest::draw(
        &Forest {
            rows: &sensitivity.params,
            series: &series(sensitivity.method),
            estimates: &estimates,
            x_title: x_title(sensitivity.method),
        },
        area,
        theme,
        title,
    )
}
