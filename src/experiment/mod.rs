//! `relocant experiment EXPERIMENT.toml`: arms (a base scenario and named variants) run
//! under common random numbers and, with a posterior, the same parameter draws, so that
//! each replicate gives one paired draw of every arm's effect; the effects with their 90%
//! intervals go to `effects.csv`, Markdown and LaTeX tables and a forest plot.
//!
//! - `spec` reads the experiment file (located problems, "did you mean");
//! - this module checks it against the scenarios (the plan), runs it crash-safe and
//!   resumable through a journal like a sweep (`sweep::journal`), and writes the results;
//! - `effects` computes the paired differences and renders the tables.
//!
//! A run is (arm, replicate): replicate `r` of every arm uses the random stream of
//! replicate `r` and posterior draw `r mod draws`. Results are the same bits for any
//! `--jobs` and any interruption: they are computed from the journal, in run order.

pub mod effects;
pub mod spec;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::calendar::Date;
use crate::calibrate::posterior::{Ensemble, Posterior};
use crate::command::Failure;
use crate::engine;
use crate::model::observe::DayRecord;
use crate::output::provenance::Input;
use crate::output::{self, manifest::Manifest, write_file_atomically};
use crate::plot::{self, PlotOptions};
use crate::progress::Progress;
use crate::scenario::{self, Loaded, Source};
use crate::sweep::journal;
use crate::sweep::plan::{fnv1a, locate};
use spec::{BASE_ARM, Spec};

/// Options of `relocant experiment`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help("Output directory [default: output/experiments/<name>].")))]
#[command(mut_arg("force", |a| a.conflicts_with("resume").help(
    "Start afresh in an output directory that holds an earlier experiment.")))]
pub struct ExperimentArgs {
    /// Experiment file (TOML): a base scenario, arms, outcomes, dates.
    pub experiment: PathBuf,
    /// (`--set` applies to every arm.)
    #[command(flatten)]
    pub sets: crate::command::Sets,
    /// Replicates of every arm (overrides the file's `replicates`; 1 to 100000).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub replicates: Option<u32>,
    /// Master seed (overrides the file's `seed`; 0 to 2^63 − 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Posterior sample to draw each replicate's parameters from (overrides the file's
    /// `posterior`).
    #[arg(long, value_name = "POSTERIOR_CSV")]
    pub posterior: Option<PathBuf>,
    /// Parameter sets to draw [default: one per replicate]; replicate r runs draw r mod N.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub draws: Option<u32>,
    #[command(flatten)]
    pub out: crate::command::Out,
    #[command(flatten)]
    pub jobs: crate::command::Jobs,
    /// Continue the experiment interrupted in the output directory.
    #[arg(long)]
    pub resume: bool,
    #[command(flatten)]
    pub force: crate::command::Force,
    #[command(flatten)]
    pub quiet: crate::command::Quiet,
    #[command(flatten)]
    pub plots: crate::command::NoPlots,
    #[command(flatten)]
    pub json: crate::command::Json,
    #[command(flatten)]
    pub format: crate::command::Formats,

    /// Memory the runs may use, in GiB [default: what the machine has available].
    #[arg(long, value_name = "GIB")]
    pub max_memory: Option<f64>,
    /// Also write the effects as a section of this Markdown file (e.g. docs/VALIDATION.md),
    /// replacing this experiment's earlier section there and keeping the rest.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
}

/// Files an experiment writes in its directory (what `--force` removes).
const OWN_FILES: [&str; 13] = [
    "journal",
    "effects.parquet",
    "outcomes.parquet",
    "draws.parquet",
    "datapackage.json",
    "manifest.json",
    "experiment.toml",
    "outcomes.csv",
    "effects.csv",
    "effects.md",
    "effects.tex",
    "draws.csv",
    "posterior.csv",
];

const IDENTITY: &str = "relocant-experiment-journal v1";

/// One arm, checked and with its scenarios.
struct ArmPlan {
    name: String,
    label: String,
    group: String,
    ensemble: Ensemble,
    /// The arm's resolved scenario (before posterior draws), written to `arms/NAME.toml`.
    resolved: String,
}

/// An experiment checked against its scenarios.
struct Plan {
    spec: Spec,
    arms: Vec<ArmPlan>,
    replicates: u32,
    outcomes: Vec<String>,
    /// Indices of the outcomes in `csv::outcomes_on`'s list.
    outcome_index: Vec<usize>,
    dates: Vec<Date>,
    days: Vec<u32>,
    posterior: Option<Posterior>,
    /// The experiment file, every arm's scenario files and the posterior, with SHA-256.
    inputs: Vec<Input>,
    fingerprint: u64,
}

impl Plan {
    fn runs(&self) -> u64 {
        self.arms.len() as u64 * u64::from(self.replicates)
    }

    /// (arm, replicate) of run `u`.
    fn split(&self, u: u64) -> (usize, u32) {
        (
            (u / u64::from(self.replicates)) as usize,
            (u % u64::from(self.replicates)) as u32,
        )
    }

    /// Values recorded per run: every outcome at every date.
    fn width(&self) -> usize {
        self.outcomes.len() * self.days.len()
    }
}

/// The names of the outcomes runs report (the columns of `summary.csv`).
fn outcome_names() -> Result<Vec<String>, Failure> {
    let builtin = scenario::load(Source::Builtin, &[])?;
    Ok(
        output::csv::outcomes_on(&builtin.scenario, &DayRecord::default())
            .into_iter()
            .map(|(n, _)| n)
            .collect(),
    )
}

fn load_plan(args: &ExperimentArgs) -> Result<Plan, Failure> {
    let names = outcome_names()?;
    let spec = spec::load(&args.experiment, &names).map_err(Failure::Input)?;
    let base_source = || match &spec.base {
        Some(p) => Source::File(p),
        None => Source::Builtin,
    };
    let mut problems: Vec<String> = Vec::new();
    // The base scenario and every arm's file load on their own.
    if let Err(e) = scenario::load(base_source(), &[]) {
        let at = spec.base_loc.unwrap_or(spec.loc);
        problems.push(spec.render(vec![scenario::diag::Diagnostic::at(
            at,
            "the base scenario has problems:",
        )]));
        problems.extend(e.lines);
    }
    for arm in &spec.arms {
        if let Some((path, loc)) = &arm.scenario
            && let Err(e) = scenario::load(Source::File(path), &[])
        {
            problems.push(spec.render(vec![scenario::diag::Diagnostic::at(
                *loc,
                format!("arm `{}`: its scenario has problems:", arm.name),
            )]));
            problems.extend(e.lines);
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Input(problems.join("\n")));
    }
    // Every override is checked alone, so its problem is located in the experiment file.
    let fixed: Vec<String> = spec.sets.iter().map(|a| a.set_string()).collect();
    for a in &spec.sets {
        if let Err(e) = scenario::load(base_source(), &[a.set_string()]) {
            for line in &e.lines {
                problems.push(locate(&spec, line, &a.path, a.key_loc, a.value_loc, None));
            }
        }
    }
    for arm in &spec.arms {
        let source = match &arm.scenario {
            Some((p, _)) => Source::File(p),
            None => base_source(),
        };
        for a in &arm.sets {
            let mut sets = fixed.clone();
            sets.push(a.set_string());
            if let Err(e) = scenario::load(source, &sets) {
                for line in &e.lines {
                    problems.push(locate(&spec, line, &a.path, a.key_loc, a.value_loc, None));
                }
            }
        }
    }
    if !problems.is_empty() {
        problems.dedup();
        return Err(Failure::Input(problems.join("\n")));
    }

    // The frame: replicates and seed from the command line, else the file, else the base.
    let mut frame = Vec::new();
    if let Some(r) = args.replicates.or(spec.replicates) {
        frame.push(format!("replicates={r}"));
    }
    if let Some(s) = args.seed.or(spec.seed) {
        frame.push(format!("seed={s}"));
    }
    let base_loaded = scenario::load(
        base_source(),
        &[fixed.clone(), frame.clone(), args.sets.as_slice().to_vec()].concat(),
    )?;
    let posterior = match args
        .posterior
        .as_ref()
        .or(spec.posterior.as_ref().map(|p| &p.0))
    {
        Some(p) => Some(Posterior::read(p, &base_loaded.resolved)?),
        None => None,
    };
    let replicates = base_loaded.scenario.replicates;
    let draws = args.draws.or(spec.draws).unwrap_or(replicates);
    let ensemble = |loaded: &Loaded, after: &[String]| match &posterior {
        Some(p) => Ensemble::draw(loaded, p.clone(), draws, after),
        None => Ok(Ensemble::single(loaded.scenario.clone())),
    };
    let mut inputs = vec![Input::of(
        spec.file.display().to_string(),
        spec.text.as_bytes(),
    )];
    inputs.extend(base_loaded.inputs.iter().cloned());
    if let Some(p) = &posterior {
        inputs.push(Input::of(p.path.display().to_string(), p.text.as_bytes()));
    }
    let mut arms = vec![ArmPlan {
        name: BASE_ARM.into(),
        label: BASE_ARM.into(),
        group: String::new(),
        ensemble: ensemble(&base_loaded, args.sets.as_slice())?,
        resolved: base_loaded.resolved_toml(),
    }];
    let base = &base_loaded.scenario;
    for arm in &spec.arms {
        let source = match &arm.scenario {
            Some((p, _)) => Source::File(p),
            None => base_source(),
        };
        // The arm's own keys and the command line's win over the posterior draw.
        let after: Vec<String> = arm
            .sets
            .iter()
            .map(|a| a.set_string())
            .chain(args.sets.as_slice().iter().cloned())
            .collect();
        let loaded = scenario::load(
            source,
            &[fixed.clone(), frame.clone(), after.clone()].concat(),
        )?;
        let sc = &loaded.scenario;
        if (
            sc.start,
            sc.end,
            sc.arrivals.persons_per_agent,
            sc.seed,
            sc.replicates,
        ) != (
            base.start,
            base.end,
            base.arrivals.persons_per_agent,
            base.seed,
            base.replicates,
        ) {
            return Err(Failure::Input(spec.render(vec![scenario::diag::Diagnostic::at(
                arm.loc,
                format!(
                    "arm `{}` runs {} to {} at {} persons per agent with seed {} and {} replicates, the base {} to {} at {} with seed {} and {}: arms are compared on the same days, scale and random numbers",
                    arm.name, sc.start, sc.end, sc.arrivals.persons_per_agent, sc.seed, sc.replicates,
                    base.start, base.end, base.arrivals.persons_per_agent, base.seed, base.replicates
                ),
            )])));
        }
        arms.push(ArmPlan {
            name: arm.name.clone(),
            label: arm.label.clone(),
            group: arm.group.clone(),
            ensemble: ensemble(&loaded, &after)
                .map_err(|e| Failure::Input(format!("arm `{}`: {e}", arm.name)))?,
            resolved: loaded.resolved_toml(),
        });
    }
    // Dates inside the run; none: its last day.
    let mut dates = Vec::new();
    let mut bad = Vec::new();
    for (d, loc) in &spec.dates {
        if *d < base.start || *d > base.end {
            bad.push(scenario::diag::Diagnostic::at(
                *loc,
                format!(
                    "the date {d} is outside the run ({} to {})",
                    base.start, base.end
                ),
            ));
        }
        dates.push(*d);
    }
    if !bad.is_empty() {
        return Err(Failure::Input(spec.render(bad)));
    }
    if dates.is_empty() {
        dates.push(base.end);
    }
    let days = dates.iter().map(|d| base.day_of(*d)).collect();
    let outcome_index = spec
        .outcomes
        .iter()
        .map(|o| names.iter().position(|n| n == o).expect("checked by spec"))
        .collect();
    let mut plan = Plan {
        outcomes: spec.outcomes.clone(),
        spec,
        arms,
        replicates,
        outcome_index,
        dates,
        days,
        posterior,
        inputs,
        fingerprint: 0,
    };
    plan.fingerprint = fingerprint(&plan);
    Ok(plan)
}

/// What the results depend on: the program, the experiment, every arm's resolved scenario,
/// the posterior and its draws, the outcomes and dates.
fn fingerprint(plan: &Plan) -> u64 {
    let mut s = format!("{} {}\n", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
    s.push_str(&plan.spec.text);
    for a in &plan.arms {
        let _ = write!(s, "\n[{}|{}|{}]\n{}", a.name, a.label, a.group, a.resolved);
        if let Some(d) = a.ensemble.draws_csv() {
            s.push_str(&d);
        }
    }
    if let Some(p) = &plan.posterior {
        s.push_str(&p.text);
    }
    let _ = write!(s, "\n{:?} {:?}", plan.outcomes, plan.days);
    fnv1a(s.as_bytes())
}

fn io_err(what: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Runtime(format!("{}: {e}", what.display()))
}

/// `relocant experiment EXPERIMENT.toml`.
pub fn experiment(args: ExperimentArgs) -> Result<(), Failure> {
    let started = Instant::now();
    args.format
        .get()
        .check_available()
        .map_err(Failure::Input)?;
    let plan = load_plan(&args)?;
    crate::command::memory::check_sweep(
        &plan.arms[0].ensemble.base,
        plan.runs(),
        plan.arms.len() as u64,
        0,
        args.jobs,
        args.max_memory,
    )?;
    let dir = args.out.or_else(|| {
        Path::new("output")
            .join("experiments")
            .join(&plan.spec.name)
    });
    fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let _lock = crate::command::lock_dir(&dir)?;
    let journal_path = dir.join("journal");
    let manifest_path = dir.join("manifest.json");
    let identity = format!("{IDENTITY} fingerprint={:016x}", plan.fingerprint);
    let existing = journal_path.exists() || manifest_path.exists();
    if existing && args.force.is_set() {
        for f in OWN_FILES {
            let p = dir.join(f);
            if p.exists() {
                fs::remove_file(&p).map_err(io_err(&p))?;
            }
        }
        for sub in ["arms", "figures"] {
            let p = dir.join(sub);
            if p.exists() {
                fs::remove_dir_all(&p).map_err(io_err(&p))?;
            }
        }
    } else if existing && !args.resume {
        return Err(Failure::Input(format!(
            "{} already holds an experiment; pass --resume to finish it, --force to start again, or choose another --out",
            dir.display()
        )));
    } else if existing {
        let complete = output::manifest::read(&dir).is_some_and(|m| {
            m["fingerprint"] == format!("{:016x}", plan.fingerprint) && m["status"] == "complete"
        }) && dir.join("effects.csv").exists();
        if complete {
            if !args.quiet.is_set() {
                crate::note!("relocant: {} is already complete", dir.display());
            }
            return Ok(());
        }
        if !journal_path.exists() {
            return Err(Failure::Input(format!(
                "{} holds another experiment's results; choose another --out or pass --force",
                dir.display()
            )));
        }
    }

    // What an interrupted experiment left.
    let runs = plan.runs();
    let mut done = vec![false; runs as usize];
    let resumed = journal::resume(&journal_path, &identity, runs).map_err(|e| match e {
        journal::Refused::Io(e) => io_err(&journal_path)(e),
        journal::Refused::Foreign => Failure::Input(format!(
            "{} was started from a different experiment (the file, its scenarios, the posterior, the program version or the options differ); choose another --out or pass --force to start again",
            dir.display()
        )),
        journal::Refused::Beyond(run) => Failure::Input(format!(
            "{} records run {run}, but this experiment has {runs} runs: the journal does not belong to it; choose another --out or pass --force",
            journal_path.display()
        )),
    })?;
    if resumed.cut > 0 && !args.quiet.is_set() {
        crate::note!(
            "relocant: dropped a torn journal record ({} bytes) left by an interruption",
            resumed.cut
        );
    }
    for (run, _, _) in resumed.scan.iter().flat_map(|s| &s.runs) {
        done[*run as usize] = true;
    }
    let journal = resumed.journal;
    for e in fs::read_dir(&dir).map_err(io_err(&dir))?.flatten() {
        if output::temporary_owner(&e.file_name().to_string_lossy()).is_some() {
            let _ = fs::remove_file(e.path());
        }
    }
    let threads = args.jobs.threads();
    manifest(&plan, "running", threads, 0.0)
        .write(&dir)
        .map_err(io_err(&manifest_path))?;

    let todo: Vec<u64> = (0..runs).filter(|u| !done[*u as usize]).collect();
    if !args.quiet.is_set() && todo.len() < runs as usize {
        crate::note!(
            "relocant: resuming {}: {} runs done, {} to go",
            dir.display(),
            runs as usize - todo.len(),
            todo.len()
        );
    }
    let progress = Progress::new(todo.len() as u64, "runs", args.quiet.is_set());
    let syncer = journal.syncer().map_err(io_err(&journal_path))?;
    let journal = Mutex::new(journal);
    let work = || {
        todo.par_iter().try_for_each(|&u| -> Result<(), Failure> {
            let (arm, replicate) = plan.split(u);
            let sc = plan.arms[arm].ensemble.scenario(replicate);
            let result = engine::run_replicate(sc, replicate, &|| {});
            let mut row = u.to_string();
            for &day in &plan.days {
                let rec = result.days.get(day as usize).copied().unwrap_or_default();
                let all = output::csv::outcomes_on(sc, &rec);
                for &o in &plan.outcome_index {
                    let _ = write!(row, ",{}", all[o].1);
                }
            }
            journal
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .append_unsynced('R', &row)
                .map_err(io_err(&journal_path))?;
            syncer.sync_data().map_err(io_err(&journal_path))?;
            progress.inc(1);
            Ok(())
        })
    };
    let outcome = engine::with_threads(args.jobs.requested(), work);
    progress.finish();
    outcome?;
    drop(journal);

    let effects = finish(&dir, &plan)?;
    output::tables::write(&dir, args.format.get()).map_err(io_err(&dir))?;
    if args.plots.plots() {
        let figures = dir.join("figures");
        plot::plot_effects(&dir, &figures, &PlotOptions::default())
            .map_err(|e| Failure::Runtime(format!("figures not drawn: {e}")))?;
    }
    let wall = started.elapsed().as_secs_f64();
    manifest(&plan, "complete", threads, wall)
        .write(&dir)
        .map_err(io_err(&manifest_path))?;
    output::dictionary::write_datapackage(&dir).map_err(io_err(&dir))?;
    if let Some(path) = &args.report {
        let section = report_section(&plan, &effects, &args);
        let old = fs::read_to_string(path).unwrap_or_default();
        let text =
            output::sections::upsert(&old, &format!("experiment:{}", plan.spec.name), &section);
        write_file_atomically(path, text.as_bytes()).map_err(io_err(path))?;
    }
    if args.json.is_set() {
        output::csv::print_json(&serde_json::json!({
            "command": "experiment",
            "dir": dir.display().to_string(),
            "replicates": plan.replicates,
            "effects": output::csv::to_json(&effects::csv(&effects, &names(&plan))),
        }));
    } else {
        print!("{}", effects::markdown(&effects, &names(&plan)));
    }
    if !args.quiet.is_set() {
        crate::note!(
            "relocant: wrote {} ({} arms x {} replicates, {:.1} s)",
            dir.display(),
            plan.arms.len(),
            plan.replicates,
            wall
        );
    }
    Ok(())
}

fn names(plan: &Plan) -> effects::Names<'_> {
    effects::Names {
        arms: plan
            .arms
            .iter()
            .map(|a| (a.name.clone(), a.label.clone(), a.group.clone()))
            .collect(),
        outcomes: &plan.outcomes,
        dates: &plan.dates,
        replicates: plan.replicates,
    }
}

/// The result files, from the journal in run order: the same bits however the runs were
/// scheduled or interrupted.
fn finish(dir: &Path, plan: &Plan) -> Result<Vec<effects::Effect>, Failure> {
    let path = dir.join("journal");
    let scan = journal::scan(&path).map_err(io_err(&path))?;
    let f = fs::File::open(&path).map_err(io_err(&path))?;
    let width = plan.width();
    let mut by_run: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    for (run, offset, len) in &scan.runs {
        let bytes = journal::read_at(&f, *offset, *len).map_err(io_err(&path))?;
        let text = String::from_utf8_lossy(&bytes);
        let values: Option<Vec<f64>> = text.split(',').skip(1).map(|x| x.parse().ok()).collect();
        match values {
            Some(v) if v.len() == width => {
                by_run.insert(*run, v);
            }
            _ => {
                return Err(Failure::Runtime(format!(
                    "{}: the record of run {run} does not hold {width} values",
                    path.display()
                )));
            }
        }
    }
    let r = plan.replicates as usize;
    let mut values = vec![vec![Vec::new(); r]; plan.arms.len()];
    for u in 0..plan.runs() {
        let Some(v) = by_run.remove(&u) else {
            return Err(Failure::Runtime(format!(
                "{}: run {u} is missing",
                path.display()
            )));
        };
        let (arm, rep) = plan.split(u);
        values[arm][rep as usize] = v;
    }
    let effects = effects::compute(&values, plan.outcomes.len(), plan.days.len());
    let names = names(plan);

    // outcomes.csv: every run's outcomes at every date (tidy: one row per run and date).
    let mut outcomes = String::from("arm,replicate,draw,date");
    for o in &plan.outcomes {
        let _ = write!(outcomes, ",{o}");
    }
    outcomes.push('\n');
    let draws = plan.arms[0]
        .ensemble
        .posterior
        .as_ref()
        .map_or(0, |(_, d)| d.len());
    for (a, arm) in plan.arms.iter().enumerate() {
        for (rep, v) in values[a].iter().enumerate() {
            for (d, date) in plan.dates.iter().enumerate() {
                let draw = if draws > 0 {
                    (rep % draws).to_string()
                } else {
                    String::new()
                };
                let _ = write!(outcomes, "{},{rep},{draw},{date}", arm.name);
                for o in 0..plan.outcomes.len() {
                    let _ = write!(outcomes, ",{}", v[d * plan.outcomes.len() + o]);
                }
                outcomes.push('\n');
            }
        }
    }
    let mut files: Vec<(String, String)> = vec![
        ("experiment.toml".into(), plan.spec.text.clone()),
        ("outcomes.csv".into(), outcomes),
        ("effects.csv".into(), effects::csv(&effects, &names)),
        ("effects.md".into(), effects::markdown(&effects, &names)),
        ("effects.tex".into(), effects::latex(&effects, &names)),
    ];
    if let (Some(d), Some(p)) = (plan.arms[0].ensemble.draws_csv(), &plan.posterior) {
        files.push(("draws.csv".into(), d));
        files.push(("posterior.csv".into(), p.text.clone()));
    }
    let arms_dir = dir.join("arms");
    fs::create_dir_all(&arms_dir).map_err(io_err(&arms_dir))?;
    for a in &plan.arms {
        files.push((format!("arms/{}.toml", a.name), a.resolved.clone()));
    }
    for (name, text) in &files {
        let p = dir.join(name);
        write_file_atomically(&p, text.as_bytes()).map_err(io_err(&p))?;
    }
    Ok(effects)
}

fn manifest(plan: &Plan, status: &str, threads: usize, wall: f64) -> Manifest {
    let base = &plan.arms[0].ensemble.base;
    Manifest::new("experiment")
        .inputs(&plan.inputs, Some(&plan.arms[0].resolved))
        .with(serde_json::json!({
            "experiment": plan.spec.name,
            "file": plan.spec.file.display().to_string(),
            "status": status,
            "fingerprint": format!("{:016x}", plan.fingerprint),
            "arms": plan.arms.iter().map(|a| serde_json::json!({
                "name": a.name, "label": a.label, "group": a.group,
            })).collect::<Vec<_>>(),
            "replicates": plan.replicates,
            "seed": base.seed,
            "persons_per_agent": base.arrivals.persons_per_agent,
            "start": base.start.to_string(),
            "end": base.end.to_string(),
            "outcomes": plan.outcomes,
            "dates": plan.dates.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            "posterior": plan.arms[0].ensemble.manifest(),
            "threads": threads,
            "wall_seconds": wall,
        }))
}

/// The section an experiment writes into a report (`--report`): how to reproduce it, the
/// tables, and what it finds about the groups of resources (generated from the numbers).
fn report_section(plan: &Plan, effects: &[effects::Effect], args: &ExperimentArgs) -> String {
    let names = names(plan);
    let mut s = format!("## Experiment `{}`\n\n", plan.spec.name);
    let mut command = format!(
        "cargo run --release -- experiment {}",
        args.experiment.display()
    );
    for set in args.sets.as_slice() {
        let _ = write!(command, " --set {set}");
    }
    if let Some(r) = args.replicates {
        let _ = write!(command, " --replicates {r}");
    }
    if let Some(x) = args.seed {
        let _ = write!(command, " --seed {x}");
    }
    if let Some(p) = &args.posterior {
        let _ = write!(command, " --posterior {}", p.display());
    }
    if let Some(d) = args.draws {
        let _ = write!(command, " --draws {d}");
    }
    if let Some(o) = args.out.dir() {
        let _ = write!(command, " --out {}", o.display());
    }
    if let Some(r) = &args.report {
        let _ = write!(command, " --report {}", r.display());
    }
    let base = &plan.arms[0].ensemble.base;
    let _ = writeln!(
        s,
        "Generated by\n\n```\n{command} --force\n```\n\n{} arms besides the base, {} replicates each at 1 agent = {} persons, seed {}{}; replicate r of every arm shares its random numbers{}. Each difference is arm − base within a replicate; the interval is the 5–95% range of those differences, and \"same sign\" the share of replicates agreeing with the mean's sign.\n",
        plan.arms.len() - 1,
        plan.replicates,
        base.arrivals.persons_per_agent,
        base.seed,
        match &plan.posterior {
            Some(p) => format!(
                ", parameters drawn from `{}` ({} particles)",
                p.path.display(),
                p.particles.len()
            ),
            None => String::new(),
        },
        if plan.posterior.is_some() {
            " and its parameter draw"
        } else {
            ""
        }
    );
    s.push_str(&findings(plan, effects));
    s.push('\n');
    s.push_str(&effects::markdown(effects, &names));
    s
}

/// What the experiment finds, in words generated from the effects on the first outcome at
/// the last date: the arm with the largest harm (most negative difference for a share of
/// those who stay or integrate), the largest per group, and whether the group of the
/// largest is social capital.
fn findings(plan: &Plan, effects: &[effects::Effect]) -> String {
    let (o, d) = (0, plan.dates.len() - 1);
    let outcome = &plan.outcomes[o];
    let rows: Vec<&effects::Effect> = effects
        .iter()
        .filter(|e| e.outcome == o && e.date == d)
        .collect();
    let Some(largest) = rows
        .iter()
        .min_by(|a, b| a.difference.total_cmp(&b.difference))
    else {
        return String::new();
    };
    let pp = |x: f64| {
        if outcome.starts_with("share_") {
            format!("{:+.1} pp", 100.0 * x)
        } else {
            format!("{x:+.0}")
        }
    };
    let arm = &plan.arms[largest.arm];
    let sure = largest.q95 < 0.0;
    let mut s = format!(
        "**Finding.** On `{outcome}` at {}, removing **{}**{} lowers it most: {} (90% interval {} to {}{}).",
        plan.dates[d],
        arm.label,
        if arm.group.is_empty() {
            String::new()
        } else {
            format!(" ({})", arm.group)
        },
        pp(largest.difference),
        pp(largest.q05),
        pp(largest.q95),
        if sure {
            ""
        } else {
            "; the interval includes no effect"
        }
    );
    // The largest harm within each group.
    let mut groups: Vec<(&str, &effects::Effect)> = Vec::new();
    for e in &rows {
        let g = plan.arms[e.arm].group.as_str();
        match groups.iter_mut().find(|x| x.0 == g) {
            Some(x) if e.difference < x.1.difference => x.1 = e,
            Some(_) => {}
            None => groups.push((g, e)),
        }
    }
    if groups.len() > 1 {
        s.push_str(" By group, the largest reduction:");
        for (g, e) in &groups {
            let _ = write!(
                s,
                " {} — {} {} [{}, {}];",
                if g.is_empty() { "ungrouped" } else { g },
                plan.arms[e.arm].label,
                pp(e.difference),
                pp(e.q05),
                pp(e.q95)
            );
        }
        s.pop();
        s.push('.');
        let social = arm.group == "social capital";
        let _ = write!(
            s,
            " In this model, social capital {} the key resource for `{outcome}`{}.",
            if social {
                "comes out as"
            } else {
                "does **not** come out as"
            },
            if social {
                String::new()
            } else {
                format!(": {} matters more", arm.label)
            }
        );
    }
    // Any arm that raises the outcome: a channel that harms.
    let harmful: Vec<String> = rows
        .iter()
        .filter(|e| e.q05 > 0.0)
        .map(|e| format!("{} ({})", plan.arms[e.arm].label, pp(e.difference)))
        .collect();
    if !harmful.is_empty() {
        let _ = write!(
            s,
            " Removing {} raises it, its whole interval above zero: there, the resource harms.",
            harmful.join(", ")
        );
    }
    s.push('\n');
    s
}
