//! The validated stage of a sweep: a [`Spec`] checked against the scenario it varies, and
//! the plan of runs it makes — design points, their parameter values, seeds, the
//! `runs.csv` columns and a fingerprint that tells whether two directories came from the
//! same plan.
//!
//! Runs are numbered `run = point * replicates + replicate`. A point's scenario is the base
//! with the fixed `set` overrides and the point's values applied exactly as `relocant run
//! --set` would; its seed is the sweep seed (common random numbers, the default) or a
//! SplitMix64 mix of (sweep seed, point), and replicate r runs on stream r. Nothing depends
//! on threads, order, shards or time.

use rayon::prelude::*;

use super::design::{UnitDesign, splitmix64};
use super::spec::{Design, Levels, NumKind, PValue, Param, Spec, csv_field};
use std::path::Path;

use crate::output::provenance::Input;
use crate::scenario::diag::{self, Diagnostic, Loc, SourceMap};
use crate::scenario::{self, Scenario, Source};

/// A sweep ready to run.
pub struct Plan {
    pub spec: Spec,
    pub design: UnitDesign,
    pub points: u64,
    pub runs: u64,
    /// The fixed overrides as `--set` strings.
    pub fixed: Vec<String>,
    /// The base scenario with the fixed overrides, fully resolved (TOML).
    pub resolved_base: String,
    /// The sweep file and the base scenario's files, with their SHA-256 (for the manifest).
    pub inputs: Vec<Input>,
    /// FNV-1a hash of everything that decides the results.
    pub fingerprint: u64,
}

/// FNV-1a, 64 bits: a stable hash for fingerprints and journal lines.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

struct Fnv(u64);
impl Fnv {
    fn add(&mut self, s: &str) {
        for b in s.as_bytes().iter().chain(b"\x1f") {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

impl Plan {
    /// Checks the spec against its base scenario — every fixed override and every value or
    /// range end of every parameter — and builds the plan. The error lists every problem.
    pub fn new(spec: Spec) -> Result<Plan, String> {
        let mut problems: Vec<String> = Vec::new();
        let fixed: Vec<String> = spec.sets.iter().map(|a| a.set_string()).collect();
        let base_ok = match scenario::load(source_of(&spec), &[]) {
            Ok(_) => true,
            Err(e) => {
                let at = spec.base_loc.unwrap_or(spec.loc);
                let head = spec.render(&[Diagnostic::at(at, "the base scenario has problems:")]);
                problems.push(head);
                problems.extend(e.lines.iter().cloned());
                false
            }
        };
        let mut resolved_base = String::new();
        let mut inputs = vec![Input::of(
            spec.file.display().to_string(),
            spec.text.as_bytes(),
        )];
        if base_ok {
            for a in &spec.sets {
                if let Err(e) = scenario::load(source_of(&spec), &[a.set_string()]) {
                    for line in &e.lines {
                        problems.push(locate(&spec, line, &a.path, a.key_loc, a.value_loc, None));
                    }
                }
            }
            if problems.is_empty() {
                match scenario::load(source_of(&spec), &fixed) {
                    Ok(l) => {
                        resolved_base = l.resolved_toml();
                        inputs.extend(l.inputs);
                    }
                    Err(e) => problems.extend(e.lines),
                }
            }
        }
        if problems.is_empty() {
            for q in &spec.params {
                problems.extend(check_param(&spec, q, &fixed));
            }
        }
        if !problems.is_empty() {
            dedup(&mut problems);
            return Err(problems.join("\n"));
        }
        let k = spec.params.len();
        let design_seed = spec.seed;
        let design = match spec.design {
            Design::Grid => UnitDesign::grid(
                &spec
                    .params
                    .iter()
                    .map(|q| match &q.levels {
                        Levels::Discrete(v) => v.len(),
                        Levels::Continuous { .. } => 1,
                    })
                    .collect::<Vec<_>>(),
            ),
            Design::Random { samples } => UnitDesign::random(k, u64::from(samples), design_seed),
            Design::LatinHypercube { samples } => {
                UnitDesign::latin_hypercube(k, u64::from(samples), design_seed)
            }
            Design::Sobol { samples } => UnitDesign::saltelli(k, u64::from(samples), design_seed),
            Design::Morris {
                trajectories,
                levels,
            } => UnitDesign::morris(k, u64::from(trajectories), levels, design_seed),
        };
        let points = design.len();
        let runs = points * u64::from(spec.replicates);
        let mut plan = Plan {
            spec,
            design,
            points,
            runs,
            fixed,
            resolved_base,
            inputs,
            fingerprint: 0,
        };
        plan.fingerprint = plan.compute_fingerprint();
        Ok(plan)
    }

    fn compute_fingerprint(&self) -> u64 {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.add(concat!("relocant ", env!("CARGO_PKG_VERSION")));
        h.add(&self.resolved_base);
        h.add(&format!(
            "seed={} replicates={} crn={} design={:?}",
            self.spec.seed, self.spec.replicates, self.spec.common_random_numbers, self.spec.design
        ));
        h.add(&self.header_prefix());
        for p in 0..self.points {
            h.add(&self.point_fields(p));
        }
        h.0
    }

    pub fn params(&self) -> &[Param] {
        &self.spec.params
    }

    pub fn replicates(&self) -> u32 {
        self.spec.replicates
    }

    /// Coordinates of a point in the unit cube.
    pub fn unit(&self, point: u64) -> Vec<f64> {
        self.design.point(point)
    }

    /// The parameter values of a point.
    pub fn values(&self, point: u64) -> Vec<PValue> {
        if let Some(idx) = self.design.grid_indices(point) {
            return self
                .spec
                .params
                .iter()
                .zip(idx)
                .map(|(q, i)| match &q.levels {
                    Levels::Discrete(v) => v[i].clone(),
                    l => l.at(0.5),
                })
                .collect();
        }
        self.spec
            .params
            .iter()
            .zip(self.unit(point))
            .map(|(q, u)| q.levels.at(u))
            .collect()
    }

    /// The scenario seed of a point's runs.
    pub fn seed(&self, point: u64) -> u64 {
        if self.spec.common_random_numbers {
            self.spec.seed
        } else {
            splitmix64(self.spec.seed ^ splitmix64(point)) >> 1
        }
    }

    /// `--set` strings for a point: the fixed overrides, then the point's values.
    pub fn sets(&self, point: u64) -> Vec<String> {
        let mut s = self.fixed.clone();
        for (q, v) in self.spec.params.iter().zip(self.values(point)) {
            s.push(format!("{}={}", q.path, v.toml()));
        }
        s
    }

    /// The scenario of a point, seed set.
    pub fn scenario(&self, point: u64) -> Result<Scenario, String> {
        let mut sc = scenario::load(source_of(&self.spec), &self.sets(point))
            .map_err(|e| e.to_string())?
            .scenario;
        sc.seed = self.seed(point);
        Ok(sc)
    }

    /// Loads the scenario of each of `points` (in parallel) and reports, for at most 20 of
    /// those that fail, which point and why.
    pub fn check_points(&self, points: &[u64]) -> Result<(), String> {
        let bad: Vec<(u64, String)> = points
            .par_iter()
            .filter_map(|&p| {
                scenario::load(source_of(&self.spec), &self.sets(p))
                    .err()
                    .map(|e| (p, e.to_string()))
            })
            .collect();
        if bad.is_empty() {
            return Ok(());
        }
        let mut out: Vec<String> = bad
            .iter()
            .take(20)
            .map(|(p, e)| {
                let desc: Vec<String> = self
                    .spec
                    .params
                    .iter()
                    .zip(self.values(*p))
                    .map(|(q, v)| format!("{} = {}", q.path, v.toml()))
                    .collect();
                // The place of an override in its `--set` text means nothing here.
                let lines: Vec<&str> = e
                    .lines()
                    .map(|l| match l.strip_prefix("--set:") {
                        Some(rest) => rest.splitn(3, ':').nth(2).unwrap_or(rest).trim_start(),
                        None => l,
                    })
                    .collect();
                format!(
                    "{}: design point {p} ({}) is not a valid scenario:\n  {}",
                    self.spec.file.display(),
                    desc.join(", "),
                    lines.join("\n  ")
                )
            })
            .collect();
        if bad.len() > 20 {
            out.push(format!(
                "... and {} more invalid design points",
                bad.len() - 20
            ));
        }
        Err(out.join("\n"))
    }

    /// `run,point,replicate,seed` and the parameter paths.
    pub fn header_prefix(&self) -> String {
        let mut h = String::from("run,point,replicate,seed");
        for q in &self.spec.params {
            h.push(',');
            h.push_str(&csv_field(&q.path));
        }
        h
    }

    /// The seed and parameter values of a point as CSV fields.
    fn point_fields(&self, point: u64) -> String {
        let mut s = self.seed(point).to_string();
        for v in self.values(point) {
            s.push(',');
            s.push_str(&v.csv());
        }
        s
    }

    /// The start of a run's row: `run,point,replicate,seed,<values>`.
    pub fn row_prefix(&self, run: u64) -> String {
        let r = u64::from(self.spec.replicates);
        let (point, rep) = (run / r, run % r);
        format!("{run},{point},{rep},{}", self.point_fields(point))
    }

    /// Point and replicate of a run.
    pub fn split(&self, run: u64) -> (u64, u32) {
        let r = u64::from(self.spec.replicates);
        (run / r, (run % r) as u32)
    }
}

impl Plan {
    /// The base scenario with the fixed overrides (checked when the plan was made).
    pub fn base_scenario(&self) -> Result<scenario::Scenario, String> {
        scenario::load(source_of(&self.spec), &self.fixed)
            .map(|l| l.scenario)
            .map_err(|e| e.lines.join("\n"))
    }
}

fn source_of(spec: &Spec) -> Source<'_> {
    match &spec.base {
        Some(p) => Source::File(p),
        None => Source::Builtin,
    }
}

fn dedup(lines: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    lines.retain(|l| seen.insert(l.clone()));
}

/// Checks every listed value (or both ends of a range) of one parameter against the base
/// with the fixed overrides, and reports problems at the parameter in the sweep file.
fn check_param(spec: &Spec, q: &Param, fixed: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for v in q.levels.probes() {
        let mut sets = fixed.to_vec();
        sets.push(format!("{}={}", q.path, v.toml()));
        if let Err(e) = scenario::load(source_of(spec), &sets) {
            // Only problems of the value itself (an unknown key, a wrong type, out of range:
            // messages that name the key) are reported here. A value may clash with the
            // base only until another parameter changes too (a later ban date with a later
            // announcement); such clashes are found on the design points themselves.
            let own = format!("`{}", q.path);
            for line in e.lines.iter().filter(|l| {
                l.starts_with("--set:")
                    && (l.contains(&own)
                        || l.contains("is not a dotted key")
                        || unknown_part_of(l, &q.path))
            }) {
                out.push(locate(
                    spec,
                    line,
                    &q.path,
                    q.key_loc,
                    q.value_loc,
                    Some(&v),
                ));
            }
        }
    }
    // Whole-number ranges over keys that take fractions are allowed, but likely slips.
    if out.is_empty()
        && let Levels::Continuous {
            lo,
            kind: NumKind::Int,
            ..
        } = q.levels
    {
        let mut sets = fixed.to_vec();
        sets.push(format!("{}={:?}", q.path, lo + 0.5));
        if scenario::load(source_of(spec), &sets).is_ok() {
            let (l, c) = spec
                .sources
                .line_col(q.value_loc.src, q.value_loc.start as usize);
            crate::note!(
                "{}:{l}:{c}: note: `{}` will take whole numbers only, because its `min` and `max` are integers; write them as floats (e.g. {:?}) for a continuous range",
                spec.file.display(),
                q.path,
                lo
            );
        }
    }
    out
}

/// Whether `line` says that a leading part of `path` is an unknown key (`tis` of
/// `tis.decay_per_week`, `policy.order_run_ban` of `policy.order_run_ban.date`): a typo
/// anywhere in the key is the parameter's own problem.
fn unknown_part_of(line: &str, path: &str) -> bool {
    let Some(rest) = line.split_once("unknown key `").map(|(_, r)| r) else {
        return false;
    };
    let key = rest.split('`').next().unwrap_or("");
    !key.is_empty() && (path == key || path.starts_with(&format!("{key}.")))
}

/// An input file whose `[set]` overrides are checked by the scenario loader (a sweep file,
/// an experiment file): where its problems are rendered from.
pub(crate) trait Located {
    fn sources(&self) -> &SourceMap;
    fn file(&self) -> &Path;
}

impl Located for Spec {
    fn sources(&self) -> &SourceMap {
        &self.sources
    }
    fn file(&self) -> &Path {
        &self.file
    }
}

/// Turns a scenario loader's message about a `--set` override into one located in the
/// sweep file; messages about other files keep their place and gain the context.
pub(crate) fn locate(
    spec: &impl Located,
    line: &str,
    path: &str,
    key_loc: Loc,
    value_loc: Loc,
    value: Option<&PValue>,
) -> String {
    if let Some(rest) = line.strip_prefix("--set:") {
        let msg = rest.splitn(3, ':').nth(2).unwrap_or(rest).trim_start();
        let msg = full_suggestion(msg);
        let at = if msg.starts_with("unknown key") || msg.contains("is not a dotted key") {
            key_loc
        } else {
            value_loc
        };
        return diag::report(spec.sources(), vec![Diagnostic::at(at, msg)]).to_string();
    }
    let (l, c) = spec
        .sources()
        .line_col(value_loc.src, value_loc.start as usize);
    match value {
        Some(v) => format!(
            "{line} (with `{path}` = {} from {}:{l}:{c})",
            v.toml(),
            spec.file().display()
        ),
        None => format!(
            "{line} (with `{path}` from {}:{l}:{c})",
            spec.file().display()
        ),
    }
}

/// "unknown key `a.b.x`; did you mean `y`?" becomes "...; did you mean `a.b.y`?", since a
/// sweep names keys by their whole path.
fn full_suggestion(msg: &str) -> String {
    let key = msg
        .strip_prefix("unknown key `")
        .and_then(|r| r.split('`').next());
    let (Some(key), Some(i)) = (key, msg.find("did you mean `")) else {
        return msg.to_string();
    };
    let start = i + "did you mean `".len();
    let Some(len) = msg[start..].find('`') else {
        return msg.to_string();
    };
    let suggestion = &msg[start..start + len];
    match key.rsplit_once('.') {
        Some((parent, _)) if !suggestion.contains('.') => format!(
            "{}{parent}.{suggestion}{}",
            &msg[..start],
            &msg[start + len..]
        ),
        _ => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_name_the_whole_path() {
        assert_eq!(
            full_suggestion("unknown key `policy.ban.dat`; did you mean `date`?"),
            "unknown key `policy.ban.dat`; did you mean `policy.ban.date`?"
        );
        assert_eq!(full_suggestion("must be a number"), "must be a number");
    }
}
