//! Scaled-down runs of the shipped scenarios, simulated once per test binary.
//!
//! Many tests compare the same baseline (and the same ablations) with something else; a
//! cache keyed by (scenario file, overrides) keeps the replicates simulated so far, so each
//! is simulated once however many tests ask for it. Replicate r depends only on the
//! scenario and r (`engine::run_rng`), so the first n replicates of a longer run are
//! exactly the run of n replicates: a test asking for fewer gets a prefix, one asking for
//! more adds the missing replicates.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rayon::prelude::*;
use relocant::engine::{RunResult, run_replicate};
use relocant::scenario::{self, Scenario, Source};

/// Persons one agent stands for in these runs.
pub const SCALE: &str = "arrivals.persons_per_agent=100";

/// `scenarios/FILE` at the test scale, with `sets` laid over it.
pub fn load(file: &str, sets: &[&str]) -> Scenario {
    let all: Vec<String> = std::iter::once(SCALE)
        .chain(sets.iter().copied())
        .map(String::from)
        .collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    match scenario::load(Source::File(&path), &all) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{file} does not load:\n{e}"),
    }
}

type Key = (String, Vec<String>);
type Replicates = Arc<Mutex<Vec<RunResult>>>;

/// A lock that a panicking test does not poison for the others (the data behind it is
/// only ever extended by whole replicates).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The scenario `file` with `sets` (as `load`) and its replicates `0..n`, simulated at
/// most once per test binary.
pub fn runs(file: &str, sets: &[&str], n: u32) -> (Scenario, Vec<RunResult>) {
    static CACHE: OnceLock<Mutex<HashMap<Key, Replicates>>> = OnceLock::new();
    let key = (
        file.to_string(),
        sets.iter().map(|s| s.to_string()).collect(),
    );
    let entry = lock(CACHE.get_or_init(Default::default))
        .entry(key)
        .or_default()
        .clone();
    let sc = load(file, sets);
    // Held while simulating: a second test asking for the same runs waits for them.
    let mut have = lock(&entry);
    if have.len() < n as usize {
        let more: Vec<RunResult> = (have.len() as u32..n)
            .into_par_iter()
            .map(|r| run_replicate(&sc, r, &|| {}))
            .collect();
        have.extend(more);
    }
    (sc, have[..n as usize].to_vec())
}
