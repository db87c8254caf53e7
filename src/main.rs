//! The `xxgk` binary: parse the command line, run it, print any error chain, exit 0/1/2.

use std::process::ExitCode;

use clap::Parser;

/// Stack for the command thread: Polars plans SQL over nested views recursively.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Whether a panic is `println!` failing because the reader of stdout went away
/// (`xxgk check | head`): then xxgk stops quietly, as a pipeline expects.
fn is_broken_pipe(message: &str) -> bool {
    message.contains("failed printing to stdout") && message.contains("Broken pipe")
}

fn main() -> ExitCode {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.to_string();
        if is_broken_pipe(&message) {
            std::process::exit(0);
        }
        // A reader's panic on one file becomes a reject naming the file and the message.
        if xxgk::pipeline::reading_isolated() {
            return;
        }
        default_hook(info);
    }));
    let cli = xxgk::cli::Main::parse();
    let worker = std::thread::Builder::new().stack_size(STACK_BYTES).spawn(move || xxgk::cli::run_main(cli));
    let result = match worker {
        Ok(handle) => {
            handle.join().unwrap_or_else(|_| Err(xxgk::error::Error::Internal("the command panicked".into())))
        }
        Err(e) => Err(xxgk::error::Error::Internal(format!("cannot start the command thread: {e}"))),
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(xxgk::error::Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xxgk: error: {e}");
            ExitCode::from(2)
        }
    }
}
