//! `xxgk check`: the warehouse's reports, findings, superseded versions and rejects.

use std::collections::HashMap;
use std::path::Path;

use super::Outcome;
use crate::error::Result;
use crate::{query, store};

pub(super) fn check(warehouse: &Path, warnings: bool, json: bool) -> Result<Outcome> {
    let review = crate::corpus::review(warehouse)?;
    let (reports, findings, rejects, corpus) = (&review.reports, &review.findings, &review.rejects, &review.corpus);
    let errors = review.errors();
    let outcome = if errors > 0 { Outcome::ErrorFindings } else { Outcome::Clean };
    if json {
        let shown: Vec<&store::StoredFinding> = findings.iter().filter(|f| f.severity == "error" || warnings).collect();
        let record = serde_json::json!({
            "reports": reports,
            "findings": shown,
            "superseded": corpus.superseded,
            "rejects": rejects,
            "summary": {
                "reports": reports.len(),
                "superseded_versions": corpus.superseded.len(),
                "reports_with_errors": reports.iter().filter(|r| r.error_count > 0).count(),
                "error_findings": errors,
                "warning_findings": findings.len() - errors,
                "cross_report_findings": corpus.findings.len(),
                "rejected_files": rejects.len(),
            },
        });
        println!("{}", serde_json::to_string_pretty(&record).expect("plain data serializes"));
        return Ok(outcome);
    }
    let pad = query::export::pad;
    println!("{} {} {} {:>6} {:>8}  source", pad("year", 6), pad("agency", 28), pad("era", 11), "errors", "warnings");
    // A large warehouse lists only the reports with findings to show (the catalogue query lists all).
    let list_all = reports.len() <= crate::brief::TABLE_ROWS;
    let mut sorted: Vec<&store::StoredReport> =
        reports.iter().filter(|r| list_all || r.error_count > 0 || (warnings && r.warning_count > 0)).collect();
    sorted.sort_by(|a, b| (a.year, &a.agency).cmp(&(b.year, &b.agency)));
    for r in &sorted {
        println!(
            "{} {} {} {:>6} {:>8}  {}",
            pad(&r.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()), 6),
            pad(r.agency.as_deref().unwrap_or("?"), 28),
            pad(&r.era, 11),
            r.error_count,
            r.warning_count,
            r.source_path
        );
    }
    let by_id: HashMap<&str, &store::StoredReport> = reports.iter().map(|r| (r.report_id.as_str(), r)).collect();
    let shown: Vec<&store::StoredFinding> = findings.iter().filter(|f| f.severity == "error" || warnings).collect();
    if !shown.is_empty() {
        println!();
        for f in &shown {
            let r = by_id.get(f.report_id.as_str());
            let identity = if f.identity.is_empty() { String::new() } else { format!("[{}] ", f.identity) };
            println!(
                "{} {} {} {identity}{} — {} (cells: {})",
                f.severity,
                r.and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
                r.and_then(|r| r.agency.clone()).unwrap_or_default(),
                f.rule,
                f.message,
                f.cells
            );
        }
    }
    if !list_all {
        println!(
            "({} reports without {} findings not listed: xxgk query reports_catalog --warehouse {})",
            reports.len() - sorted.len(),
            if warnings { "any" } else { "error" },
            warehouse.display()
        );
    }
    let paths: HashMap<&str, &str> = reports.iter().map(|r| (r.report_id.as_str(), r.source_path.as_str())).collect();
    for s in &corpus.superseded {
        println!(
            "superseded {} → {} ({}; {} {})",
            paths.get(s.report_id.as_str()).unwrap_or(&"?"),
            paths.get(s.superseded_by.as_str()).unwrap_or(&"?"),
            s.reason,
            s.agency_key,
            s.year.map(|y| y.to_string()).unwrap_or_default()
        );
    }
    for reject in rejects {
        println!("rejected {}: {}", reject.path, reject.reason);
    }
    let warning_count = findings.len() - errors;
    println!(
        "\n{} reports ({} superseded versions), {} with error findings; {} error and {} warning findings ({} across reports); {} rejected files",
        reports.len(),
        corpus.superseded.len(),
        reports.iter().filter(|r| r.error_count > 0).count(),
        errors,
        warning_count,
        corpus.findings.len(),
        rejects.len()
    );
    Ok(outcome)
}

/// `xxgk check --rules`: the rule catalogue, as a table or as the Markdown of docs/RULES.md.
pub(super) fn rules(markdown: bool, json: bool) -> Result<Outcome> {
    use crate::model::RULES;
    if json {
        let rules: Vec<serde_json::Value> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "rule": r.id, "identity": r.identity, "severity": r.severity.id(),
                    "stage": r.stage.to_string(), "statement": r.statement, "spec": r.spec,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rules).expect("plain data serializes"));
        return Ok(Outcome::Clean);
    }
    if markdown {
        print!("{}", crate::model::rules::markdown());
        return Ok(Outcome::Clean);
    }
    let pad = query::export::pad;
    println!("{} {} {} {} statement (spec)", pad("rule", 38), pad("identity", 8), pad("severity", 8), pad("stage", 8));
    for r in RULES {
        println!(
            "{} {} {} {} {} ({})",
            pad(r.id, 38),
            pad(r.identity, 8),
            pad(r.severity.id(), 8),
            pad(&r.stage.to_string(), 8),
            r.statement,
            r.spec
        );
    }
    println!("\n{} rules; docs/RULES.md is `xxgk check --rules --markdown`.", RULES.len());
    Ok(Outcome::Clean)
}
