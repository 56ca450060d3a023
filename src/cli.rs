//! The command line: subcommands, their options and help (from the doc comments below),
//! and the dispatch to each command. `main.rs` only maps the outcome to an exit code.
//! Nothing imports this module but `main.rs`: what the commands share lives in `command`.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::command::{self, Failure};

/// relocant: an agent-based simulation of temporary migration from Russia to Kazakhstan
/// after the mobilization of 2022-09-21 — who integrates, who moves on, who returns, and why.
#[derive(Parser, Debug)]
#[command(name = "relocant", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario with replicates and write its results (the built-in baseline if no file).
    Run(command::run::RunArgs),
    /// Validate scenarios without running them.
    Check(command::run::CheckArgs),
    /// Redraw the figures of run directories from their CSV files (several: a comparison),
    /// of sweep directories (heatmaps of a grid, sensitivity indices) or of experiment
    /// directories (the forest plot).
    Plot(command::figures::PlotArgs),
    /// Run replicates of a scenario and compare them with observed figures (the fit table).
    Validate(crate::calibrate::ValidateArgs),
    /// Calibrate free parameters to observed figures by ABC-SMC; write the posterior, a
    /// calibrated scenario and its fit table.
    Calibrate(crate::calibrate::CalibrateArgs),
    /// Write the end-of-run outcomes of run directories as LaTeX and Markdown tables.
    Table(command::figures::TableArgs),
    /// Run a parameter sweep (a sweep file: base scenario, parameters, design), crash-safe
    /// and resumable, on all cores or as one shard of a cluster job.
    Sweep(crate::sweep::SweepArgs),
    /// Join the finished shards of a sweep, checking that every run is there exactly once.
    Merge(crate::sweep::MergeArgs),
    /// Run an experiment (a base scenario and named arms) under common random numbers and
    /// posterior draws; write each arm's effects with 90% intervals, tables and a figure.
    Experiment(crate::experiment::ExperimentArgs),
    /// Show the resolved keys that differ between two scenarios (files, or run directories'
    /// scenario.toml), each with its value and the file and line that set it on either side.
    Diff {
        /// The first scenario file or run directory (`-` lines).
        a: PathBuf,
        /// The second scenario file or run directory (`+` lines).
        b: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout,
    /// e.g. `relocant completions bash > ~/.local/share/bash-completion/completions/relocant`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout, e.g. `relocant man > relocant.1`.
    Man,
    /// Write one self-contained report.html (figures, tables, the scenario and what differs
    /// from the baseline, the manifest, the data dictionary) for a run, a comparison of
    /// runs, a sweep, a validation or an experiment: readable offline and printable.
    Report(command::report::ReportArgs),
    /// Sobol or Morris sensitivity indices of a finished sweep, into DIR/sensitivity.csv.
    Analyze(crate::sweep::AnalyzeArgs),
}

pub fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => command::run::run(args),
        Command::Check(args) => command::run::check(args),
        Command::Plot(args) => command::figures::plot(args),
        Command::Table(args) => command::figures::table(args),
        Command::Validate(args) => crate::calibrate::validate(args),
        Command::Calibrate(args) => crate::calibrate::calibrate(args),
        Command::Sweep(args) => crate::sweep::sweep(args),
        Command::Merge(args) => crate::sweep::merge(args),
        Command::Analyze(args) => crate::sweep::analyze(args),
        Command::Experiment(args) => crate::experiment::experiment(args),
        Command::Report(args) => command::report::report(args),
        Command::Diff { a, b } => command::diff::diff(&a, &b),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "relocant", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| Failure::Runtime(format!("cannot render the manual: {e}")))?;
            use std::io::Write as _;
            std::io::stdout()
                .write_all(&page)
                .map_err(|e| Failure::Runtime(format!("cannot write the manual: {e}")))
        }
    }
}
