//! The command line: clap definitions (`command.rs`, `args.rs`) and one thin module per command
//! that calls the stages in order and prints what they return. No domain logic lives here; no
//! module under `src/` imports from `cli`.

mod args;
mod chart;
mod check;
mod command;
mod diff;
mod eval;
mod explain;
mod extract;
mod ingest;
mod query;
mod read_text;
mod run;

pub use crate::query::export::Format;
pub use args::{ChartArgs, ChartSize, FilterArgs, LimitArgs, OutputArgs};
pub use command::{Cli, Command, Main, Verbosity};

use crate::error::{Error, Result};
use crate::pipeline;

/// How a command finished; maps to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    ErrorFindings,
    FilesFailed,
    /// The filters select no report of the warehouse (said on standard error).
    NothingMatched,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::ErrorFindings | Outcome::NothingMatched => 1,
            Outcome::FilesFailed => 2,
        }
    }
}

static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Prints a note on standard error, unless `--quiet`.
pub(crate) fn note(text: &str) {
    if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("xxgk: note: {text}");
    }
}

/// Prints a detail on standard error with `--verbose`.
pub(crate) fn detail(text: impl FnOnce() -> String) {
    if VERBOSE.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("xxgk: {}", text());
    }
}

/// Runs the command line as the binary parsed it: the verbosity, then the command.
pub fn run_main(main: Main) -> Result<Outcome> {
    QUIET.store(main.verbosity.quiet, std::sync::atomic::Ordering::Relaxed);
    VERBOSE.store(main.verbosity.verbose, std::sync::atomic::Ordering::Relaxed);
    let mut cli = main.cli;
    if let Command::Ingest { quiet, .. } = &mut cli.command {
        *quiet |= main.verbosity.quiet;
    }
    run(cli)
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Main::command(), "xxgk", &mut std::io::stdout());
            Ok(Outcome::Clean)
        }
        Command::Extract { reports, json, meta, limits } => {
            extract::extract(&reports, json, meta.as_deref(), &limits.limits())
        }
        Command::Ingest { paths, warehouse, meta, batch, quiet, wait, limits } => {
            let options = pipeline::Options {
                batch,
                progress: !quiet && pipeline::Options::default().progress,
                wait,
                limits: limits.limits(),
                ..Default::default()
            };
            ingest::ingest_paths(&paths, &warehouse, meta.as_deref(), &options)
        }
        Command::Compact { warehouse, wait } => ingest::compact(&warehouse, wait),
        Command::Check { rules: true, markdown, json, .. } => check::rules(markdown, json),
        Command::Check { warehouse, warnings, json, .. } => check::check(&warehouse, warnings, json),
        Command::Query { name, params, new, list, emit_sql, location, shards, filters, output } => {
            match (list, name, new) {
                (_, _, Some(new)) => query::new_query(&new, &filters),
                (true, _, _) => query::list_queries(&filters, &output),
                (false, Some(name), _) if emit_sql.is_some() => {
                    let dialect = emit_sql.expect("checked");
                    query::emit_sql(&name, dialect, &params, location.as_deref(), &shards, &filters)
                }
                (false, Some(name), _) => query::run_query(&name, &params, &filters, &output),
                (false, None, None) => Err(Error::Argument("name a query, or use --list or --new NAME".into())),
            }
        }
        Command::Sql { statement, filters, output, max_terms, max_rows, timeout } => {
            let limits = crate::query::guard::SqlLimits { max_terms, max_rows, seconds: timeout, ..Default::default() };
            query::sql(&statement, &filters, &output, &limits)
        }
        Command::Metrics { json } => query::list_metrics(json),
        Command::Explain { report, cell, warehouse } => explain::explain(&warehouse, &report, &cell),
        Command::Agencies { filters, output } => query::run_query("agencies", &[], &filters, &output),
        Command::Diff { a, b, agency, years, warehouse, meta, output, limits } => {
            let files = diff::DiffFiles { meta: meta.as_deref(), limits: limits.limits() };
            diff::diff(a.as_deref(), b.as_deref(), agency.as_deref(), &years, &warehouse, &files, &output)
        }
        Command::Chart { list: true, json: true, chart, .. } => chart::list_json(&chart),
        Command::Chart { name, all, list, out, filters, chart, .. } => {
            chart::chart(name.as_deref(), all, list, &out, &filters, &chart)
        }
        Command::Brief { out, filters, chart } => chart::brief(&out, &filters, &chart),
        Command::Run { corpus, meta, out, queries, limits, chart } => {
            run::run_main_job(&corpus, meta.as_deref(), &out, queries.as_deref(), &limits.limits(), &chart)
        }
        Command::Eval { truth, files, meta, limits } => eval::eval(&truth, &files, meta.as_deref(), &limits.limits()),
        Command::ReadText { ext, max_pages, max_unzipped_bytes, max_sheet_cells, max_depth, max_data_bytes } => {
            read_text::read_text(&ext, max_pages, max_unzipped_bytes, max_sheet_cells, max_depth, max_data_bytes)
        }
        Command::Synth { reports, seed, warehouse: Some(warehouse), defect_rate, .. } => {
            let options = pipeline::Options::default();
            let summary = pipeline::ingest_synthetic(&warehouse, reports, seed, defect_rate, &options)?;
            println!(
                "{} synthetic reports ({} added, {} already present) → {} in {:.1} s ({:.0} reports/s)",
                reports,
                summary.write.reports_added,
                summary.write.reports_already_present,
                warehouse.display(),
                summary.seconds,
                reports as f64 / summary.seconds.max(1e-9)
            );
            Ok(Outcome::Clean)
        }
        Command::Synth { reports, seed, out, formats, defect_rate, warehouse: None } => {
            let layouts = formats
                .iter()
                .map(|f| {
                    crate::synth::Layout::parse(f)
                        .ok_or_else(|| Error::Argument(format!("unknown format '{f}': use txt, md, html")))
                })
                .collect::<Result<Vec<_>>>()?;
            let options = crate::synth::Options { reports, seed, layouts, defect_rate };
            let summary = crate::synth::generate(&out, &options)?;
            println!(
                "{} documents ({:.1} MB, {} with an injected defect) → {}",
                summary.files.len(),
                summary.bytes as f64 / 1e6,
                summary.defects,
                out.display()
            );
            Ok(Outcome::Clean)
        }
    }
}
