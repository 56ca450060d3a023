//! Scenarios: the validated description of one simulated world.
//!
//! Input comes in two stages. `doc` reads TOML into trees that remember where each value
//! was written and resolves `base` inheritance and `--set` overrides; `decode` turns the
//! merged tree into a [`Scenario`], checking types, ranges, dates and cross-references and
//! reporting every problem at once. The engine only ever sees a `Scenario`.
//!
//! Every scenario is laid over the built-in baseline (`scenarios/baseline.toml`, compiled
//! into the binary), so the baseline file is the single place where defaults live.

pub mod compare;
pub mod decode;
pub mod diag;
pub mod doc;
pub mod read;

// The validated scenario is the model's input, so the model defines it; this module reads
// TOML into it.
pub use crate::model::params::*;

use std::path::Path;

use crate::output::provenance::Input;
use diag::{ScenarioErrors, SourceMap};
use doc::Node;

/// The built-in historical baseline, the root of every scenario.
pub const BASELINE_TOML: &str = include_str!("../../scenarios/baseline.toml");
pub const BASELINE_NAME: &str = "scenarios/baseline.toml (built in)";

/// A scenario as loaded: the validated model input and the resolved tree it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    /// Every key with its final value (defaults included): written as `scenario.toml`.
    pub resolved: Node,
    /// The files it was read from (the built-in baseline and the `base` chain), with their
    /// SHA-256, for the manifest.
    pub inputs: Vec<Input>,
    /// What the run leaves out: the built-in baseline's dated events after its end.
    pub notes: Vec<String>,
    /// The texts it was read from, to say where each value was set (`relocant diff`).
    pub sources: SourceMap,
}

impl Loaded {
    /// The resolved scenario as TOML text; running it again reproduces the results.
    pub fn resolved_toml(&self) -> String {
        let header = format!(
            "# Fully resolved scenario written by relocant {}.\n# Every key is present; `relocant run` on this file reproduces the results.\n\n",
            env!("CARGO_PKG_VERSION")
        );
        header + &doc::to_toml(&self.resolved)
    }
}

/// Where a scenario comes from.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// The built-in baseline alone.
    Builtin,
    /// A file, with its `base` chain.
    File(&'a Path),
}

/// Loads, merges and validates a scenario, applying `sets` (`dotted.key=value`) last.
pub fn load(source: Source<'_>, sets: &[String]) -> Result<Loaded, ScenarioErrors> {
    let mut sources = SourceMap::default();
    // Problems are listed in the order of the files and lines they point at.
    let fail = |sources: &SourceMap, d: Vec<diag::Diagnostic>| diag::report(sources, d);
    let builtin = sources.add(BASELINE_NAME.to_string(), BASELINE_TOML.to_string());
    let mut root = doc::parse(&sources, builtin).map_err(|d| fail(&sources, d))?;
    if let Source::File(path) = source {
        let file = doc::load_chain(&mut sources, path).map_err(|d| fail(&sources, d))?;
        doc::merge(&mut root, file);
    }
    let mut set_problems = Vec::new();
    for s in sets {
        if let Err(d) = doc::apply_set(&mut sources, &mut root, s) {
            set_problems.push(d);
        }
    }
    // Problems of the files and of the overrides are reported together.
    match decode::decode_noting(&root) {
        Ok((scenario, notes)) if set_problems.is_empty() => Ok(Loaded {
            notes,
            sources: sources.clone(),
            scenario,
            resolved: root,
            inputs: sources
                .entries()
                .filter(|(name, _)| *name != doc::SET_SOURCE)
                .map(|(name, text)| Input::of(name, text.as_bytes()))
                .collect(),
        }),
        Ok(_) => Err(fail(&sources, set_problems)),
        Err(d) => Err(fail(&sources, [d, set_problems].concat())),
    }
}
