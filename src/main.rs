//! The `xxgk` binary: parse the command line, run it, print any error chain, exit 0/1/2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = xxgk::cli::Cli::parse();
    match xxgk::cli::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) => {
            eprintln!("xxgk: error: {e}");
            ExitCode::from(2)
        }
    }
}
