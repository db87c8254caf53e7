//! `xxgk explain`: where one value came from.

use std::path::Path;

use super::Outcome;
use crate::error::Result;
use crate::query::export::{records, table};

pub(super) fn explain(warehouse: &Path, report: &str, cell: &str) -> Result<Outcome> {
    let found = crate::query::explain::explain(warehouse, report, cell)?;
    let head = records(&found.report).into_iter().next().unwrap_or_default();
    let text =
        |k: &str| head.get(k).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).unwrap_or_default();
    println!("report {} · {} · {} · {}", text("report_id"), text("agency"), text("year"), text("source_path"));
    println!("cell   {cell}\n");
    print!("{}", table(&found.facts, &[]));
    if found.findings.height() == 0 {
        println!("\nno finding names this cell, its row or its table");
    } else {
        println!("\nfindings naming it (or its row or table):");
        print!("{}", table(&found.findings, &[]));
    }
    Ok(Outcome::Clean)
}
