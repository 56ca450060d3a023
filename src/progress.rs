//! Progress on stderr: an indicatif bar on a terminal; otherwise (batch logs) a summary
//! line every `LOG_EVERY` with the rate per minute and the time left, so an overnight log is
//! never silent for long.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

const LOG_EVERY: Duration = Duration::from_secs(60);

pub struct Progress {
    bar: Option<ProgressBar>,
    log: Option<Mutex<LogState>>,
    total: u64,
    what: String,
}

struct LogState {
    started: Instant,
    last: Instant,
    done: u64,
}

impl Progress {
    /// Progress over `total` units of `what` (e.g. "replicate-days"); silent if `quiet`.
    pub fn new(total: u64, what: &str, quiet: bool) -> Progress {
        let (bar, log) = if quiet {
            (None, None)
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} {pos}/{len} [{bar:40}] {percent}% {per_min} {elapsed_precise} eta {eta}",
                )
                .expect("valid template")
                .with_key(
                    "per_min",
                    |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1}/min", s.pos() as f64 / s.elapsed().as_secs_f64().max(1e-9) * 60.0);
                    },
                )
                .progress_chars("=> "),
            );
            bar.set_message(what.to_string());
            (Some(bar), None)
        } else {
            let now = Instant::now();
            (
                None,
                Some(Mutex::new(LogState {
                    started: now,
                    last: now,
                    done: 0,
                })),
            )
        };
        Progress {
            bar,
            log,
            total,
            what: what.to_string(),
        }
    }

    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
        if let Some(log) = &self.log {
            let mut s = log.lock().unwrap_or_else(|e| e.into_inner());
            s.done += n;
            if s.last.elapsed() >= LOG_EVERY {
                s.last = Instant::now();
                let elapsed = s.started.elapsed().as_secs_f64();
                let frac = s.done as f64 / self.total.max(1) as f64;
                let eta = if frac > 0.0 {
                    elapsed / frac - elapsed
                } else {
                    0.0
                };
                crate::note!(
                    "relocant: {} {:.0}% ({}/{}), {:.1} {}/min, {:.0} s elapsed, about {:.0} s left",
                    self.what,
                    100.0 * frac,
                    s.done,
                    self.total,
                    s.done as f64 / elapsed.max(1e-9) * 60.0,
                    self.what,
                    elapsed,
                    eta
                );
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
