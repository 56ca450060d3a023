//! Sensitivity analysis of a finished sweep (`relocant analyze DIR`): first- and total-order
//! Sobol indices for a Sobol (Saltelli) design, Morris μ, μ* and σ for a Morris design, per
//! outcome, with bootstrap confidence intervals, into `sensitivity.csv`, and their figures
//! into `figures/` (drawn by `crate::plot`).
//!
//! The estimators work on plain slices of model outputs, so they can be checked on any
//! function with known indices (`tests/sweep.rs` uses Ishigami's). For a sweep, a point's
//! output is the mean over its replicates.
//!
//! Sobol: with f_A, f_B, f_ABj the outputs at A_i, B_i and A_i with column j from B_i, and
//! V the variance of all f_A and f_B, S1_j = mean((f_B - m) (f_ABj - f_A)) / V (Saltelli
//! 2010, with outputs centred on their mean m, which leaves the estimator unbiased but keeps a
//! large mean from inflating its variance) and ST_j = mean((f_A - f_ABj)^2) / (2 V) (Jansen
//! 1999). Morris: elementary effects in unit
//! coordinates, EE = Δy / Δu; μ* = mean |EE| (Campolongo 2007), σ its standard deviation.
//! Intervals are bootstrap percentiles over base samples (Sobol) or trajectories (Morris).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::AnalyzeArgs;
use super::results::split_csv;
use crate::command::Failure;
use crate::output;
use crate::stats::quantile;

/// An estimate with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// First- and total-order Sobol indices of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    pub first: Estimate,
    pub total: Estimate,
}

/// Morris measures of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    pub mu: Estimate,
    pub mu_star: Estimate,
    pub sigma: Estimate,
}

fn sobol_point(y: &[f64], k: usize, base: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let n = base.len() as f64;
    let at = |i: usize, j: usize| y[i * (k + 2) + j];
    let mean = base.iter().map(|&i| at(i, 0) + at(i, k + 1)).sum::<f64>() / (2.0 * n);
    let var = base
        .iter()
        .map(|&i| (at(i, 0) - mean).powi(2) + (at(i, k + 1) - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    let mut first = vec![f64::NAN; k];
    let mut total = vec![f64::NAN; k];
    if var > 0.0 {
        for j in 0..k {
            let (mut s, mut t) = (0.0, 0.0);
            for &i in base {
                let (fa, fb, fab) = (at(i, 0), at(i, k + 1), at(i, j + 1));
                s += (fb - mean) * (fab - fa);
                t += (fa - fab).powi(2);
            }
            first[j] = s / n / var;
            total[j] = t / n / (2.0 * var);
        }
    }
    (first, total)
}

fn interval(value: f64, mut draws: Vec<f64>, confidence: f64) -> Estimate {
    draws.retain(|x| x.is_finite());
    draws.sort_by(f64::total_cmp);
    let a = (1.0 - confidence) / 2.0;
    Estimate {
        value,
        low: quantile(&draws, a),
        high: quantile(&draws, 1.0 - a),
    }
}

/// Sobol indices from outputs `y` in Saltelli's layout (`y[i * (k + 2) + j]`: j = 0 for
/// A_i, 1..=k for AB_ij, k + 1 for B_i), with `bootstrap` resamples of the base samples.
pub fn sobol_indices(
    y: &[f64],
    k: usize,
    bootstrap: u32,
    confidence: f64,
    seed: u64,
) -> Vec<SobolIndex> {
    let n = y.len() / (k + 2);
    let all: Vec<usize> = (0..n).collect();
    let (s1, st) = sobol_point(y, k, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut b1 = vec![Vec::with_capacity(bootstrap as usize); k];
    let mut bt = vec![Vec::with_capacity(bootstrap as usize); k];
    let mut sample = vec![0; n];
    for _ in 0..bootstrap {
        for s in sample.iter_mut() {
            *s = rng.random_range(0..n);
        }
        let (f, t) = sobol_point(y, k, &sample);
        for j in 0..k {
            b1[j].push(f[j]);
            bt[j].push(t[j]);
        }
    }
    (0..k)
        .map(|j| SobolIndex {
            first: interval(s1[j], std::mem::take(&mut b1[j]), confidence),
            total: interval(st[j], std::mem::take(&mut bt[j]), confidence),
        })
        .collect()
}

fn morris_point(ee: &[Vec<f64>], pick: &[usize]) -> Vec<(f64, f64, f64)> {
    ee.iter()
        .map(|e| {
            let xs: Vec<f64> = pick.iter().map(|&t| e[t]).collect();
            let n = xs.len() as f64;
            let mu = xs.iter().sum::<f64>() / n;
            let mu_star = xs.iter().map(|x| x.abs()).sum::<f64>() / n;
            let sigma = if xs.len() > 1 {
                (xs.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
            } else {
                f64::NAN
            };
            (mu, mu_star, sigma)
        })
        .collect()
}

/// Morris measures from trajectories of `k + 1` points `x` (unit coordinates) with outputs
/// `y`, with `bootstrap` resamples of the trajectories.
pub fn morris_indices(
    x: &[Vec<f64>],
    y: &[f64],
    k: usize,
    bootstrap: u32,
    confidence: f64,
    seed: u64,
) -> Vec<MorrisIndex> {
    let r = y.len() / (k + 1);
    // ee[j][t]: the elementary effect of factor j in trajectory t.
    let mut ee = vec![vec![f64::NAN; r]; k];
    // t numbers the trajectory in `x` and `y` as well as in `ee`: an index, not an iterator.
    #[allow(clippy::needless_range_loop)]
    for t in 0..r {
        for s in 0..k {
            let (p, q) = (t * (k + 1) + s, t * (k + 1) + s + 1);
            if let Some(j) = (0..k).find(|&j| x[q][j] != x[p][j]) {
                ee[j][t] = (y[q] - y[p]) / (x[q][j] - x[p][j]);
            }
        }
    }
    let all: Vec<usize> = (0..r).collect();
    let est = morris_point(&ee, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draws = vec![(Vec::new(), Vec::new(), Vec::new()); k];
    let mut pick = vec![0; r];
    for _ in 0..bootstrap {
        for s in pick.iter_mut() {
            *s = rng.random_range(0..r);
        }
        for (j, (mu, ms, sd)) in morris_point(&ee, &pick).into_iter().enumerate() {
            draws[j].0.push(mu);
            draws[j].1.push(ms);
            draws[j].2.push(sd);
        }
    }
    est.into_iter()
        .zip(draws)
        .map(|((mu, ms, sd), (dmu, dms, dsd))| MorrisIndex {
            mu: interval(mu, dmu, confidence),
            mu_star: interval(ms, dms, confidence),
            sigma: interval(sd, dsd, confidence),
        })
        .collect()
}

fn io_err(what: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Runtime(format!("{}: {e}", what.display()))
}

/// Per-point means over replicates of every outcome column of `runs.csv`.
fn point_means(
    dir: &Path,
    k: usize,
    points: usize,
) -> Result<(Vec<String>, Vec<Vec<f64>>), Failure> {
    let path = dir.join("runs.csv");
    let f = File::open(&path).map_err(io_err(&path))?;
    let mut lines = BufReader::new(f).lines();
    let header = lines
        .next()
        .transpose()
        .map_err(io_err(&path))?
        .unwrap_or_default();
    let fields = split_csv(&header).len();
    if fields < 4 + k {
        return Err(Failure::Input(format!(
            "{}:1: the header has {fields} columns; a sweep of {k} parameters has at least {}",
            path.display(),
            4 + k
        )));
    }
    let names: Vec<String> = split_csv(&header).into_iter().skip(4 + k).collect();
    let mut sums = vec![vec![0.0; names.len()]; points];
    let mut counts = vec![0u32; points];
    for (i, line) in lines.enumerate() {
        let line = line.map_err(io_err(&path))?;
        let at = format!("{}:{}", path.display(), i + 2);
        let f = split_csv(&line);
        if f.len() != fields {
            return Err(Failure::Input(format!(
                "{at}: this row has {} fields, the header {fields}",
                f.len()
            )));
        }
        let p: usize = f[1]
            .parse()
            .ok()
            .filter(|p| *p < points)
            .ok_or_else(|| Failure::Input(format!("{at}: bad point number `{}`", f[1])))?;
        for (s, x) in sums[p].iter_mut().zip(&f[4 + k..]) {
            *s += number(x, &at)?;
        }
        counts[p] += 1;
    }
    if let Some(p) = counts.iter().position(|c| *c == 0) {
        return Err(Failure::Input(format!(
            "{}: design point {p} has no runs; is the sweep finished (and merged)?",
            path.display()
        )));
    }
    for (s, c) in sums.iter_mut().zip(&counts) {
        for x in s.iter_mut() {
            *x /= f64::from(*c);
        }
    }
    Ok((names, sums))
}

/// A finite number from a cell of a result file, or a located error.
fn number(cell: &str, at: &str) -> Result<f64, Failure> {
    cell.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| Failure::Input(format!("{at}: `{cell}` is not a number")))
}

/// Unit coordinates of every design point, from `design.csv` (`point`, the k values, the k
/// unit coordinates): one row per point, in point order.
fn unit_points(dir: &Path, k: usize) -> Result<Vec<Vec<f64>>, Failure> {
    let path = dir.join("design.csv");
    let f = File::open(&path).map_err(io_err(&path))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(f).lines().skip(1).enumerate() {
        let line = line.map_err(io_err(&path))?;
        let at = format!("{}:{}", path.display(), i + 2);
        let f = split_csv(&line);
        if f.len() != 1 + 2 * k {
            return Err(Failure::Input(format!(
                "{at}: this row has {} fields; a design of {k} parameters has {}",
                f.len(),
                1 + 2 * k
            )));
        }
        if f[0].trim() != i.to_string() {
            return Err(Failure::Input(format!(
                "{at}: expected design point {i} here, found `{}` (rows must be in point order)",
                f[0]
            )));
        }
        let mut unit = Vec::with_capacity(k);
        for x in &f[1 + k..] {
            let u = number(x, &at)?;
            if !(0.0..=1.0).contains(&u) {
                return Err(Failure::Input(format!(
                    "{at}: unit coordinate {u} is outside [0, 1]"
                )));
            }
            unit.push(u);
        }
        out.push(unit);
    }
    Ok(out)
}

/// `relocant analyze DIR`.
pub fn analyze_dir(args: &AnalyzeArgs) -> Result<(), Failure> {
    let dir = &args.dir;
    if !(args.confidence > 0.0 && args.confidence < 1.0) {
        return Err(Failure::Input("--confidence must be in (0, 1)".into()));
    }
    let m = output::manifest::read(dir).ok_or_else(|| {
        Failure::Input(format!(
            "{} is not a sweep directory (no manifest.json)",
            dir.display()
        ))
    })?;
    if m["status"] != "complete" || m["shard"].is_string() {
        return Err(Failure::Input(format!(
            "{} is not a finished whole sweep (its manifest.json has status {} and shard {}); finish it (and merge its shards) first",
            dir.display(),
            m["status"],
            m["shard"]
        )));
    }
    let params: Vec<String> = m["params"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["path"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let k = params.len();
    if let Some(p) = params
        .iter()
        .enumerate()
        .find_map(|(i, p)| params[..i].contains(p).then_some(p))
    {
        return Err(Failure::Input(format!(
            "{}: manifest.json lists parameter `{p}` twice",
            dir.display()
        )));
    }
    if args.bootstrap == 0 {
        return Err(Failure::Input(
            "--bootstrap must be at least 1 (resamples for the intervals)".into(),
        ));
    }
    let points = m["points"].as_u64().unwrap_or(0) as usize;
    let seed = m["seed"].as_u64().unwrap_or(0);
    let design = m["design"].as_str().unwrap_or("");
    if design != "sobol" && design != "morris" {
        return Err(Failure::Input(format!(
            "{}: analyze needs a sobol or morris design, this sweep is a {design} design",
            dir.display()
        )));
    }
    let (names, means) = point_means(dir, k, points)?;
    let mut csv = String::from("outcome,parameter,measure,estimate,ci_low,ci_high\n");
    let row = |csv: &mut String, o: &str, p: &str, index: &str, e: Estimate| {
        let _ = writeln!(csv, "{o},{p},{index},{},{},{}", e.value, e.low, e.high);
    };
    let mut summary = String::new();
    for (c, name) in names.iter().enumerate() {
        let y: Vec<f64> = means.iter().map(|r| r[c]).collect();
        if design == "sobol" {
            let idx = sobol_indices(&y, k, args.bootstrap, args.confidence, seed);
            for (p, i) in params.iter().zip(&idx) {
                row(&mut csv, name, p, "S1", i.first);
                row(&mut csv, name, p, "ST", i.total);
            }
            if name.starts_with("share_") {
                let _ = writeln!(summary, "{name}");
                for (p, i) in params.iter().zip(&idx) {
                    let _ = writeln!(
                        summary,
                        "  {p:<44} S1 {:>6.3} [{:>6.3}, {:>6.3}]  ST {:>6.3} [{:>6.3}, {:>6.3}]",
                        i.first.value,
                        i.first.low,
                        i.first.high,
                        i.total.value,
                        i.total.low,
                        i.total.high
                    );
                }
            }
        } else {
            let x = unit_points(dir, k)?;
            if x.len() != y.len() {
                return Err(Failure::Input(format!(
                    "{}: design.csv has {} points, runs.csv {}",
                    dir.display(),
                    x.len(),
                    y.len()
                )));
            }
            let idx = morris_indices(&x, &y, k, args.bootstrap, args.confidence, seed);
            for (p, i) in params.iter().zip(&idx) {
                row(&mut csv, name, p, "mu", i.mu);
                row(&mut csv, name, p, "mu_star", i.mu_star);
                row(&mut csv, name, p, "sigma", i.sigma);
            }
            if name.starts_with("share_") {
                let _ = writeln!(summary, "{name}");
                for (p, i) in params.iter().zip(&idx) {
                    let _ = writeln!(
                        summary,
                        "  {p:<44} mu* {:>8.4} [{:>8.4}, {:>8.4}]  sigma {:>8.4}",
                        i.mu_star.value, i.mu_star.low, i.mu_star.high, i.sigma.value
                    );
                }
            }
        }
    }
    let path = dir.join("sensitivity.csv");
    output::write_file_atomically(&path, csv.as_bytes()).map_err(io_err(&path))?;
    output::dictionary::write_datapackage(dir).map_err(io_err(dir))?;
    if args.json.is_set() {
        output::csv::print_json(&serde_json::json!({
            "command": "analyze",
            "dir": dir.display().to_string(),
            "indices": output::csv::to_json(&csv),
        }));
    } else {
        print!("{summary}");
    }
    if !args.quiet.is_set() {
        crate::note!("relocant: wrote {}", path.display());
    }
    if args.plots.plots() {
        super::draw_figures(dir, crate::plot::plot_sensitivity);
    }
    Ok(())
}
