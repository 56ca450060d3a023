//! Experiment files: the raw stage of an experiment's input. Reads an experiment TOML into
//! a [`Spec`] — the base scenario, the arms (each a scenario file or overrides), the fixed
//! overrides, the posterior, the outcomes and dates compared — checking its own keys and
//! types and reporting every problem at once as `path:line:col: message`, with "did you
//! mean" for unknown keys. It reads with the scenario's reader, like sweep files.
//!
//! Whether an override names a scenario key with an acceptable value is checked by the
//! experiment's plan, which asks the scenario loader itself.

use std::path::{Path, PathBuf};

use crate::calendar::Date;
use crate::scenario::diag::{self, Diagnostic, Loc, SourceMap, did_you_mean};
use crate::scenario::doc::{self, Value};
use crate::scenario::read::{Problems, Reader};
use crate::sweep::plan::Located;
use crate::sweep::spec::{Assignment, read_sets};

/// The outcomes compared when the file names none.
pub const DEFAULT_OUTCOMES: [&str; 4] = [
    "share_integrated",
    "share_present",
    "share_moved_on",
    "share_returned",
];

/// The name of the base arm in result files; no other arm may take it.
pub const BASE_ARM: &str = "base";

/// An experiment file may not be larger than this.
const MAX_EXPERIMENT_BYTES: u64 = 4 << 20;

/// One arm: a variant of the base scenario.
#[derive(Clone, Debug)]
pub struct Arm {
    pub name: String,
    /// For tables and figures [default: the name].
    pub label: String,
    /// The family of resources the arm removes (e.g. "social capital"), for tables.
    pub group: String,
    /// A scenario file instead of the base (relative to the experiment file).
    pub scenario: Option<(PathBuf, Loc)>,
    /// Overrides of this arm, applied over the posterior draw.
    pub sets: Vec<Assignment>,
    pub loc: Loc,
}

/// An experiment file, read and checked on its own (not yet against the scenario).
#[derive(Clone, Debug)]
pub struct Spec {
    pub file: PathBuf,
    /// The file's text (copied into the output directory).
    pub text: String,
    pub name: String,
    /// The base scenario (resolved against the file's directory); `None`: built in.
    pub base: Option<PathBuf>,
    pub base_loc: Option<Loc>,
    pub posterior: Option<(PathBuf, Loc)>,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    pub draws: Option<u32>,
    pub outcomes: Vec<String>,
    /// Dates at which outcomes are compared; empty: the end of the run.
    pub dates: Vec<(Date, Loc)>,
    /// Overrides of every arm (the base included).
    pub sets: Vec<Assignment>,
    pub arms: Vec<Arm>,
    pub sources: SourceMap,
    pub loc: Loc,
}

impl Located for Spec {
    fn sources(&self) -> &SourceMap {
        &self.sources
    }
    fn file(&self) -> &Path {
        &self.file
    }
}

impl Spec {
    /// Renders problems found about this file.
    pub fn render(&self, d: Vec<Diagnostic>) -> String {
        diag::report(&self.sources, d).to_string()
    }
}

/// A name usable as a directory and a CSV field: letters, digits, `_`, `-`.
fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Reads and checks an experiment file; `outcome_names` are the outcomes runs report.
/// Every problem is reported at once; the error is the rendered text.
pub fn load(path: &Path, outcome_names: &[String]) -> Result<Spec, String> {
    let text = doc::read_input(path, "experiment", MAX_EXPERIMENT_BYTES)?;
    let mut sources = SourceMap::default();
    let src = sources.add(path.display().to_string(), text.clone());
    let root = doc::parse(&sources, src).map_err(|d| diag::report(&sources, d).to_string())?;
    let problems = Problems::default();
    let spec = read_spec(path, text, &root, &problems, sources, outcome_names);
    let p = problems.into_vec();
    if p.is_empty() {
        Ok(spec)
    } else {
        Err(spec.render(p))
    }
}

/// `a/b/../c` as `a/c`, without asking the file system: paths in messages and reports read
/// as the user would write them.
fn lexically_normal(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir if !out.is_empty() => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// A path-valued key, relative to the experiment file's directory.
fn path_of(r: &Reader<'_>, key: &str, what: &str, dir: &Path) -> Option<(PathBuf, Loc)> {
    let e = r.optional(key)?;
    match &e.node.value {
        Value::Str(s) if !s.is_empty() && !s.contains('\0') => {
            Some((lexically_normal(&dir.join(s)), e.node.loc))
        }
        other => {
            r.problems.push(
                e.node.loc,
                format!(
                    "`{}` must be {what} (relative to the experiment file), found {}",
                    if r.path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{}.{key}", r.path)
                    },
                    other.type_name()
                ),
            );
            None
        }
    }
}

fn read_spec(
    path: &Path,
    text: String,
    root: &doc::Node,
    p: &Problems,
    sources: SourceMap,
    outcome_names: &[String],
) -> Spec {
    let r = Reader::root(root, p);
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "experiment".into());
    let name = match r.optional("name") {
        None => stem,
        Some(e) => match &e.node.value {
            Value::Str(s) if is_plain_name(s) => s.clone(),
            _ => {
                p.push(
                    e.node.loc,
                    "`name` must be a name of letters, digits, `_` and `-` (at most 100; it names the output directory)",
                );
                stem
            }
        },
    };
    let base = path_of(&r, "base", "a scenario file path", dir);
    let posterior = path_of(&r, "posterior", "a posterior.csv path", dir);
    let seed = r
        .optional("seed")
        .map(|_| r.int("seed", 0, i64::MAX) as u64);
    let replicates = r
        .optional("replicates")
        .map(|_| r.int("replicates", 1, 100_000) as u32);
    let draws = r
        .optional("draws")
        .map(|_| r.int("draws", 1, 100_000) as u32);
    if let (Some(e), None) = (r.optional("draws"), &posterior) {
        p.push(e.key_loc, "`draws` needs a `posterior` to draw from");
    }
    let outcomes = match r.optional("outcomes") {
        None => DEFAULT_OUTCOMES.iter().map(|s| s.to_string()).collect(),
        Some(e) => read_outcomes(e, outcome_names, p),
    };
    let dates = match r.optional("dates") {
        None => Vec::new(),
        Some(e) => read_dates(e, p),
    };
    let sets = r
        .optional("set")
        .map_or_else(Vec::new, |e| read_sets(e, "experiment", p));
    let mut arms = Vec::new();
    for (arm_name, loc, a) in r.named("arms") {
        if !is_plain_name(&arm_name) || arm_name == BASE_ARM {
            p.push(
                loc,
                format!(
                    "arm `{arm_name}`: an arm's name is letters, digits, `_` and `-`, and not `{BASE_ARM}` (the base scenario's arm)"
                ),
            );
        }
        let label = a.optional("label").map(|_| a.string("label"));
        let group = a.optional("group").map(|_| a.string("group"));
        let scenario = path_of(&a, "scenario", "a scenario file path", dir);
        let arm_sets = a
            .optional("set")
            .map_or_else(Vec::new, |e| read_sets(e, "experiment", p));
        if scenario.is_none() && arm_sets.is_empty() {
            p.push(
                loc,
                format!(
                    "arm `{arm_name}` changes nothing: give it a `scenario` file or a `[arms.{arm_name}.set]` table"
                ),
            );
        }
        a.finish();
        arms.push(Arm {
            label: label.unwrap_or_else(|| arm_name.clone()),
            group: group.unwrap_or_default(),
            name: arm_name,
            scenario,
            sets: arm_sets,
            loc,
        });
    }
    if arms.is_empty() && r.has("arms") {
        p.push(r.loc_of("arms"), "`arms` holds no arm");
    }
    // Arms in the order the file gives them (tables are read sorted by name).
    arms.sort_by_key(|a| (a.loc.src, a.loc.start));
    r.finish();
    Spec {
        file: path.to_path_buf(),
        text,
        name,
        base_loc: base.as_ref().map(|b| b.1),
        base: base.map(|b| b.0),
        posterior,
        seed,
        replicates,
        draws,
        outcomes,
        dates,
        sets,
        arms,
        loc: root.loc,
        sources,
    }
}

fn read_outcomes(e: &doc::Entry, names: &[String], p: &Problems) -> Vec<String> {
    let Value::Array(items) = &e.node.value else {
        p.push(e.node.loc, "`outcomes` must be an array of outcome names");
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for it in items {
        match &it.value {
            Value::Str(s) if names.contains(s) && !out.contains(s) => out.push(s.clone()),
            Value::Str(s) if names.contains(s) => {
                p.push(it.loc, format!("the outcome \"{s}\" is listed twice"))
            }
            Value::Str(s) => {
                let hint = match did_you_mean(s, names.iter().map(String::as_str)) {
                    Some(m) => format!("did you mean \"{m}\"?"),
                    None => format!(
                        "expected one of the columns of summary.csv: {}",
                        names.join(", ")
                    ),
                };
                p.push(it.loc, format!("unknown outcome \"{s}\"; {hint}"));
            }
            other => p.push(
                it.loc,
                format!(
                    "`outcomes` must contain strings, found {}",
                    other.type_name()
                ),
            ),
        }
    }
    if out.is_empty() && items.is_empty() {
        p.push(
            e.node.loc,
            "`outcomes` is empty: leave it out for the default outcomes",
        );
    }
    out
}

fn read_dates(e: &doc::Entry, p: &Problems) -> Vec<(Date, Loc)> {
    let Value::Array(items) = &e.node.value else {
        p.push(
            e.node.loc,
            "`dates` must be an array of dates such as 2023-07-01",
        );
        return Vec::new();
    };
    let mut out: Vec<(Date, Loc)> = Vec::new();
    for it in items {
        let d = match &it.value {
            Value::Date(d) => Some(*d),
            Value::Str(s) => Date::parse(s),
            _ => None,
        };
        match d {
            Some(d) if out.iter().any(|x| x.0 == d) => {
                p.push(it.loc, format!("the date {d} is listed twice"))
            }
            Some(d) => out.push((d, it.loc)),
            None => p.push(it.loc, "`dates` must contain dates such as 2023-07-01"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_as_written_without_dot_dot() {
        let p = lexically_normal(Path::new(
            "scenarios/experiments/../calibration/posterior.csv",
        ));
        assert_eq!(p, Path::new("scenarios/calibration/posterior.csv"));
        assert_eq!(lexically_normal(Path::new("../a/./b")), Path::new("../a/b"));
        assert_eq!(lexically_normal(Path::new("/x/../y")), Path::new("/y"));
    }
}
