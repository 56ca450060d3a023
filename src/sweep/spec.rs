//! Sweep files: the raw stage of a sweep's input. Reads a sweep TOML into a [`Spec`] —
//! the base scenario, fixed overrides, the varied parameters with their values or ranges,
//! the design and its sizes — checking its own keys and types and reporting every problem
//! at once as `path:line:col: message`, with "did you mean" for unknown keys. It reads with
//! the scenario's reader (`scenario::doc` trees, `scenario::read::Reader`, `scenario::diag`).
//!
//! It knows nothing of what scenario keys mean: whether a dotted path exists and a value is
//! acceptable is checked by `plan`, which asks the scenario loader itself.

use std::path::{Path, PathBuf};

use crate::calendar::Date;
use crate::scenario::diag::{self, Diagnostic, Loc, SourceMap};
use crate::scenario::doc::{self, Entry, Node, Value};
use crate::scenario::read::{Problems, Reader, quoted};

/// The experimental designs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    Grid,
    Random,
    LatinHypercube,
    Sobol,
    Morris,
}

impl DesignKind {
    pub const NAMES: [&'static str; 5] = ["grid", "random", "latin_hypercube", "sobol", "morris"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn from_name(s: &str) -> Option<DesignKind> {
        use DesignKind::*;
        [Grid, Random, LatinHypercube, Sobol, Morris]
            .into_iter()
            .find(|d| d.name() == s)
    }
}

/// A design with its sizes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Design {
    /// Every combination of the parameters' values.
    Grid,
    /// `samples` points drawn uniformly.
    Random { samples: u32 },
    /// `samples` points, one in each of `samples` strata of every parameter.
    LatinHypercube { samples: u32 },
    /// Saltelli's scheme on an Owen-scrambled Sobol sequence: `samples` base points, each
    /// giving `k + 2` design points (A, AB_1..AB_k, B).
    Sobol { samples: u32 },
    /// Morris trajectories of `k + 1` points on a grid of `levels` levels.
    Morris { trajectories: u32, levels: u32 },
}

impl Design {
    pub fn kind(&self) -> DesignKind {
        match self {
            Design::Grid => DesignKind::Grid,
            Design::Random { .. } => DesignKind::Random,
            Design::LatinHypercube { .. } => DesignKind::LatinHypercube,
            Design::Sobol { .. } => DesignKind::Sobol,
            Design::Morris { .. } => DesignKind::Morris,
        }
    }
}

/// A parameter value, typed as in TOML.
#[derive(Clone, Debug, PartialEq)]
pub enum PValue {
    Int(i64),
    Float(f64),
    Date(Date),
    Bool(bool),
    Str(String),
    Array(Vec<PValue>),
}

impl PValue {
    /// The value as TOML text, as `--set` reads it (floats always carry a `.` or an
    /// exponent, so they stay floats).
    pub fn toml(&self) -> String {
        match self {
            PValue::Int(i) => i.to_string(),
            PValue::Float(x) => format!("{x:?}"),
            PValue::Date(d) => d.to_string(),
            PValue::Bool(b) => b.to_string(),
            PValue::Str(s) => toml_string(s),
            PValue::Array(items) => {
                let inner: Vec<String> = items.iter().map(PValue::toml).collect();
                format!("[{}]", inner.join(", "))
            }
        }
    }

    /// The value as a CSV field (quoted when needed).
    pub fn csv(&self) -> String {
        match self {
            PValue::Str(s) => csv_field(s),
            PValue::Array(_) => csv_field(&self.toml()),
            other => other.toml(),
        }
    }

    fn from_node(node: &Node) -> Option<PValue> {
        Some(match &node.value {
            Value::Int(i) => PValue::Int(*i),
            Value::Float(x) => PValue::Float(*x),
            Value::Date(d) => PValue::Date(*d),
            Value::Bool(b) => PValue::Bool(*b),
            Value::Str(s) => PValue::Str(s.clone()),
            Value::Array(items) => {
                PValue::Array(items.iter().map(PValue::from_node).collect::<Option<_>>()?)
            }
            Value::Table(_) => return None,
        })
    }
}

/// A TOML basic string with escapes.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A CSV field, quoted if it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The number type of a continuous range: that of its `min` and `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumKind {
    Int,
    Float,
    Date,
}

/// The values a parameter takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Levels {
    /// A finite list (written out, or a range with `steps` or `step`).
    Discrete(Vec<PValue>),
    /// A range for sampled designs: whole numbers or dates uniformly over [lo, hi], floats
    /// uniformly (or log-uniformly) over [lo, hi]. Dates are day numbers.
    Continuous {
        lo: f64,
        hi: f64,
        kind: NumKind,
        log: bool,
    },
}

/// A sampled value rounded to 12 significant digits: far finer than any design resolves,
/// and printed as a short decimal (`2.54852128029`, not `2.5485212802886963`); the value
/// written is the value run.
fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

impl Levels {
    /// The value at `u` in [0, 1]: list values by equal cells, ranges linearly.
    pub fn at(&self, u: f64) -> PValue {
        let u = u.clamp(0.0, 1.0);
        match self {
            Levels::Discrete(values) => {
                let n = values.len();
                values[((u * n as f64) as usize).min(n - 1)].clone()
            }
            Levels::Continuous { lo, hi, kind, log } => match kind {
                NumKind::Float if *log => {
                    PValue::Float(tidy((lo.ln() + u * (hi.ln() - lo.ln())).exp()))
                }
                NumKind::Float => PValue::Float(tidy(lo + u * (hi - lo))),
                NumKind::Int | NumKind::Date => {
                    let x = (lo + (u * (hi - lo + 1.0)).floor()).min(*hi) as i64;
                    if *kind == NumKind::Int {
                        PValue::Int(x)
                    } else {
                        PValue::Date(Date::from_days(x))
                    }
                }
            },
        }
    }

    /// The unit coordinate of the i-th of a list's values (the centre of its cell).
    pub fn unit_of_index(&self, i: usize) -> f64 {
        match self {
            Levels::Discrete(v) => (i as f64 + 0.5) / v.len() as f64,
            Levels::Continuous { .. } => 0.5,
        }
    }

    /// The values that, checked one by one against the scenario, cover the parameter: every
    /// listed value, or both ends of a range.
    pub fn probes(&self) -> Vec<PValue> {
        match self {
            Levels::Discrete(v) => v.clone(),
            Levels::Continuous { .. } => vec![self.at(0.0), self.at(1.0)],
        }
    }
}

/// One varied parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// Dotted scenario path, as `--set` takes it.
    pub path: String,
    pub levels: Levels,
    pub key_loc: Loc,
    pub value_loc: Loc,
}

/// One fixed override.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub path: String,
    pub value: PValue,
    pub key_loc: Loc,
    pub value_loc: Loc,
}

impl Assignment {
    /// `path=value`, for the scenario loader.
    pub fn set_string(&self) -> String {
        format!("{}={}", self.path, self.value.toml())
    }
}

/// A sweep file, read and checked on its own (not yet against the scenario).
#[derive(Clone, Debug)]
pub struct Spec {
    pub file: PathBuf,
    /// The file's text, copied into the output directory.
    pub text: String,
    pub name: String,
    /// The base scenario (resolved against the sweep file's directory); `None`: built in.
    pub base: Option<PathBuf>,
    pub base_loc: Option<Loc>,
    pub seed: u64,
    pub replicates: u32,
    pub common_random_numbers: bool,
    pub design: Design,
    pub sets: Vec<Assignment>,
    pub params: Vec<Param>,
    /// Where problems are rendered from.
    pub sources: SourceMap,
    /// The whole file (for problems that have no better place).
    pub loc: Loc,
}

impl Spec {
    /// Renders problems found about this file.
    pub fn render(&self, d: &[Diagnostic]) -> String {
        diag::report(&self.sources, d.to_vec()).to_string()
    }
}

const RANGE_KEYS: [&str; 6] = ["values", "min", "max", "steps", "step", "log"];

/// Keys the sweep itself controls, which may be neither varied nor set.
const RESERVED: [&str; 2] = ["seed", "replicates"];

/// Largest number of design points a sweep may have.
pub const MAX_POINTS: u64 = 10_000_000;

/// Reads and checks a sweep file. Every problem is reported at once; the error is the
/// rendered text.
pub fn load(path: &Path) -> Result<Spec, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read sweep `{}`: {e}", path.display()))?;
    let mut sources = SourceMap::default();
    let src = sources.add(path.display().to_string(), text.clone());
    let root = doc::parse(&sources, src).map_err(|d| diag::report(&sources, d).to_string())?;
    let problems = Problems::default();
    let spec = read_spec(path, text, &root, &problems, sources);
    let p = problems.into_vec();
    if p.is_empty() {
        Ok(spec)
    } else {
        Err(spec.render(&p))
    }
}

fn read_spec(path: &Path, text: String, root: &Node, p: &Problems, sources: SourceMap) -> Spec {
    let r = Reader::root(root, p);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sweep".into());
    let name = match r.optional("name") {
        None => stem,
        Some(e) => match &e.node.value {
            Value::Str(s) if !s.is_empty() && !s.contains(['/', '\\']) && !s.starts_with('.') => {
                s.clone()
            }
            _ => {
                p.push(
                    e.node.loc,
                    "`name` must be a non-empty name without path separators (it names the output directory)",
                );
                stem
            }
        },
    };
    let (base, base_loc) = match r.optional("base") {
        None => (None, None),
        Some(e) => match &e.node.value {
            Value::Str(s) => {
                let dir = path.parent().unwrap_or(Path::new("."));
                (Some(dir.join(s)), Some(e.node.loc))
            }
            other => {
                p.push(
                    e.node.loc,
                    format!(
                        "`base` must be a scenario file path (relative to the sweep file), found {}",
                        other.type_name()
                    ),
                );
                (None, None)
            }
        },
    };
    let seed = r.int("seed", 0, i64::MAX) as u64;
    let replicates = r.int("replicates", 1, 100_000) as u32;
    let common_random_numbers =
        r.optional("common_random_numbers").is_none() || r.boolean("common_random_numbers");
    let design = read_design(&r);
    let sets = r
        .optional("set")
        .map_or_else(Vec::new, |e| read_sets(e, "sweep", p));
    let params = match r.optional("params") {
        None => {
            p.push(root.loc, "missing table `[params]`: the parameters to vary");
            Vec::new()
        }
        Some(e) => read_params(e, p),
    };
    r.finish();
    for a in &sets {
        if let Some(q) = params.iter().find(|q| q.path == a.path) {
            let (l, _) = sources.line_col(q.key_loc.src, q.key_loc.start as usize);
            p.push(
                a.key_loc,
                format!(
                    "`{}` is both set and varied (varied at line {l}); remove one",
                    a.path
                ),
            );
        }
    }
    if design.kind() == DesignKind::Grid {
        let mut points: u64 = 1;
        for q in &params {
            match &q.levels {
                Levels::Discrete(v) => points = points.saturating_mul(v.len() as u64),
                Levels::Continuous { .. } => p.push(
                    q.value_loc,
                    format!(
                        "a grid needs a list of values for `{}`, or `steps` or `step` with its `min` and `max`",
                        q.path
                    ),
                ),
            }
        }
        if points > MAX_POINTS {
            p.push(
                root.loc,
                format!("the grid has {points} points, more than the {MAX_POINTS} allowed"),
            );
        }
    }
    if let Design::Sobol { samples } = design {
        if 2 * params.len() > sobol_burley::NUM_DIMENSIONS as usize {
            p.push(
                root.loc,
                format!(
                    "a sobol design takes at most {} parameters",
                    sobol_burley::NUM_DIMENSIONS / 2
                ),
            );
        }
        let points = u64::from(samples) * (params.len() as u64 + 2);
        if points > MAX_POINTS {
            p.push(
                root.loc,
                format!("the design has {points} points, more than the {MAX_POINTS} allowed"),
            );
        }
    }
    if let Design::Morris { trajectories, .. } = design {
        let points = u64::from(trajectories) * (params.len() as u64 + 1);
        if points > MAX_POINTS {
            p.push(
                root.loc,
                format!("the design has {points} points, more than the {MAX_POINTS} allowed"),
            );
        }
    }
    Spec {
        file: path.to_path_buf(),
        text,
        name,
        base,
        base_loc,
        seed,
        replicates,
        common_random_numbers,
        design,
        sets,
        params,
        sources,
        loc: root.loc,
    }
}

fn read_design(r: &Reader) -> Design {
    let p = r.problems;
    let kind = if r.optional("design").is_none() {
        p.push(
            r.loc,
            format!(
                "missing key `design` (one of {})",
                quoted(&DesignKind::NAMES)
            ),
        );
        None
    } else {
        let before = p.count();
        let i = r.choice("design", &DesignKind::NAMES);
        (p.count() == before)
            .then(|| DesignKind::from_name(DesignKind::NAMES[i]))
            .flatten()
    };
    // Sizes that belong to other designs are mistakes, not silently ignored.
    let allowed: &[&str] = match kind {
        Some(DesignKind::Random | DesignKind::LatinHypercube | DesignKind::Sobol) => &["samples"],
        Some(DesignKind::Morris) => &["trajectories", "levels"],
        Some(DesignKind::Grid) | None => &[],
    };
    for key in ["samples", "trajectories", "levels"] {
        if let (Some(k), Some(e)) = (kind, r.optional(key))
            && !allowed.contains(&key)
        {
            p.push(
                e.key_loc,
                format!("`{key}` is not used by a {} design", k.name()),
            );
        }
    }
    let max_samples = if kind == Some(DesignKind::Sobol) {
        65_536
    } else {
        MAX_POINTS as i64
    };
    match kind {
        None | Some(DesignKind::Grid) => Design::Grid,
        Some(DesignKind::Random) => Design::Random {
            samples: r.int("samples", 1, max_samples) as u32,
        },
        Some(DesignKind::LatinHypercube) => Design::LatinHypercube {
            samples: r.int("samples", 1, max_samples) as u32,
        },
        Some(DesignKind::Sobol) => Design::Sobol {
            samples: r.int("samples", 2, max_samples) as u32,
        },
        Some(DesignKind::Morris) => {
            let trajectories = r.int("trajectories", 2, 1_000_000) as u32;
            let levels = match r.optional("levels") {
                None => 4,
                Some(e) => {
                    let l = r.int("levels", 2, 1000);
                    if l % 2 != 0 {
                        p.push(
                            e.node.loc,
                            format!("`levels` must be even (Morris' step is levels / (2 (levels - 1))), found {l}"),
                        );
                    }
                    l as u32
                }
            };
            Design::Morris {
                trajectories,
                levels,
            }
        }
    }
}

/// The leaves of a table of dotted paths, in the order they were written.
fn leaves<'a>(
    prefix: &str,
    entry: &'a Entry,
    is_leaf: &dyn Fn(&Node) -> bool,
    out: &mut Vec<(String, &'a Entry)>,
) {
    match &entry.node.value {
        Value::Table(t) if !is_leaf(&entry.node) => {
            for (k, e) in t {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&path, e, is_leaf, out);
            }
        }
        _ => out.push((prefix.to_string(), entry)),
    }
}

fn sorted_leaves<'a>(
    entry: &'a Entry,
    is_leaf: &dyn Fn(&Node) -> bool,
) -> Vec<(String, &'a Entry)> {
    let mut out = Vec::new();
    if let Value::Table(t) = &entry.node.value {
        for (k, e) in t {
            leaves(k, e, is_leaf, &mut out);
        }
    }
    out.sort_by_key(|(_, e)| (e.key_loc.src, e.key_loc.start));
    out
}

/// Whether `path` is one of the keys a sweep or an experiment (`owner`) controls itself,
/// reporting it if so.
fn reserved(path: &str, loc: Loc, what: &str, owner: &str, p: &Problems) -> bool {
    if RESERVED.contains(&path) {
        p.push(
            loc,
            format!("`{path}` cannot be {what} in a {owner}: use the {owner}'s own `{path}`"),
        );
        return true;
    }
    false
}

/// Whether `[section]` is a table (of scenario keys); says so if not.
fn is_table_of_keys(e: &Entry, section: &str, p: &Problems) -> bool {
    let ok = matches!(e.node.value, Value::Table(_));
    if !ok {
        let found = e.node.value.type_name();
        p.push(
            e.node.loc,
            format!("`{section}` must be a table of scenario keys, found {found}"),
        );
    }
    ok
}

/// The `[set]` table of a sweep or an experiment (`owner`): scenario keys with values.
pub(crate) fn read_sets(e: &Entry, owner: &str, p: &Problems) -> Vec<Assignment> {
    if !is_table_of_keys(e, "set", p) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (path, leaf) in sorted_leaves(e, &|_| false) {
        if reserved(&path, leaf.key_loc, "set", owner, p) {
            continue;
        }
        match PValue::from_node(&leaf.node) {
            Some(value) => out.push(Assignment {
                path,
                value,
                key_loc: leaf.key_loc,
                value_loc: leaf.node.loc,
            }),
            None => p.push(
                leaf.node.loc,
                format!("`set.{path}` holds a table inside an array, which a sweep cannot set"),
            ),
        }
    }
    out
}

fn is_range_table(n: &Node) -> bool {
    match &n.value {
        Value::Table(t) => t.keys().any(|k| RANGE_KEYS.contains(&k.as_str())),
        _ => false,
    }
}

fn read_params(e: &Entry, p: &Problems) -> Vec<Param> {
    if !is_table_of_keys(e, "params", p) {
        return Vec::new();
    }
    let list = sorted_leaves(e, &is_range_table);
    if list.is_empty() {
        p.push(
            e.node.loc,
            "`[params]` is empty: name at least one scenario key to vary",
        );
    }
    let mut out: Vec<Param> = Vec::new();
    for (path, leaf) in list {
        if reserved(&path, leaf.key_loc, "varied", "sweep", p) {
            continue;
        }
        if out.iter().any(|q| q.path == path) {
            p.push(leaf.key_loc, format!("`{path}` is varied twice"));
            continue;
        }
        if let Some(levels) = read_levels(&path, &leaf.node, p) {
            out.push(Param {
                path,
                levels,
                key_loc: leaf.key_loc,
                value_loc: leaf.node.loc,
            });
        }
    }
    out
}

fn read_values(path: &str, items: &[Node], loc: Loc, p: &Problems) -> Option<Levels> {
    if items.is_empty() {
        p.push(loc, format!("`{path}` has an empty list of values"));
        return None;
    }
    let mut values: Vec<PValue> = Vec::new();
    let mut ok = true;
    for it in items {
        match PValue::from_node(it) {
            Some(v) if values.contains(&v) => {
                p.push(it.loc, format!("`{path}` lists {} twice", v.toml()));
                ok = false;
            }
            Some(PValue::Float(x)) if !x.is_finite() => {
                p.push(it.loc, format!("`{path}` values must be finite numbers"));
                ok = false;
            }
            Some(v) => values.push(v),
            None => {
                p.push(it.loc, format!("`{path}` values cannot be tables"));
                ok = false;
            }
        }
    }
    ok.then_some(Levels::Discrete(values))
}

/// A range bound: a number (with its kind) or a date as a day number, and where it is.
fn bound(
    path: &str,
    key: &str,
    e: Option<&Entry>,
    loc: Loc,
    p: &Problems,
) -> Option<(f64, NumKind, Loc)> {
    let Some(e) = e else {
        p.push(
            loc,
            format!("`{path}` needs `{key}` (or a list of `values`)"),
        );
        return None;
    };
    let loc = e.node.loc;
    match e.node.value {
        Value::Int(i) => Some((i as f64, NumKind::Int, loc)),
        Value::Float(x) if x.is_finite() => Some((x, NumKind::Float, loc)),
        Value::Date(d) => Some((d.to_days() as f64, NumKind::Date, loc)),
        ref other => {
            p.push(
                loc,
                format!(
                    "`{path}.{key}` must be a number or a date, found {}",
                    other.type_name()
                ),
            );
            None
        }
    }
}

fn read_levels(path: &str, node: &Node, p: &Problems) -> Option<Levels> {
    match &node.value {
        Value::Array(items) => return read_values(path, items, node.loc, p),
        Value::Table(_) => {}
        other => {
            p.push(
                node.loc,
                format!(
                    "`{path}` must be a list of values or a range {{ min = .., max = .. }}, found {}",
                    other.type_name()
                ),
            );
            return None;
        }
    }
    let r = Reader::new(path.to_string(), node, p);
    let [values, min, max, steps_e, step_e, log_e] = RANGE_KEYS.map(|k| r.optional(k));
    let log = log_e.is_some() && r.boolean("log");
    r.finish();
    if let Some(v) = values {
        for (other, e) in [
            ("min", min),
            ("max", max),
            ("steps", steps_e),
            ("step", step_e),
            ("log", log_e),
        ] {
            if let Some(e) = e {
                p.push(
                    e.key_loc,
                    format!("`{path}` has a list of `values`; `{other}` does not go with it"),
                );
            }
        }
        return match &v.node.value {
            Value::Array(items) => read_values(path, items, v.node.loc, p),
            other => {
                p.push(
                    v.node.loc,
                    format!(
                        "`{path}.values` must be a list, found {}",
                        other.type_name()
                    ),
                );
                None
            }
        };
    }
    let lo = bound(path, "min", min, node.loc, p);
    let hi = bound(path, "max", max, node.loc, p);
    let ((lo, lo_kind, _), (hi, hi_kind, max_loc)) = (lo?, hi?);
    let kind = match (lo_kind, hi_kind) {
        (NumKind::Date, NumKind::Date) => NumKind::Date,
        (NumKind::Date, _) | (_, NumKind::Date) => {
            p.push(
                node.loc,
                format!("`{path}`: `min` and `max` must both be dates or both numbers"),
            );
            return None;
        }
        (NumKind::Int, NumKind::Int) => NumKind::Int,
        _ => NumKind::Float,
    };
    if lo >= hi {
        p.push(max_loc, format!("`{path}.max` must be greater than `min`"));
        return None;
    }
    if let Some(e) = log_e
        && log
        && (kind == NumKind::Date || lo <= 0.0)
    {
        p.push(
            e.node.loc,
            format!("`{path}.log` needs a range of positive numbers"),
        );
        return None;
    }
    let steps = match steps_e {
        None => None,
        Some(e) => match e.node.value {
            Value::Int(n) if (2..=1_000_000).contains(&n) => Some((n as usize, e.node.loc)),
            _ => {
                p.push(
                    e.node.loc,
                    format!("`{path}.steps` must be a whole number >= 2 (values from min to max, both included)"),
                );
                return None;
            }
        },
    };
    let step = match step_e {
        None => None,
        Some(e) => {
            let x = match e.node.value {
                Value::Int(i) => i as f64,
                Value::Float(x) if kind != NumKind::Date => x,
                _ => f64::NAN,
            };
            if x.is_nan() || x <= 0.0 || (kind == NumKind::Int && x.fract() != 0.0) {
                let what = match kind {
                    NumKind::Date => "a whole number of days > 0",
                    NumKind::Int => "a whole number > 0",
                    NumKind::Float => "a number > 0",
                };
                p.push(e.node.loc, format!("`{path}.step` must be {what}"));
                return None;
            }
            if let Some(s) = steps_e {
                p.push(
                    s.key_loc,
                    format!("`{path}` has both `step` and `steps`; give one"),
                );
                return None;
            }
            if let Some(l) = log_e
                && log
            {
                p.push(
                    l.key_loc,
                    format!("`{path}`: `log` goes with `steps`, not `step`"),
                );
                return None;
            }
            Some(x)
        }
    };
    let make = |x: f64| match kind {
        NumKind::Int => PValue::Int(x.round() as i64),
        NumKind::Date => PValue::Date(Date::from_days(x.round() as i64)),
        NumKind::Float => PValue::Float(x),
    };
    let discrete: Option<(Vec<f64>, Loc)> = if let Some((n, at)) = steps {
        Some((
            (0..n)
                .map(|i| {
                    let f = i as f64 / (n - 1) as f64;
                    if i == n - 1 {
                        hi
                    } else if log {
                        (lo.ln() + f * (hi.ln() - lo.ln())).exp()
                    } else {
                        lo + f * (hi - lo)
                    }
                })
                .collect(),
            at,
        ))
    } else if let Some(s) = step {
        let n = ((hi - lo) / s * (1.0 + 1e-12)).floor() as usize + 1;
        if n > 1_000_000 {
            p.push(node.loc, format!("`{path}` has more than a million steps"));
            return None;
        }
        Some(((0..n).map(|i| lo + i as f64 * s).collect(), node.loc))
    } else {
        None
    };
    match discrete {
        Some((xs, at)) => {
            let values: Vec<PValue> = xs.into_iter().map(make).collect();
            if values.windows(2).any(|w| w[0] == w[1]) {
                p.push(
                    at,
                    format!(
                        "`{path}`: {} steps between whole numbers repeat values; use fewer",
                        values.len()
                    ),
                );
                return None;
            }
            Some(Levels::Discrete(values))
        }
        // A grid needs discrete values; read_spec says so with the grid's other needs.
        None => Some(Levels::Continuous { lo, hi, kind, log }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_map_from_the_unit_interval() {
        let l = Levels::Continuous {
            lo: 5.0,
            hi: 7.0,
            kind: NumKind::Int,
            log: false,
        };
        assert_eq!(l.at(0.0), PValue::Int(5));
        assert_eq!(l.at(0.34), PValue::Int(6));
        assert_eq!(l.at(1.0), PValue::Int(7));
        let d = Levels::Discrete(vec![PValue::Int(1), PValue::Int(2), PValue::Int(3)]);
        for i in 0..3 {
            assert_eq!(d.at(d.unit_of_index(i)), PValue::Int(i as i64 + 1));
        }
        assert_eq!(PValue::Float(1.0).toml(), "1.0");
        assert_eq!(PValue::Str("a\"b".into()).toml(), "\"a\\\"b\"");
    }
}
