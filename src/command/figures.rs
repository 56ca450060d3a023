//! `relocant plot` and `relocant table`: figures and tables redrawn from run or sweep
//! directories.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::output;
use crate::plot::{self, ColumnWidth, PlotError, PlotOptions};

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

/// What `plot` says about the files it wrote: by default one summary line on stderr;
/// `quiet` nothing; `verbose` every path on stdout (stdout carries data, not listings,
/// unless asked).
#[derive(Clone, Copy, Debug, Default)]
pub struct Listing {
    pub quiet: bool,
    pub verbose: bool,
}

pub fn plot(
    dirs: &[PathBuf],
    out: Option<PathBuf>,
    single_column: bool,
    title: bool,
    listing: Listing,
) -> Result<(), Failure> {
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
    if listing.verbose {
        for p in &written {
            println!("{}", p.display());
        }
    }
    if !listing.quiet {
        let folders: std::collections::BTreeSet<_> =
            written.iter().filter_map(|p| p.parent()).collect();
        let places: Vec<String> = folders.iter().map(|f| f.display().to_string()).collect();
        crate::note!(
            "relocant: wrote {} figure files to {}",
            written.len(),
            places.join(", ")
        );
    }
    Ok(())
}

pub fn table(dirs: &[PathBuf], out: Option<PathBuf>) -> Result<(), Failure> {
    let (latex, markdown) = crate::table::outcome_tables(dirs).map_err(plot_failure)?;
    match out {
        None => print!("{markdown}"),
        Some(dir) => {
            // Both tables or neither: a full disk leaves no half (issue 12 item 13), and a
            // directory made for them is removed again.
            let existed = dir.exists();
            std::fs::create_dir_all(&dir)
                .and_then(|_| {
                    output::write_files_together(&[
                        (dir.join("outcomes.tex"), latex.as_bytes()),
                        (dir.join("outcomes.md"), markdown.as_bytes()),
                    ])
                })
                .map_err(|e| {
                    if !existed {
                        let _ = std::fs::remove_dir(&dir);
                    }
                    Failure::Runtime(format!("cannot write {}: {e}", dir.display()))
                })?;
            println!(
                "{}\n{}",
                dir.join("outcomes.tex").display(),
                dir.join("outcomes.md").display()
            );
        }
    }
    Ok(())
}
