//! Store: the Parquet warehouse, the only module that knows file layout and Parquet.
//!
//! ```text
//! warehouse/
//!   reports.parquet   one row per document: report_id, sha256, source_path, source_format, agency,
//!                     year, era, era_evidence, level, period_start, period_end, published_date, inference,
//!                     parser_version, fact_count, error_count, warning_count
//!   facts.parquet     tidy facts: report_id, year, table, row_id, col_id, value, blank_kind, raw,
//!                     label_raw, unit, line, locator
//!   findings.parquet  report_id, rule, identity, severity, cells, expected, actual, message
//!   sections.parquet  report_id, section, heading, line, text
//!   rejects.parquet   source_path, sha256, reason
//! ```
//!
//! Appends are idempotent: a document whose content (sha256) is already in `reports` adds
//! nothing, and a batch that adds nothing writes nothing. Each table is written to a temporary
//! file and renamed into place, so a reader never sees a half-written file; `reports` is written
//! last and is the commit record: rows of the other tables whose report is not in `reports` (left
//! by a crash between renames) are dropped on the next write.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::{Finding, PARSER_VERSION, Severity};
use crate::normalize::Report;

/// The warehouse tables, in the order they are written (`reports` last).
pub const TABLES: [&str; 5] = ["facts", "findings", "sections", "rejects", "reports"];

/// A file that could not be ingested, and why.
#[derive(Debug, Clone, PartialEq)]
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

/// Path of a warehouse table.
pub fn table_path(dir: &Path, table: &str) -> PathBuf {
    dir.join(format!("{table}.parquet"))
}

fn wh_err(dir: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |source| Error::Warehouse { path: dir.to_path_buf(), source }
}

/// Reads one warehouse table; `None` when the warehouse has no such file yet.
pub fn read_table(dir: &Path, table: &str) -> Result<Option<DataFrame>> {
    let path = table_path(dir, table);
    if !path.exists() {
        return Ok(None);
    }
    let file = File::open(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
    ParquetReader::new(file).finish().map(Some).map_err(|source| Error::Warehouse { path, source })
}

fn missing_warehouse(dir: &Path) -> Error {
    let hint = if dir != Path::new("out/warehouse") && Path::new("out/warehouse/reports.parquet").exists() {
        " (the main job `xxgk run` wrote out/warehouse: add --warehouse out/warehouse)"
    } else {
        ""
    };
    Error::Usage(format!(
        "no warehouse at {}: run `xxgk ingest PATH --warehouse {}` first{hint}",
        dir.display(),
        dir.display()
    ))
}

/// A lazy scan of one warehouse table (an empty frame of the table's schema when absent).
pub fn scan(dir: &Path, table: &str) -> Result<LazyFrame> {
    let path = table_path(dir, table);
    if !path.exists() {
        if table == "reports" {
            return Err(missing_warehouse(dir));
        }
        let empty = match table {
            "rejects" => rejects_frame(&[]),
            "facts" => facts_frame(&[]),
            "findings" => findings_frame(&[]),
            _ => sections_frame(&[]),
        };
        return empty.map(|df| df.lazy()).map_err(|source| Error::Warehouse { path, source });
    }
    let name = path.to_string_lossy().to_string();
    LazyFrame::scan_parquet(PlRefPath::new(&name), ScanArgsParquet::default())
        .map_err(|source| Error::Warehouse { path, source })
}

fn strings(df: &DataFrame, column: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(column)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
}

/// Appends reports (with their findings) and rejects to the warehouse at `dir`.
pub fn write(dir: &Path, reports: &[(Report, Vec<Finding>)], rejects: &[Reject]) -> Result<WriteSummary> {
    let err = wh_err(dir);
    let existing = read_table(dir, "reports")?;
    let mut known: HashSet<String> = match &existing {
        Some(df) => strings(df, "sha256").map_err(&err)?.into_iter().flatten().collect(),
        None => HashSet::new(),
    };
    let committed_ids: HashSet<String> = match &existing {
        Some(df) => strings(df, "report_id").map_err(&err)?.into_iter().flatten().collect(),
        None => HashSet::new(),
    };
    let mut summary = WriteSummary::default();
    let mut fresh: Vec<&(Report, Vec<Finding>)> = Vec::new();
    for entry in reports {
        if known.insert(entry.0.sha256.clone()) {
            fresh.push(entry);
        } else {
            summary.reports_already_present += 1;
        }
    }
    let existing_rejects = read_table(dir, "rejects")?;
    let mut known_rejects: HashSet<(String, String)> = match &existing_rejects {
        Some(df) => {
            let paths = strings(df, "source_path").map_err(&err)?;
            let reasons = strings(df, "reason").map_err(&err)?;
            paths.into_iter().zip(reasons).map(|(p, r)| (p.unwrap_or_default(), r.unwrap_or_default())).collect()
        }
        None => HashSet::new(),
    };
    let fresh_rejects: Vec<&Reject> =
        rejects.iter().filter(|r| known_rejects.insert((r.path.clone(), r.reason.clone()))).collect();
    summary.reports_added = fresh.len();
    summary.rejects_added = fresh_rejects.len();
    summary.facts_added = fresh.iter().map(|(r, _)| r.facts.len()).sum();
    summary.findings_added = fresh.iter().map(|(_, f)| f.len()).sum();
    if fresh.is_empty() && fresh_rejects.is_empty() {
        return Ok(summary);
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    for table in TABLES {
        let new = match table {
            "facts" => facts_frame(&fresh),
            "findings" => findings_frame(&fresh),
            "sections" => sections_frame(&fresh),
            "rejects" => rejects_frame(&fresh_rejects),
            _ => reports_frame(&fresh),
        }
        .map_err(&err)?;
        let mut combined = match read_table(dir, table)? {
            Some(old) if table == "reports" || table == "rejects" => old.vstack(&new).map_err(&err)?,
            Some(old) => {
                let ids = old.column("report_id").map_err(&err)?.str().map_err(&err)?;
                let mask: BooleanChunked =
                    ids.iter().map(|id| id.is_some_and(|id| committed_ids.contains(id))).collect();
                old.filter(&mask).map_err(&err)?.vstack(&new).map_err(&err)?
            }
            None => new,
        };
        write_atomic(dir, table, &mut combined)?;
    }
    Ok(summary)
}

fn write_atomic(dir: &Path, table: &str, df: &mut DataFrame) -> Result<()> {
    let path = table_path(dir, table);
    let tmp = dir.join(format!(".{table}.parquet.tmp-{}", std::process::id()));
    let file = File::create(&tmp).map_err(|source| Error::Write { path: tmp.clone(), source })?;
    ParquetWriter::new(file)
        .with_statistics(StatisticsOptions::full())
        .finish(df)
        .map_err(|source| Error::Warehouse { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, &path).map_err(|source| Error::Write { path, source })
}

fn col<T: Into<Column>>(c: T) -> Column {
    c.into()
}

fn reports_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let r = |f: &dyn Fn(&Report) -> Option<String>| fresh.iter().map(|(r, _)| f(r)).collect::<Vec<_>>();
    let count = |sev: Option<Severity>| {
        fresh
            .iter()
            .map(|(r, f)| match sev {
                Some(s) => f.iter().filter(|x| x.severity == s).count() as i64,
                None => r.facts.len() as i64,
            })
            .collect::<Vec<_>>()
    };
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), r(&|r| Some(r.report_id.clone())))),
        col(Column::new("sha256".into(), r(&|r| Some(r.sha256.clone())))),
        col(Column::new("source_path".into(), r(&|r| Some(r.source.clone())))),
        col(Column::new("source_format".into(), r(&|r| Some(r.format.clone())))),
        col(Column::new("agency".into(), r(&|r| r.meta.agency.clone()))),
        col(Column::new("year".into(), fresh.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("era".into(), r(&|r| Some(r.era.id().to_string())))),
        col(Column::new("era_evidence".into(), r(&|r| Some(r.era_evidence.join("; "))))),
        col(Column::new("level".into(), r(&|r| r.meta.level.clone()))),
        col(Column::new("period_start".into(), r(&|r| r.meta.period_start.clone()))),
        col(Column::new("period_end".into(), r(&|r| r.meta.period_end.clone()))),
        col(Column::new("published_date".into(), r(&|r| r.meta.published_date.clone()))),
        col(Column::new("inference".into(), r(&|r| Some(r.meta.inference.join("; "))))),
        col(Column::new("parser_version".into(), r(&|_| Some(PARSER_VERSION.to_string())))),
        col(Column::new("fact_count".into(), count(None))),
        col(Column::new("error_count".into(), count(Some(Severity::Error)))),
        col(Column::new("warning_count".into(), count(Some(Severity::Warning)))),
    ])
}

fn facts_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let facts: Vec<(&Report, &crate::normalize::Fact)> =
        fresh.iter().flat_map(|(r, _)| r.facts.iter().map(move |f| (r, f))).collect();
    let s =
        |f: &dyn Fn(&Report, &crate::normalize::Fact) -> String| facts.iter().map(|(r, x)| f(r, x)).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), s(&|r, _| r.report_id.clone()))),
        col(Column::new("year".into(), facts.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("table".into(), s(&|_, f| f.table.to_string()))),
        col(Column::new("row_id".into(), s(&|_, f| f.row.clone()))),
        col(Column::new("col_id".into(), s(&|_, f| f.col.clone()))),
        col(Column::new("value".into(), facts.iter().map(|(_, f)| f.value).collect::<Vec<Option<f64>>>())),
        col(Column::new("blank_kind".into(), s(&|_, f| f.blank_kind.to_string()))),
        col(Column::new("raw".into(), s(&|_, f| f.raw.clone()))),
        col(Column::new("label_raw".into(), s(&|_, f| f.label_raw.clone()))),
        col(Column::new("unit".into(), facts.iter().map(|(_, f)| f.unit.clone()).collect::<Vec<Option<String>>>())),
        col(Column::new("line".into(), facts.iter().map(|(_, f)| f.line as i64).collect::<Vec<i64>>())),
        col(Column::new("locator".into(), s(&|_, f| f.locator.clone()))),
    ])
}

fn findings_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let all: Vec<(&Report, &Finding)> = fresh.iter().flat_map(|(r, f)| f.iter().map(move |x| (r, x))).collect();
    let s = |f: &dyn Fn(&Report, &Finding) -> String| all.iter().map(|(r, x)| f(r, x)).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), s(&|r, _| r.report_id.clone()))),
        col(Column::new("rule".into(), s(&|_, f| f.rule.clone()))),
        col(Column::new("identity".into(), s(&|_, f| f.identity.clone()))),
        col(Column::new("severity".into(), s(&|_, f| f.severity.id().to_string()))),
        col(Column::new("cells".into(), s(&|_, f| f.cells.join(", ")))),
        col(Column::new("expected".into(), all.iter().map(|(_, f)| f.expected).collect::<Vec<Option<f64>>>())),
        col(Column::new("actual".into(), all.iter().map(|(_, f)| f.actual).collect::<Vec<Option<f64>>>())),
        col(Column::new("message".into(), s(&|_, f| f.message.clone()))),
    ])
}

fn sections_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let all: Vec<(&Report, &(String, String, usize, String))> =
        fresh.iter().flat_map(|(r, _)| r.sections.iter().map(move |s| (r, s))).collect();
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), all.iter().map(|(r, _)| r.report_id.clone()).collect::<Vec<_>>())),
        col(Column::new("section".into(), all.iter().map(|(_, s)| s.0.clone()).collect::<Vec<_>>())),
        col(Column::new("heading".into(), all.iter().map(|(_, s)| s.1.clone()).collect::<Vec<_>>())),
        col(Column::new("line".into(), all.iter().map(|(_, s)| s.2 as i64).collect::<Vec<_>>())),
        col(Column::new("text".into(), all.iter().map(|(_, s)| s.3.clone()).collect::<Vec<_>>())),
    ])
}

fn rejects_frame(rejects: &[&Reject]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        col(Column::new("source_path".into(), rejects.iter().map(|r| r.path.clone()).collect::<Vec<_>>())),
        col(Column::new("sha256".into(), rejects.iter().map(|r| r.sha256.clone()).collect::<Vec<Option<String>>>())),
        col(Column::new("reason".into(), rejects.iter().map(|r| r.reason.clone()).collect::<Vec<_>>())),
    ])
}

/// One report as the warehouse holds it (for summaries).
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
    let Some(reports) = read_table(dir, "reports")? else { return Err(missing_warehouse(dir)) };
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
    let mut rejects = Vec::new();
    if let Some(df) = read_table(dir, "rejects")? {
        let (paths, shas, reasons) = (s(&df, "source_path")?, s(&df, "sha256")?, s(&df, "reason")?);
        rejects = (0..df.height())
            .map(|i| Reject {
                path: paths[i].clone().unwrap_or_default(),
                sha256: shas[i].clone(),
                reason: reasons[i].clone().unwrap_or_default(),
            })
            .collect();
    }
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
