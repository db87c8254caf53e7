//! Store: the Parquet warehouse, the only module that knows file layout and Parquet.
//!
//! ```text
//! warehouse/
//!   manifest.json                       the committed files (the commit record, replaced atomically)
//!   reports/part-*.parquet              one row per document: report_id, sha256, source_path, source_format,
//!                                       agency, year, era, era_evidence, level, period_start, period_end,
//!                                       published_date, inference, parser_version, fact_count,
//!                                       error_count, warning_count
//!   facts/YYYY/part-*.parquet           tidy facts, lean (see `facts`): report_id, year, table, row_id,
//!                                       col_id, value, blank_kind, raw, label_raw, unit, line, page,
//!                                       table_no, sheet, row_no, column_no, placed
//!   findings/YYYY/part-*.parquet        report_id, year, rule, identity, severity, cells, expected, actual, message
//!   sections/YYYY/part-*.parquet        report_id, year, section, heading, line, text
//!   legacy/YYYY/part-*.parquet          the 2008–2018 statistics table (store/legacy.rs): report_id, year,
//!                                       row_id, label_raw, unit, year_value, cumulative (+ blank kinds, raw),
//!                                       line, locator
//!   requests_wide/YYYY/…                derived at ingest (queries/views/requests_wide.sql)
//!   report_wide/YYYY/…                  derived at ingest (queries/views/report_wide.sql)
//!   rejects/part-*.parquet              source_path, sha256, reason
//! ```
//!
//! Tables holding a `year` column are partitioned by year in folders `2024/` (`unknown/` when the
//! report's year could not be read; not hive-style `year=2024`, see `writer::partition_dir`), so a
//! query on a year range opens only those files. Writes stream: an ingest appends row groups to one
//! open file per table partition and commits by naming the files in `manifest.json`, which is
//! replaced atomically; a file the manifest does not name is invisible to readers and deleted by
//! the next writer. Appends never rewrite existing files; `compact` merges each partition's files
//! into one. Appends are idempotent: a document whose content (sha256) is already in `reports` adds
//! nothing, and a batch that adds nothing writes nothing.

pub mod facts;
mod frames;
mod guard;
mod journal;
mod legacy;
mod manifest;
pub mod wide;
mod writer;

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::Finding;
use crate::normalize::Report;

pub use frames::{batch, corpus_findings_frame, empty, versions_frame};
pub use guard::MARKER;
pub use manifest::Manifest;
pub use writer::{CompactSummary, Digests, Known, Writer, known};

/// The base tables, in the order a batch lists them (`reports` last).
pub const TABLES: [&str; 6] = ["facts", "findings", "sections", "legacy", "rejects", "reports"];

/// A file that could not be ingested, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reject {
    pub path: String,
    pub sha256: Option<String>,
    pub reason: String,
}

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteSummary {
    pub reports_added: usize,
    pub reports_already_present: usize,
    pub rejects_added: usize,
    pub facts_added: usize,
    pub findings_added: usize,
}

fn wh_err(dir: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |source| Error::Warehouse { path: dir.to_path_buf(), source }
}

fn missing_warehouse(dir: &Path) -> Error {
    let hint = if dir != Path::new("out/warehouse") && Path::new("out/warehouse").join(manifest::MANIFEST).exists() {
        " (the main job `xxgk run` wrote out/warehouse: add --warehouse out/warehouse)"
    } else {
        ""
    };
    Error::NotAWarehouse {
        path: dir.to_path_buf(),
        reason: format!("no warehouse here: run `xxgk ingest PATH --warehouse {}` first{hint}", dir.display()),
    }
}

/// The committed manifest of the warehouse at `dir`, or a usage error naming the folder.
pub fn manifest(dir: &Path) -> Result<Manifest> {
    Manifest::load(dir)?.ok_or_else(|| missing_warehouse(dir))
}

/// The committed files of `table` (absolute paths) whose year partition may overlap `from..=to`.
pub fn files(dir: &Path, table: &str, from: Option<i32>, to: Option<i32>) -> Result<Vec<PathBuf>> {
    Ok(manifest(dir)?.files(dir, table, from, to))
}

/// A lazy scan of one warehouse table, reading only the year partitions that may overlap
/// `from..=to` (rows are not filtered here); `None` when the table has no committed file and no
/// known schema (a derived table of an empty warehouse).
pub fn scan_years(dir: &Path, table: &str, from: Option<i32>, to: Option<i32>) -> Result<Option<LazyFrame>> {
    let paths = files(dir, table, from, to)?;
    if paths.is_empty() {
        return Ok(empty(table).map(|df| df.lazy()));
    }
    let args = ScanArgsParquet {
        hive_options: HiveOptions { enabled: Some(false), ..Default::default() },
        ..Default::default()
    };
    let sources: Vec<PlRefPath> = paths.iter().map(|p| PlRefPath::new(p.to_string_lossy().as_ref())).collect();
    LazyFrame::scan_parquet_files(sources.into_iter().collect(), args)
        .map(Some)
        .map_err(|source| Error::Warehouse { path: dir.join(table), source })
}

/// A lazy scan of one base table (an empty frame of its schema when it has no file yet).
pub fn scan(dir: &Path, table: &str) -> Result<LazyFrame> {
    scan_years(dir, table, None, None)?.ok_or_else(|| Error::not_found("table", table, "tables", []))
}

/// `column` is one of `values` (a list literal for `is_in`; a null is not in it).
pub fn one_of(column: &str, values: Series) -> Expr {
    col(column).is_in(lit(values).implode(false), false)
}

/// Texts as a series, for [`one_of`].
pub fn texts<'a>(values: impl IntoIterator<Item = &'a str>) -> Series {
    Series::new("values".into(), values.into_iter().collect::<Vec<_>>())
}

/// Reads one whole warehouse table; `None` when the warehouse has no file of it yet.
pub fn read_table(dir: &Path, table: &str) -> Result<Option<DataFrame>> {
    let Some(manifest) = Manifest::load(dir)? else { return Ok(None) };
    if manifest.files(dir, table, None, None).is_empty() {
        return Ok(None);
    }
    scan(dir, table)?.collect().map(Some).map_err(wh_err(dir))
}

fn strings(df: &DataFrame, column: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(column)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
}

/// Which of `reports` and `rejects` are new to a warehouse whose known digests and rejects are
/// given; updates both sets.
pub fn fresh<'a>(
    reports: &'a [(Report, Vec<Finding>)],
    rejects: &'a [Reject],
    known_reports: &mut Digests,
    known_rejects: &mut HashSet<(String, String)>,
    summary: &mut WriteSummary,
) -> (Vec<&'a (Report, Vec<Finding>)>, Vec<&'a Reject>) {
    let mut new_reports = Vec::new();
    for entry in reports {
        if known_reports.insert(&entry.0.sha256) {
            new_reports.push(entry);
        } else {
            summary.reports_already_present += 1;
        }
    }
    let new_rejects: Vec<&Reject> =
        rejects.iter().filter(|r| known_rejects.insert((r.path.clone(), r.reason.clone()))).collect();
    summary.reports_added += new_reports.len();
    summary.rejects_added += new_rejects.len();
    summary.facts_added += new_reports.iter().map(|(r, _)| r.fact_count()).sum::<usize>();
    summary.findings_added += new_reports.iter().map(|(_, f)| f.len()).sum::<usize>();
    (new_reports, new_rejects)
}

/// Merges the files of each table partition of the warehouse at `dir` into one.
pub fn compact(dir: &Path, wait: bool) -> Result<CompactSummary> {
    manifest(dir)?;
    Writer::open(dir, wait)?.compact()
}

/// The rejects that still stand: a file rejected once and read later (from the same path)
/// is no longer a reject.
pub fn standing_rejects(dir: &Path) -> Result<LazyFrame> {
    let rejects = scan(dir, "rejects")?;
    if files(dir, "rejects", None, None)?.is_empty() {
        return Ok(rejects);
    }
    let paths = scan(dir, "reports")?.select([col("source_path")]).collect().map_err(wh_err(dir))?;
    let paths = paths.column("source_path").map_err(wh_err(dir))?.as_materialized_series().clone();
    Ok(rejects.filter(one_of("source_path", paths).not()))
}

/// One report as the warehouse holds it (for summaries).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredReport {
    pub report_id: String,
    pub source_path: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub era: String,
    pub error_count: i64,
    pub warning_count: i64,
}

/// One finding as the warehouse holds it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredFinding {
    pub report_id: String,
    pub rule: String,
    pub identity: String,
    pub severity: String,
    pub cells: String,
    pub message: String,
}

/// Reports, findings and rejects of a warehouse, for the `check` summary.
pub fn load_summary(dir: &Path) -> Result<(Vec<StoredReport>, Vec<StoredFinding>, Vec<Reject>)> {
    let err = wh_err(dir);
    manifest(dir)?;
    let reports = read_table(dir, "reports")?.unwrap_or(empty("reports").expect("base table"));
    let s = |df: &DataFrame, c: &str| strings(df, c).map_err(&err);
    let ints = |df: &DataFrame, c: &str| -> Result<Vec<Option<i64>>> {
        Ok(df.column(c).map_err(&err)?.i64().map_err(&err)?.iter().collect())
    };
    let years: Vec<Option<i32>> = reports.column("year").map_err(&err)?.i32().map_err(&err)?.iter().collect();
    let (ids, paths, agencies, eras) =
        (s(&reports, "report_id")?, s(&reports, "source_path")?, s(&reports, "agency")?, s(&reports, "era")?);
    let (errors, warnings) = (ints(&reports, "error_count")?, ints(&reports, "warning_count")?);
    let stored = (0..reports.height())
        .map(|i| StoredReport {
            report_id: ids[i].clone().unwrap_or_default(),
            source_path: paths[i].clone().unwrap_or_default(),
            agency: agencies[i].clone(),
            year: years[i],
            era: eras[i].clone().unwrap_or_default(),
            error_count: errors[i].unwrap_or(0),
            warning_count: warnings[i].unwrap_or(0),
        })
        .collect();
    let mut findings = Vec::new();
    if let Some(df) = read_table(dir, "findings")? {
        let cols: Vec<Vec<Option<String>>> = ["report_id", "rule", "identity", "severity", "cells", "message"]
            .iter()
            .map(|c| s(&df, c))
            .collect::<Result<_>>()?;
        let get = |c: usize, i: usize| cols[c][i].clone().unwrap_or_default();
        findings = (0..df.height())
            .map(|i| StoredFinding {
                report_id: get(0, i),
                rule: get(1, i),
                identity: get(2, i),
                severity: get(3, i),
                cells: get(4, i),
                message: get(5, i),
            })
            .collect();
    }
    let df = standing_rejects(dir)?.collect().map_err(&err)?;
    let (paths, shas, reasons) = (s(&df, "source_path")?, s(&df, "sha256")?, s(&df, "reason")?);
    let rejects = (0..df.height())
        .map(|i| Reject {
            path: paths[i].clone().unwrap_or_default(),
            sha256: shas[i].clone(),
            reason: reasons[i].clone().unwrap_or_default(),
        })
        .collect();
    Ok((stored, findings, rejects))
}

/// Writes any frame (a query result) to a Parquet file, atomically.
pub fn write_frame(path: &Path, df: &DataFrame) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out.parquet".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let file = File::create(&tmp).map_err(|source| Error::Write { path: tmp.clone(), source })?;
    let mut df = df.clone();
    ParquetWriter::new(file).finish(&mut df).map_err(|source| Error::Warehouse { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, path).map_err(|source| Error::Write { path: path.to_path_buf(), source })
}
