//! The `relocant` command: parse, run, map the outcome to an exit code
//! (0 success, 1 runtime failure, 2 bad input).

use std::process::ExitCode;

use clap::Parser;
use relocant::cli::{self, Cli, Failure};

fn main() -> ExitCode {
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
