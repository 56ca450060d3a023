//! `relocant sweep`: runs a plan (or one shard of it) in parallel, streaming each finished
//! run to the journal, then writes the result files.
//!
//! A sweep directory holds `sweep.toml` (the sweep file as given), `scenario.toml` (the
//! resolved base), `design.csv`, `journal` (completed runs, append-only, see `journal`),
//! `manifest.json` (`"status": "running"` until the end) and, once every run is done,
//! `runs.csv` and `points.csv` (and, for a whole grid sweep, heatmaps in `figures/`). A
//! kill at any moment loses only the runs in flight; `--resume` runs the rest. The
//! directory is locked while a sweep works in it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use super::SweepArgs;
use super::journal::{self, IDENTITY};
use super::plan::Plan;
use super::results;
use super::spec::{self, Design, Levels, NumKind, PValue, csv_field};
use crate::command::Failure;
use crate::engine;
use crate::output::{self, AtomicFile, manifest::Manifest, write_file_atomically};
use crate::progress::Progress;

/// One share of a sweep: runs with `run % n == k - 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard must be K/N with 1 <= K <= N (e.g. 2/8), found `{s}`");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    pub fn contains(&self, run: u64) -> bool {
        run % self.n == self.k - 1
    }

    pub fn label(&self) -> String {
        format!("{}/{}", self.k, self.n)
    }

    pub fn dir_name(&self) -> String {
        format!("shard-{}-of-{}", self.k, self.n)
    }
}

/// The runs a process is responsible for, in order.
pub fn my_runs(runs: u64, shard: Option<Shard>) -> impl Iterator<Item = u64> {
    let (start, step) = shard.map_or((0, 1), |s| (s.k - 1, s.n));
    (start..runs).step_by(step as usize)
}

/// Files a sweep writes in its directory (what `--force` removes; nothing else is touched).
const OWN_FILES: [&str; 13] = [
    "journal",
    "manifest.json",
    "runs.csv",
    "points.csv",
    "design.csv",
    "sweep.toml",
    "scenario.toml",
    "sensitivity.csv",
    "datapackage.json",
    "runs.parquet",
    "points.parquet",
    "design.parquet",
    "daily.parquet",
];

fn io_err(what: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| Failure::Runtime(format!("{}: {e}", what.display()))
}

/// A set of run ids as bits.
struct Bits(Vec<u64>);
impl Bits {
    fn new(n: u64) -> Bits {
        Bits(vec![0; n.div_ceil(64) as usize])
    }
    fn set(&mut self, i: u64) -> bool {
        let (w, b) = ((i / 64) as usize, i % 64);
        let was = self.0[w] >> b & 1 == 1;
        self.0[w] |= 1 << b;
        !was
    }
    fn get(&self, i: u64) -> bool {
        self.0[(i / 64) as usize] >> (i % 64) & 1 == 1
    }
}

/// `relocant sweep SWEEP.toml`.
pub fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let started = Instant::now();
    args.format
        .get()
        .check_available()
        .map_err(Failure::Input)?;
    let shard = args
        .shard
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(Failure::Input)?;
    let spec = spec::load(&args.sweep).map_err(Failure::Input)?;
    let plan = Plan::new(spec).map_err(Failure::Input)?;
    // Before any list of runs is made: a plan of a trillion runs is refused, not aborted.
    let my_share = shard.map_or(plan.runs, |s| plan.runs.div_ceil(s.n));
    crate::command::memory::check_sweep(
        &plan.base_scenario().map_err(Failure::Input)?,
        my_share,
        plan.points,
        plan.spec.params.len(),
        args.jobs,
        args.max_memory,
    )?;
    let root = args
        .out
        .or_else(|| Path::new("output").join("sweeps").join(&plan.spec.name));
    let dir = match shard {
        Some(s) => root.join(s.dir_name()),
        None => root,
    };
    // Every design point must make a valid scenario; a new sweep checks before it creates
    // anything, a resumed one checks the points it has left.
    let fresh = args.force.is_set() || !dir.join("journal").exists();
    let check = |runs: &mut dyn Iterator<Item = u64>| {
        let points: BTreeSet<u64> = runs.map(|r| plan.split(r).0).collect();
        plan.check_points(&points.into_iter().collect::<Vec<_>>())
            .map_err(Failure::Input)
    };
    if fresh {
        check(&mut my_runs(plan.runs, shard))?;
    }
    fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let _lock = crate::command::lock_dir(&dir)?;
    let journal_path = dir.join("journal");
    let identity = format!(
        "{IDENTITY} fingerprint={:016x} shard={} daily={}",
        plan.fingerprint,
        shard.map_or("all".into(), |s| s.label()),
        args.daily
    );

    let manifest_path = dir.join("manifest.json");
    let existing = journal_path.exists() || manifest_path.exists();
    if existing && args.force.is_set() {
        for f in OWN_FILES {
            let p = dir.join(f);
            if p.exists() {
                fs::remove_file(&p).map_err(io_err(&p))?;
            }
        }
        let daily = dir.join("daily");
        if daily.exists() {
            fs::remove_dir_all(&daily).map_err(io_err(&daily))?;
        }
        super::remove_figures(&dir).map_err(io_err(&dir.join("figures")))?;
    } else if existing && !args.resume {
        return Err(Failure::Input(format!(
            "{} already holds a sweep; pass --resume to finish it, --force to start again, or choose another --out",
            dir.display()
        )));
    } else if existing {
        // Resuming a finished (or merged) sweep has nothing to do.
        let complete = output::manifest::read(&dir).is_some_and(|m| {
            m["fingerprint"] == format!("{:016x}", plan.fingerprint)
                && m["status"] == "complete"
                && m["shard"] == shard.map_or(serde_json::Value::Null, |s| s.label().into())
        }) && dir.join("runs.csv").exists();
        if complete {
            if !args.quiet.is_set() {
                crate::note!("relocant: {} is already complete", dir.display());
            }
            return Ok(());
        }
        if !journal_path.exists() {
            return Err(Failure::Input(format!(
                "{} holds another sweep's results; choose another --out or pass --force",
                dir.display()
            )));
        }
    }

    // Recover what an interrupted sweep left.
    let mut done = Bits::new(plan.runs);
    let mut columns: Option<String> = None;
    let resumed = journal::resume(&journal_path, &identity, plan.runs).map_err(|e| match e {
        journal::Refused::Io(e) => io_err(&journal_path)(e),
        journal::Refused::Foreign => Failure::Input(format!(
            "{} was started from a different sweep (the sweep file, its base scenario, the program version, --shard or --daily differ); choose another --out or pass --force to start again",
            dir.display()
        )),
        journal::Refused::Beyond(run) => Failure::Input(format!(
            "{} records run {run}, but this sweep has {} runs (0 to {}): the journal does not belong to it; choose another --out or pass --force to start again",
            journal_path.display(),
            plan.runs,
            plan.runs - 1
        )),
    })?;
    if resumed.cut > 0 && !args.quiet.is_set() {
        crate::note!(
            "relocant: dropped a torn journal record ({} bytes) left by an interruption",
            resumed.cut
        );
    }
    if let Some(scan) = resumed.scan {
        for (run, _, _) in &scan.runs {
            done.set(*run);
        }
        columns = scan.columns;
    }
    let journal = resumed.journal;
    remove_stale_temporaries(&dir);

    write_file_atomically(&dir.join("sweep.toml"), plan.spec.text.as_bytes())
        .map_err(io_err(&dir))?;
    write_file_atomically(&dir.join("scenario.toml"), plan.resolved_base.as_bytes())
        .map_err(io_err(&dir))?;
    write_design(&dir.join("design.csv"), &plan).map_err(io_err(&dir))?;

    let todo: Vec<u64> = my_runs(plan.runs, shard)
        .filter(|r| !done.get(*r))
        .collect();
    let already = my_runs(plan.runs, shard).count() - todo.len();
    if !fresh {
        check(&mut todo.iter().copied())?;
    }

    let threads = args.jobs.threads();
    let manifest = |status: &str, wall: f64| {
        manifest(&plan, shard, status, args.daily, threads, wall, todo.len())
            .write(&dir)
            .map_err(io_err(&manifest_path))
    };
    manifest("running", 0.0)?;
    if !args.quiet.is_set() && already > 0 {
        crate::note!(
            "relocant: resuming {}: {already} runs done, {} to go",
            dir.display(),
            todo.len()
        );
    }

    // Run.
    let daily_dir = dir.join("daily");
    if args.daily {
        fs::create_dir_all(&daily_dir).map_err(io_err(&daily_dir))?;
    }
    // At least four digits (`run-0007.csv`, as README says), more for bigger sweeps, so
    // the files sort in run order.
    let width = (plan.runs.max(2) - 1).to_string().len().max(4);
    let progress = Progress::new(todo.len() as u64, "runs", args.quiet.is_set());
    let syncer = journal.syncer().map_err(io_err(&journal_path))?;
    let state = Mutex::new((journal, columns));
    let work = || {
        todo.par_iter().try_for_each(|&run| -> Result<(), Failure> {
            let (point, replicate) = plan.split(run);
            let sc = plan.scenario(point).map_err(Failure::Input)?;
            let result = engine::run_replicate(&sc, replicate, &|| {});
            let outcomes = output::csv::end_of_run(&sc, &result);
            let names: Vec<String> = outcomes.iter().map(|(n, _)| csv_field(n)).collect();
            let names = names.join(",");
            let mut row = plan.row_prefix(run);
            for (_, x) in &outcomes {
                let _ = write!(row, ",{x}");
            }
            if args.daily {
                let path = daily_dir.join(format!("run-{run:0width$}.csv"));
                write_file_atomically(&path, daily_csv(&sc, run, &result).as_bytes())
                    .map_err(io_err(&path))?;
            }
            let mut g = state.lock().unwrap_or_else(|e| e.into_inner());
            let (journal, columns) = &mut *g;
            match columns {
                None => {
                    journal
                        .append_unsynced('H', &names)
                        .map_err(io_err(&journal_path))?;
                    *columns = Some(names);
                }
                Some(c) if *c != names => {
                    return Err(Failure::Runtime(format!(
                        "run {run} has outcome columns that differ from the sweep's"
                    )));
                }
                Some(_) => {}
            }
            journal
                .append_unsynced('R', &row)
                .map_err(io_err(&journal_path))?;
            drop(g);
            // The run counts as done once its record is on disk; syncing outside the lock
            // lets other threads append meanwhile (one sync covers every earlier record).
            syncer.sync_data().map_err(io_err(&journal_path))?;
            progress.inc(1);
            Ok(())
        })
    };
    let outcome = engine::with_threads(args.jobs.requested(), work);
    progress.finish();
    outcome?;
    drop(state);

    // Finish: the result files from the journal, in run order.
    finish(&dir, &plan, shard)?;
    let wall = started.elapsed().as_secs_f64();
    output::tables::write(&dir, args.format.get()).map_err(io_err(&dir))?;
    manifest("complete", wall)?;
    output::dictionary::write_datapackage(&dir).map_err(io_err(&dir))?;
    if shard.is_none() && args.plots.plots() {
        super::draw_figures(&dir, crate::plot::plot_heatmaps);
    }
    if !args.quiet.is_set() {
        crate::note!(
            "relocant: wrote {} ({} runs, {} this time in {:.1} s: {:.1} runs/min on {threads} threads)",
            dir.display(),
            my_runs(plan.runs, shard).count(),
            todo.len(),
            wall,
            todo.len() as f64 / wall.max(1e-9) * 60.0
        );
    }
    Ok(())
}

/// Removes temporary files that a killed process left (the directory is locked, so no
/// other process writes in it).
fn remove_stale_temporaries(dir: &Path) {
    for d in [dir.to_path_buf(), dir.join("daily")] {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if output::temporary_owner(&name).is_some() {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// A run's daily series: `daily.csv`'s columns with the run number first.
fn daily_csv(sc: &crate::scenario::Scenario, run: u64, result: &engine::RunResult) -> String {
    let text = output::csv::daily(sc, std::slice::from_ref(result));
    let mut out = String::with_capacity(text.len() + 8 * result.days.len());
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            out.push_str("run,");
        } else {
            let _ = write!(out, "{run},");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `design.csv`: each point's parameter values and its coordinates in the unit cube.
fn write_design(path: &Path, plan: &Plan) -> std::io::Result<()> {
    let mut f = AtomicFile::create(path)?;
    let mut h = vec!["point".to_string()];
    h.extend(plan.params().iter().map(|q| csv_field(&q.path)));
    h.extend(
        plan.params()
            .iter()
            .map(|q| csv_field(&format!("{}:unit", q.path))),
    );
    writeln!(f, "{}", h.join(","))?;
    for p in 0..plan.points {
        let mut line = p.to_string();
        for v in plan.values(p) {
            line.push(',');
            line.push_str(&v.csv());
        }
        for u in plan.unit(p) {
            let _ = write!(line, ",{u:?}");
        }
        writeln!(f, "{line}")?;
    }
    f.commit()
}

/// A run the journal records that the plan does not have: a well-formed journal of
/// another sweep, or one edited by hand. Both the resume and the finishing step refuse it.
/// Writes `runs.csv` (and, for a whole sweep, `points.csv`) from the journal.
fn finish(dir: &Path, plan: &Plan, shard: Option<Shard>) -> Result<(), Failure> {
    let journal_path = dir.join("journal");
    let scan = journal::scan(&journal_path).map_err(io_err(&journal_path))?;
    let file = File::open(&journal_path).map_err(io_err(&journal_path))?;
    if let Some(run) = scan.first_beyond(plan.runs) {
        return Err(Failure::Runtime(format!(
            "{} records run {run}, beyond the sweep's {} runs",
            journal_path.display(),
            plan.runs
        )));
    }
    let mut index: Vec<(u64, u32)> = vec![(u64::MAX, 0); plan.runs as usize];
    for (run, off, len) in &scan.runs {
        let slot = &mut index[*run as usize];
        if slot.0 == u64::MAX {
            *slot = (*off, *len);
        } else {
            // A run recorded twice must have recorded the same row.
            let a = journal::read_at(&file, slot.0, slot.1).map_err(io_err(&journal_path))?;
            let b = journal::read_at(&file, *off, *len).map_err(io_err(&journal_path))?;
            if a != b {
                return Err(Failure::Runtime(format!(
                    "run {run} is in the journal twice with different results"
                )));
            }
        }
    }
    let missing: Vec<u64> = my_runs(plan.runs, shard)
        .filter(|r| index[*r as usize].0 == u64::MAX)
        .collect();
    if !missing.is_empty() {
        return Err(Failure::Runtime(format!(
            "the journal lacks {} runs (first: {}); run again with --resume",
            missing.len(),
            missing[0]
        )));
    }
    let mut header = plan.header_prefix();
    if let Some(c) = &scan.columns {
        header.push(',');
        header.push_str(c);
    }
    let points = shard.is_none().then_some(plan.params().len());
    results::write(
        dir,
        &header,
        my_runs(plan.runs, shard),
        &mut |run| {
            let (off, len) = index[run as usize];
            journal::read_at(&file, off, len)
        },
        points,
    )
    .map_err(io_err(dir))
}

fn pvalue_json(v: &PValue) -> serde_json::Value {
    match v {
        PValue::Int(i) => (*i).into(),
        PValue::Float(x) => (*x).into(),
        PValue::Bool(b) => (*b).into(),
        PValue::Array(a) => a.iter().map(pvalue_json).collect(),
        other => other.toml().trim_matches('"').into(),
    }
}

/// The manifest: what was run, how, and the facts `merge` and `analyze` need.
fn manifest(
    plan: &Plan,
    shard: Option<Shard>,
    status: &str,
    daily: bool,
    threads: usize,
    wall: f64,
    runs_now: usize,
) -> Manifest {
    let params: Vec<serde_json::Value> = plan
        .params()
        .iter()
        .map(|q| match &q.levels {
            Levels::Discrete(v) => serde_json::json!({
                "path": q.path,
                "values": v.iter().map(pvalue_json).collect::<Vec<_>>(),
            }),
            Levels::Continuous { lo, hi, kind, log } => {
                let show = |x: f64| match kind {
                    NumKind::Date => {
                        serde_json::Value::from(crate::calendar::Date::from_days(x as i64).to_string())
                    }
                    NumKind::Int => serde_json::Value::from(x as i64),
                    NumKind::Float => serde_json::Value::from(x),
                };
                serde_json::json!({ "path": q.path, "min": show(*lo), "max": show(*hi), "log": log })
            }
        })
        .collect();
    let (samples, trajectories, levels) = match plan.spec.design {
        Design::Grid => (None, None, None),
        Design::Random { samples }
        | Design::LatinHypercube { samples }
        | Design::Sobol { samples } => (Some(samples), None, None),
        Design::Morris {
            trajectories,
            levels,
        } => (None, Some(trajectories), Some(levels)),
    };
    Manifest::new("sweep")
        .inputs(&plan.inputs, Some(&plan.resolved_base))
        .with(serde_json::json!({
        "status": status,
        "sweep": plan.spec.name,
        "sweep_file": plan.spec.file.display().to_string(),
        "base": plan.spec.base.as_ref().map_or("built-in baseline".to_string(), |b| b.display().to_string()),
        "fingerprint": format!("{:016x}", plan.fingerprint),
        "design": plan.spec.design.kind().name(),
        "samples": samples,
        "trajectories": trajectories,
        "levels": levels,
        "params": params,
        "points": plan.points,
        "replicates": plan.replicates(),
        "runs": plan.runs,
        "seed": plan.spec.seed,
        "common_random_numbers": plan.spec.common_random_numbers,
        "shard": shard.map(|s| s.label()),
        "runs_in_shard": my_runs(plan.runs, shard).count(),
        "daily": daily,
        "threads": threads,
        "runs_this_invocation": runs_now,
        "wall_seconds": wall,
        "runs_per_minute": if wall > 0.0 { runs_now as f64 / wall * 60.0 } else { 0.0 },
    }))
}
