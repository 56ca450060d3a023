//! `relocant run` and `relocant check`: one scenario's replicates into a run directory (and
//! its figures), or scenarios validated without running them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Failure, ScenarioArgs, load};
use crate::engine;
use crate::output::{self, manifest::Manifest};
use crate::plot::{self, PlotOptions};
use crate::progress::Progress;
use crate::scenario;
use crate::stats::Summary;

/// Options of `relocant run`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help("Output directory [default: output/<scenario name>].")))]
pub struct RunArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    #[command(flatten)]
    pub posterior: super::PosteriorArgs,
    #[command(flatten)]
    pub out: super::Out,
    #[command(flatten)]
    pub jobs: super::Jobs,
    #[command(flatten)]
    pub quiet: super::Quiet,
    #[command(flatten)]
    pub force: super::Force,
    #[command(flatten)]
    pub plots: super::NoPlots,
    #[command(flatten)]
    pub format: super::Formats,
    #[command(flatten)]
    pub json: super::Json,
    /// Also write the daily series in long form: daily_long.csv (replicate, date, variable,
    /// value), for tidyverse and seaborn.
    #[arg(long)]
    pub long: bool,
    /// Write the social network of replicate 0 on these dates (comma-separated) as
    /// network/edges_DATE.csv, for networkx, igraph or Gephi.
    #[arg(long, value_delimiter = ',', value_name = "DATE,...")]
    pub network_dates: Vec<String>,
}

/// `relocant check`: loads each scenario (the built-in baseline when none is named) with
/// the overrides, as `run` would, and estimates its memory; runs nothing.
/// Options of `relocant check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Scenario files [default: the built-in baseline].
    #[arg(value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// (`--set` is applied to every file, to check an override before a long run.)
    #[command(flatten)]
    pub sets: super::Sets,
    #[command(flatten)]
    pub quiet: super::Quiet,
}

pub fn check(args: CheckArgs) -> Result<(), Failure> {
    let (paths, sets) = (&args.scenarios, args.sets.as_slice());
    let mut errors = Vec::new();
    let builtin = [None];
    let files: Vec<Option<&Path>> = if paths.is_empty() {
        builtin.to_vec()
    } else {
        paths.iter().map(|p| Some(p.as_path())).collect()
    };
    for p in files {
        let name = p.map_or(crate::scenario::BASELINE_NAME.to_string(), |p| {
            p.display().to_string()
        });
        let checked = load(p, sets).and_then(|l| {
            super::memory::check_run(&l.scenario, l.scenario.replicates, super::Jobs::ALL, None)
                .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
            Ok(l)
        });
        match checked {
            Ok(l) => {
                println!(
                    "{}: ok ({} days, {} replicates)",
                    name,
                    l.scenario.days(),
                    l.scenario.replicates
                );
                if !args.quiet.is_set() {
                    for n in &l.notes {
                        crate::note!("{name}: note: {n}");
                    }
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(errors.join("\n")))
    }
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    args.format
        .get()
        .check_available()
        .map_err(Failure::Input)?;
    let loaded = args.input.load()?;
    if !args.quiet.is_set() {
        for n in &loaded.notes {
            crate::note!("relocant: note: {n}");
        }
    }
    let ensemble = args
        .posterior
        .ensemble(&loaded, args.input.sets.as_slice())?;
    let sc = &loaded.scenario;
    let out = args.out.or_else(|| Path::new("output").join(&sc.name));
    output::check_writable(&out, args.force.is_set()).map_err(|e| Failure::Input(e.to_string()))?;
    super::memory::check_run(sc, sc.replicates, args.jobs, args.input.max_memory)?;

    let started = Instant::now();
    let progress = Progress::new(
        u64::from(sc.replicates) * u64::from(sc.days()),
        "replicate-days",
        args.quiet.is_set(),
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
    let runs = ensemble.run(sc.replicates, args.jobs.requested(), &options, &|| {
        progress.inc(1)
    });
    progress.finish();
    let wall = started.elapsed().as_secs_f64();

    let agent_days: u64 = runs.iter().map(|r| r.agent_days).sum();
    let agents = runs.first().map_or(0, |r| r.agents);
    let manifest = Manifest::new("run")
        .with(serde_json::json!({
            "scenario": sc.name,
            "seed": sc.seed,
            "replicates": sc.replicates,
            "agents": agents,
            "persons_per_agent": sc.arrivals.persons_per_agent,
            "days": sc.days(),
            "start": sc.start.to_string(),
            "end": sc.end.to_string(),
            "threads": args.jobs.threads(),
            "wall_seconds": wall,
            "agent_days_simulated": agent_days,
            "agent_days_per_second": agent_days as f64 / wall.max(1e-9),
            "posterior": ensemble.manifest(),
        }))
        .inputs(&ensemble.inputs(&loaded), Some(&loaded.resolved_toml()));
    let (summary, summary_stats) = output::csv::summary(sc, &runs);
    let summary_stats_text = summary_stats.clone();
    let daily = output::csv::daily(sc, &runs);
    let long = args.long.then(|| output::csv::daily_long(&daily));
    let mut files = vec![
        ("daily.csv".to_string(), daily.into_bytes()),
        ("summary.csv".to_string(), summary.into_bytes()),
        (
            "summary_stats.csv".to_string(),
            summary_stats.clone().into_bytes(),
        ),
        (
            "cohorts.csv".to_string(),
            output::csv::cohorts(&runs).into_bytes(),
        ),
        (
            "panel.csv".to_string(),
            output::csv::panel(sc, &runs).into_bytes(),
        ),
        (
            "events.csv".to_string(),
            output::csv::events(&output::csv::event_labels(sc)).into_bytes(),
        ),
        (
            "scenario.toml".to_string(),
            loaded.resolved_toml().into_bytes(),
        ),
        manifest.file(),
    ];
    if let Some(long) = long {
        files.push(("daily_long.csv".to_string(), long.into_bytes()));
    }
    // With a posterior, the sample and the draws travel with the results, so the run can
    // be repeated from its directory (`--posterior DIR/posterior.csv --draws N`).
    if let (Some(draws), Some((p, _))) = (ensemble.draws_csv(), &ensemble.posterior) {
        files.push(("draws.csv".to_string(), draws.into_bytes()));
        files.push(("posterior.csv".to_string(), p.text.clone().into_bytes()));
    }
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
    // The figures are drawn from the written CSV files inside the temporary directory, so
    // the run directory appears with its figures or not at all.
    // Figures first (they read daily.csv), then the Parquet tables, then the dictionary of
    // what is there.
    output::write_dir_atomically_then(&out, &files, args.force.is_set(), |tmp| {
        if args.plots.plots() {
            plot::plot_run(tmp, &tmp.join("figures"), &PlotOptions::default())
                .map(drop)
                .map_err(|e| std::io::Error::other(format!("figures not drawn: {e}")))?;
        }
        output::tables::write(tmp, args.format.get())?;
        output::dictionary::write_datapackage(tmp)
    })
    .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", out.display())))?;
    if args.json.is_set() {
        output::csv::print_json(&serde_json::json!({
            "command": "run",
            "dir": out.display().to_string(),
            "scenario": sc.name,
            "replicates": runs.len(),
            "start": sc.start.to_string(),
            "end": sc.end.to_string(),
            "statistics": output::csv::to_json(&summary_stats_text),
        }));
    } else {
        print_outcomes(sc, &runs);
    }
    if !args.quiet.is_set() {
        crate::note!(
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
