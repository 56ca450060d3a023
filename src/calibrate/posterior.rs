//! A calibration's posterior sample (`posterior.csv`) as the parameters of an ensemble:
//! read and checked against a scenario, drawn by weight reproducibly from a seed, and laid
//! over the scenario as one parameter set per draw.
//!
//! `relocant run --posterior`, `validate --posterior` and `experiment` use it so that their
//! intervals carry the parameters' uncertainty as well as the stochastic noise: replicate
//! `r` runs draw `r mod draws` with the random stream of replicate `r`.

use std::path::{Path, PathBuf};

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::targets::{Cell, parse_csv};
use crate::command::Failure;
use crate::output::provenance::Input;
use crate::scenario::diag::{Diagnostic, Loc, SourceMap, did_you_mean};
use crate::scenario::doc::{self, Node, Value};
use crate::scenario::{Loaded, Scenario, decode};

/// A posterior file may not be larger than this (a sample of a million particles of a few
/// dozen parameters is far below it).
const MAX_POSTERIOR_BYTES: u64 = 256 << 20;

/// The random stream of the draws: far above any replicate's stream (replicates are at most
/// 100,000), so drawing parameters never shares numbers with a run.
const DRAW_STREAM: u64 = u64::MAX - 1;

/// Columns of `posterior.csv` that are not parameters.
const META: [&str; 3] = ["particle", "weight", "distance"];

/// One particle of the sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Particle {
    /// The number in the file's `particle` column (its row number when there is none).
    pub id: u64,
    pub weight: f64,
    /// One value per parameter, as TOML text (whole numbers for integer keys).
    pub values: Vec<String>,
}

/// A posterior sample, checked against the scenario it will be laid over.
#[derive(Clone, Debug)]
pub struct Posterior {
    pub path: PathBuf,
    /// The file's text, copied into result directories so they can be rerun.
    pub text: String,
    /// The scenario keys the sample sets.
    pub keys: Vec<String>,
    pub particles: Vec<Particle>,
}

/// The numeric keys of a resolved scenario tree, with whether each is a whole number.
pub(super) fn numeric_leaves(prefix: &str, n: &Node, out: &mut Vec<(String, bool)>) {
    if let Value::Table(t) = &n.value {
        for (k, e) in t {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match &e.node.value {
                Value::Int(_) => out.push((path, true)),
                Value::Float(_) => out.push((path, false)),
                Value::Table(_) => numeric_leaves(&path, &e.node, out),
                _ => {}
            }
        }
    }
}

impl Posterior {
    /// Reads `posterior.csv` (as `calibrate` writes it) for the scenario `resolved`: its
    /// parameter columns must be numeric keys of the scenario; `sim_*` columns (simulated
    /// targets) and `distance` are ignored. Every problem is located (`file:line:col`).
    pub fn read(path: &Path, resolved: &Node) -> Result<Posterior, Failure> {
        let name = path.display().to_string();
        let text = doc::read_input(path, "posterior", MAX_POSTERIOR_BYTES)
            .map_err(|e| Failure::Input(e.into()))?;
        let mut p = Posterior::parse(&name, &text, resolved)?;
        p.path = path.to_path_buf();
        Ok(p)
    }

    /// Parses posterior text; `name` is used in messages.
    pub fn parse(name: &str, text: &str, resolved: &Node) -> Result<Posterior, Failure> {
        let mut sources = SourceMap::default();
        let src = sources.add(name.to_string(), text.to_string());
        let fail = |sources: &SourceMap, d: Vec<Diagnostic>| {
            Failure::Input(
                d.iter()
                    .map(|x| x.render(sources))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        let at = |c: &Cell| Loc::new(src, c.start..c.start + c.text.len());
        let records = parse_csv(text).map_err(|(at, msg)| {
            fail(&sources, vec![Diagnostic::at(Loc::new(src, at..at), msg)])
        })?;
        let Some((header, rows)) = records.split_first() else {
            return Err(fail(
                &sources,
                vec![Diagnostic::at(
                    Loc::new(src, 0..0),
                    "empty posterior file; expected a header `particle,weight,distance,` and parameter keys",
                )],
            ));
        };
        let mut leaves = Vec::new();
        numeric_leaves("", resolved, &mut leaves);
        let mut problems = Vec::new();
        let mut weight_col = None;
        let mut id_col = None;
        // (column, is the key a whole number)
        let mut params: Vec<(usize, bool)> = Vec::new();
        let mut keys = Vec::new();
        for (j, c) in header.iter().enumerate() {
            let h = c.text.trim();
            match h {
                "weight" => weight_col = Some(j),
                "particle" => id_col = Some(j),
                _ if META.contains(&h) || h.starts_with("sim_") => {}
                _ => match leaves.iter().find(|l| l.0 == h) {
                    Some(l) if keys.contains(&l.0) => problems.push(Diagnostic::at(
                        at(c),
                        format!("the parameter `{h}` has two columns"),
                    )),
                    Some(l) => {
                        params.push((j, l.1));
                        keys.push(l.0.clone());
                    }
                    None => {
                        let hint = did_you_mean(h, leaves.iter().map(|l| l.0.as_str()))
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        problems.push(Diagnostic::at(
                            at(c),
                            format!("the column `{h}` is not a numeric key of the scenario{hint}"),
                        ));
                    }
                },
            }
        }
        let Some(weight_col) = weight_col else {
            problems.push(Diagnostic::at(
                Loc::new(src, 0..0),
                "the header lacks the column `weight`",
            ));
            return Err(fail(&sources, problems));
        };
        if params.is_empty() && problems.is_empty() {
            problems.push(Diagnostic::at(
                Loc::new(src, 0..0),
                "the header names no scenario key: a posterior sets at least one parameter",
            ));
        }
        if !problems.is_empty() {
            return Err(fail(&sources, problems));
        }
        let mut particles = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if row.len() != header.len() {
                problems.push(Diagnostic::at(
                    at(&row[0]),
                    format!(
                        "this row has {} columns, the header {}",
                        row.len(),
                        header.len()
                    ),
                ));
                continue;
            }
            let number = |c: &Cell| c.text.trim().parse::<f64>().ok().filter(|x| x.is_finite());
            let weight = match number(&row[weight_col]) {
                Some(w) if w >= 0.0 => w,
                _ => {
                    problems.push(Diagnostic::at(
                        at(&row[weight_col]),
                        format!(
                            "the weight `{}` is not a finite number ≥ 0",
                            row[weight_col].text
                        ),
                    ));
                    continue;
                }
            };
            let id = match id_col {
                Some(j) => match row[j].text.trim().parse::<u64>() {
                    Ok(id) => id,
                    Err(_) => {
                        problems.push(Diagnostic::at(
                            at(&row[j]),
                            format!("the particle `{}` is not a whole number", row[j].text),
                        ));
                        continue;
                    }
                },
                None => i as u64,
            };
            let mut values = Vec::with_capacity(params.len());
            for &(j, integer) in &params {
                match number(&row[j]) {
                    Some(x) if integer => values.push(format!("{}", x.round() as i64)),
                    Some(x) => {
                        let s = format!("{x}");
                        values.push(if s.contains(['.', 'e', 'E']) {
                            s
                        } else {
                            format!("{s}.0")
                        });
                    }
                    None => problems.push(Diagnostic::at(
                        at(&row[j]),
                        format!("`{}` is not a finite number", row[j].text),
                    )),
                }
            }
            if values.len() == params.len() {
                particles.push(Particle { id, weight, values });
            }
        }
        if problems.is_empty() && particles.iter().map(|p| p.weight).sum::<f64>() <= 0.0 {
            problems.push(Diagnostic::at(
                Loc::new(src, 0..0),
                "the particles' weights sum to zero (or there are no particles): nothing to draw",
            ));
        }
        if !problems.is_empty() {
            return Err(fail(&sources, problems));
        }
        Ok(Posterior {
            path: PathBuf::from(name),
            text: text.to_string(),
            keys,
            particles,
        })
    }

    /// `n` particles drawn with replacement in proportion to their weights, from the
    /// seed's own stream: the same seed gives the same draws.
    pub fn draw(&self, seed: u64, n: u32) -> Vec<usize> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(DRAW_STREAM);
        let mut cumulative = Vec::with_capacity(self.particles.len());
        let mut total = 0.0;
        for p in &self.particles {
            total += p.weight;
            cumulative.push(total);
        }
        (0..n)
            .map(|_| {
                let u = rng.random::<f64>() * total;
                // The first particle whose cumulative weight exceeds u (zero weights never).
                cumulative
                    .partition_point(|c| *c <= u)
                    .min(self.particles.len() - 1)
            })
            .collect()
    }

    /// The `--set` assignments of one particle.
    pub fn assignments(&self, particle: usize) -> Vec<String> {
        self.keys
            .iter()
            .zip(&self.particles[particle].values)
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }
}

/// The scenarios of an ensemble: the base scenario and, with a posterior, one scenario per
/// parameter draw. Replicate `r` runs draw `r mod draws`.
#[derive(Clone, Debug)]
pub struct Ensemble {
    pub base: Scenario,
    pub posterior: Option<(Posterior, Vec<Draw>)>,
}

/// One draw from the posterior.
#[derive(Clone, Debug)]
pub struct Draw {
    /// Index into the posterior's particles.
    pub particle: usize,
    pub scenario: Scenario,
}

impl Ensemble {
    /// The base scenario alone: every replicate runs it.
    pub fn single(base: Scenario) -> Ensemble {
        Ensemble {
            base,
            posterior: None,
        }
    }

    /// `draws` parameter sets drawn from `posterior` (reproducibly from the scenario's
    /// seed), each laid over `loaded`, then `after` (overrides that take precedence over the
    /// posterior: a user's `--set`, an experiment arm's own keys). A draw the scenario
    /// rejects, or one that changes the run's frame (dates, scale, replicates), is bad input.
    pub fn draw(
        loaded: &Loaded,
        posterior: Posterior,
        draws: u32,
        after: &[String],
    ) -> Result<Ensemble, Failure> {
        let base = loaded.scenario.clone();
        if draws == 0 || draws > base.replicates {
            return Err(Failure::Input(format!(
                "--draws {draws}: must be between 1 and the number of replicates ({}); replicate r runs draw r mod draws",
                base.replicates
            )));
        }
        let picked = posterior.draw(base.seed, draws);
        let mut out = Vec::with_capacity(picked.len());
        for (d, &particle) in picked.iter().enumerate() {
            let mut sets = posterior.assignments(particle);
            sets.extend_from_slice(after);
            let sc = scenario_with(&loaded.resolved, &sets).map_err(|e| {
                Failure::Input(format!(
                    "{}: particle {} (draw {d}): {e}",
                    posterior.path.display(),
                    posterior.particles[particle].id
                ))
            })?;
            if sc.start != base.start
                || sc.end != base.end
                || sc.arrivals.persons_per_agent != base.arrivals.persons_per_agent
                || sc.replicates != base.replicates
                || sc.seed != base.seed
            {
                return Err(Failure::Input(format!(
                    "{}: a posterior may not set the run's frame (start, end, seed, replicates, arrivals.persons_per_agent)",
                    posterior.path.display()
                )));
            }
            out.push(Draw {
                particle,
                scenario: sc,
            });
        }
        Ok(Ensemble {
            base,
            posterior: Some((posterior, out)),
        })
    }

    /// The scenario replicate `r` runs.
    pub fn scenario(&self, r: u32) -> &Scenario {
        match &self.posterior {
            Some((_, draws)) => &draws[r as usize % draws.len()].scenario,
            None => &self.base,
        }
    }

    /// Runs replicates `0..n` (see [`crate::engine::run_replicates_each`]).
    pub fn run(
        &self,
        n: u32,
        jobs: usize,
        first: &crate::engine::RunOptions,
        on_day: &(dyn Fn() + Sync),
    ) -> Vec<crate::engine::RunResult> {
        crate::engine::run_replicates_each(n, jobs, first, &|r| self.scenario(r), on_day)
    }

    /// Changes every scenario of the ensemble alike (e.g. cut at the last target date).
    pub fn for_each_scenario(&mut self, mut f: impl FnMut(&mut Scenario)) {
        f(&mut self.base);
        if let Some((_, draws)) = &mut self.posterior {
            for d in draws {
                f(&mut d.scenario);
            }
        }
    }

    /// The input files of its runs: the scenario's (`loaded`) and the posterior sample.
    pub fn inputs(&self, loaded: &Loaded) -> Vec<Input> {
        let mut v = loaded.inputs.clone();
        if let Some((p, _)) = &self.posterior {
            v.push(Input::of(p.path.display().to_string(), p.text.as_bytes()));
        }
        v
    }

    /// The draws as `draws.csv`: draw, particle, weight and one column per parameter.
    pub fn draws_csv(&self) -> Option<String> {
        let (p, draws) = self.posterior.as_ref()?;
        let mut out = format!("draw,particle,weight,{}\n", p.keys.join(","));
        for (d, draw) in draws.iter().enumerate() {
            let particle = &p.particles[draw.particle];
            out.push_str(&format!(
                "{d},{},{},{}\n",
                particle.id,
                particle.weight,
                particle.values.join(",")
            ));
        }
        Some(out)
    }

    /// What the manifest records of the draws (null without a posterior).
    pub fn manifest(&self) -> serde_json::Value {
        let Some((p, draws)) = &self.posterior else {
            return serde_json::Value::Null;
        };
        serde_json::json!({
            "file": p.path.display().to_string(),
            "particles": p.particles.len(),
            "parameters": p.keys,
            "draws": draws.len(),
            "replicate_runs": "draw (replicate mod draws)",
            "drawn_particles": draws.iter().map(|d| p.particles[d.particle].id).collect::<Vec<_>>(),
        })
    }
}

/// The scenario of `resolved` with `sets` applied (no files read).
pub fn scenario_with(resolved: &Node, sets: &[String]) -> Result<Scenario, String> {
    let mut root = resolved.clone();
    let mut sources = SourceMap::default();
    for s in sets {
        doc::apply_set(&mut sources, &mut root, s).map_err(|d| format!("{s}: {}", d.message))?;
    }
    decode::decode(&root).map_err(|d| {
        format!(
            "{}: {}",
            sets.join(" "),
            d.first().map_or("rejected", |x| x.message.as_str())
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Source, load};

    fn baseline() -> Loaded {
        load(Source::Builtin, &["replicates=4".into()]).unwrap()
    }

    fn error(text: &str) -> String {
        match Posterior::parse("p.csv", text, &baseline().resolved) {
            Err(Failure::Input(m)) => m,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn draws_follow_the_weights_and_the_seed() {
        let p = Posterior::parse(
            "p.csv",
            "particle,weight,distance,decisions.return_constant,sim_x\n0,1,0.1,-3,5\n1,3,0.2,-2,6\n2,0,0.3,-1,7\n",
            &baseline().resolved,
        )
        .unwrap();
        assert_eq!(p.keys, ["decisions.return_constant"]);
        let d = p.draw(7, 4000);
        assert_eq!(d, p.draw(7, 4000), "the same seed draws the same particles");
        assert_ne!(d, p.draw(8, 4000));
        let ones = d.iter().filter(|&&i| i == 1).count() as f64 / 4000.0;
        assert!((ones - 0.75).abs() < 0.03, "weight 3 of 4 drawn {ones}");
        assert!(!d.contains(&2), "a zero weight is never drawn");
    }

    #[test]
    fn a_bad_posterior_file_is_located() {
        let m = error("particle,weight,decisions.return_constnt\n0,1,2\n");
        assert!(m.starts_with("p.csv:1:"), "{m}");
        assert!(
            m.contains("did you mean `decisions.return_constant`"),
            "{m}"
        );
        let m = error("particle,weight,decisions.return_constant\n0,1,2\n1,-1,2\n");
        assert!(m.starts_with("p.csv:3:3:") && m.contains("weight"), "{m}");
        let m = error("particle,weight,decisions.return_constant\n0,1,x\n");
        assert!(m.starts_with("p.csv:2:5:"), "{m}");
        let m = error("particle,weight,decisions.return_constant\n0,1\n");
        assert!(m.contains("this row has 2 columns"), "{m}");
        assert!(error("particle,weight\n0,1\n").contains("names no scenario key"));
        assert!(error("").contains("empty posterior"));
        assert!(
            error("particle,weight,decisions.return_constant\n0,0,1\n").contains("sum to zero")
        );
    }
}
