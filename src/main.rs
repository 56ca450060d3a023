//! The `relocant` command: parse, run, map the outcome to an exit code
//! (0 success — a closed stdout such as `relocant check ... | head` too —, 1 runtime
//! failure, 2 bad input).

use std::process::ExitCode;

use clap::Parser;
use relocant::cli::{self, Cli};
use relocant::command::Failure;

fn main() -> ExitCode {
    exit_quietly_when_stdout_closes();
    let args = Cli::parse();
    match cli::execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(msg)) => {
            eprintln!("relocant: error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// `println!` panics when the reader of stdout has gone away (a broken pipe). That is not a
/// failure of ours: the reader has what it wanted, so exit 0 without a message. Every other
/// panic keeps the default report. Results on disk are unaffected: they are written before
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
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
