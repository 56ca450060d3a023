//! Figures for papers, drawn from a run directory's output files alone (issue 5), so they
//! can be regenerated and restyled without rerunning the simulation.
//!
//! Owns: reading the output-directory contract (`daily.csv`, `summary.csv`, `events.csv`,
//! `cohorts.csv`, `manifest.json`) for plotting, the figure set and its look. Must not:
//! depend on the simulation engine's types, read system fonts, or print anything.
//!
//! Codemap: `data` reads files and computes statistics over replicates; `date` is the
//! calendar and date axis; `style` holds the font, colours and print sizes; `parts` the
//! shared layout (`Frame`: title, legend, chart; shapes), with `axes` and `events`
//! (policy-event labels); `timeseries`, `survival` and `comparison` are the figures;
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
mod events;
mod parts;
mod render;
mod style;
mod survival;
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
