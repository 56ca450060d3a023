//! The calibration's input file (`PARAMS.toml`): the free parameters as dotted scenario keys
//! with prior ranges, the sampler's settings and the validation of the result.
//!
//! ```toml
//! [abc]                        # all optional; defaults shown
//! particles = 200              # accepted parameter sets per generation
//! generations = 8              # generations at most (may be raised on --resume)
//! quantile = 0.5               # next tolerance = this quantile of the distances
//! min_acceptance = 0.02        # give up a generation needing more proposals than particles / this
//! tolerance = 0.0              # stop once the tolerance reaches this
//! persons_per_agent = 50       # scale of calibration runs [default: the scenario's]
//! replicates = 1               # runs averaged per proposal
//! seed = 1                     # calibration seed (--seed overrides)
//! point = "best"               # calibrated.toml gets the "best" particle or the "median"
//!
//! [validation]                 # the fit table of the calibrated scenario
//! replicates = 10
//! persons_per_agent = 1        # [default: the scenario's]
//!
//! [[param]]
//! key = "decisions.return_constant"
//! prior = "uniform"            # or "log-uniform"
//! min = -10.0
//! max = -6.0
//! ```
//!
//! Reading checks everything against the scenario before any simulation: each key must be a
//! number in the scenario, each end of its prior must be a value the scenario accepts. All
//! problems are reported at once as `path:line:col: message`, read with the scenario's
//! reader (`scenario::read::Reader`: unknown keys with "did you mean"). No simulation
//! happens here.

use std::path::Path;

use super::abc::Prior;
use super::posterior::numeric_leaves;
use crate::command::Failure;
use crate::scenario::diag::{self, Loc, SourceMap, did_you_mean};
use crate::scenario::doc::{self, Entry, Node, Value};
use crate::scenario::read::{Problems, Reader};
use crate::scenario::{self, Source};

/// Which parameter set becomes the calibrated scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    /// The accepted particle of the last generation with the smallest distance.
    Best,
    /// The weighted posterior median of each parameter.
    Median,
}

impl Point {
    pub fn name(self) -> &'static str {
        match self {
            Point::Best => "best",
            Point::Median => "median",
        }
    }
}

/// One free parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub key: String,
    pub prior: Prior,
    /// The scenario key is a whole number: proposals are rounded.
    pub integer: bool,
}

impl Param {
    /// The `--set` assignment for a value.
    pub fn assignment(&self, x: f64) -> String {
        format!("{}={}", self.key, self.format(x))
    }

    /// A value as TOML text: rounded for whole-number keys, otherwise the shortest
    /// representation that reads back to the same float.
    pub fn format(&self, x: f64) -> String {
        if self.integer {
            format!("{}", x.round() as i64)
        } else {
            let s = format!("{x}");
            if s.contains('.') { s } else { format!("{s}.0") }
        }
    }

    /// The prior as text, e.g. `uniform(-10, -6)`, and `rounded` for a whole-number key.
    pub fn prior_text(&self) -> String {
        format!(
            "{}({}, {}){}",
            if self.prior.log {
                "log-uniform"
            } else {
                "uniform"
            },
            self.prior.lo,
            self.prior.hi,
            if self.integer { ", rounded" } else { "" }
        )
    }
}

/// The sampler's settings as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Abc {
    pub particles: usize,
    pub generations: u32,
    pub quantile: f64,
    pub min_acceptance: f64,
    pub tolerance: f64,
    pub persons_per_agent: Option<u32>,
    pub replicates: u32,
    pub seed: u64,
    pub point: Point,
}

/// How the calibrated scenario is validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Validation {
    pub replicates: u32,
    pub persons_per_agent: Option<u32>,
}

/// A read and checked PARAMS file.
#[derive(Clone, Debug)]
pub struct Params {
    pub path: String,
    pub text: String,
    pub abc: Abc,
    pub validation: Validation,
    pub list: Vec<Param>,
}

/// Keys that make no sense as free parameters.
const NOT_FREE: [&str; 4] = ["seed", "replicates", "arrivals.persons_per_agent", "name"];

impl Params {
    /// Reads `path` and checks it against the scenario `scenario` (with its `base` chain).
    pub fn read(path: &Path, scenario: &Path) -> Result<Params, Failure> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Input(format!("cannot read params `{}`: {e}", path.display())))?;
        Params::parse(&path.display().to_string(), &text, scenario)
    }

    pub fn parse(name: &str, text: &str, scenario: &Path) -> Result<Params, Failure> {
        let mut sources = SourceMap::default();
        let src = sources.add(name.to_string(), text.to_string());
        let root = doc::parse(&sources, src).map_err(|d| diag::report(&sources, d))?;
        let base = scenario::load(Source::File(scenario), &[])?;
        let mut numeric = Vec::new();
        numeric_leaves("", &base.resolved, &mut numeric);

        let p = Problems::default();
        let r = Reader::root(&root, &p);
        // Optional keys with defaults.
        let int = |t: &Reader, key: &str, default: i64, min: i64, max: i64| {
            t.optional(key).map_or(default, |_| t.int(key, min, max))
        };
        let num = |t: &Reader, key: &str, default: f64, min: f64, max: f64| {
            t.optional(key).map_or(default, |_| t.num(key, min, max))
        };
        let a = r.optional_table("abc");
        let abc = Abc {
            particles: int(&a, "particles", 200, 10, 1_000_000) as usize,
            generations: int(&a, "generations", 8, 1, 1000) as u32,
            quantile: num(&a, "quantile", 0.5, 0.05, 0.95),
            min_acceptance: num(&a, "min_acceptance", 0.02, 1e-4, 1.0),
            tolerance: num(&a, "tolerance", 0.0, 0.0, f64::INFINITY),
            persons_per_agent: a
                .optional("persons_per_agent")
                .map(|_| a.int("persons_per_agent", 1, 1_000_000) as u32),
            replicates: int(&a, "replicates", 1, 1, 10_000) as u32,
            seed: int(&a, "seed", 1, 0, i64::MAX) as u64,
            point: match a.optional("point") {
                None => Point::Best,
                Some(_) => [Point::Best, Point::Median][a.choice("point", &["best", "median"])],
            },
        };
        a.finish();
        let v = r.optional_table("validation");
        let validation = Validation {
            replicates: int(&v, "replicates", 10, 1, 10_000) as u32,
            persons_per_agent: v
                .optional("persons_per_agent")
                .map(|_| v.int("persons_per_agent", 1, 1_000_000) as u32),
        };
        v.finish();

        let mut list: Vec<Param> = Vec::new();
        match r.optional("param").map(|e| &e.node) {
            None => p.push(
                Loc::new(src, text.len()..text.len()),
                "no free parameters: add [[param]] tables with key, min and max",
            ),
            Some(Node {
                value: Value::Array(items),
                ..
            }) => {
                for item in items {
                    if let Some(par) = read_param(item, &numeric, &list, scenario, &p) {
                        list.push(par);
                    }
                }
            }
            Some(n) => p.push(n.loc, "`param` must be an array of tables ([[param]])"),
        }
        r.finish();
        let p = p.into_vec();
        if !p.is_empty() {
            return Err(diag::report(&sources, p).into());
        }
        Ok(Params {
            path: name.to_string(),
            text: text.to_string(),
            abc,
            validation,
            list,
        })
    }

    /// The `--set` assignments for a parameter vector.
    pub fn assignments(&self, theta: &[f64]) -> Vec<String> {
        self.list
            .iter()
            .zip(theta)
            .map(|(p, x)| p.assignment(*x))
            .collect()
    }

    pub fn priors(&self) -> Vec<Prior> {
        self.list.iter().map(|p| p.prior).collect()
    }
}

/// Every number-valued key of a resolved scenario, dotted, with whether it is whole.
fn read_param(
    item: &Node,
    numeric: &[(String, bool)],
    so_far: &[Param],
    scenario: &Path,
    p: &Problems,
) -> Option<Param> {
    if !matches!(item.value, Value::Table(_)) {
        p.push(
            item.loc,
            "each `param` must be a table with key, min and max",
        );
        return None;
    }
    let before = p.count();
    let r = Reader::new("param".into(), item, p);
    let required = |k: &str| -> Option<&Entry> {
        let e = r.optional(k);
        if e.is_none() {
            p.push(item.loc, format!("this [[param]] lacks `{k}`"));
        }
        e
    };
    let (key_e, min_e, max_e) = (required("key"), required("min"), required("max"));
    let log = r.optional("prior").is_some() && r.choice("prior", &["uniform", "log-uniform"]) == 1;
    r.finish();
    let (key_e, min_e, max_e) = (key_e?, min_e?, max_e?);
    let Value::Str(key) = &key_e.node.value else {
        p.push(
            key_e.node.loc,
            "`key` must be a dotted scenario key in quotes",
        );
        return None;
    };
    let integer = match numeric.iter().find(|(k, _)| k == key) {
        _ if NOT_FREE.contains(&key.as_str()) => {
            p.push(
                key_e.node.loc,
                format!("`{key}` cannot be a free parameter"),
            );
            false
        }
        Some((_, whole)) => *whole,
        None => {
            let mut msg = format!("`{key}` is not a number-valued key of the scenario");
            if let Some(s) = did_you_mean(key, numeric.iter().map(|(k, _)| k.as_str())) {
                msg.push_str(&format!("; did you mean `{s}`?"));
            }
            p.push(key_e.node.loc, msg);
            false
        }
    };
    if so_far.iter().any(|q| &q.key == key) {
        p.push(key_e.node.loc, format!("`{key}` is a free parameter twice"));
    }
    let num = |e: &Entry| -> Option<f64> {
        match e.node.value {
            Value::Float(f) if f.is_finite() => Some(f),
            Value::Int(i) => Some(i as f64),
            ref other => {
                p.push(
                    e.node.loc,
                    format!("must be a finite number, found {}", other.type_name()),
                );
                None
            }
        }
    };
    let (lo, hi) = (num(min_e), num(max_e));
    let (lo, hi) = (lo?, hi?);
    if lo >= hi {
        p.push(
            max_e.node.loc,
            format!("`max` must be greater than `min`, found min = {lo}, max = {hi}"),
        );
    }
    if log && lo <= 0.0 {
        p.push(
            min_e.node.loc,
            format!("a log-uniform prior needs min > 0, found {lo}"),
        );
    }
    if p.count() > before {
        return None;
    }
    let par = Param {
        key: key.clone(),
        prior: Prior { lo, hi, log },
        integer,
    };
    // Each end of the prior must be a value the scenario accepts.
    for (x, e, which) in [(lo, min_e, "min"), (hi, max_e, "max")] {
        if let Err(errs) = scenario::load(Source::File(scenario), &[par.assignment(x)]) {
            let why: Vec<String> = errs
                .lines
                .iter()
                .map(|l| match l.split_once(": ") {
                    Some((_, m)) if l.starts_with("--set:") => m.to_string(),
                    _ => l.clone(),
                })
                .collect();
            p.push(
                e.node.loc,
                format!(
                    "the scenario rejects `{key}` = {} (the prior's {which}): {}",
                    par.format(x),
                    why.join("; ")
                ),
            );
        }
    }
    if p.count() > before { None } else { Some(par) }
}
