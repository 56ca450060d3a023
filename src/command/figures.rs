//! `relocant plot` and `relocant table`: figures and tables redrawn from run or sweep
//! directories.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::output;
use crate::plot::{self, ColumnWidth, PlotError, PlotOptions};

/// A bad or missing input file is bad input (exit 2); failing to draw or write is a runtime failure.
pub(super) fn plot_failure(e: PlotError) -> Failure {
    match e {
        PlotError::Draw { .. } => Failure::Runtime(e.to_string()),
        PlotError::Io { ref source, .. } if source.kind() != std::io::ErrorKind::NotFound => {
            Failure::Runtime(e.to_string())
        }
        _ => Failure::Input(format!("relocant: {e}")),
    }
}

/// What `plot` and `table` say about the files they wrote: by default one summary line on
/// stderr; `--quiet` nothing; `--verbose` every path on stdout (stdout carries data, not
/// listings, unless asked).
#[derive(clap::Args, Clone, Copy, Debug, Default)]
pub struct Listing {
    #[command(flatten)]
    pub quiet: super::Quiet,
    /// List every file written on stdout.
    #[arg(long)]
    pub verbose: bool,
}

impl Listing {
    /// Lists `written` as asked: paths on stdout (`--verbose`), one line on stderr (unless
    /// `--quiet`) naming how many files went to which folders.
    fn report(self, written: &[PathBuf], what: &str) {
        if self.verbose {
            for p in written {
                println!("{}", p.display());
            }
        }
        if !self.quiet.is_set() {
            let folders: std::collections::BTreeSet<_> =
                written.iter().filter_map(|p| p.parent()).collect();
            let places: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
            crate::note!(
                "relocant: wrote {} {what} to {}",
                written.len(),
                places.join(", ")
            );
        }
    }
}

/// Options of `relocant plot`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help(
    "Where to write the figures [default: DIR/figures, or output/comparison for several runs]; \
     figure files there are redrawn.")))]
pub struct PlotArgs {
    /// Run directories (one: its figures; several: a comparison), sweep directories or
    /// experiment directories.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub out: super::Out,
    /// Single-column width (85 mm) instead of double-column (175 mm).
    #[arg(long)]
    pub single_column: bool,
    /// Draw titles (papers usually use captions instead).
    #[arg(long)]
    pub title: bool,
    #[command(flatten)]
    pub listing: Listing,
}

/// Options of `relocant table`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help(
    "Write outcomes.tex and outcomes.md into this directory instead of printing Markdown on \
     stdout.")))]
pub struct TableArgs {
    /// Run directories, one column of the table each.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub out: super::Out,
    #[command(flatten)]
    pub force: super::Force,
    #[command(flatten)]
    pub listing: Listing,
}

pub fn plot(args: PlotArgs) -> Result<(), Failure> {
    let PlotArgs {
        dirs,
        out,
        single_column,
        title,
        listing,
    } = args;
    let dirs = &dirs[..];
    let out = out.dir().map(Path::to_path_buf);
    let opts = PlotOptions {
        width: if single_column {
            ColumnWidth::Single
        } else {
            ColumnWidth::Double
        },
        title,
    };
    // A folder that is neither a run nor a sweep directory is named as such, rather than
    // reported by the first file it lacks.
    if let Some(d) = dirs
        .iter()
        .find(|d| !d.join("daily.csv").exists() && d.join("daily.parquet").exists())
    {
        return Err(Failure::Input(format!(
            "relocant: {} holds its daily series as Parquet only (written with --format parquet); plot reads daily.csv: write it with --format both",
            d.display()
        )));
    }
    if let Some(d) = dirs.iter().find(|d| {
        !d.join("daily.csv").exists() && !d.join("runs.csv").exists() && !plot::is_experiment_dir(d)
    }) {
        return Err(Failure::Input(format!(
            "relocant: {} is not a relocant run directory: it has none of daily.csv, runs.csv, effects.csv",
            d.display()
        )));
    }
    let sweeps = dirs.iter().filter(|d| plot::is_sweep_dir(d)).count();
    let experiments = dirs.iter().filter(|d| plot::is_experiment_dir(d)).count();
    let written = if experiments > 0 {
        if experiments < dirs.len() || (dirs.len() > 1 && out.is_some()) {
            return Err(Failure::Input(
                "relocant: plot takes experiment directories alone (and --out only with one)"
                    .into(),
            ));
        }
        let mut all = Vec::new();
        for dir in dirs {
            let out = out.clone().unwrap_or_else(|| dir.join("figures"));
            all.extend(plot::plot_effects(dir, &out, &opts).map_err(plot_failure)?);
        }
        all
    } else if sweeps > 0 {
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
    listing.report(&written, "figure files");
    Ok(())
}

pub fn table(args: TableArgs) -> Result<(), Failure> {
    let TableArgs {
        dirs,
        out,
        force,
        listing,
    } = args;
    let (latex, markdown) = crate::table::outcome_tables(&dirs).map_err(plot_failure)?;
    match out.dir() {
        None => print!("{markdown}"),
        Some(dir) => {
            let files = [dir.join("outcomes.tex"), dir.join("outcomes.md")];
            if let Some(f) = files.iter().find(|f| f.exists() && !force.is_set()) {
                return Err(Failure::Input(format!(
                    "relocant: {} exists; pass --force to replace it",
                    f.display()
                )));
            }
            // Both tables or neither: a full disk leaves no half (issue 12 item 13), and a
            // directory made for them is removed again.
            let existed = dir.exists();
            std::fs::create_dir_all(dir)
                .and_then(|_| {
                    output::write_files_together(&[
                        (files[0].clone(), latex.as_bytes()),
                        (files[1].clone(), markdown.as_bytes()),
                    ])
                })
                .map_err(|e| {
                    if !existed {
                        let _ = std::fs::remove_dir(dir);
                    }
                    Failure::Runtime(format!("cannot write {}: {e}", dir.display()))
                })?;
            listing.report(&files, "table files");
        }
    }
    Ok(())
}
