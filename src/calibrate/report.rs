//! What a calibration writes: the posterior sample and its summary (CSV), the generations,
//! the calibrated scenario (`calibrated.toml`, inheriting from the calibrated scenario via
//! `base`) and the Markdown validation report (`--report`, e.g. docs/VALIDATION.md).
//!
//! Everything here is rendered from the sampler's generations and the fit table, and is
//! deterministic (no clock, no thread count), so rerunning the calibration command rewrites
//! the same bytes. No simulation happens here.

use std::path::{Component, Path, PathBuf};

use super::CalibrateArgs;
use super::abc::Generation;
use super::checkpoint::Stalled;
use super::fit::FitTable;
use super::params::{Param, Params, Point};
use super::targets::{MONTH_DAY, QUANTITIES, Targets};
use crate::scenario::Scenario;

/// The out-of-sample check of a calibration: a second fit to the figures before `split`
/// alone, and its calibrated scenario's fit to those (in sample) and to the rest.
pub struct OutOfSample<'a> {
    pub split: crate::calendar::Date,
    pub late: &'a Targets,
    pub generations: usize,
    /// The second fit's posterior table (`posterior_markdown`).
    pub posterior: String,
    pub early_table: FitTable,
    pub late_table: FitTable,
}

/// A finished calibration, as the renderers need it.
pub struct Summary<'a> {
    pub params: &'a Params,
    pub targets: &'a Targets,
    pub generations: &'a [Generation],
    pub stalled: Option<&'a Stalled>,
    /// The calibrated parameter values (natural scale), in `params.list` order.
    pub point: &'a [f64],
    pub seed: u64,
}

impl Summary<'_> {
    fn posterior(&self) -> &Generation {
        self.generations.last().expect("a generation")
    }

    /// Weighted mean and 5/50/95% quantiles of parameter `i`.
    fn stats(&self, i: usize) -> [f64; 4] {
        let g = self.posterior();
        let mean = g
            .particles
            .iter()
            .map(|p| p.weight * p.theta[i])
            .sum::<f64>();
        [
            mean,
            g.quantile(i, 0.05),
            g.quantile(i, 0.5),
            g.quantile(i, 0.95),
        ]
    }

    /// The calibrated values as written to the scenario (rounded to 4 significant digits).
    pub fn written(&self) -> Vec<String> {
        self.params
            .list
            .iter()
            .zip(self.point)
            .map(|(p, x)| p.format(round_significant(*x, 4)))
            .collect()
    }

    fn point_sentence(&self) -> String {
        let g = self.posterior();
        match self.params.abc.point {
            Point::Best => format!(
                "the accepted particle of the last generation ({}) with the smallest distance ({:.3})",
                g.index,
                g.best().distance
            ),
            Point::Median => format!(
                "the weighted posterior median of each parameter in the last generation ({})",
                g.index
            ),
        }
    }
}

/// Rounds to `digits` significant digits (so written values read cleanly).
pub fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    let r = (x * scale).round() / scale;
    // Printing through the decimal text removes binary noise such as 0.30000000000000004.
    format!(
        "{r:.*}",
        (digits - 1 - x.abs().log10().floor() as i32).max(0) as usize
    )
    .parse()
    .unwrap_or(r)
}

/// `posterior.csv`: the last generation's particles with weights, distances, parameters and
/// the simulated targets.
pub fn posterior_csv(s: &Summary<'_>) -> String {
    let mut out = String::from("particle,weight,distance");
    for p in &s.params.list {
        out.push(',');
        out.push_str(&p.key);
    }
    for t in &s.targets.list {
        out.push_str(&format!(",sim_{}", t.key));
    }
    out.push('\n');
    for (i, p) in s.posterior().particles.iter().enumerate() {
        out.push_str(&format!("{i},{},{}", p.weight, p.distance));
        for x in &p.theta {
            out.push_str(&format!(",{x}"));
        }
        for v in &p.values {
            out.push_str(&format!(",{v}"));
        }
        out.push('\n');
    }
    out
}

/// `posterior_summary.csv`: per parameter, the prior, the posterior's weighted mean and
/// 5/50/95% quantiles, and the calibrated value.
pub fn posterior_summary_csv(s: &Summary<'_>) -> String {
    let mut out = String::from("parameter,prior,prior_min,prior_max,mean,q05,q50,q95,calibrated\n");
    let written = s.written();
    for (i, p) in s.params.list.iter().enumerate() {
        let [mean, q05, q50, q95] = s.stats(i);
        out.push_str(&format!(
            "{},{},{},{},{mean},{q05},{q50},{q95},{}\n",
            p.key,
            if p.prior.log {
                "log-uniform"
            } else {
                "uniform"
            },
            p.prior.lo,
            p.prior.hi,
            written[i]
        ));
    }
    out
}

/// `generations.csv`: the sampler's progress.
pub fn generations_csv(s: &Summary<'_>) -> String {
    let mut out = String::from(
        "generation,epsilon,proposals,simulations,acceptance,ess,min_distance,median_distance\n",
    );
    for g in s.generations {
        let [min, med] = distances(g);
        out.push_str(&format!(
            "{},{},{},{},{:.6},{:.3},{min:.6},{med:.6}\n",
            g.index,
            g.epsilon,
            g.proposals,
            g.simulations,
            g.acceptance(),
            g.ess()
        ));
    }
    out
}

fn distances(g: &Generation) -> [f64; 2] {
    let mut d: Vec<f64> = g.particles.iter().map(|p| p.distance).collect();
    d.sort_by(f64::total_cmp);
    [d[0], crate::stats::quantile(&d, 0.5)]
}

/// A number for a table of parameters: 4 significant digits.
fn num(x: f64) -> String {
    let r = round_significant(x, 4);
    if r.abs() >= 1e-3 || r == 0.0 {
        format!("{r}")
    } else {
        format!("{r:e}")
    }
}

/// The posterior as a Markdown table.
pub fn posterior_markdown(s: &Summary<'_>) -> String {
    let mut out = String::from(
        "| parameter | prior | posterior median | 90% interval | calibrated |\n|---|---|---|---|---|\n",
    );
    let written = s.written();
    for (i, p) in s.params.list.iter().enumerate() {
        let [_, q05, q50, q95] = s.stats(i);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} to {} | {} |\n",
            p.key,
            p.prior_text(),
            num(q50),
            num(q05),
            num(q95),
            written[i]
        ));
    }
    out
}

/// The path of `to` relative to the directory `from_dir` (both made absolute first).
fn relative(from_dir: &Path, to: &Path) -> PathBuf {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(from_dir), abs(to));
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// A TOML key part, quoted unless bare.
fn key_part(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        format!("\"{}\"", k.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The calibrated scenario to be written at `path`: `base` points at the input scenario
/// relative to `path`, and only the free parameters are set, each with its prior and
/// posterior in a comment.
pub fn calibrated_toml(s: &Summary<'_>, input: &Path, path: &Path) -> std::io::Result<String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let base = relative(dir, input);
    let name = path.file_stem().map_or("calibrated".to_string(), |n| {
        n.to_string_lossy().into_owned()
    });
    let g = s.posterior();
    let intro = format!(
        "The calibrated scenario, written by `relocant calibrate` (relocant {}). The free parameters below are {}, found by ABC-SMC against {} (seed {}, {} generations, tolerance {:.3}); docs/VALIDATION.md describes the method and shows the fit. Every other key comes from `base`.",
        env!("CARGO_PKG_VERSION"),
        s.point_sentence(),
        s.targets.path,
        s.seed,
        s.generations.len(),
        g.epsilon,
    );
    let mut out = comment(&intro, 90);
    out.push_str(&format!(
        "\nbase = \"{}\"\nname = \"{}\"\n",
        base.display().to_string().replace('\\', "/"),
        name
    ));
    let written = s.written();
    // Group the keys by their table, in the order of the params file.
    let mut tables: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, p) in s.params.list.iter().enumerate() {
        let table = p.key.rsplit_once('.').map_or("", |(t, _)| t).to_string();
        match tables.iter_mut().find(|(t, _)| *t == table) {
            Some((_, v)) => v.push(i),
            None => tables.push((table, vec![i])),
        }
    }
    // Top-level keys must come before any table header.
    tables.sort_by_key(|(t, _)| !t.is_empty());
    for (table, idx) in &tables {
        if !table.is_empty() {
            let header: Vec<String> = table.split('.').map(key_part).collect();
            out.push_str(&format!("\n[{}]\n", header.join(".")));
        }
        for &i in idx {
            let p: &Param = &s.params.list[i];
            let [_, q05, q50, q95] = s.stats(i);
            let leaf = p.key.rsplit_once('.').map_or(p.key.as_str(), |(_, l)| l);
            out.push_str(&format!(
                "{} = {}  # prior {}; posterior median {} (90%: {} to {})\n",
                key_part(leaf),
                written[i],
                p.prior_text(),
                num(q50),
                num(q05),
                num(q95)
            ));
        }
    }
    Ok(out)
}

/// Text as `#` comment lines of at most `width` characters.
fn comment(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > width && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The arguments that reproduce this calibration (after `relocant`), with paths as given.
pub fn command_line(args: &CalibrateArgs, seed: u64) -> String {
    let mut c = format!(
        "calibrate {} --targets {} --params {}",
        args.scenario.display(),
        args.targets.display(),
        args.params.display()
    );
    if let Some(h) = &args.holdout {
        c.push_str(&format!(" --holdout {}", h.display()));
    }
    if let Some(d) = &args.out_of_sample_before {
        c.push_str(&format!(" --out-of-sample-before {d}"));
    }
    if let Some(o) = args.out.dir() {
        c.push_str(&format!(" --out {}", o.display()));
    }
    c.push_str(&format!(" --seed {seed}"));
    if let Some(p) = &args.calibrated {
        c.push_str(&format!(" --calibrated {}", p.display()));
    }
    if let Some(p) = &args.posterior_out {
        c.push_str(&format!(" --posterior-out {}", p.display()));
    }
    if let Some(p) = &args.report {
        c.push_str(&format!(" --report {}", p.display()));
    }
    c.push_str(" --force");
    c
}

/// The validation report (Markdown).
pub fn markdown(
    s: &Summary<'_>,
    fit: &FitTable,
    holdout: Option<(&Targets, &FitTable)>,
    out_of_sample: Option<&OutOfSample<'_>>,
    command: &str,
    args: &CalibrateArgs,
    validated: &Scenario,
) -> String {
    let abc = &s.params.abc;
    let g = s.posterior();
    let scenario_name = args
        .calibrated
        .as_deref()
        .unwrap_or(Path::new("calibrated.toml"))
        .display()
        .to_string();
    let mut out = String::new();
    out.push_str("# Validation: how well the calibrated model reproduces observed figures\n\n");
    out.push_str(
        "<!-- Written by `relocant calibrate --report`; do not edit by hand: change the inputs or src/calibrate/report.rs and rerun the command below. -->\n\n",
    );
    out.push_str(&format!(
        "The calibrated scenario `{scenario_name}` sets {} parameters of `{}` to values found by approximate Bayesian computation (ABC-SMC) against the {} observed figures of `{}`. This report, the scenario and the result files in the output directory are written by one command, run from the repository root (it is deterministic: the same program and inputs give the same bytes, whatever the number of threads):\n\n```sh\ncargo run --release -- {command}\n```\n\n",
        s.params.list.len(),
        args.scenario.display(),
        s.targets.list.len(),
        args.targets.display(),
    ));
    out.push_str(&format!(
        "To check any scenario against the targets without calibrating: `relocant validate {scenario_name} --targets {}`.\n\n",
        args.targets.display()
    ));

    out.push_str("## Fit of the calibrated scenario\n\n");
    out.push_str(&format!(
        "Runs of `{scenario_name}` at {} with {} replicates (seeds `{}`, replicates 0–{}), cut at the last day a target (fitted or held out) needs. *Inside* means the simulated mean lies within the target's band; the relative difference is |simulated mean − observed| / observed.\n\n",
        if fit.persons_per_agent == 1 {
            "full scale (1 agent = 1 person)".to_string()
        } else {
            format!("1 agent = {} persons", fit.persons_per_agent)
        },
        fit.replicates,
        validated.seed,
        fit.replicates.saturating_sub(1)
    ));
    out.push_str(&fit.to_markdown());

    if let (Some((_, h)), Some(path)) = (holdout, &args.holdout) {
        out.push_str("\n## Out of sample: figures the calibration did not see\n\n");
        out.push_str(&format!(
            "The same runs of the calibrated scenario as above, against the observed figures of `{}`, which the calibration was not given. This is what the model predicts without being told; a figure outside its band is a failure of the model, reported as it is. A target whose value sits on an edge of its band is a bound (an upper bound from official totals that include other groups): any value inside the band meets it. To reproduce this table alone: `relocant validate {scenario_name} --targets {}`.\n\n",
            path.display(),
            path.display()
        ));
        out.push_str(&h.to_markdown());
    }

    if let Some(o) = out_of_sample {
        out.push_str(&format!(
            "\n## Out of sample: calibrated on the figures before {} alone\n\n",
            o.split
        ));
        out.push_str(&format!(
            "The same command also calibrates the model, with the same priors, sampler settings and seed ({} generations), on the {} figures that a run can compute before {} alone, and validates that scenario (written to `out_of_sample/calibrated.toml` in the output directory) with the same runs as above against all figures. The {} later figures were not given to it: their table shows what the model predicts without being told, and a figure outside its band there is a failure of the model, reported as it is. A target whose value sits on an edge of its band is a bound (an upper bound from official totals that include other groups): any value inside the band meets it.\n\n",
            o.generations,
            o.early_table.rows.len(),
            o.split,
            o.late.list.len(),
        ));
        out.push_str("**Predicted (not fitted):**\n\n");
        out.push_str(&o.late_table.to_markdown());
        out.push_str("\n**Fitted (in sample):**\n\n");
        out.push_str(&o.early_table.to_markdown());
        out.push_str("\n**Its posterior** (compare with the calibrated parameters below):\n\n");
        out.push_str(&o.posterior);
    }

    out.push_str("\n## Calibrated parameters\n\n");
    out.push_str(&format!(
        "Priors and the posterior (weighted median and 5–95% quantiles of the last generation's {} particles). The calibrated value, written to the scenario rounded to 4 significant digits, is {}.\n\n",
        g.particles.len(),
        s.point_sentence()
    ));
    out.push_str(&posterior_markdown(s));

    out.push_str("\n## How the targets are computed\n\n");
    out.push_str(&format!(
        "A target key names a quantity the model reports on a date. Counts are in persons (agents × `arrivals.persons_per_agent`); a target dated by a month (`2023-03`) is read on the month's {MONTH_DAY}th day. Runs end on the last target date: the model never looks ahead, so earlier days follow the same distribution as in a full-length run. Columns are those of `daily.csv` (README.md).\n\n| target | read on | computed as |\n|---|---|---|\n"
    ));
    let held_out = holdout.map_or(&[][..], |(t, _)| &t.list[..]);
    for t in s.targets.list.iter().chain(held_out) {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            t.key,
            t.date,
            t.quantity.info().computation
        ));
    }
    let all: Vec<String> = QUANTITIES.iter().map(|q| format!("`{}`", q.stem)).collect();
    out.push_str(&format!(
        "\nKeys the model can compute: {}, each followed by its date as the quantity is dated (`_YYYY_MM_DD`, optional for a day; a span `_YYYY_MM_DD_to_YYYY_MM_DD`; a year `_YYYY`); any other key is rejected.\n",
        all.join(", ")
    ));

    out.push_str("\n## Method\n\n");
    out.push_str(&format!(
        "ABC-SMC (population Monte Carlo: Beaumont et al. 2009; adaptive tolerance: Del Moral et al. 2012). Generation 0 draws {} parameter sets from the priors. Each later generation sets its tolerance ε to the {} quantile of the previous generation's distances and proposes until {} are accepted: a parent is drawn by weight and perturbed with a Gaussian kernel of twice the weighted covariance (log scale for log-uniform priors); a proposal is accepted if its distance is at most ε, and weighted by prior / Σ w_j K(θ | θ_j).\n\n",
        abc.particles, abc.quantile, abc.particles
    ));
    out.push_str(&format!(
        "The distance is the root mean square of the targets' band-scaled deviations: (simulated − observed) / (high − observed) above the observed value, / (observed − low) below it, so ±1 is a band's edge; a bound (a value on an edge of its band) contributes 0 anywhere inside its band and its distance beyond the edge, in units of the band's width, outside. Each proposal is {} run{} at {}, cut at the last target date, with its own seed drawn from (calibration seed {}, generation, proposal). Stopping: after {} generations{}, or when a generation needs more than particles / {} = {} proposals.\n\n",
        abc.replicates,
        if abc.replicates == 1 { "" } else { "s (averaged)" },
        abc.persons_per_agent.map_or("the scenario's scale".to_string(), |k| format!("1 agent = {k} persons")),
        s.seed,
        abc.generations,
        if abc.tolerance > 0.0 { format!(", when ε reaches {}", abc.tolerance) } else { String::new() },
        abc.min_acceptance,
        (abc.particles as f64 / abc.min_acceptance).ceil()
    ));
    if let Some(st) = s.stalled {
        out.push_str(&format!(
            "This calibration stopped at generation {}: only {} of {} proposals met ε = {:.3}, below `abc.min_acceptance`; the posterior is generation {}.\n\n",
            st.generation,
            st.accepted,
            st.proposals,
            st.epsilon,
            g.index
        ));
    }
    out.push_str("| generation | tolerance ε | proposals | acceptance | ESS | best distance | median distance |\n|---|---|---|---|---|---|---|\n");
    for generation in s.generations {
        let [min, med] = distances(generation);
        out.push_str(&format!(
            "| {} | {} | {} | {:.0}% | {:.0} | {:.3} | {:.3} |\n",
            generation.index,
            if generation.epsilon.is_finite() {
                format!("{:.3}", generation.epsilon)
            } else {
                "∞".to_string()
            },
            generation.proposals,
            100.0 * generation.acceptance(),
            generation.ess(),
            min,
            med
        ));
    }
    out.push_str(&format!(
        "\nThe posterior sample is `posterior.csv` in the output directory ({} particles with weights, distances and simulated targets), with `posterior_summary.csv`, `generations.csv`, `fit.csv` and `fit.md`.\n",
        g.particles.len()
    ));
    out
}
