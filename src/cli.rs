//! The command line: clap definitions and one short function per command that calls the stages
//! in order. No domain logic lives here.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::model::{Finding, Severity};
use crate::normalize::{self, MetaOverride, Report};
use crate::{ingest, store, validate};

const EXIT_CODES: &str = "\
Exit codes:
  0  finished; no error-level findings
  1  finished; some report breaks an identity or has an unreadable cell (error findings)
  2  failure: bad arguments, an unreadable warehouse, or a file that could not be read
     (a batch still finishes the other files and names each failed file and the reason)";

/// xxgk reads China's government information disclosure annual reports (政府信息公开工作年度报告),
/// checks every number against the accounting identities of the official formats, and keeps the
/// facts, with where each came from, in a Parquet warehouse.
#[derive(Debug, Parser)]
#[command(name = "xxgk", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read reports and print their canonical records (one per report).
    ///
    /// Each report is read, normalized to the canonical ids of SCHEMA.md and checked against the
    /// identities of format-spec §5. Without --json a short summary per report is printed; with
    /// --json one JSON object per line (JSON Lines), the record SCHEMA.md defines plus
    /// report_id, sha256, level, period and how the metadata was inferred.
    #[command(after_help = EXIT_CODES)]
    Extract {
        /// Report files (.txt portal exports, .md, PDF layout text saved as .txt).
        #[arg(required = true, value_name = "REPORT")]
        reports: Vec<PathBuf>,
        /// Print one JSON record per line instead of a summary.
        #[arg(long)]
        json: bool,
        /// Sidecar CSV with header path,agency,year,level overriding inferred metadata.
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
    },
    /// Read report files or folders into the Parquet warehouse.
    ///
    /// Folders are walked recursively (hidden files skipped). Re-ingesting a file with the same
    /// content adds nothing. A file that cannot be read is named with the reason, recorded in the
    /// warehouse's `rejects` table, and the batch goes on.
    #[command(after_help = EXIT_CODES)]
    Ingest {
        /// Report files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// Sidecar CSV with header path,agency,year,level overriding inferred metadata.
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
    },
    /// Summarize the warehouse's findings: which reports break which identities.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// Also list warning-level findings (prose vs table, placements).
        #[arg(long)]
        warnings: bool,
    },
}

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
        Command::Extract { reports, json, meta } => extract(&reports, json, meta.as_deref()),
        Command::Ingest { paths, warehouse, meta } => ingest_paths(&paths, &warehouse, meta.as_deref()),
        Command::Check { warehouse, warnings } => check(&warehouse, warnings),
    }
}

/// Reads, normalizes and validates one file.
pub fn process(path: &Path, meta: &HashMap<String, MetaOverride>) -> Result<(Report, Vec<Finding>)> {
    let doc = ingest::read(path)?;
    let key_full = path.display().to_string();
    let key_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let overrides = meta.get(&key_full).or_else(|| meta.get(&key_name));
    let report = normalize::report(&doc, overrides);
    let findings = validate::check(&report);
    Ok((report, findings))
}

fn load_meta(meta: Option<&Path>) -> Result<HashMap<String, MetaOverride>> {
    meta.map(normalize::read_meta_file).transpose().map(Option::unwrap_or_default)
}

fn extract(paths: &[PathBuf], json: bool, meta: Option<&Path>) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let mut outcome = Outcome::Clean;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        match process(path, &meta) {
            Ok((report, findings)) => {
                if validate::has_errors(&findings) && outcome == Outcome::Clean {
                    outcome = Outcome::ErrorFindings;
                }
                let written = if json {
                    writeln!(out, "{}", normalize::to_record(&report, &findings))
                } else {
                    write_summary(&mut out, &report, &findings)
                };
                written.map_err(|source| Error::Write { path: PathBuf::from("<stdout>"), source })?;
            }
            Err(e) => {
                eprintln!("xxgk: error: {e}");
                outcome = Outcome::FilesFailed;
            }
        }
    }
    Ok(outcome)
}

fn write_summary(out: &mut impl Write, report: &Report, findings: &[Finding]) -> std::io::Result<()> {
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let m = &report.meta;
    writeln!(out, "{}", report.source)?;
    writeln!(
        out,
        "  agency {} · year {} · era {} · level {}",
        m.agency.as_deref().unwrap_or("?"),
        m.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
        report.era.id(),
        m.level.as_deref().unwrap_or("?")
    )?;
    writeln!(out, "  {} facts · {} errors · {} warnings", report.facts.len(), errors, findings.len() - errors)?;
    for f in findings {
        writeln!(out, "  {:<7} {:<38} {}", f.severity.id(), f.rule, f.message)?;
    }
    Ok(())
}

/// Files under `paths`: files as given; folders walked recursively in name order, hidden
/// entries skipped.
fn collect_files(paths: &[PathBuf]) -> Vec<(PathBuf, Option<std::io::Error>)> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files);
        } else {
            files.push((path.clone(), None));
        }
    }
    files
}

fn walk(dir: &Path, files: &mut Vec<(PathBuf, Option<std::io::Error>)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            files.push((dir.to_path_buf(), Some(e)));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push((path, None));
        }
    }
}

fn ingest_paths(paths: &[PathBuf], warehouse: &Path, meta: Option<&Path>) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let files = collect_files(paths);
    let progress = std::io::stderr().is_terminal() && files.len() > 1;
    let mut done = Vec::new();
    let mut rejects = Vec::new();
    for (i, (path, walk_error)) in files.iter().enumerate() {
        if progress {
            eprint!("\r\x1b[2K[{}/{}] {}", i + 1, files.len(), path.display());
        }
        let result = match walk_error {
            Some(e) => Err(Error::Read { path: path.clone(), source: std::io::Error::new(e.kind(), e.to_string()) }),
            None => process(path, &meta),
        };
        match result {
            Ok(entry) => done.push(entry),
            Err(e) => {
                let sha256 = std::fs::read(path).ok().map(|b| ingest::sha256_hex(&b));
                rejects.push(store::Reject { path: path.display().to_string(), sha256, reason: e.to_string() });
            }
        }
    }
    if progress {
        eprintln!();
    }
    let summary = store::write(warehouse, &done, &rejects)?;
    for reject in &rejects {
        eprintln!("xxgk: error: {}", reject.reason);
    }
    let errors: usize = done.iter().map(|(_, f)| f.iter().filter(|x| x.severity == Severity::Error).count()).sum();
    println!(
        "{} files: {} reports added, {} already in the warehouse, {} rejected; {} facts and {} findings added ({} error findings in this batch) → {}",
        files.len(),
        summary.reports_added,
        summary.reports_already_present,
        rejects.len(),
        summary.facts_added,
        summary.findings_added,
        errors,
        warehouse.display()
    );
    Ok(if !rejects.is_empty() {
        Outcome::FilesFailed
    } else if errors > 0 {
        Outcome::ErrorFindings
    } else {
        Outcome::Clean
    })
}

fn check(warehouse: &Path, warnings: bool) -> Result<Outcome> {
    let (reports, findings, rejects) = store::load_summary(warehouse)?;
    println!("{:<6} {:<28} {:<11} {:>6} {:>8}  source", "year", "agency", "era", "errors", "warnings");
    let mut sorted = reports.clone();
    sorted.sort_by(|a, b| (a.year, &a.agency).cmp(&(b.year, &b.agency)));
    for r in &sorted {
        println!(
            "{:<6} {:<28} {:<11} {:>6} {:>8}  {}",
            r.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
            r.agency.as_deref().unwrap_or("?"),
            r.era,
            r.error_count,
            r.warning_count,
            r.source_path
        );
    }
    let by_id: HashMap<&str, &store::StoredReport> = reports.iter().map(|r| (r.report_id.as_str(), r)).collect();
    let shown: Vec<&store::StoredFinding> =
        findings.iter().filter(|f| f.severity == "error" || warnings).collect();
    if !shown.is_empty() {
        println!();
        for f in &shown {
            let r = by_id.get(f.report_id.as_str());
            println!(
                "{} {} {} [{}] {} — {} (cells: {})",
                f.severity,
                r.and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
                r.and_then(|r| r.agency.clone()).unwrap_or_default(),
                if f.identity.is_empty() { &f.rule } else { &f.identity },
                f.rule,
                f.message,
                f.cells
            );
        }
    }
    for reject in &rejects {
        println!("rejected {}: {}", reject.path, reject.reason);
    }
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    let warning_count = findings.len() - errors;
    println!(
        "\n{} reports, {} with error findings; {} error and {} warning findings; {} rejected files",
        reports.len(),
        reports.iter().filter(|r| r.error_count > 0).count(),
        errors,
        warning_count,
        rejects.len()
    );
    Ok(if errors > 0 { Outcome::ErrorFindings } else { Outcome::Clean })
}
