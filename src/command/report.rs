//! `relocant report DIR...`: one self-contained `report.html` for a run, a comparison of
//! runs, a sweep, a validation or an experiment (built by `crate::report`).

use std::path::{Path, PathBuf};

use super::Failure;
use crate::report::{self, ReportError};

/// Options of `relocant report`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("out", |a| a.help(
    "Where to write report.html [default: DIR for one directory, output/comparison for \
     several runs].")))]
#[command(mut_arg("force", |a| a.help("Replace an existing report.html.")))]
pub struct ReportArgs {
    /// A run, sweep, validation or experiment directory, or several run directories (a
    /// comparison; the first is the reference).
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub out: super::Out,
    #[command(flatten)]
    pub force: super::Force,
    #[command(flatten)]
    pub quiet: super::Quiet,
}

fn failure(e: ReportError) -> Failure {
    match e {
        ReportError::Plot(p) => super::figures::plot_failure(p),
        ReportError::Io { ref source, .. } if source.kind() != std::io::ErrorKind::NotFound => {
            Failure::Runtime(format!("relocant: {e}"))
        }
        _ => Failure::Input(format!("relocant: {e}")),
    }
}

pub fn report(args: ReportArgs) -> Result<(), Failure> {
    let kind = report::kind_of_all(&args.dirs).map_err(failure)?;
    let dir = args.out.or_else(|| match kind {
        report::Kind::Comparison => Path::new("output").join("comparison"),
        _ => args.dirs[0].clone(),
    });
    let path = dir.join("report.html");
    if path.exists() && !args.force.is_set() {
        return Err(Failure::Input(format!(
            "relocant: {} exists; pass --force to replace it",
            path.display()
        )));
    }
    let html = report::build(&args.dirs).map_err(failure)?;
    std::fs::create_dir_all(&dir)
        .and_then(|_| crate::output::write_file_atomically(&path, html.as_bytes()))
        .map_err(|e| Failure::Runtime(format!("relocant: cannot write {}: {e}", path.display())))?;
    if !args.quiet.is_set() {
        crate::note!(
            "relocant: wrote {} ({:.1} MB)",
            path.display(),
            html.len() as f64 / 1e6
        );
    }
    Ok(())
}
