//! The `relocant` command: parse, run, map the outcome to an exit code
//! (0 success — a closed stdout such as `relocant check ... | head` too —, 1 runtime
//! failure, 2 bad input).

use std::process::ExitCode;

use clap::Parser;
use relocant::cli::{self, Cli};
use relocant::command::Failure;

fn main() -> ExitCode {
    relocant::output::provenance::mark_start();
    exit_quietly_when_stdout_closes();
    let args = Cli::parse();
    match cli::execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            relocant::note!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(msg)) => {
            relocant::note!("relocant: error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// `println!` panics when the reader of stdout has gone away (a broken pipe). That is not a
/// failure of ours: the reader has what it wanted, so exit 0 without a message. Any other
/// failure to print (a full disk) exits 1: the output is lost. Every other panic keeps the
/// default report. Results on disk are unaffected: they are written before
/// anything is printed, and atomically.
fn exit_quietly_when_stdout_closes() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") {
            if message.contains("Broken pipe") {
                std::process::exit(0);
            }
            // Stdout is full or failed otherwise: what it should carry is lost.
            relocant::note!("relocant: error: {message}");
            std::process::exit(1);
        }
        default(info);
    }));
}
