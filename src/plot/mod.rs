//! Figures for papers, drawn from a run directory's or a sweep directory's output files
//! alone (issue 5), so they can be regenerated and restyled without rerunning the
//! simulation.
//!
//! Owns: reading the output-directory contract (`daily.csv`, `summary.csv`, `events.csv`,
//! `cohorts.csv`, `manifest.json`) and the sweep-directory contract (`manifest.json`,
//! `points.csv`, `sensitivity.csv`) for plotting, the figure sets and their look. Must not:
//! depend on the simulation engine's or the sweep module's types, read system fonts, or
//! print anything.
//!
//! Codemap: `data` reads run files and computes statistics over replicates, `sweep` reads
//! sweep files; `date` is the calendar and date axis; `style` holds the font, colours and
//! print sizes; `parts` the shared layout (`Frame`: title, legend, chart; shapes, markers,
//! rotated text), with `axes` and `events` (policy-event labels); `timeseries`, `survival`
//! and `comparison` are the figures of runs, `heatmap` and `sensitivity` those of sweeps;
//! `render` writes each figure as SVG, PNG and PDF.
//!
//! Adding a figure (e.g. a sweep heatmap): a `prepare` function that reads what it needs
//! and fails with [`PlotError`], a `draw` function over a [`render::Area`] built from
//! [`parts::Frame`], and one [`render::write_figure`] call in the public function that
//! produces it.

mod axes;
mod comparison;
pub(crate) mod data;
mod date;
mod effects;
mod events;
mod forest;
mod heatmap;
mod parts;
mod render;
mod sensitivity;
mod style;

pub use style::FONT_BYTES;
mod survival;
mod sweep;
mod timeseries;

use std::path::{Path, PathBuf};

use events::EventLabels;
use style::Theme;

/// Print width of a figure: one column (~85 mm) or the full page width (~175 mm).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColumnWidth {
    Single,
    #[default]
    Double,
}

impl ColumnWidth {
    pub fn millimetres(&self) -> f64 {
        match self {
            ColumnWidth::Single => 85.0,
            ColumnWidth::Double => 175.0,
        }
    }

    /// Height of a one-panel figure at this width.
    fn panel_height_mm(&self) -> f64 {
        match self {
            ColumnWidth::Single => 70.0,
            ColumnWidth::Double => 85.0,
        }
    }
}

/// How figures are drawn. The default is double-column width without titles (a paper's
/// caption carries the title).
#[derive(Clone, Debug, Default)]
pub struct PlotOptions {
    pub width: ColumnWidth,
    /// Draw a title above each figure.
    pub title: bool,
}

impl PlotOptions {
    fn title(&self, text: &str) -> Option<String> {
        self.title.then(|| text.to_owned())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("{}: missing column `{column}`", path.display())]
    MissingColumn { path: PathBuf, column: String },
    #[error("{}:{line}: column `{column}`: {message}", path.display())]
    BadValue {
        path: PathBuf,
        line: u64,
        column: String,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    BadFile { path: PathBuf, message: String },
    #[error("need at least {needed} run directories, got {got}")]
    NotEnoughRuns { needed: usize, got: usize },
    #[error("drawing figure `{figure}`: {message}")]
    Draw { figure: String, message: String },
}

/// Render the default figure set of one run directory into `out_dir` (created if
/// missing). Returns paths written.
///
/// Figures: `outcomes`, `composition_legal`, `composition_housing`,
/// `composition_employment`, `departures_by_reason`, `survival`, and `social_capital`
/// when `daily.csv` has the `ties_*` columns; each as `.svg`, `.png` and `.pdf`. All
/// inputs are read and checked before the first file is written.
pub fn plot_run(
    run_dir: &Path,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let daily = data::Daily::read(run_dir)?;
    daily.require(&["present", "integrated", "moved_on", "returned"])?;
    let events = data::read_events(run_dir)?;
    let cohorts = data::read_cohorts(run_dir)?;

    let outcomes = timeseries::outcomes(&daily)?;
    let compositions = timeseries::COMPOSITIONS
        .iter()
        .map(|(name, prefix, title)| Ok((*name, *title, timeseries::composition(&daily, prefix)?)))
        .collect::<Result<Vec<_>, PlotError>>()?;
    let departures = timeseries::departures(&daily)?;
    let social = if timeseries::has_social_capital(&daily) {
        Some(timeseries::social_capital(&daily)?)
    } else {
        None
    };

    let theme = Theme::new(&opts.width, opts.width.panel_height_mm());
    let mut written = Vec::new();
    let one_panel = |name: &str, title: &str, panel: &timeseries::TimePanel| {
        render::write_figure(out_dir, name, &theme, |area, theme| {
            let drawn = panel.draw(area, theme, opts.title(title), &events, EventLabels::Auto)?;
            Ok(drawn.shortfall)
        })
    };
    written.extend(one_panel("outcomes", "Arrivals by outcome", &outcomes)?);
    for (name, title, panel) in &compositions {
        written.extend(one_panel(name, title, panel)?);
    }
    written.extend(one_panel(
        "departures_by_reason",
        "Departures by reason",
        &departures,
    )?);

    written.extend(render::write_figure(
        out_dir,
        "survival",
        &theme,
        |area, theme| {
            survival::draw(
                &cohorts,
                area,
                theme,
                opts.title("Share still present by arrival cohort"),
            )
        },
    )?);

    if let Some(panels) = social {
        written.extend(social_capital(out_dir, opts, &panels, &events)?);
    }
    Ok(written)
}

/// `social_capital`: one panel, or two (ties, help events) side by side at double width
/// and stacked at single width.
fn social_capital(
    out_dir: &Path,
    opts: &PlotOptions,
    panels: &[timeseries::TimePanel],
    events: &[data::Event],
) -> Result<Vec<PathBuf>, PlotError> {
    let stacked = panels.len() > 1 && opts.width == ColumnWidth::Single;
    let height = opts.width.panel_height_mm() * if stacked { 1.8 } else { 1.0 };
    let theme = Theme::new(&opts.width, height);
    let lacked = std::cell::Cell::new((0, 0));
    render::write_figure(out_dir, "social_capital", &theme, |area, theme| {
        let top = match opts.title("Social capital") {
            Some(title) => parts::draw_title(area, theme, Some(&title), theme.pad)?,
            None => 0,
        };
        let body = area.margin(top, 0, 0, 0);
        let (w, h) = body.dim_in_pixel();
        let areas = match panels.len() {
            1 => vec![body],
            _ if stacked => {
                // On the second, taller pass each panel gets back what it lacked.
                let (short_a, short_b) = lacked.get();
                let base = (h as i32 - short_a - short_b) / 2;
                let (a, b) = body.split_vertically(base + short_a);
                vec![a, b]
            }
            _ => {
                let (a, b) = body.split_horizontally(w / 2);
                vec![a, b]
            }
        };
        // Only the first panel carries the key of numbered events.
        let mut shortfalls = Vec::new();
        let mut labels = EventLabels::Auto;
        for (panel, area) in panels.iter().zip(&areas) {
            let drawn = panel.draw(area, theme, None, events, labels)?;
            if drawn.numbered {
                labels = EventLabels::NumbersOnly;
            }
            shortfalls.push(drawn.shortfall);
        }
        if stacked {
            lacked.set((shortfalls[0], shortfalls[1]));
            Ok(shortfalls.iter().sum())
        } else {
            Ok(shortfalls.into_iter().max().unwrap_or(0))
        }
    })
}

/// Scenario comparison figure from several run directories (the first is the baseline).
pub fn plot_comparison(
    run_dirs: &[PathBuf],
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let comparison = comparison::prepare(run_dirs)?;
    let theme = Theme::new(&opts.width, comparison::height_mm(&opts.width));
    render::write_figure(out_dir, "comparison", &theme, |area, theme| {
        comparison.draw(area, theme, opts.title("Outcomes by scenario"), &opts.width)
    })
}

/// Whether `dir` holds an experiment's results (`relocant experiment`).
pub fn is_experiment_dir(dir: &Path) -> bool {
    dir.join("effects.csv").is_file()
}

/// The figures of an experiment from its `effects.csv`, into `out_dir`: per outcome,
/// `effects_<outcome>` is a forest plot of each arm's difference from the base arm with
/// its 90% interval, one marker per date compared; each as `.svg`, `.png` and `.pdf`.
pub fn plot_effects(
    experiment_dir: &Path,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let all = effects::read(&experiment_dir.join("effects.csv"))?;
    let mut written = Vec::new();
    for o in &all {
        let theme = Theme::new(
            &opts.width,
            forest::height_mm(&opts.width, o.rows.len(), o.series.len()),
        );
        let title = format!("Effect on {}", o.outcome);
        written.extend(render::write_figure(
            out_dir,
            &format!("effects_{}", o.outcome),
            &theme,
            |area, theme| {
                forest::draw(
                    &forest::Forest {
                        rows: &o.rows,
                        series: &o.series,
                        estimates: &o.estimates,
                        x_title: &o.x_title,
                    },
                    area,
                    theme,
                    opts.title(&title),
                )
            },
        )?);
    }
    Ok(written)
}

/// Whether `dir` holds a sweep (`relocant sweep`'s files) rather than a run.
pub fn is_sweep_dir(dir: &Path) -> bool {
    ["runs.csv", "points.csv", "design.csv", "journal"]
        .iter()
        .any(|f| dir.join(f).is_file())
}

/// Render the figures a finished sweep directory supports into `out_dir` (created if
/// missing). Returns the paths written, none if the sweep supports no figure.
///
/// Figures: `heatmap_share_integrated`, `heatmap_share_moved_on`, `heatmap_share_returned`
/// for a grid over two or more parameters (see [`plot_heatmaps`]), and
/// `sensitivity_share_*` when `sensitivity.csv` exists (see [`plot_sensitivity`]); each as
/// `.svg`, `.png` and `.pdf`. All inputs are read and checked before the first file is
/// written; an unfinished sweep or a shard is an error.
pub fn plot_sweep(
    sweep_dir: &Path,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let manifest = sweep::read_manifest(sweep_dir)?;
    let grid = prepare_grid(sweep_dir, &manifest)?;
    let indices = prepare_sensitivity(sweep_dir)?;
    let mut written = Vec::new();
    if let Some(grid) = &grid {
        written.extend(draw_heatmaps(grid, out_dir, opts)?);
    }
    if let Some(indices) = &indices {
        written.extend(draw_sensitivity(indices, out_dir, opts)?);
    }
    Ok(written)
}

/// Heatmaps of a finished grid sweep over two or more parameters: per outcome
/// (`share_integrated`, `share_moved_on`, `share_returned`), `heatmap_<outcome>` shows the
/// mean over replicates (`points.csv`, `stat = mean`) in percent of arrivals, over the
/// sweep's first parameter (x) and second parameter (y); with more parameters each cell
/// also averages over the others' values. Other designs get no heatmap (their points do
/// not fill a grid): the result is then empty.
pub fn plot_heatmaps(
    sweep_dir: &Path,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let manifest = sweep::read_manifest(sweep_dir)?;
    match prepare_grid(sweep_dir, &manifest)? {
        Some(grid) => draw_heatmaps(&grid, out_dir, opts),
        None => Ok(Vec::new()),
    }
}

/// Sensitivity figures from `sensitivity.csv` (written by `relocant analyze`), per outcome
/// (`share_integrated`, `share_moved_on`, `share_returned`): `sensitivity_<outcome>` shows
/// each parameter's first- and total-order Sobol indices, or Morris μ* and σ, with their
/// confidence intervals. Empty when there is no `sensitivity.csv`; an outcome whose
/// indices are all undefined (it never varied) gets no figure.
pub fn plot_sensitivity(
    sweep_dir: &Path,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    match prepare_sensitivity(sweep_dir)? {
        Some(indices) => draw_sensitivity(&indices, out_dir, opts),
        None => Ok(Vec::new()),
    }
}

fn prepare_grid(dir: &Path, manifest: &sweep::Manifest) -> Result<Option<sweep::Grid>, PlotError> {
    if manifest.design != "grid" || manifest.params.len() < 2 {
        return Ok(None);
    }
    let columns: Vec<&'static str> = sweep::OUTCOMES.iter().map(|o| o.share_column()).collect();
    sweep::read_grid(dir, manifest, &columns).map(Some)
}

fn prepare_sensitivity(dir: &Path) -> Result<Option<sweep::Sensitivity>, PlotError> {
    let path = dir.join("sensitivity.csv");
    if !path.is_file() {
        return Ok(None);
    }
    sweep::read_sensitivity(&path).map(Some)
}

fn draw_heatmaps(
    grid: &sweep::Grid,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let theme = Theme::new(&opts.width, opts.width.panel_height_mm());
    let mut written = Vec::new();
    for (k, outcome) in sweep::OUTCOMES.iter().enumerate() {
        let name = format!("heatmap_{}", outcome.share_column());
        let mut title = format!("Share {} (% of arrivals)", outcome.label());
        match grid.averaged_over.len() {
            0 => {}
            1 => title.push_str(", mean over the other parameter"),
            n => title.push_str(&format!(", mean over the other {n} parameters")),
        }
        written.extend(render::write_figure(
            out_dir,
            &name,
            &theme,
            |area, theme| heatmap::draw(grid, k, *outcome, area, theme, opts.title(&title)),
        )?);
    }
    Ok(written)
}

fn draw_sensitivity(
    indices: &sweep::Sensitivity,
    out_dir: &Path,
    opts: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    let theme = Theme::new(
        &opts.width,
        sensitivity::height_mm(&opts.width, indices.params.len()),
    );
    let mut written = Vec::new();
    for outcome in indices.outcomes.iter().filter(|o| o.any()) {
        let name = format!("sensitivity_{}", outcome.outcome.share_column());
        let title = format!("Sensitivity of the share {}", outcome.outcome.label());
        written.extend(render::write_figure(
            out_dir,
            &name,
            &theme,
            |area, theme| sensitivity::draw(indices, outcome, area, theme, opts.title(&title)),
        )?);
    }
    Ok(written)
}
