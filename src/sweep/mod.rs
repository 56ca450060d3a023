//! Parameter sweeps: many runs of the model over a design of parameter values, in parallel
//! on one machine or split into shards across a cluster, crash-safe and resumable, and their
//! sensitivity analysis.
//!
//! - `spec`: the sweep file (TOML) read and checked on its own.
//! - `plan`: the spec checked against its base scenario; design points, values, seeds.
//! - `design`: unit-cube designs (grid, random, Latin hypercube, Saltelli, Morris).
//! - `journal`: the append-only record of completed runs that makes a sweep resumable.
//! - `run`: `relocant sweep`; `merge`: `relocant merge`; `results`: `runs.csv`/`points.csv`.
//! - `analyze`: Sobol and Morris indices (`relocant analyze`), on any model function.
//! - Figures: a finished whole sweep draws its heatmaps (grids), `analyze` its sensitivity
//!   figures, into `DIR/figures` with `crate::plot`; a failure to draw only warns.
//!
//! Invariants: a run's result depends only on (plan, run id), never on threads, order,
//! shards or time, so `runs.csv` is the same bytes however the sweep was run; nothing holds
//! all runs in memory; no result file is ever visible half-written.

pub mod analyze;
pub mod design;
pub mod journal;
pub mod merge;
pub mod plan;
pub mod results;
pub mod run;
pub mod spec;

use std::path::{Path, PathBuf};

use crate::plot::{PlotError, PlotOptions};

/// `relocant sweep`.
#[derive(clap::Args, Debug, Clone)]
#[command(mut_arg("out", |a| a.help(
    "Output directory [default: output/sweeps/<name>]; a shard writes into DIR/shard-K-of-N.")))]
#[command(mut_arg("force", |a| a.conflicts_with("resume").help(
    "Discard a sweep already in the output directory and start again.")))]
pub struct SweepArgs {
    /// Sweep file (TOML): base scenario, parameters to vary, design, replicates.
    pub sweep: PathBuf,
    #[command(flatten)]
    pub out: crate::command::Out,
    #[command(flatten)]
    pub jobs: crate::command::Jobs,
    /// Finish a sweep that was interrupted (runs already done are not run again); starts it
    /// if the directory holds none.
    #[arg(long)]
    pub resume: bool,
    /// Run only share K of N (1 <= K <= N): the runs whose number is K-1 modulo N.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub quiet: crate::command::Quiet,
    /// Also write every run's daily series as daily/run-NNNN.csv.
    #[arg(long)]
    pub daily: bool,
    #[command(flatten)]
    pub force: crate::command::Force,
    #[command(flatten)]
    pub plots: crate::command::NoPlots,
    #[command(flatten)]
    pub format: crate::command::Formats,
    /// Memory the sweep may use, in GiB [default: what the machine has available]; a sweep
    /// estimated to need more (its plan and the runs in flight) is refused before it starts.
    #[arg(long, value_name = "GIB")]
    pub max_memory: Option<f64>,
}

/// `relocant merge`.
#[derive(clap::Args, Debug, Clone)]
#[command(mut_arg("out", |a| a.help(
    "Where to write the merged sweep [default: the shards' common parent directory].")))]
#[command(mut_arg("force", |a| a.help(
    "Replace a merged sweep already in the output directory (to merge again once more \
     shards have finished).")))]
pub struct MergeArgs {
    /// Shard directories (or any finished directories of the same sweep).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub out: crate::command::Out,
    #[command(flatten)]
    pub force: crate::command::Force,
    #[command(flatten)]
    pub plots: crate::command::NoPlots,
    #[command(flatten)]
    pub format: crate::command::Formats,
    #[command(flatten)]
    pub quiet: crate::command::Quiet,
}

/// `relocant analyze`.
#[derive(clap::Args, Debug, Clone)]
pub struct AnalyzeArgs {
    /// A finished sweep directory (a sobol or morris design).
    pub dir: PathBuf,
    /// Bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: u32,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    #[command(flatten)]
    pub plots: crate::command::NoPlots,
    #[command(flatten)]
    pub quiet: crate::command::Quiet,
    #[command(flatten)]
    pub json: crate::command::Json,
}

pub use merge::merge;
pub use run::sweep;

/// `relocant analyze DIR`.
pub fn analyze(args: AnalyzeArgs) -> Result<(), crate::command::Failure> {
    analyze::analyze_dir(&args)
}

/// A drawing function of `crate::plot` for a sweep directory.
type Draw = fn(&Path, &Path, &PlotOptions) -> Result<Vec<PathBuf>, PlotError>;

/// Draws a finished sweep's figures into `DIR/figures`. The results are written by then,
/// so a failure only warns.
fn draw_figures(dir: &Path, draw: Draw) {
    if let Err(e) = draw(dir, &dir.join("figures"), &PlotOptions::default()) {
        crate::note!("relocant: warning: figures not drawn: {e}");
    }
}

/// The figures a sweep draws, as file-name prefixes in `DIR/figures`: what `--force`
/// removes with the sweep's other files.
const FIGURE_PREFIXES: [&str; 2] = ["heatmap_", "sensitivity_"];

/// Removes the sweep's figures from `DIR/figures` (and the folder, if that empties it).
fn remove_figures(dir: &Path) -> std::io::Result<()> {
    let figures = dir.join("figures");
    let Ok(entries) = std::fs::read_dir(&figures) else {
        return Ok(());
    };
    for e in entries {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = FIGURE_PREFIXES.iter().any(|p| name.starts_with(p))
            && [".svg", ".png", ".pdf"].iter().any(|x| name.ends_with(x));
        if ours {
            std::fs::remove_file(e.path())?;
        }
    }
    // Only an empty folder is removed; anything else in it stays.
    let _ = std::fs::remove_dir(&figures);
    Ok(())
}
