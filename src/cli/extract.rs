//! `xxgk extract`: one report's canonical record and findings.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Outcome;
use crate::error::{Error, Result};
use crate::model::{Finding, Severity};
use crate::normalize::{self, MetaOverride, Report};
use crate::{pipeline, validate};

/// The `--meta` overrides, none without the flag.
pub(super) fn load_meta(meta: Option<&Path>) -> Result<HashMap<String, MetaOverride>> {
    meta.map(normalize::read_meta_file).transpose().map(Option::unwrap_or_default)
}

pub(super) fn extract(
    paths: &[PathBuf],
    json: bool,
    meta: Option<&Path>,
    limits: &crate::ingest::Limits,
) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let mut outcome = Outcome::Clean;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        match pipeline::process_with(path, &meta, limits) {
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
        "  agency {} → {} [{}] · year {} · era {} · level {}",
        m.agency.as_deref().unwrap_or("?"),
        m.agency_name.as_deref().unwrap_or("?"),
        m.agency_key.as_deref().unwrap_or("?"),
        m.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
        report.era.id(),
        m.level.map_or("?", |l| l.id())
    )?;
    let legacy = if report.legacy.is_empty() {
        String::new()
    } else {
        format!(" ({} of them in {} legacy rows)", report.fact_count() - report.facts.len(), report.legacy.len())
    };
    writeln!(
        out,
        "  {} facts{legacy} · {} errors · {} warnings",
        report.fact_count(),
        errors,
        findings.len() - errors
    )?;
    for f in findings {
        writeln!(out, "  {:<7} {:<38} {}", f.severity.id(), f.rule, f.message)?;
    }
    Ok(())
}
