//! The commands below the command line, and what they share: the failure type that decides
//! the exit code, the scenario options of `run` and `validate`, loading a scenario with
//! overrides. `run` (`relocant run`, `relocant check`) and `figures` (`relocant plot`,
//! `relocant table`) are commands; `sweep` and `calibrate` keep theirs in their modules.
//!
//! `cli` parses arguments and dispatches here and to `sweep` and `calibrate`; they all use
//! this module and never `cli`, so the parser sits on top and nothing depends on it.

pub mod diff;
pub mod figures;
pub mod memory;
pub mod options;
pub mod report;
pub mod run;

pub use options::{Force, Formats, Jobs, Json, NoPlots, Out, Quiet, Sets};

use std::path::{Path, PathBuf};

use crate::calibrate::posterior::{Ensemble, Posterior};
use crate::scenario::{self, Loaded, diag::ScenarioErrors};

/// Why a command failed, which decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad input (exit 2).
    #[error("{0}")]
    Input(String),
    /// Something went wrong while working (exit 1).
    #[error("{0}")]
    Runtime(String),
}

impl From<ScenarioErrors> for Failure {
    fn from(e: ScenarioErrors) -> Failure {
        Failure::Input(e.to_string())
    }
}

/// The scenario a command runs: a file, or the built-in baseline, with overrides.
#[derive(clap::Args, Debug)]
pub struct ScenarioArgs {
    /// Scenario file [default: the built-in historical baseline].
    pub scenario: Option<PathBuf>,
    /// Number of replicates (overrides the scenario's `replicates`; 1 to 100000).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replicates: Option<u32>,
    /// Master seed (overrides the scenario's `seed`; 0 to 2^63 − 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub sets: Sets,
    /// Memory a run may use, in GiB [default: what the machine has available]; a run
    /// estimated to need more is refused before it starts.
    #[arg(long, value_name = "GIB")]
    pub max_memory: Option<f64>,
}

impl ScenarioArgs {
    /// Loads and validates the scenario; `--replicates` and `--seed` become overrides, so
    /// the resolved scenario records them.
    pub fn load(&self) -> Result<Loaded, Failure> {
        // `--set key 100` (a space for `=`) makes `100` the scenario file: say so.
        if let (Some(key), Some(file)) = (
            self.sets.without_equals(),
            self.scenario.as_deref().filter(|p| !p.exists()),
        ) {
            return Err(Failure::Input(format!(
                "--set {key}: expected `dotted.key=value`; did you mean --set {key}={}?",
                file.display()
            )));
        }
        let mut sets = self.sets.as_slice().to_vec();
        if let Some(r) = self.replicates {
            sets.push(format!("replicates={r}"));
        }
        if let Some(s) = self.seed {
            sets.push(format!("seed={s}"));
        }
        load(self.scenario.as_deref(), &sets)
    }
}

/// Parameter uncertainty: replicates that draw their parameters from a calibration's
/// posterior (`run`, `validate`, `experiment`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PosteriorArgs {
    /// Run each replicate with a parameter set drawn by weight (reproducibly from the seed)
    /// from this posterior sample, a calibration's posterior.csv (the calibrated one is
    /// scenarios/calibration/posterior.csv): intervals then include the parameters'
    /// uncertainty.
    #[arg(long, value_name = "POSTERIOR_CSV")]
    pub posterior: Option<PathBuf>,
    /// Parameter sets to draw [default: one per replicate]; replicate r runs draw r mod N,
    /// so N below the replicates gives several stochastic runs of each draw.
    #[arg(long, requires = "posterior", value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub draws: Option<u32>,
}

impl PosteriorArgs {
    /// The replicates' scenarios: the loaded scenario alone, or one per posterior draw with
    /// `after` (the user's `--set`) applied again over the draw, so an explicit override
    /// wins over the posterior.
    pub fn ensemble(&self, loaded: &Loaded, after: &[String]) -> Result<Ensemble, Failure> {
        match &self.posterior {
            None => Ok(Ensemble::single(loaded.scenario.clone())),
            Some(path) => {
                let p = Posterior::read(path, &loaded.resolved)?;
                let draws = self.draws.unwrap_or(loaded.scenario.replicates);
                Ensemble::draw(loaded, p, draws, after)
            }
        }
    }
}

/// Takes the lock of a working directory (a sweep's, a calibration's) for as long as the
/// returned file is held, so two commands never work in one directory: the second is told.
pub fn lock_dir(dir: &Path) -> Result<std::fs::File, Failure> {
    let path = dir.join(".lock");
    let f = std::fs::File::create(&path)
        .map_err(|e| Failure::Runtime(format!("{}: {e}", path.display())))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(Failure::Runtime(format!(
            "another relocant is working in {}",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Failure::Runtime(format!("{}: {e}", path.display())))
        }
    }
}

/// Loads a scenario file (or the built-in baseline) with overrides.
pub fn load(path: Option<&Path>, sets: &[String]) -> Result<Loaded, Failure> {
    let source = match path {
        Some(p) => scenario::Source::File(p),
        None => scenario::Source::Builtin,
    };
    Ok(scenario::load(source, sets)?)
}
