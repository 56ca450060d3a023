//! One self-contained HTML page to share a result (`relocant report`): a run, a comparison
//! of runs, a sweep, a validation or an experiment, read from its directory's files alone.
//!
//! Every report has the same parts, in this order: what the result says (its tables), its
//! figures (drawn afresh from the tables, so they match them, and inlined as SVG), the
//! scenario and how it differs from the built-in baseline (or, in a comparison, from the
//! first run), the manifest (provenance) and the data dictionary. The page is built by
//! `html::Page`; this module decides what goes in it. It reads result directories and the
//! built-in baseline only, and writes nothing but a scratch folder for the figures: the
//! caller decides where the page goes.

pub mod html;

use std::path::{Path, PathBuf};

use html::{Page, Table};

use crate::plot::{self, PlotError, PlotOptions};
use crate::scenario;

/// The kinds of result directory a report describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Run,
    Comparison,
    Sweep,
    Validation,
    Experiment,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Kind::Run => "Run",
            Kind::Comparison => "Comparison of runs",
            Kind::Sweep => "Parameter sweep",
            Kind::Validation => "Validation against observed figures",
            Kind::Experiment => "Experiment",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{0} is not a relocant result directory: it has none of daily.csv (a run), runs.csv (a sweep), fit.csv (a validation), effects.csv (an experiment)"
    )]
    NotAResult(PathBuf),
    #[error("a report takes one directory, or several run directories (a comparison); got {0}")]
    Mixed(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Bad { path: PathBuf, message: String },
    #[error(transparent)]
    Plot(#[from] PlotError),
}

/// What a directory holds, judged by its files.
pub fn kind_of(dir: &Path) -> Option<Kind> {
    if plot::is_experiment_dir(dir) {
        Some(Kind::Experiment)
    } else if dir.join("fit.csv").is_file() {
        Some(Kind::Validation)
    } else if plot::is_sweep_dir(dir) {
        Some(Kind::Sweep)
    } else if dir.join("daily.csv").is_file() {
        Some(Kind::Run)
    } else {
        None
    }
}

/// The kind of report `dirs` make: one directory of any kind, or several runs.
pub fn kind_of_all(dirs: &[PathBuf]) -> Result<Kind, ReportError> {
    let kinds = dirs
        .iter()
        .map(|d| kind_of(d).ok_or_else(|| ReportError::NotAResult(d.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    match kinds[..] {
        [] => Err(ReportError::Mixed("no directory".into())),
        [k] => Ok(k),
        _ if kinds.iter().all(|k| *k == Kind::Run) => Ok(Kind::Comparison),
        _ => Err(ReportError::Mixed(
            dirs.iter()
                .zip(&kinds)
                .map(|(d, k)| format!("{} ({})", d.display(), k.title().to_lowercase()))
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// The report of `dirs` as one HTML document.
pub fn build(dirs: &[PathBuf]) -> Result<String, ReportError> {
    let kind = kind_of_all(dirs)?;
    let first = &dirs[0];
    let manifest = read_json(first, "manifest.json")?;
    let name = manifest
        .get("scenario")
        .and_then(|s| s.as_str())
        .or_else(|| manifest.get("name").and_then(|s| s.as_str()))
        .map(str::to_owned)
        .unwrap_or_else(|| dir_name(first));
    let version = manifest["version"].as_str().unwrap_or("?");
    let started = manifest["started_utc"]
        .as_str()
        .unwrap_or("an unknown time");
    let title = match kind {
        Kind::Comparison => format!("{} — {} runs", kind.title(), dirs.len()),
        _ => format!("{} — {name}", kind.title()),
    };
    let subtitle = format!(
        "relocant {version}, `{}` started {started}; from {}",
        manifest["command"].as_str().unwrap_or("?"),
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut page = Page::new(&title, &subtitle);
    let scratch = Scratch::new()?;
    match kind {
        Kind::Run => run(&mut page, first, &scratch)?,
        Kind::Comparison => comparison(&mut page, dirs, &scratch)?,
        Kind::Sweep => sweep(&mut page, first, &scratch)?,
        Kind::Validation => validation(&mut page, first)?,
        Kind::Experiment => experiment(&mut page, first, &scratch)?,
    }
    match kind {
        Kind::Comparison => {
            page.section("scenario", "Scenarios");
            for (i, d) in dirs.iter().enumerate() {
                page.subsection(&format!("{} ({})", scenario_name(d), d.display()));
                if i == 0 {
                    scenario_differences(&mut page, None, d)?;
                } else {
                    scenario_differences(&mut page, Some(first), d)?;
                }
            }
        }
        _ => {
            page.section("scenario", "Scenario");
            scenario_differences(&mut page, None, first)?;
            if let Some(text) = read_optional(first, "scenario.toml")? {
                page.subsection(
                    "The resolved scenario (scenario.toml: rerunning it reproduces the results)",
                );
                page.preformatted(&text);
            }
        }
    }
    page.section("manifest", "Provenance (manifest.json)");
    for d in dirs {
        if dirs.len() > 1 {
            page.subsection(&d.display().to_string());
        }
        let m = read_json(d, "manifest.json")?;
        page.preformatted(&serde_json::to_string_pretty(&m).unwrap_or_default());
    }
    dictionary(&mut page, first)?;
    Ok(page.finish())
}

// ---------------------------------------------------------------------------------------
// The kinds

fn run(page: &mut Page, dir: &Path, scratch: &Scratch) -> Result<(), ReportError> {
    page.section("outcomes", "Outcomes at the end of the run");
    page.note(
        "Over replicates: mean, standard deviation and quantiles (summary_stats.csv); persons are scaled to people (arrivals.persons_per_agent).",
        false,
    );
    let stats = read_text(dir, "summary_stats.csv")?;
    let (t, _) = Table::from_csv(&stats, 100).map_err(|e| bad(dir, "summary_stats.csv", e))?;
    page.table(&t.transposed());
    if let Some(panel) = read_optional(dir, "panel.csv")? {
        page.subsection(
            "Panels: of those present on a date, where they are a year later (panel.csv)",
        );
        page.csv_table("panel.csv", &panel, 50);
    }
    if let Some(events) = read_optional(dir, "events.csv")? {
        page.subsection("Policy events (events.csv)");
        page.csv_table("events.csv", &events, 50);
    }
    page.section("figures", "Figures");
    let drawn = scratch.draw("run", |out, o| plot::plot_run(dir, out, o))?;
    figures(page, &drawn);
    Ok(())
}

fn comparison(page: &mut Page, dirs: &[PathBuf], scratch: &Scratch) -> Result<(), ReportError> {
    page.section("outcomes", "Outcomes at the end of the runs");
    page.note(
        "Shares of arrivals: mean [5th, 95th percentile] over replicates; the first run is the reference.",
        false,
    );
    let (headings, rows) = crate::table::outcome_grid(dirs)?;
    page.table(&Table { headings, rows });
    page.section("figures", "Figures");
    let drawn = scratch.draw("comparison", |out, o| plot::plot_comparison(dirs, out, o))?;
    figures(page, &drawn);
    Ok(())
}

fn sweep(page: &mut Page, dir: &Path, scratch: &Scratch) -> Result<(), ReportError> {
    let manifest = read_json(dir, "manifest.json")?;
    page.section("outcomes", "The sweep");
    let params: Vec<String> = manifest["params"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["key"].as_str().or(p.as_str()).unwrap_or("?").to_owned())
                .collect()
        })
        .unwrap_or_default();
    page.paragraph(&format!(
        "Design `{}` over {} parameter(s) ({}), {} runs, status {}.",
        manifest["design"].as_str().unwrap_or("?"),
        params.len(),
        params.join(", "),
        manifest["runs"].as_u64().unwrap_or(0),
        manifest["status"].as_str().unwrap_or("?")
    ));
    if let Some(points) = read_optional(dir, "points.csv")? {
        page.subsection("Outcomes by design point (points.csv)");
        page.csv_table("points.csv", &points, 60);
    }
    if let Some(s) = read_optional(dir, "sensitivity.csv")? {
        page.subsection("Sensitivity indices (sensitivity.csv)");
        page.csv_table("sensitivity.csv", &s, 100);
    }
    if let Some(spec) = read_optional(dir, "sweep.toml")? {
        page.subsection("The sweep file (sweep.toml)");
        page.preformatted(&spec);
    }
    page.section("figures", "Figures");
    let drawn = scratch.draw("sweep", |out, o| plot::plot_sweep(dir, out, o))?;
    if drawn.is_empty() {
        page.note(
            "No figures: heatmaps need a grid over two or more parameters, sensitivity figures a sensitivity.csv (relocant analyze).",
            false,
        );
    }
    figures(page, &drawn);
    Ok(())
}

fn validation(page: &mut Page, dir: &Path) -> Result<(), ReportError> {
    page.section("outcomes", "Fit to the observed figures");
    for (file, heading) in [
        ("fit_summary.csv", "In all (fit_summary.csv)"),
        (
            "fit.csv",
            "Target by target (fit.csv): inside = the simulated mean lies in the target's band",
        ),
        (
            "holdout_fit_summary.csv",
            "Held-out figures, in all (holdout_fit_summary.csv)",
        ),
        (
            "holdout_fit.csv",
            "Held-out figures, target by target (holdout_fit.csv)",
        ),
    ] {
        if let Some(text) = read_optional(dir, file)? {
            page.subsection(heading);
            page.csv_table(file, &text, 200);
            let missed = text
                .lines()
                .skip(1)
                .filter(|l| l.contains(",false,"))
                .count();
            if missed > 0 {
                page.note(&format!("{missed} target(s) outside their band."), true);
            }
        }
    }
    Ok(())
}

fn experiment(page: &mut Page, dir: &Path, scratch: &Scratch) -> Result<(), ReportError> {
    page.section("outcomes", "Effects of each arm against the base arm");
    page.note(
        "Differences from the base arm under common random numbers: mean and 90% interval over replicates (effects.csv).",
        false,
    );
    let effects = read_text(dir, "effects.csv")?;
    page.csv_table("effects.csv", &effects, 500);
    page.section("figures", "Figures");
    let drawn = scratch.draw("experiment", |out, o| plot::plot_effects(dir, out, o))?;
    figures(page, &drawn);
    let arms = dir.join("arms");
    if let Ok(entries) = std::fs::read_dir(&arms) {
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        page.section("arms", "The arms (arms/*.toml)");
        for f in files
            .iter()
            .filter(|f| f.extension().is_some_and(|x| x == "toml"))
        {
            let text = std::fs::read_to_string(f).map_err(|source| ReportError::Io {
                path: f.clone(),
                source,
            })?;
            page.subsection(&dir_name(f));
            page.preformatted(&text);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Shared parts

/// Figures drawn into a scratch folder, each inlined with its caption.
fn figures(page: &mut Page, svgs: &[(String, String)]) {
    for (stem, svg) in svgs {
        page.figure(svg, &caption(stem));
    }
}

/// What a figure shows, by its file name.
fn caption(stem: &str) -> String {
    let known = match stem {
        "outcomes" => {
            "Migrants present, integrated, moved on and returned: mean and 90% interval over replicates, with the policy events."
        }
        "composition_legal" => "Legal status of the migrants present.",
        "composition_housing" => "Housing of the migrants present.",
        "composition_employment" => "Employment of the migrants present.",
        "departures_by_reason" => "Departures by reason.",
        "survival" => "Share of each arrival cohort still in Kazakhstan, by days since arrival.",
        "social_capital" => "Ties of the migrants present, by kind.",
        "comparison" => "End-of-run outcomes by scenario: mean and 90% interval over replicates.",
        _ => "",
    };
    let text = if !known.is_empty() {
        known.to_owned()
    } else if let Some(o) = stem.strip_prefix("heatmap_") {
        format!("Mean {o} over the grid of the sweep's first two parameters.")
    } else if let Some(o) = stem.strip_prefix("sensitivity_") {
        format!("Sensitivity indices of {o} with their confidence intervals.")
    } else if let Some(o) = stem.strip_prefix("effects_") {
        format!("Each arm's difference from the base arm in {o}, with its 90% interval.")
    } else {
        String::new()
    };
    format!("{stem}: {text}")
}

/// The scenario of `dir` against `reference` (a result directory), or against the built-in
/// baseline when there is none.
fn scenario_differences(
    page: &mut Page,
    reference: Option<&Path>,
    dir: &Path,
) -> Result<(), ReportError> {
    let path = dir.join("scenario.toml");
    if !path.is_file() {
        page.note("No scenario.toml in this directory.", false);
        return Ok(());
    }
    let load = |source| {
        scenario::load(source, &[]).map_err(|e| ReportError::Bad {
            path: path.clone(),
            message: e.to_string(),
        })
    };
    let this = load(scenario::Source::File(&path))?;
    let (reference_name, base) = match reference {
        Some(r) => {
            let p = r.join("scenario.toml");
            (
                format!("{}", r.display()),
                load(scenario::Source::File(&p))?,
            )
        }
        None => (
            "the built-in baseline".to_owned(),
            load(scenario::Source::Builtin)?,
        ),
    };
    let diffs = scenario::compare::differences(&base, &this);
    if diffs.is_empty() {
        page.paragraph(&format!(
            "The same as {reference_name}: no resolved key differs."
        ));
        return Ok(());
    }
    page.paragraph(&format!(
        "{} resolved key(s) differ from {reference_name}:",
        diffs.len()
    ));
    let value = |s: &Option<scenario::compare::Side>| {
        s.as_ref()
            .map_or("(absent)".to_owned(), |s| s.value.clone())
    };
    page.table(&Table {
        headings: vec!["key".into(), reference_name.clone(), "this scenario".into()],
        rows: diffs
            .iter()
            .map(|d| vec![d.key.clone(), value(&d.left), value(&d.right)])
            .collect(),
    });
    Ok(())
}

/// The data dictionary: each file's columns from `datapackage.json`.
fn dictionary(page: &mut Page, dir: &Path) -> Result<(), ReportError> {
    let Some(text) = read_optional(dir, "datapackage.json")? else {
        return Ok(());
    };
    let package: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(dir, "datapackage.json", e))?;
    page.section("dictionary", "Data dictionary (datapackage.json)");
    for r in package["resources"].as_array().into_iter().flatten() {
        page.subsection(r["path"].as_str().unwrap_or("?"));
        let rows = r["schema"]["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                ["name", "type", "unit", "description"]
                    .iter()
                    .map(|k| f[*k].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .collect();
        page.table(&Table {
            headings: ["column", "type", "unit", "meaning"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    Ok(())
}

/// A scratch folder for figures, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch, ReportError> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "relocant-report-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).map_err(|source| ReportError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(Scratch(path))
    }

    /// Draws figures with `draw` into a fresh subfolder and returns each SVG as (file
    /// stem, text), in the order drawn.
    fn draw(
        &self,
        name: &str,
        draw: impl FnOnce(&Path, &PlotOptions) -> Result<Vec<PathBuf>, PlotError>,
    ) -> Result<Vec<(String, String)>, ReportError> {
        let out = self.0.join(name);
        let written = draw(&out, &PlotOptions::default())?;
        written
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "svg"))
            .map(|p| {
                let text = std::fs::read_to_string(p).map_err(|source| ReportError::Io {
                    path: p.clone(),
                    source,
                })?;
                Ok((
                    p.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    text,
                ))
            })
            .collect()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read_text(dir: &Path, name: &str) -> Result<String, ReportError> {
    let path = dir.join(name);
    std::fs::read_to_string(&path).map_err(|source| ReportError::Io { path, source })
}

fn read_optional(dir: &Path, name: &str) -> Result<Option<String>, ReportError> {
    if dir.join(name).is_file() {
        read_text(dir, name).map(Some)
    } else {
        Ok(None)
    }
}

fn read_json(dir: &Path, name: &str) -> Result<serde_json::Value, ReportError> {
    let text = read_text(dir, name)?;
    serde_json::from_str(&text).map_err(|e| bad(dir, name, e))
}

fn bad(dir: &Path, name: &str, e: impl std::fmt::Display) -> ReportError {
    ReportError::Bad {
        path: dir.join(name),
        message: e.to_string(),
    }
}

fn dir_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// The scenario's name from a run directory's manifest, else the directory's name.
fn scenario_name(dir: &Path) -> String {
    read_json(dir, "manifest.json")
        .ok()
        .and_then(|m| m["scenario"].as_str().map(str::to_owned))
        .unwrap_or_else(|| dir_name(dir))
}
