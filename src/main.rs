//! The `xxgk` binary: parse the command line, run it, print any error chain, exit 0/1/2.

use std::process::ExitCode;

use clap::Parser;

/// Stack for the command thread: Polars plans SQL over nested views recursively.
const STACK_BYTES: usize = 64 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = xxgk::cli::Cli::parse();
    let worker = std::thread::Builder::new().stack_size(STACK_BYTES).spawn(move || xxgk::cli::run(cli));
    let result = match worker {
        Ok(handle) => handle
            .join()
            .unwrap_or_else(|_| Err(xxgk::error::Error::Usage("internal error: the command panicked".into()))),
        Err(e) => Err(xxgk::error::Error::Usage(format!("cannot start the command thread: {e}"))),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) => {
            eprintln!("xxgk: error: {e}");
            ExitCode::from(2)
        }
    }
}
