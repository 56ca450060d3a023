//! Calibration and validation against observed figures: `relocant validate` and
//! `relocant calibrate`.
//!
//! - `targets` reads the observed figures (CSV) and computes each from a run;
//! - `fit` builds the fit table (observed value and band beside the simulated mean and 90%
//!   interval);
//! - `params` reads the free parameters and their priors (`PARAMS.toml`);
//! - `abc` is the ABC-SMC sampler, which knows nothing of the model;
//! - `checkpoint` saves each generation so a calibration can be resumed;
//! - `report` writes the calibrated scenario and the Markdown validation report.
//!
//! This module drives the engine like `relocant run` does: the model sees only validated
//! `Scenario`s. It never changes a simulated number to match a target; the fit table is
//! computed from runs. Calibration runs are cut at the last target date
//! ([`targets::Targets::prepare`]) and may use a scaled population (`abc.persons_per_agent`).

pub mod abc;
pub mod checkpoint;
pub mod fit;
pub mod params;
pub mod posterior;
pub mod report;
pub mod targets;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::command::{Failure, ScenarioArgs};
use crate::engine;
use crate::output::provenance::Input;
use crate::output::{self, manifest::Manifest};
use crate::progress::Progress;
use crate::scenario::{self, Scenario, Source, decode, diag::SourceMap, doc};
use fit::FitTable;
use params::{Params, Point};
use posterior::Ensemble;
use targets::Targets;

/// Options of `relocant validate`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help(
    "Where to write fit.csv and fit.md [default: output/validation/<scenario name>].")))]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: ScenarioArgs,
    #[command(flatten)]
    pub posterior: crate::command::PosteriorArgs,
    /// Observed figures: a CSV file with columns key,date,value,low,high,unit.
    #[arg(long)]
    pub targets: PathBuf,
    #[command(flatten)]
    pub out: crate::command::Out,
    #[command(flatten)]
    pub jobs: crate::command::Jobs,
    #[command(flatten)]
    pub quiet: crate::command::Quiet,
    #[command(flatten)]
    pub force: crate::command::Force,
    #[command(flatten)]
    pub json: crate::command::Json,
}

fn parse_date(s: &str) -> Result<crate::calendar::Date, String> {
    crate::calendar::Date::parse(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// Options of `relocant calibrate`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help(
    "Output directory [default: output/calibration/<scenario name>].")))]
#[command(mut_arg("force", |a| a.conflicts_with("resume").help(
    "Start afresh in an output directory that holds an earlier calibration.")))]
pub struct CalibrateArgs {
    /// Scenario file to calibrate; the calibrated scenario inherits from it (`base`).
    pub scenario: PathBuf,
    /// Observed figures: a CSV file with columns key,date,value,low,high,unit.
    #[arg(long)]
    pub targets: PathBuf,
    /// Free parameters with their priors and the sampler's settings (TOML).
    #[arg(long)]
    pub params: PathBuf,
    /// Held-out observed figures (same columns as --targets), not used to fit: the
    /// calibrated scenario is validated against them too, out of sample
    /// (`holdout_fit.csv`, `holdout_fit.md` and a section of the report).
    #[arg(long, value_name = "TARGETS")]
    pub holdout: Option<PathBuf>,
    /// Also calibrate on the --targets figures dated before DATE alone (in
    /// OUT/out_of_sample/) and report how that fit predicts the figures from DATE on: what
    /// the model gets without being told.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub out_of_sample_before: Option<crate::calendar::Date>,
    #[command(flatten)]
    pub out: crate::command::Out,
    /// Continue the calibration checkpointed in the output directory.
    #[arg(long)]
    pub resume: bool,
    #[command(flatten)]
    pub force: crate::command::Force,
    #[command(flatten)]
    pub jobs: crate::command::Jobs,
    /// Calibration seed (overrides `abc.seed` in the params file).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Also write the calibrated scenario here (its `base` relative to this place).
    #[arg(long, value_name = "PATH")]
    pub calibrated: Option<PathBuf>,
    /// Also write the posterior sample here (e.g. scenarios/calibration/posterior.csv), for
    /// `run --posterior`.
    #[arg(long, value_name = "PATH")]
    pub posterior_out: Option<PathBuf>,
    /// Also write the Markdown validation report here (e.g. docs/VALIDATION.md).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub quiet: crate::command::Quiet,
}

/// `relocant validate`: replicates of a scenario against the targets.
pub fn validate(args: ValidateArgs) -> Result<(), Failure> {
    let loaded = args.input.load()?;
    let targets = Targets::read(&args.targets)?;
    targets.check_run(&loaded.scenario)?;
    crate::command::memory::check_run(
        &loaded.scenario,
        loaded.scenario.replicates,
        args.jobs,
        args.input.max_memory,
    )?;
    let out = args.out.or_else(|| {
        Path::new("output")
            .join("validation")
            .join(&loaded.scenario.name)
    });
    output::check_writable(&out, args.force.is_set()).map_err(|e| Failure::Input(e.to_string()))?;
    let ensemble = args
        .posterior
        .ensemble(&loaded, args.input.sets.as_slice())?;
    let table = fit_tables(
        &ensemble,
        &[&targets],
        args.jobs.requested(),
        args.quiet.is_set(),
    )
    .pop()
    .expect("one table per set");
    let drawn = match &ensemble.posterior {
        Some((p, draws)) => format!(
            "Each replicate's parameters drawn from `{}` ({} draws of {} particles; draws.csv).\n\n",
            p.path.display(),
            draws.len(),
            p.particles.len()
        ),
        None => String::new(),
    };
    let md = format!(
        "# Fit of `{}` to `{}`\n\n{drawn}{}",
        loaded.scenario.name,
        args.targets.display(),
        table.to_markdown()
    );
    let mut files = vec![
        ("fit.csv".to_string(), table.to_csv().into_bytes()),
        (
            "fit_summary.csv".to_string(),
            table.summary_csv().into_bytes(),
        ),
        ("fit.md".to_string(), md.clone().into_bytes()),
        (
            "scenario.toml".to_string(),
            loaded.resolved_toml().into_bytes(),
        ),
    ];
    if let (Some(draws), Some((p, _))) = (ensemble.draws_csv(), &ensemble.posterior) {
        files.push(("draws.csv".to_string(), draws.into_bytes()));
        files.push(("posterior.csv".to_string(), p.text.clone().into_bytes()));
    }
    let mut inputs = ensemble.inputs(&loaded);
    inputs.push(Input::of(&targets.path, targets.text.as_bytes()));
    files.push(
        Manifest::new("validate")
            .with(serde_json::json!({
                "scenario": loaded.scenario.name,
                "targets": targets.path,
                "seed": loaded.scenario.seed,
                "replicates": loaded.scenario.replicates,
                "persons_per_agent": loaded.scenario.arrivals.persons_per_agent,
                "threads": args.jobs.threads(),
                "posterior": ensemble.manifest(),
            }))
            .inputs(&inputs, Some(&loaded.resolved_toml()))
            .file(),
    );
    output::write_dir_atomically_then(&out, &files, args.force.is_set(), |tmp| {
        output::dictionary::write_datapackage(tmp)
    })
    .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", out.display())))?;
    if args.json.is_set() {
        output::csv::print_json(&serde_json::json!({
            "command": "validate",
            "dir": out.display().to_string(),
            "targets": output::csv::to_json(&table.to_csv()),
            "fit": output::csv::to_json(&table.summary_csv()).get(0).cloned(),
        }));
    } else {
        print!("{md}");
    }
    if !args.quiet.is_set() {
        crate::note!("relocant: wrote {}", out.display());
    }
    Ok(())
}

/// The fit tables of several sets of targets (fitted and held out) from one set of runs of
/// an ensemble, cut at the last day any of them needs.
pub fn fit_tables(
    ensemble: &Ensemble,
    sets: &[&Targets],
    jobs: usize,
    quiet: bool,
) -> Vec<FitTable> {
    let mut ensemble = ensemble.clone();
    ensemble.for_each_scenario(|sc| targets::prepare_for(sets, sc));
    let sc = ensemble.base.clone();
    let progress = Progress::new(
        u64::from(sc.replicates) * u64::from(sc.days()),
        "replicate-days",
        quiet,
    );
    let runs = ensemble.run(sc.replicates, jobs, &engine::RunOptions::default(), &|| {
        progress.inc(1)
    });
    progress.finish();
    sets.iter()
        .map(|targets| {
            let values: Vec<Vec<f64>> = runs.iter().map(|r| targets.observe(&sc, r)).collect();
            FitTable::compute(targets, &values, sc.arrivals.persons_per_agent)
        })
        .collect()
}

/// Builds the scenario of one proposal from the resolved base tree, without touching files.
struct Proposals {
    resolved: doc::Node,
    /// The first message of a proposal the scenario rejected, and how many were.
    rejected: Mutex<(u64, Option<String>)>,
}

impl Proposals {
    fn scenario(&self, sets: &[String]) -> Option<Scenario> {
        let mut root = self.resolved.clone();
        let mut sources = SourceMap::default();
        let mut problem = None;
        for s in sets {
            if let Err(d) = doc::apply_set(&mut sources, &mut root, s) {
                problem = Some(format!("{s}: {}", d.message));
            }
        }
        let result = match problem {
            Some(p) => Err(p),
            None => decode::decode(&root).map_err(|d| {
                format!(
                    "{}: {}",
                    sets.join(" "),
                    d.first().map_or("rejected", |x| x.message.as_str())
                )
            }),
        };
        match result {
            Ok(sc) => Some(sc),
            Err(msg) => {
                let mut r = self.rejected.lock().unwrap_or_else(|e| e.into_inner());
                r.0 += 1;
                r.1.get_or_insert(msg);
                None
            }
        }
    }
}

/// Whether a calibration directory holds anything of a calibration: a directory left
/// empty by one killed before its first checkpoint (only its lock and temporaries) does not,
/// so a plain rerun may use it.
fn holds_results(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name != ".lock" && output::temporary_owner(&name).is_none()
        })
    })
}

/// What every ABC-SMC fit of one `calibrate` command shares: only the targets and the
/// checkpoint differ between the main fit and the out-of-sample one.
struct Fitting<'a> {
    args: &'a CalibrateArgs,
    params: &'a Params,
    base: &'a scenario::Loaded,
    settings: abc::Settings,
    pool: &'a rayon::ThreadPool,
}

/// The result of one ABC-SMC fit.
struct Fitted {
    generations: Vec<abc::Generation>,
    stalled: Option<checkpoint::Stalled>,
    point: Vec<f64>,
}

impl Fitting<'_> {
    /// The checkpoint fingerprint of a fit to `targets`: every input that changes it.
    fn fingerprint(&self, targets: &Targets) -> String {
        let abc = &self.params.abc;
        checkpoint::fingerprint(&[
            env!("CARGO_PKG_VERSION"),
            &self.base.resolved_toml(),
            &targets.text,
            &format!("{:?}", self.params.list),
            &format!(
                "{} {} {} {} {:?} {} {}",
                abc.particles,
                abc.quantile,
                abc.min_acceptance,
                abc.tolerance,
                abc.persons_per_agent,
                abc.replicates,
                self.settings.seed
            ),
        ])
    }

    /// Runs ABC-SMC against `targets`, saving each generation to `cp_path` and continuing
    /// from it when `resume` (a checkpoint made with other inputs is refused).
    fn fit(
        &self,
        targets: &Targets,
        cp_path: &Path,
        resume: bool,
        what: &str,
    ) -> Result<Fitted, Failure> {
        let (args, params) = (self.args, self.params);
        let abc = &params.abc;
        let fingerprint = self.fingerprint(targets);
        let mut generations = Vec::new();
        let mut stalled = None;
        if resume {
            let cp = checkpoint::load(cp_path).map_err(|e| {
                Failure::Input(format!(
                    "--resume: nothing to resume in {}: {e}",
                    cp_path.display()
                ))
            })?;
            if cp.fingerprint != fingerprint {
                return Err(Failure::Input(format!(
                    "--resume: the calibration in {} was made with other inputs (scenario, targets, params, seed or program version); use another --out or --force to start again",
                    cp_path.parent().unwrap_or(cp_path).display()
                )));
            }
            generations = cp.generations;
            stalled = cp.stalled;
        }
        let priors = params.priors();
        let proposals = Proposals {
            resolved: self.base.resolved.clone(),
            rejected: Mutex::new((0, None)),
        };
        let simulate = |theta: &[f64], sim_seed: u64| -> abc::Simulated {
            let Some(mut sc) = proposals.scenario(&params.assignments(theta)) else {
                return abc::Simulated {
                    distance: f64::INFINITY,
                    values: vec![f64::NAN; targets.list.len()],
                };
            };
            targets.prepare(&mut sc);
            sc.seed = sim_seed;
            let mut values = vec![0.0; targets.list.len()];
            for r in 0..abc.replicates {
                let run = engine::run_replicate(&sc, r, &|| ());
                for (v, x) in values.iter_mut().zip(targets.observe(&sc, &run)) {
                    *v += x / f64::from(abc.replicates);
                }
            }
            abc::Simulated {
                distance: targets.distance(&values),
                values,
            }
        };
        if !args.quiet.is_set() && !generations.is_empty() {
            crate::note!(
                "relocant: {what}: resuming: {} of {} generations done{}",
                generations.len(),
                abc.generations,
                if stalled.is_some() {
                    " (sampling stopped early)"
                } else {
                    ""
                }
            );
        }
        while stalled.is_none() && (generations.len() as u32) < abc.generations {
            if let Some(last) = generations.last()
                && last.index > 0
                && last.epsilon <= abc.tolerance
            {
                break;
            }
            let g = generations.len() as u32;
            let gen_started = Instant::now();
            let progress = Progress::new(
                abc.particles as u64,
                &format!("{what}: generation {g}/{}", abc.generations - 1),
                args.quiet.is_set(),
            );
            let counted = AtomicUsize::new(0);
            let step = self.pool.install(|| {
                abc::generation(
                    &self.settings,
                    &priors,
                    generations.last(),
                    g,
                    &simulate,
                    &|| {
                        // Proposals of the last batch beyond `particles` are not counted.
                        if counted.fetch_add(1, Ordering::Relaxed) < abc.particles {
                            progress.inc(1);
                        }
                    },
                )
            });
            progress.finish();
            match step {
                abc::Step::Done(done) => {
                    if !args.quiet.is_set() {
                        crate::note!(
                            "relocant: {what}: generation {g}: tolerance {:.3}, {} of {} proposals accepted ({:.0}%), ESS {:.0}, best distance {:.3}, {:.1} s",
                            done.epsilon,
                            done.particles.len(),
                            done.proposals,
                            100.0 * done.acceptance(),
                            done.ess(),
                            done.best().distance,
                            gen_started.elapsed().as_secs_f64()
                        );
                    }
                    generations.push(done);
                }
                abc::Step::Stalled {
                    epsilon,
                    proposals,
                    accepted,
                } => {
                    if !args.quiet.is_set() {
                        crate::note!(
                            "relocant: {what}: generation {g}: only {accepted} of {proposals} proposals met tolerance {epsilon:.3} (below abc.min_acceptance); the posterior is generation {}",
                            g - 1
                        );
                    }
                    stalled = Some(checkpoint::Stalled {
                        generation: g,
                        epsilon,
                        proposals,
                        accepted,
                    });
                }
            }
            checkpoint::save(cp_path, &fingerprint, &generations, stalled.as_ref()).map_err(
                |e| Failure::Runtime(format!("cannot write {}: {e}", cp_path.display())),
            )?;
        }
        let (rejected, first) = proposals
            .rejected
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        if rejected > 0 && !args.quiet.is_set() {
            crate::note!(
                "relocant: warning: the scenario rejected {rejected} proposals (counted as not accepted), e.g. {}",
                first.unwrap_or_default()
            );
        }
        let posterior = generations
            .last()
            .ok_or_else(|| Failure::Runtime("no generation was completed".into()))?;
        let point: Vec<f64> = match abc.point {
            Point::Best => posterior.best().theta.clone(),
            Point::Median => (0..params.list.len())
                .map(|i| posterior.quantile(i, 0.5))
                .collect(),
        };
        Ok(Fitted {
            generations,
            stalled,
            point,
        })
    }
}

/// Writes a calibrated scenario to each of `paths` (creating their directories).
fn write_calibrated(
    summary: &report::Summary<'_>,
    input: &Path,
    paths: &[PathBuf],
) -> Result<(), Failure> {
    for p in paths {
        let text = report::calibrated_toml(summary, input, p)
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", p.display())))?;
        output::write_file_atomically(p, text.as_bytes())
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", p.display())))?;
    }
    Ok(())
}

/// Writes result files into `dir`.
fn write_files(dir: &Path, files: &[(&str, String)]) -> Result<(), Failure> {
    for (name, text) in files {
        let p = dir.join(name);
        output::write_file_atomically(&p, text.as_bytes())
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", p.display())))?;
    }
    Ok(())
}

/// `relocant calibrate`: ABC-SMC, then the calibrated scenario, its validation and report;
/// with `--out-of-sample-before`, a second fit to the earlier figures alone and how it
/// predicts the later ones.
pub fn calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let loaded = scenario::load(Source::File(&args.scenario), &[])?;
    let targets = Targets::read(&args.targets)?;
    targets.check_run(&loaded.scenario)?;
    let holdout = match &args.holdout {
        Some(path) => {
            let h = Targets::read(path)?;
            h.check_run(&loaded.scenario)?;
            Some(h)
        }
        None => None,
    };
    let split = match args.out_of_sample_before {
        Some(d) => Some(targets.split_at(d).ok_or_else(|| {
            Failure::Input(format!(
                "--out-of-sample-before {d}: {} needs figures on both sides of that date (the day a figure is read, a panel's date plus its horizon)",
                args.targets.display()
            ))
        })?),
        None => None,
    };
    let params = Params::read(&args.params, &args.scenario)?;
    let seed = args.seed.unwrap_or(params.abc.seed);
    let abc = &params.abc;
    let settings = abc::Settings {
        particles: abc.particles,
        quantile: abc.quantile,
        min_acceptance: abc.min_acceptance,
        tolerance: abc.tolerance,
        seed,
    };
    let scale_sets: Vec<String> = abc
        .persons_per_agent
        .map(|k| format!("arrivals.persons_per_agent={k}"))
        .into_iter()
        .collect();
    let base = scenario::load(Source::File(&args.scenario), &scale_sets)?;

    let out = args.out.or_else(|| {
        Path::new("output")
            .join("calibration")
            .join(&loaded.scenario.name)
    });
    let cp_path = out.join("checkpoint.json");
    if args.resume && !cp_path.exists() {
        return Err(Failure::Input(format!(
            "--resume: nothing to resume in {}: it holds no checkpoint.json",
            out.display()
        )));
    }
    // Lock the directory before looking at what it holds: a calibration running there (or
    // one started with --force meanwhile) is refused, never joined.
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure::Runtime(format!("cannot create {}: {e}", out.display())))?;
    let _lock = crate::command::lock_dir(&out)?;
    if !args.resume && holds_results(&out) && !args.force.is_set() {
        return Err(Failure::Input(format!(
            "{} already exists; pass --resume to continue its calibration, --force to start again, or choose another --out",
            out.display()
        )));
    }
    if args.force.is_set() && !args.resume {
        // A fresh start: an earlier out-of-sample fit is not continued either.
        let _ = std::fs::remove_dir_all(out.join(OUT_OF_SAMPLE));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.requested())
        .build()
        .map_err(|e| Failure::Runtime(format!("cannot start threads: {e}")))?;
    let fitting = Fitting {
        args: &args,
        params: &params,
        base: &base,
        settings,
        pool: &pool,
    };
    let fitted = fitting.fit(&targets, &cp_path, args.resume, "calibration")?;
    let summary = report::Summary {
        params: &params,
        targets: &targets,
        generations: &fitted.generations,
        stalled: fitted.stalled.as_ref(),
        point: &fitted.point,
        seed,
    };

    // The calibrated scenario, beside the results and where asked, then its validation.
    let mut scenario_paths = vec![out.join("calibrated.toml")];
    scenario_paths.extend(args.calibrated.clone());
    write_calibrated(&summary, &args.scenario, &scenario_paths)?;
    let mut val_sets = vec![format!("replicates={}", params.validation.replicates)];
    if let Some(k) = params.validation.persons_per_agent {
        val_sets.push(format!("arrivals.persons_per_agent={k}"));
    }
    let calibrated = scenario::load(Source::File(&scenario_paths[0]), &val_sets)
        .map_err(|e| Failure::Runtime(format!("the calibrated scenario does not load: {e}")))?;
    if !args.quiet.is_set() {
        crate::note!(
            "relocant: validating {} with {} replicates",
            scenario_paths.last().expect("a path").display(),
            params.validation.replicates
        );
    }
    // The fitted and the held-out figures are read from the same runs.
    let mut sets = vec![&targets];
    sets.extend(holdout.as_ref());
    let mut tables = fit_tables(
        &Ensemble::single(calibrated.scenario.clone()),
        &sets,
        args.jobs.requested(),
        args.quiet.is_set(),
    );
    let holdout_table = holdout
        .as_ref()
        .map(|_| tables.pop().expect("a holdout table"));
    let table = tables.pop().expect("the fit table");

    let command = report::command_line(&args, seed);
    let mut files: Vec<(&str, String)> = vec![
        ("posterior.csv", report::posterior_csv(&summary)),
        (
            "posterior_summary.csv",
            report::posterior_summary_csv(&summary),
        ),
        ("generations.csv", report::generations_csv(&summary)),
        ("fit.csv", table.to_csv()),
        ("fit_summary.csv", table.summary_csv()),
        ("fit.md", table.to_markdown()),
    ];
    if let Some(t) = &holdout_table {
        files.push(("holdout_fit.csv", t.to_csv()));
        files.push(("holdout_fit_summary.csv", t.summary_csv()));
        files.push(("holdout_fit.md", t.to_markdown()));
    }
    write_files(&out, &files)?;

    // Out of sample: the same calibration on the earlier figures alone, and how its
    // calibrated scenario predicts the later ones it was not given.
    let mut out_of_sample = None;
    if let (Some((early, late)), Some(split_day)) = (&split, args.out_of_sample_before) {
        let dir = out.join(OUT_OF_SAMPLE);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Failure::Runtime(format!("cannot create {}: {e}", dir.display())))?;
        let early_cp = dir.join("checkpoint.json");
        let resume_early = args.resume && early_cp.exists();
        let early_fit = fitting.fit(early, &early_cp, resume_early, "out-of-sample calibration")?;
        let early_summary = report::Summary {
            params: &params,
            targets: early,
            generations: &early_fit.generations,
            stalled: early_fit.stalled.as_ref(),
            point: &early_fit.point,
            seed,
        };
        let early_path = dir.join("calibrated.toml");
        write_calibrated(
            &early_summary,
            &args.scenario,
            std::slice::from_ref(&early_path),
        )?;
        let early_scenario = scenario::load(Source::File(&early_path), &val_sets).map_err(|e| {
            Failure::Runtime(format!(
                "the out-of-sample calibrated scenario does not load: {e}"
            ))
        })?;
        if !args.quiet.is_set() {
            crate::note!(
                "relocant: validating {} with {} replicates",
                early_path.display(),
                params.validation.replicates
            );
        }
        let mut t = fit_tables(
            &Ensemble::single(early_scenario.scenario.clone()),
            &[early, late],
            args.jobs.requested(),
            args.quiet.is_set(),
        );
        let late_table = t.pop().expect("the held-out table");
        let early_table = t.pop().expect("the in-sample table");
        write_files(
            &dir,
            &[
                ("posterior.csv", report::posterior_csv(&early_summary)),
                (
                    "posterior_summary.csv",
                    report::posterior_summary_csv(&early_summary),
                ),
                ("generations.csv", report::generations_csv(&early_summary)),
                ("fit.csv", early_table.to_csv()),
                ("fit_summary.csv", early_table.summary_csv()),
                ("fit.md", early_table.to_markdown()),
                ("holdout_fit.csv", late_table.to_csv()),
                ("holdout_fit_summary.csv", late_table.summary_csv()),
                ("holdout_fit.md", late_table.to_markdown()),
            ],
        )?;
        out_of_sample = Some(report::OutOfSample {
            split: split_day,
            late,
            generations: early_fit.generations.len(),
            posterior: report::posterior_markdown(&early_summary),
            early_table,
            late_table,
        });
    }

    if let Some(path) = &args.posterior_out {
        output::write_file_atomically(path, report::posterior_csv(&summary).as_bytes())
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", path.display())))?;
    }
    let mut inputs = loaded.inputs.clone();
    inputs.push(Input::of(&targets.path, targets.text.as_bytes()));
    inputs.push(Input::of(&params.path, params.text.as_bytes()));
    if let Some(h) = &holdout {
        inputs.push(Input::of(&h.path, h.text.as_bytes()));
    }
    Manifest::new("calibrate")
        .inputs(&inputs, Some(&calibrated.resolved_toml()))
        .with(serde_json::json!({
            "reproduce": format!("relocant {command}"),
            "seed": seed,
            "generations": fitted.generations.len(),
            "simulations": fitted.generations.iter().map(|g| g.simulations).sum::<u64>(),
            "threads": pool.current_num_threads(),
            "wall_seconds": started.elapsed().as_secs_f64(),
        }))
        .write(&out)
        .map_err(|e| Failure::Runtime(format!("cannot write manifest: {e}")))?;
    output::dictionary::write_datapackage(&out)
        .map_err(|e| Failure::Runtime(format!("cannot write the data dictionary: {e}")))?;
    if let Some(path) = &args.report {
        let text = report::markdown(
            &summary,
            &table,
            holdout.as_ref().zip(holdout_table.as_ref()),
            out_of_sample.as_ref(),
            &command,
            &args,
            &calibrated.scenario,
        );
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::Runtime(format!("cannot create {}: {e}", dir.display())))?;
        }
        // Sections other commands wrote into the report (an experiment's) are kept.
        let old = std::fs::read_to_string(path).unwrap_or_default();
        let text = output::sections::keep_sections(&old, &text);
        output::write_file_atomically(path, text.as_bytes())
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", path.display())))?;
    }

    print!("{}", report::posterior_markdown(&summary));
    println!();
    print!("{}", table.to_markdown());
    if let Some(t) = &holdout_table {
        println!("\nOut of sample (held-out targets):\n");
        print!("{}", t.to_markdown());
    }
    if let Some(o) = &out_of_sample {
        println!(
            "\nOut of sample (calibrated on the figures before {} alone, predicting the rest):\n",
            o.split
        );
        print!("{}", o.late_table.to_markdown());
    }
    if !args.quiet.is_set() {
        crate::note!(
            "relocant: wrote {} ({:.0} s)",
            out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The subdirectory of a calibration's output holding the out-of-sample fit.
const OUT_OF_SAMPLE: &str = "out_of_sample";
