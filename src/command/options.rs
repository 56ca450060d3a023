//! The options several commands share, each declared once: a small struct a command
//! flattens where the option makes sense, so its name, value, parser and help are the same
//! everywhere. A command whose `--out` has its own default says so with
//! `#[command(mut_arg("out", |a| a.help(...)))]`; the option itself stays this one.
//!
//! | option | run | check | validate | calibrate | sweep | merge | analyze | experiment | plot | table | report |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | `--quiet` | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | `--jobs` | ✓ | | ✓ | ✓ | ✓ | | | ✓ | | | |
//! | `--force` | ✓ | | ✓ | ✓ | ✓ | ✓ | | ✓ | | ✓ | ✓ |
//! | `--out` | ✓ | | ✓ | ✓ | ✓ | ✓ | | ✓ | ✓ | ✓ | ✓ |
//! | `--set` | ✓ | ✓ | ✓ | | | | | ✓ | | | |
//!
//! (`sweep` and `calibrate` vary or fit parameters of a file they record, so an override
//! from the command line would be a second, unrecorded source: they take no `--set`.
//! `plot` redraws figures, which are made from the tables beside them, so it needs no
//! `--force`; `check` and `analyze` write nowhere but the sweep they analyse.)

use std::path::PathBuf;

/// The most worker threads `--jobs` may ask for: far more than any machine's cores, and
/// few enough to start at once (20,000 threads took minutes).
pub const MAX_JOBS: u64 = 1024;

/// `--quiet`: nothing on stderr but errors.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct Quiet {
    /// No progress output or summary on stderr (errors are still reported).
    #[arg(long = "quiet")]
    quiet: bool,
}

impl Quiet {
    pub fn is_set(self) -> bool {
        self.quiet
    }
}

/// `--jobs N`: worker threads.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct Jobs {
    /// Worker threads, 0 for all cores [default: all cores]. Results do not depend on it.
    #[arg(long = "jobs", value_name = "N", default_value_t = 0, hide_default_value = true,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_JOBS))]
    jobs: usize,
}

impl Jobs {
    /// All cores.
    pub const ALL: Jobs = Jobs { jobs: 0 };

    /// The number asked for (0: all cores), as the engine takes it.
    pub fn requested(self) -> usize {
        self.jobs
    }

    /// The worker threads that will run (0 resolved to the machine's cores).
    pub fn threads(self) -> usize {
        if self.jobs == 0 {
            rayon::current_num_threads()
        } else {
            self.jobs
        }
    }
}

/// `--force`: replace what is in the output directory.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct Force {
    /// Replace an existing output directory (without it, one is never overwritten).
    #[arg(long = "force")]
    force: bool,
}

impl Force {
    pub fn is_set(self) -> bool {
        self.force
    }
}

/// `--out DIR`: where the results go. Each command states its default with `mut_arg`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Out {
    /// Output directory.
    #[arg(long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
}

impl Out {
    /// The directory asked for, if any.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.out.as_deref()
    }

    /// The directory asked for, or `default()`.
    pub fn or_else(&self, default: impl FnOnce() -> PathBuf) -> PathBuf {
        self.out.clone().unwrap_or_else(default)
    }
}

/// `--set KEY=VALUE`, repeatable: overrides of scenario keys.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct Sets {
    /// Override any scenario key, e.g. --set policy.border_run_ban.date=2023-06-01
    /// (repeatable; a value is TOML: numbers, true/false, dates, "strings").
    #[arg(id = "set", long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
}

impl Sets {
    pub fn as_slice(&self) -> &[String] {
        &self.sets
    }

    /// The first override without `=`: `--set key 100` made `100` a separate argument.
    pub fn without_equals(&self) -> Option<&str> {
        self.sets
            .iter()
            .find(|s| !s.contains('='))
            .map(String::as_str)
    }
}

/// `--json`: the summary a command prints, as one JSON document on stdout.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct Json {
    /// Print the command's summary on stdout as one JSON document instead of a table.
    #[arg(long = "json")]
    json: bool,
}

impl Json {
    pub fn is_set(self) -> bool {
        self.json
    }
}

/// `--no-plots`: tables only.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct NoPlots {
    /// Do not draw figures (`relocant plot` draws them later from the tables).
    #[arg(long = "no-plots")]
    no_plots: bool,
}

impl NoPlots {
    /// Whether figures are drawn.
    pub fn plots(self) -> bool {
        !self.no_plots
    }
}

/// `--format csv|parquet|both`: the tables' file formats.
#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct Formats {
    /// Table formats: csv, parquet (Parquet tables; the daily series only as Parquet) or
    /// both.
    #[arg(long = "format", value_enum, default_value_t = crate::output::tables::Format::Csv)]
    format: crate::output::tables::Format,
}

impl Formats {
    pub fn get(self) -> crate::output::tables::Format {
        self.format
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Args, Command, FromArgMatches};

    #[derive(clap::Args, Debug)]
    #[command(mut_arg("out", |a| a.help("Where the test writes [default: here].")))]
    struct Probe {
        #[command(flatten)]
        out: Out,
        #[command(flatten)]
        jobs: Jobs,
    }

    fn parse(args: &[&str]) -> Result<Probe, clap::Error> {
        let cmd = Probe::augment_args(Command::new("probe"));
        let m = cmd.try_get_matches_from(std::iter::once("probe").chain(args.iter().copied()))?;
        Probe::from_arg_matches(&m)
    }

    #[test]
    fn a_commands_own_out_help_replaces_the_shared_one() {
        let mut cmd = Probe::augment_args(Command::new("probe"));
        let help = cmd.render_help().to_string();
        assert!(
            help.contains("Where the test writes [default: here]."),
            "{help}"
        );
        assert!(!help.contains("Output directory."), "{help}");
    }

    #[test]
    fn jobs_shows_one_default_and_is_bounded() {
        let mut cmd = Probe::augment_args(Command::new("probe"));
        let help = cmd.render_help().to_string();
        assert_eq!(help.matches("[default").count(), 2, "{help}"); // --out's and --jobs' own
        assert!(!help.contains("[default: 0]"), "{help}");
        assert_eq!(parse(&[]).unwrap().jobs.requested(), 0);
        assert_eq!(parse(&["--jobs", "3"]).unwrap().jobs.threads(), 3);
        assert!(parse(&["--jobs", "1025"]).is_err());
        assert_eq!(
            parse(&["--out", "x"]).unwrap().out.dir(),
            Some("x".as_ref())
        );
    }
}
