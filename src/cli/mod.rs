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
pub use command::{Cli, Command};

use crate::error::{Error, Result};
use crate::pipeline;

/// How a command finished; maps to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    ErrorFindings,
    FilesFailed,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::ErrorFindings => 1,
            Outcome::FilesFailed => 2,
        }
    }
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
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
        Command::Check { rules: true, markdown, .. } => check::rules(markdown),
        Command::Check { warehouse, warnings, .. } => check::check(&warehouse, warnings),
        Command::Query { name, list, filters, output } => match (list, name) {
            (true, _) => query::list_queries(),
            (false, Some(name)) => query::run_query(&name, &filters, &output),
            (false, None) => Err(Error::Usage("name a query or use --list".into())),
        },
        Command::Sql { statement, filters, output, max_terms, max_rows, timeout } => {
            let limits = crate::query::guard::SqlLimits { max_terms, max_rows, seconds: timeout, ..Default::default() };
            query::sql(&statement, &filters, &output, &limits)
        }
        Command::Metrics => query::list_metrics(),
        Command::Explain { report, cell, warehouse } => explain::explain(&warehouse, &report, &cell),
        Command::Agencies { filters, output } => query::run_query("agencies", &filters, &output),
        Command::Diff { a, b, agency, years, warehouse, meta, output, limits } => {
            let files = diff::DiffFiles { meta: meta.as_deref(), limits: limits.limits() };
            diff::diff(a.as_deref(), b.as_deref(), agency.as_deref(), &years, &warehouse, &files, &output)
        }
        Command::Chart { name, all, list, out, filters, chart } => {
            chart::chart(name.as_deref(), all, list, &out, &filters, &chart)
        }
        Command::Brief { out, filters, chart } => chart::brief(&out, &filters, &chart),
        Command::Run { corpus, meta, out, limits, chart } => {
            run::run_main_job(&corpus, meta.as_deref(), &out, &limits.limits(), &chart)
        }
        Command::Eval { truth, files, meta, limits } => eval::eval(&truth, &files, meta.as_deref(), &limits.limits()),
        Command::ReadText { ext, max_pages, max_unzipped_bytes, max_sheet_cells, max_depth } => {
            read_text::read_text(&ext, max_pages, max_unzipped_bytes, max_sheet_cells, max_depth)
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
                        .ok_or_else(|| Error::Usage(format!("unknown format '{f}': use txt, md, html")))
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
