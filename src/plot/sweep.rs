//! Reading a sweep directory for its figures: `manifest.json` (design, parameters, whether
//! the sweep is finished and whole), `points.csv` (each design point's mean over replicates)
//! arranged as a grid over the sweep's first two parameters, and `sensitivity.csv` (Sobol
//! or Morris indices with their intervals, from `relocant analyze`); and the labels of
//! parameter values (dates, numbers, flags) on the figures' axes.
//!
//! Like `data`, it looks columns up by name and turns every problem into a [`PlotError`]
//! naming the file; nothing here panics on a malformed or incomplete file, and nothing here
//! draws.

use std::collections::HashMap;
use std::path::Path;

use super::PlotError;
use super::axes::format_number;
use super::data::CsvTable;
use super::date;
use super::style::Outcome;

/// The outcomes a sweep's figures show, in the order their files are written.
pub const OUTCOMES: [Outcome; 3] = [Outcome::Integrated, Outcome::MovedOn, Outcome::Returned];

/// What the figures need from a sweep's `manifest.json`.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// `grid`, `random`, `latin_hypercube`, `sobol` or `morris`.
    pub design: String,
    /// The varied parameters' dotted paths, in the sweep's order.
    pub params: Vec<String>,
}

/// Reads `manifest.json` and checks that the directory holds a finished, whole sweep (not
/// one still running, and not one shard of a sweep split across machines).
pub fn read_manifest(dir: &Path) -> Result<Manifest, PlotError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|source| PlotError::Io {
        path: path.clone(),
        source,
    })?;
    let bad = |message: String| PlotError::BadFile {
        path: path.clone(),
        message,
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let design = json["design"]
        .as_str()
        .ok_or_else(|| bad("not a sweep's manifest (no `design`)".into()))?
        .to_owned();
    let params = json["params"]
        .as_array()
        .ok_or_else(|| bad("not a sweep's manifest (no `params`)".into()))?
        .iter()
        .map(|p| {
            p["path"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| bad("a parameter without a `path`".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(shard) = json["shard"].as_str() {
        return Err(bad(format!(
            "this is shard {shard} of a sweep; merge the shards (`relocant merge`) and plot the merged directory"
        )));
    }
    match json["status"].as_str() {
        Some("complete") => {}
        status => {
            return Err(bad(format!(
                "the sweep is not finished (status `{}`); finish it with `relocant sweep ... --resume` first",
                status.unwrap_or("missing")
            )));
        }
    }
    Ok(Manifest { design, params })
}

/// One axis of a heatmap: a parameter and its values, in drawing order.
#[derive(Clone, Debug)]
pub struct GridAxis {
    pub path: String,
    /// The values as written in `points.csv`.
    pub values: Vec<String>,
    /// The values as printed on the axis.
    pub labels: Vec<String>,
    /// Whether the values are dates (labelled `27 Jan 2023`).
    pub dates: bool,
}

/// Per-cell means over replicates of several outcomes, over the first two parameters of a
/// grid sweep (x: the first, y: the second). With more parameters, each cell is the mean
/// over the other parameters' values as well (a grid is balanced, so every combination
/// counts once).
#[derive(Clone, Debug)]
pub struct Grid {
    pub x: GridAxis,
    pub y: GridAxis,
    /// Parameters averaged over in each cell (the third and later).
    pub averaged_over: Vec<String>,
    /// Per column read (in the order asked for): `cells[y * nx + x]`.
    pub cells: Vec<Vec<f64>>,
}

impl Grid {
    pub fn nx(&self) -> usize {
        self.x.values.len()
    }

    pub fn ny(&self) -> usize {
        self.y.values.len()
    }
}

/// Reads `points.csv` of a grid sweep over at least two parameters into a [`Grid`] of the
/// `columns`' means.
pub fn read_grid(
    dir: &Path,
    manifest: &Manifest,
    columns: &[&'static str],
) -> Result<Grid, PlotError> {
    let table = CsvTable::read(&dir.join("points.csv"))?;
    let bad = |message: String| PlotError::BadFile {
        path: table.path.clone(),
        message,
    };
    if manifest.params.len() < 2 {
        return Err(bad("a heatmap needs two varied parameters".into()));
    }
    let stat = table.column("stat")?;
    let (xc, yc) = (
        table.column(&manifest.params[0])?,
        table.column(&manifest.params[1])?,
    );
    let cols = columns
        .iter()
        .map(|c| table.column(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut xs: Vec<String> = Vec::new();
    let mut ys: Vec<String> = Vec::new();
    // (x value, y value) -> per column (sum, count).
    let mut sums: HashMap<(usize, usize), Vec<(f64, u32)>> = HashMap::new();
    let index = |values: &mut Vec<String>, text: &str| match values.iter().position(|v| v == text) {
        Some(i) => i,
        None => {
            values.push(text.to_owned());
            values.len() - 1
        }
    };
    for row in 0..table.len() {
        if table.text(row, stat) != "mean" {
            continue;
        }
        let i = index(&mut xs, table.text(row, xc));
        let j = index(&mut ys, table.text(row, yc));
        let cell = sums
            .entry((i, j))
            .or_insert_with(|| vec![(0.0, 0); cols.len()]);
        for (acc, &c) in cell.iter_mut().zip(&cols) {
            acc.0 += table.number(row, c)?;
            acc.1 += 1;
        }
    }
    if sums.is_empty() {
        return Err(bad("no rows with stat = mean".into()));
    }
    let x_order = axis_order(&xs);
    let y_order = axis_order(&ys);
    let mut cells = vec![vec![f64::NAN; xs.len() * ys.len()]; cols.len()];
    for (yi, &j) in y_order.iter().enumerate() {
        for (xi, &i) in x_order.iter().enumerate() {
            let Some(cell) = sums.get(&(i, j)) else {
                return Err(bad(format!(
                    "not a full grid: no design point with {} = {} and {} = {}",
                    manifest.params[0], xs[i], manifest.params[1], ys[j]
                )));
            };
            for (k, (sum, n)) in cell.iter().enumerate() {
                cells[k][yi * xs.len() + xi] = sum / f64::from(*n);
            }
        }
    }
    let axis = |path: &str, values: &[String], order: &[usize]| {
        let values: Vec<String> = order.iter().map(|&i| values[i].clone()).collect();
        GridAxis {
            path: path.to_owned(),
            labels: value_labels(&values),
            dates: all_dates(&values).is_some(),
            values,
        }
    };
    Ok(Grid {
        x: axis(&manifest.params[0], &xs, &x_order),
        y: axis(&manifest.params[1], &ys, &y_order),
        averaged_over: manifest.params[2..].to_vec(),
        cells,
    })
}

/// The order in which values go along an axis: ascending when they are all numbers or all
/// dates, as the sweep gives them otherwise (flags, names).
fn axis_order(values: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    if let Some(keys) = all_dates(values).or_else(|| all_numbers(values)) {
        order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    }
    order
}

fn all_dates(values: &[String]) -> Option<Vec<f64>> {
    values
        .iter()
        .map(|v| date::parse_iso(v).map(|d| d as f64))
        .collect()
}

fn all_numbers(values: &[String]) -> Option<Vec<f64>> {
    values
        .iter()
        .map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect()
}

/// Axis labels of parameter values: dates as `27 Jan 2023`; numbers with the fewest
/// decimals that show them all (up to 4) and thousands separators; anything else as given.
pub fn value_labels(values: &[String]) -> Vec<String> {
    if let Some(days) = all_dates(values) {
        return days
            .iter()
            .map(|&d| {
                let (y, m, day) = date::civil_from_days(d as i64);
                format!("{day} {} {y}", date::month_abbreviation(m))
            })
            .collect();
    }
    if let Some(xs) = all_numbers(values) {
        let exact = |d: usize| {
            let scale = 10f64.powi(d as i32);
            xs.iter()
                .all(|x| ((x * scale).round() / scale - x).abs() <= 1e-9 * x.abs().max(1.0))
        };
        let decimals = (0..=4).find(|&d| exact(d)).unwrap_or(4);
        return xs.iter().map(|&x| format_number(x, decimals)).collect();
    }
    values.to_vec()
}

/// Which sensitivity measures a `sensitivity.csv` holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// First-order (`S1`) and total-order (`ST`) Sobol indices.
    Sobol,
    /// Morris `mu_star` (mean absolute elementary effect) and `sigma` (their spread);
    /// `mu` is in the file too but not drawn.
    Morris,
}

impl Method {
    /// The two indices drawn per parameter, as named in the file.
    pub fn indices(self) -> [&'static str; 2] {
        match self {
            Method::Sobol => ["S1", "ST"],
            Method::Morris => ["mu_star", "sigma"],
        }
    }
}

/// An estimate with its confidence interval; `None` parts were not finite in the file
/// (`NaN`: an index is undefined when the outcome does not vary).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Estimate {
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Estimate {
    fn scaled(self, factor: f64) -> Self {
        Self {
            value: self.value.map(|v| v * factor),
            low: self.low.map(|v| v * factor),
            high: self.high.map(|v| v * factor),
        }
    }
}

/// The indices of one outcome: per parameter, the method's two indices.
#[derive(Clone, Debug)]
pub struct OutcomeIndices {
    pub outcome: Outcome,
    pub estimates: Vec<[Estimate; 2]>,
}

impl OutcomeIndices {
    /// Whether any index could be estimated at all.
    pub fn any(&self) -> bool {
        self.estimates.iter().flatten().any(|e| e.value.is_some())
    }
}

/// `sensitivity.csv`, for the outcomes the figures show.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    pub method: Method,
    /// Parameters in the order of the file (the sweep's order).
    pub params: Vec<String>,
    pub outcomes: Vec<OutcomeIndices>,
}

/// Reads `sensitivity.csv` (`outcome,parameter,measure,estimate,ci_low,ci_high`). Morris
/// measures of shares are scaled to percentage points; Sobol indices are fractions.
pub fn read_sensitivity(path: &Path) -> Result<Sensitivity, PlotError> {
    let table = CsvTable::read(path)?;
    let bad = |message: String| PlotError::BadFile {
        path: table.path.clone(),
        message,
    };
    let [oc, pc, ic, ec, lc, hc] = [
        "outcome",
        "parameter",
        "measure",
        "estimate",
        "ci_low",
        "ci_high",
    ]
    .map(|c| table.column(c));
    let (oc, pc, ic, ec, lc, hc) = (oc?, pc?, ic?, ec?, lc?, hc?);
    let mut method = None;
    let mut params: Vec<String> = Vec::new();
    let mut found: HashMap<(String, String, String), Estimate> = HashMap::new();
    for row in 0..table.len() {
        let index = table.text(row, ic);
        let this = match index {
            "S1" | "ST" => Method::Sobol,
            "mu" | "mu_star" | "sigma" => Method::Morris,
            other => {
                return Err(table.bad_value(
                    row,
                    ic,
                    format!("unknown index `{other}` (expected S1, ST, mu, mu_star or sigma)"),
                ));
            }
        };
        if method.is_some_and(|m| m != this) {
            return Err(bad(
                "mixes Sobol (S1, ST) and Morris (mu, mu_star, sigma) indices".into(),
            ));
        }
        method = Some(this);
        let param = table.text(row, pc);
        if param.is_empty() {
            return Err(table.bad_value(row, pc, "empty parameter name".into()));
        }
        if !params.iter().any(|p| p == param) {
            params.push(param.to_owned());
        }
        let estimate = Estimate {
            value: table.number_or_nan(row, ec)?,
            low: table.number_or_nan(row, lc)?,
            high: table.number_or_nan(row, hc)?,
        };
        found.insert(
            (
                table.text(row, oc).to_owned(),
                param.to_owned(),
                index.to_owned(),
            ),
            estimate,
        );
    }
    let method = method.ok_or_else(|| bad("no data rows".into()))?;
    let outcomes = OUTCOMES
        .iter()
        .map(|&outcome| {
            let column = outcome.share_column();
            // Elementary effects of a share per unit of the parameter's range, in
            // percentage points.
            let factor = if method == Method::Morris { 100.0 } else { 1.0 };
            let estimates = params
                .iter()
                .map(|p| {
                    let get = |index: &str| {
                        found
                            .get(&(column.to_owned(), p.clone(), index.to_owned()))
                            .map(|e| e.scaled(factor))
                            .ok_or_else(|| {
                                bad(format!("no `{index}` of parameter `{p}` for `{column}`"))
                            })
                    };
                    let [a, b] = method.indices();
                    Ok([get(a)?, get(b)?])
                })
                .collect::<Result<Vec<_>, PlotError>>()?;
            Ok(OutcomeIndices { outcome, estimates })
        })
        .collect::<Result<Vec<_>, PlotError>>()?;
    Ok(Sensitivity {
        method,
        params,
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn values_are_labelled_as_dates_numbers_or_text() {
        assert_eq!(
            value_labels(&strings(&["2023-01-27", "2023-04-01"])),
            ["27 Jan 2023", "1 Apr 2023"]
        );
        assert_eq!(
            value_labels(&strings(&["10000", "300000"])),
            ["10,000", "300,000"]
        );
        assert_eq!(
            value_labels(&strings(&["1.0", "1.5", "2.0"])),
            ["1.0", "1.5", "2.0"]
        );
        assert_eq!(
            value_labels(&strings(&["0.0005", "0.002"])),
            ["0.0005", "0.0020"]
        );
        assert_eq!(
            value_labels(&strings(&["true", "false"])),
            ["true", "false"]
        );
    }

    #[test]
    fn numbers_and_dates_are_sorted_but_flags_keep_their_order() {
        assert_eq!(axis_order(&strings(&["30", "5", "10"])), [1, 2, 0]);
        assert_eq!(axis_order(&strings(&["2023-07-01", "2023-01-27"])), [1, 0]);
        assert_eq!(axis_order(&strings(&["true", "false"])), [0, 1]);
    }
}
