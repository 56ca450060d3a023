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
pub struct SweepArgs {
    /// Sweep file (TOML): base scenario, parameters to vary, design, replicates.
    pub sweep: PathBuf,
    /// Output directory [default: output/sweeps/<name>]; a shard writes into
    /// DIR/shard-K-of-N.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::command::jobs_parser())]
    pub jobs: usize,
    /// Finish a sweep that was interrupted (runs already done are not run again); starts it
    /// if the directory holds none.
    #[arg(long)]
    pub resume: bool,
    /// Run only share K of N (1 <= K <= N): the runs whose number is K-1 modulo N.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// No progress output.
    #[arg(long)]
    pub quiet: bool,
    /// Also write every run's daily series as daily/run-NNNN.csv.
    #[arg(long)]
    pub daily: bool,
    /// Discard a sweep already in the output directory and start again.
    #[arg(long)]
    pub force: bool,
    /// Do not draw the heatmaps of a grid sweep into DIR/figures.
    #[arg(long)]
    pub no_plots: bool,
    /// Table formats: csv, parquet (Parquet tables; the daily series only as Parquet) or
    /// both.
    #[arg(long, value_enum, default_value_t = crate::output::tables::Format::Csv)]
    pub format: crate::output::tables::Format,
    /// Memory the sweep may use, in GiB [default: what the machine has available]; a sweep
    /// estimated to need more (its plan and the runs in flight) is refused before it starts.
    #[arg(long, value_name = "GIB")]
    pub max_memory: Option<f64>,
}

/// `relocant merge`.
#[derive(clap::Args, Debug, Clone)]
pub struct MergeArgs {
    /// Shard directories (or any finished directories of the same sweep).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged sweep [default: the shards' common parent directory].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Do not draw the heatmaps of a grid sweep into DIR/figures.
    #[arg(long)]
    pub no_plots: bool,
    /// Table formats: csv, parquet (Parquet tables; the daily series only as Parquet) or
    /// both.
    #[arg(long, value_enum, default_value_t = crate::output::tables::Format::Csv)]
    pub format: crate::output::tables::Format,
    /// No summary on stderr.
    #[arg(long)]
    pub quiet: bool,
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
    /// Do not draw the sensitivity figures into DIR/figures.
    #[arg(long)]
    pub no_plots: bool,
    /// No summary on stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Print the indices on stdout as one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
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
