//! The command line: subcommands, their options and what they do. `main.rs` only maps the
//! outcome to an exit code. Help text comes from the doc comments below.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::engine;
use crate::model::world::World;
use crate::output;
use crate::plot::{self, ColumnWidth, PlotError, PlotOptions};
use crate::progress::Progress;
use crate::scenario::{self, Loaded, diag::ScenarioErrors};
use crate::stats::Summary;

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
    Run(RunArgs),
    /// Validate scenarios without running them.
    Check {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Redraw the figures of run directories from their CSV files (several: a comparison),
    /// or of sweep directories (heatmaps of a grid, sensitivity indices).
    Plot {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the figures [default: DIR/figures, or output/comparison for several
        /// runs].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Single-column width (85 mm) instead of double-column (175 mm).
        #[arg(long)]
        single_column: bool,
        /// Draw titles (papers usually use captions instead).
        #[arg(long)]
        title: bool,
    },
    /// Run replicates of a scenario and compare them with observed figures (the fit table).
    Validate(crate::calibrate::ValidateArgs),
    /// Calibrate free parameters to observed figures by ABC-SMC; write the posterior, a
    /// calibrated scenario and its fit table.
    Calibrate(crate::calibrate::CalibrateArgs),
    /// Write the end-of-run outcomes of run directories as LaTeX and Markdown tables.
    Table {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Write `outcomes.tex` and `outcomes.md` here instead of printing Markdown.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run a parameter sweep (a sweep file: base scenario, parameters, design), crash-safe
    /// and resumable, on all cores or as one shard of a cluster job.
    Sweep(crate::sweep::SweepArgs),
    /// Join the finished shards of a sweep, checking that every run is there exactly once.
    Merge(crate::sweep::MergeArgs),
    /// Sobol or Morris sensitivity indices of a finished sweep, into DIR/sensitivity.csv.
    Analyze(crate::sweep::AnalyzeArgs),
}

/// The scenario a command runs: a file, or the built-in baseline, with overrides.
#[derive(clap::Args, Debug)]
pub struct ScenarioArgs {
    /// Scenario file [default: the built-in historical baseline].
    pub scenario: Option<PathBuf>,
    /// Number of replicates (overrides the scenario's `replicates`).
    #[arg(long)]
    pub replicates: Option<u32>,
    /// Master seed (overrides the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override any scenario key, e.g. --set policy.border_run_ban.date=2023-06-01 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
}

impl ScenarioArgs {
    /// Loads and validates the scenario; `--replicates` and `--seed` become overrides, so
    /// the resolved scenario records them.
    pub fn load(&self) -> Result<Loaded, Failure> {
        let mut sets = self.sets.clone();
        if let Some(r) = self.replicates {
            sets.push(format!("replicates={r}"));
        }
        if let Some(s) = self.seed {
            sets.push(format!("seed={s}"));
        }
        load(self.scenario.as_deref(), &sets)
    }
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    /// Output directory [default: output/<scenario name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// No progress output.
    #[arg(long)]
    pub quiet: bool,
    /// Replace an existing output directory.
    #[arg(long)]
    pub force: bool,
    /// Do not draw figures.
    #[arg(long)]
    pub no_plots: bool,
    /// Write the social network of replicate 0 on these dates (comma-separated) as
    /// network/edges_DATE.csv, for networkx, igraph or Gephi.
    #[arg(long, value_delimiter = ',', value_name = "DATE,...")]
    pub network_dates: Vec<String>,
}

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

pub fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Check { scenarios } => check(&scenarios),
        Command::Plot {
            dirs,
            out,
            single_column,
            title,
        } => plot(&dirs, out, single_column, title),
        Command::Table { dirs, out } => table(&dirs, out),
        Command::Validate(args) => crate::calibrate::validate(args),
        Command::Calibrate(args) => crate::calibrate::calibrate(args),
        Command::Sweep(args) => crate::sweep::sweep(args),
        Command::Merge(args) => crate::sweep::merge(args),
        Command::Analyze(args) => crate::sweep::analyze(args),
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

fn check(paths: &[PathBuf]) -> Result<(), Failure> {
    let mut errors = Vec::new();
    for p in paths {
        match load(Some(p), &[]) {
            Ok(l) => println!(
                "{}: ok ({} days, {} replicates)",
                p.display(),
                l.scenario.days(),
                l.scenario.replicates
            ),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(errors.join("\n")))
    }
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let loaded = args.input.load()?;
    let sc = &loaded.scenario;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&sc.name));
    output::check_writable(&out, args.force).map_err(|e| Failure::Input(e.to_string()))?;

    let started = Instant::now();
    let progress = Progress::new(
        u64::from(sc.replicates) * u64::from(sc.days()),
        "replicate-days",
        args.quiet,
    );
    let mut options = engine::RunOptions::default();
    let mut bad_dates = Vec::new();
    for d in &args.network_dates {
        match crate::calendar::Date::parse(d.trim()) {
            Some(date) if date >= sc.start && date <= sc.end => {
                options.network_days.push(sc.day_of(date))
            }
            _ => bad_dates.push(format!(
                "--network-dates: `{d}` is not a date between {} and {}",
                sc.start, sc.end
            )),
        }
    }
    if !bad_dates.is_empty() {
        return Err(Failure::Input(bad_dates.join("\n")));
    }
    let runs =
        engine::run_replicates_with(sc, sc.replicates, args.jobs, &options, &|| progress.inc(1));
    progress.finish();
    let wall = started.elapsed().as_secs_f64();

    let agent_days: u64 = runs.iter().map(|r| r.agent_days).sum();
    let agents = runs.first().map_or(0, |r| r.agents);
    let manifest = serde_json::json!({
        "program": "relocant",
        "version": env!("CARGO_PKG_VERSION"),
        "command_line": std::env::args().collect::<Vec<_>>(),
        "scenario": sc.name,
        "seed": sc.seed,
        "replicates": sc.replicates,
        "agents": agents,
        "persons_per_agent": sc.arrivals.persons_per_agent,
        "days": sc.days(),
        "start": sc.start.to_string(),
        "end": sc.end.to_string(),
        "threads": if args.jobs == 0 { rayon::current_num_threads() } else { args.jobs },
        "wall_seconds": wall,
        "agent_days_simulated": agent_days,
        "agent_days_per_second": agent_days as f64 / wall.max(1e-9),
    });
    let world = World::new(sc);
    let mut files = vec![
        (
            "daily.csv".to_string(),
            output::csv::daily(sc, &runs).into_bytes(),
        ),
        (
            "summary.csv".to_string(),
            output::csv::summary(sc, &runs).into_bytes(),
        ),
        (
            "cohorts.csv".to_string(),
            output::csv::cohorts(&runs).into_bytes(),
        ),
        (
            "events.csv".to_string(),
            output::csv::events(&world.labels).into_bytes(),
        ),
        (
            "scenario.toml".to_string(),
            loaded.resolved_toml().into_bytes(),
        ),
        (
            "manifest.json".to_string(),
            (serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n").into_bytes(),
        ),
    ];
    for (day, edges) in runs
        .first()
        .map(|r| r.networks.as_slice())
        .unwrap_or_default()
    {
        let date = sc.start.add_days(i64::from(*day));
        files.push((
            format!("network/edges_{date}.csv"),
            output::csv::edges(edges).into_bytes(),
        ));
    }
    output::write_dir_atomically(&out, &files, args.force)
        .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", out.display())))?;
    if !args.no_plots {
        let figures = out.join("figures");
        if let Err(e) = plot_run_dir(&out, &figures) {
            eprintln!("relocant: warning: figures not drawn: {e}");
        }
    }
    print_outcomes(sc, &runs);
    if !args.quiet {
        eprintln!(
            "relocant: wrote {} ({} replicates x {} days, {} agents, {:.1} s, {:.1} M agent-days/s)",
            out.display(),
            sc.replicates,
            sc.days(),
            agents,
            wall,
            agent_days as f64 / wall.max(1e-9) / 1e6
        );
    }
    Ok(())
}

/// The short table on stdout: end-of-run shares with 90% intervals over replicates.
fn print_outcomes(sc: &scenario::Scenario, runs: &[engine::RunResult]) {
    let rows: Vec<Vec<(String, f64)>> = runs
        .iter()
        .map(|r| output::csv::end_of_run(sc, r))
        .collect();
    let col = |name: &str| -> Summary {
        Summary::of(
            &rows
                .iter()
                .map(|r| r.iter().find(|c| c.0 == name).map_or(0.0, |c| c.1))
                .collect::<Vec<_>>(),
        )
    };
    let arrived = col("arrived");
    println!(
        "{} — {} replicates, {} to {}",
        sc.name,
        runs.len(),
        sc.start,
        sc.end
    );
    println!("{:<12} {:>10} {:>22}", "outcome", "mean", "90% interval");
    println!(
        "{:<12} {:>10.0} {:>22}",
        "arrived",
        arrived.mean,
        format!("[{:.0}, {:.0}]", arrived.q05, arrived.q95)
    );
    for (label, key) in [
        ("integrated", "share_integrated"),
        ("moved on", "share_moved_on"),
        ("returned", "share_returned"),
        ("present", "share_present"),
    ] {
        let s = col(key);
        println!(
            "{:<12} {:>9.1}% {:>22}",
            label,
            100.0 * s.mean,
            format!("[{:.1}%, {:.1}%]", 100.0 * s.q05, 100.0 * s.q95)
        );
    }
}

/// Draws a new run's figures into a hidden sibling of `out`, then renames it into place, so
/// `figures/` appears whole or not at all.
fn plot_run_dir(dir: &Path, out: &Path) -> Result<(), String> {
    let tmp = dir.join(format!(".figures.tmp-{}", std::process::id()));
    let result = plot::plot_run(dir, &tmp, &PlotOptions::default())
        .map_err(|e| e.to_string())
        .and_then(|_| std::fs::rename(&tmp, out).map_err(|e| e.to_string()));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// A bad or missing input file is bad input (exit 2); failing to draw or write is a runtime failure.
fn plot_failure(e: PlotError) -> Failure {
    match e {
        PlotError::Draw { .. } => Failure::Runtime(e.to_string()),
        PlotError::Io { ref source, .. } if source.kind() != std::io::ErrorKind::NotFound => {
            Failure::Runtime(e.to_string())
        }
        _ => Failure::Input(format!("relocant: {e}")),
    }
}

fn plot(
    dirs: &[PathBuf],
    out: Option<PathBuf>,
    single_column: bool,
    title: bool,
) -> Result<(), Failure> {
    let opts = PlotOptions {
        width: if single_column {
            ColumnWidth::Single
        } else {
            ColumnWidth::Double
        },
        title,
    };
    let sweeps = dirs.iter().filter(|d| plot::is_sweep_dir(d)).count();
    let written = if sweeps > 0 {
        if sweeps < dirs.len() {
            return Err(Failure::Input(
                "relocant: plot takes run directories or sweep directories, not both".into(),
            ));
        }
        if dirs.len() > 1 && out.is_some() {
            return Err(Failure::Input(
                "relocant: --out takes one sweep directory; without it each sweep's figures go to DIR/figures".into(),
            ));
        }
        let mut all = Vec::new();
        for dir in dirs {
            let out = out.clone().unwrap_or_else(|| dir.join("figures"));
            let written = plot::plot_sweep(dir, &out, &opts).map_err(plot_failure)?;
            if written.is_empty() {
                return Err(Failure::Input(format!(
                    "relocant: {}: nothing to draw: heatmaps need a grid sweep over two or more parameters, sensitivity figures need sensitivity.csv (relocant analyze)",
                    dir.display()
                )));
            }
            all.extend(written);
        }
        all
    } else if let [dir] = dirs {
        let out = out.unwrap_or_else(|| dir.join("figures"));
        plot::plot_run(dir, &out, &opts).map_err(plot_failure)?
    } else {
        let out = out.unwrap_or_else(|| Path::new("output").join("comparison"));
        let mut all = plot::plot_comparison(dirs, &out, &opts).map_err(plot_failure)?;
        for dir in dirs {
            all.extend(plot::plot_run(dir, &dir.join("figures"), &opts).map_err(plot_failure)?);
        }
        all
    };
    for p in written {
        println!("{}", p.display());
    }
    Ok(())
}

fn table(dirs: &[PathBuf], out: Option<PathBuf>) -> Result<(), Failure> {
    let (latex, markdown) = crate::table::outcome_tables(dirs).map_err(plot_failure)?;
    match out {
        None => print!("{markdown}"),
        Some(dir) => {
            let write = |name: &str, text: &str| {
                std::fs::create_dir_all(&dir)
                    .and_then(|_| output::write_file_atomically(&dir.join(name), text.as_bytes()))
                    .map_err(|e| {
                        Failure::Runtime(format!("cannot write {}: {e}", dir.join(name).display()))
                    })
            };
            write("outcomes.tex", &latex)?;
            write("outcomes.md", &markdown)?;
            println!(
                "{}\n{}",
                dir.join("outcomes.tex").display(),
                dir.join("outcomes.md").display()
            );
        }
    }
    Ok(())
}
