//! relocant: an agent-based simulation of temporary migration from Russia to Kazakhstan
//! after the mobilization of 2022-09-21. See ARCHITECTURE.md for a map of the code.

/// `eprintln!` that never panics: a message that cannot be written (stderr closed or full)
/// is dropped, and the exit code still says what happened.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod calendar;
pub mod calibrate;
pub mod cli;
pub mod command;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod output;
pub mod plot;
pub mod progress;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod table;
