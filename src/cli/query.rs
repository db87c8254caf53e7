//! `xxgk query`, `xxgk sql`, `xxgk metrics` and `xxgk agencies`.

use super::{FilterArgs, Outcome, OutputArgs};
use crate::error::Result;
use crate::query;
use crate::query::export::{self as output, Format};

pub(super) fn list_queries() -> Result<Outcome> {
    for spec in query::specs()? {
        println!("{}  {}", spec.name, spec.title);
        println!("    {}", spec.about);
        println!("    parameters: --{}", spec.params.join(", --"));
        if !spec.metrics.is_empty() {
            println!("    metrics: {}", spec.metrics.join(", "));
        }
    }
    Ok(Outcome::Clean)
}

pub(super) fn run_query(name: &str, filters: &FilterArgs, out: &OutputArgs) -> Result<Outcome> {
    let spec = query::spec(name)?;
    let mut session = query::Session::open(&filters.warehouse, &filters.filters())?;
    let df = session.run(name)?;
    let notes = session.notes(&spec.metrics)?;
    write_result(&df, out, &spec.metrics, &notes)?;
    Ok(Outcome::Clean)
}

/// `xxgk sql`: one confined query over the warehouse.
pub(super) fn sql(
    statement: &str,
    filters: &FilterArgs,
    out: &OutputArgs,
    limits: &query::guard::SqlLimits,
) -> Result<Outcome> {
    let mut session = query::Session::open(&filters.warehouse, &filters.filters())?;
    let df = session.sql_within(statement, limits)?;
    let notes = session.notes(&[])?;
    write_result(&df, out, &[], &notes).map(|_| Outcome::Clean)
}

/// Writes a result; its notes (what pooled figures left out) follow a table on standard output,
/// and go to standard error for the other formats, so files stay clean.
fn write_result(
    df: &polars::prelude::DataFrame,
    out: &OutputArgs,
    metrics: &[String],
    notes: &query::Notes,
) -> Result<()> {
    output::write(df, out.format, out.out.as_deref(), metrics)?;
    let lines = notes.lines();
    if out.format == Format::Table && out.out.is_none() {
        for line in lines {
            println!("note: {line}");
        }
    } else {
        for line in lines {
            eprintln!("xxgk: note: {line}");
        }
    }
    Ok(())
}

pub(super) fn list_metrics() -> Result<Outcome> {
    for m in query::metrics::METRICS {
        println!("{:<28} {:<14} {}", m.key, m.name, m.formula);
        if !m.note.is_empty() {
            println!("{:<28} {:<14} ({})", "", "", m.note);
        }
    }
    println!("\nRates pool over units (Σ numerator ÷ Σ denominator) and are empty where the denominator is 0.");
    println!("Units with a denominator below {} are shown but not ranked ('observe').", query::metrics::MIN_N);
    Ok(Outcome::Clean)
}
