//! The warehouse tables as frames: one builder per table, from reports in canonical form.

use polars::prelude::*;

use super::Reject;
use crate::model::{CorpusFinding, Finding, PARSER_VERSION, Severity, Superseded};
use crate::normalize::Report;

/// The frames of one batch: the base tables, in the order they are written (`reports` last).
/// `ingested_at` (microseconds since the Unix epoch, UTC) is the time of the ingest.
pub fn batch(
    fresh: &[&(Report, Vec<Finding>)],
    rejects: &[&Reject],
    ingested_at: i64,
) -> PolarsResult<Vec<(String, DataFrame)>> {
    Ok(vec![
        ("facts".to_string(), facts_frame(fresh)?),
        ("findings".to_string(), findings_frame(fresh)?),
        ("sections".to_string(), sections_frame(fresh)?),
        ("legacy".to_string(), super::legacy::legacy_frame(fresh)?),
        ("rejects".to_string(), rejects_frame(rejects)?),
        ("reports".to_string(), reports_frame(fresh, ingested_at)?),
    ])
}

/// An empty frame of a base table's schema.
pub fn empty(table: &str) -> Option<DataFrame> {
    match table {
        "facts" => facts_frame(&[]).ok(),
        "findings" => findings_frame(&[]).ok(),
        "sections" => sections_frame(&[]).ok(),
        "legacy" => super::legacy::legacy_frame(&[]).ok(),
        "rejects" => rejects_frame(&[]).ok(),
        "reports" => reports_frame(&[], 0).ok(),
        "versions" => versions_frame(&[]).ok(),
        "corpus_findings" => corpus_findings_frame(&[]).ok(),
        _ => None,
    }
}

fn col<T: Into<Column>>(c: T) -> Column {
    c.into()
}

pub fn reports_frame(fresh: &[&(Report, Vec<Finding>)], ingested_at: i64) -> PolarsResult<DataFrame> {
    let r = |f: &dyn Fn(&Report) -> Option<String>| fresh.iter().map(|(r, _)| f(r)).collect::<Vec<_>>();
    let count = |sev: Option<Severity>| {
        fresh
            .iter()
            .map(|(r, f)| match sev {
                Some(s) => f.iter().filter(|x| x.severity == s).count() as i64,
                None => r.fact_count() as i64,
            })
            .collect::<Vec<_>>()
    };
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), r(&|r| Some(r.report_id.clone())))),
        col(Column::new("sha256".into(), r(&|r| Some(r.sha256.clone())))),
        col(Column::new("source_path".into(), r(&|r| Some(r.source.clone())))),
        col(Column::new("source_format".into(), r(&|r| Some(r.format.clone())))),
        col(Column::new("agency".into(), r(&|r| r.meta.agency.clone()))),
        col(Column::new("agency_key".into(), r(&|r| r.meta.agency_key.clone()))),
        col(Column::new("agency_name".into(), r(&|r| r.meta.agency_name.clone()))),
        col(Column::new("division_code".into(), r(&|r| r.meta.division_code.clone()))),
        col(Column::new("body".into(), r(&|r| r.meta.body.map(str::to_string)))),
        col(Column::new("agency_resolution".into(), r(&|r| r.meta.agency_resolution.map(str::to_string)))),
        col(Column::new("year".into(), fresh.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("era".into(), r(&|r| Some(r.era.id().to_string())))),
        col(Column::new("era_evidence".into(), r(&|r| Some(r.era_evidence.join("; "))))),
        col(Column::new("level".into(), r(&|r| r.meta.level.map(|l| l.id().to_string())))),
        col(Column::new("period_start".into(), r(&|r| r.meta.period_start.clone()))),
        col(Column::new("period_end".into(), r(&|r| r.meta.period_end.clone()))),
        col(Column::new("published_date".into(), r(&|r| r.meta.published_date.clone()))),
        col(Column::new("inference".into(), r(&|r| Some(r.meta.inference.join("; "))))),
        col(Column::new("parser_version".into(), r(&|_| Some(PARSER_VERSION.to_string())))),
        col(Column::new("fact_count".into(), count(None))),
        col(Column::new("error_count".into(), count(Some(Severity::Error)))),
        col(Column::new("warning_count".into(), count(Some(Severity::Warning)))),
        col(Column::new("ingested_at".into(), vec![ingested_at; fresh.len()])
            .cast(&DataType::Datetime(TimeUnit::Microseconds, None))?),
    ])
}

pub fn facts_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    super::facts::frame(fresh)
}

pub fn findings_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let all: Vec<(&Report, &Finding)> = fresh.iter().flat_map(|(r, f)| f.iter().map(move |x| (r, x))).collect();
    let s = |f: &dyn Fn(&Report, &Finding) -> String| all.iter().map(|(r, x)| f(r, x)).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), s(&|r, _| r.report_id.clone()))),
        col(Column::new("year".into(), all.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("rule".into(), s(&|_, f| f.rule.clone()))),
        col(Column::new("identity".into(), s(&|_, f| f.identity.clone()))),
        col(Column::new("severity".into(), s(&|_, f| f.severity.id().to_string()))),
        col(Column::new("cells".into(), s(&|_, f| f.cells.join(", ")))),
        col(Column::new("expected".into(), all.iter().map(|(_, f)| f.expected).collect::<Vec<Option<f64>>>())),
        col(Column::new("actual".into(), all.iter().map(|(_, f)| f.actual).collect::<Vec<Option<f64>>>())),
        col(Column::new("message".into(), s(&|_, f| f.message.clone()))),
    ])
}

pub fn sections_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let all: Vec<(&Report, &crate::normalize::SectionText)> =
        fresh.iter().flat_map(|(r, _)| r.sections.iter().map(move |s| (r, s))).collect();
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), all.iter().map(|(r, _)| r.report_id.clone()).collect::<Vec<_>>())),
        col(Column::new("year".into(), all.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("section".into(), all.iter().map(|(_, s)| s.kind.clone()).collect::<Vec<_>>())),
        col(Column::new("heading".into(), all.iter().map(|(_, s)| s.heading.clone()).collect::<Vec<_>>())),
        col(Column::new("line".into(), all.iter().map(|(_, s)| s.line as i64).collect::<Vec<_>>())),
        col(Column::new("text".into(), all.iter().map(|(_, s)| s.text.clone()).collect::<Vec<_>>())),
    ])
}

pub fn rejects_frame(rejects: &[&Reject]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        col(Column::new("source_path".into(), rejects.iter().map(|r| r.path.clone()).collect::<Vec<_>>())),
        col(Column::new("sha256".into(), rejects.iter().map(|r| r.sha256.clone()).collect::<Vec<Option<String>>>())),
        col(Column::new("reason".into(), rejects.iter().map(|r| r.reason.clone()).collect::<Vec<_>>())),
    ])
}

/// `versions`: the reports a later version of the same agency and year supersedes (the others
/// are current). Rewritten by every ingest that adds reports (`corpus::refresh`).
pub fn versions_frame(superseded: &[Superseded]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), superseded.iter().map(|s| s.report_id.as_str()).collect::<Vec<_>>())),
        col(Column::new("year".into(), superseded.iter().map(|s| s.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("agency_key".into(), superseded.iter().map(|s| s.agency_key.as_str()).collect::<Vec<_>>())),
        col(Column::new(
            "superseded_by".into(),
            superseded.iter().map(|s| s.superseded_by.as_str()).collect::<Vec<_>>(),
        )),
        col(Column::new("reason".into(), superseded.iter().map(|s| s.reason.as_str()).collect::<Vec<_>>())),
    ])
}

/// `corpus_findings`: findings that need more than one report (cross-year identities, versions
/// whose figures differ), with the columns of `findings` and the other report. Rewritten by every
/// ingest that adds reports (`corpus::refresh`).
pub fn corpus_findings_frame(findings: &[CorpusFinding]) -> PolarsResult<DataFrame> {
    let s = |f: &dyn Fn(&CorpusFinding) -> String| findings.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        col(Column::new("report_id".into(), s(&|c| c.report_id.clone()))),
        col(Column::new("year".into(), findings.iter().map(|c| c.year).collect::<Vec<Option<i32>>>())),
        col(Column::new("rule".into(), s(&|c| c.finding.rule.clone()))),
        col(Column::new("identity".into(), s(&|c| c.finding.identity.clone()))),
        col(Column::new("severity".into(), s(&|c| c.finding.severity.id().to_string()))),
        col(Column::new("cells".into(), s(&|c| c.finding.cells.join(", ")))),
        col(Column::new("expected".into(), findings.iter().map(|c| c.finding.expected).collect::<Vec<Option<f64>>>())),
        col(Column::new("actual".into(), findings.iter().map(|c| c.finding.actual).collect::<Vec<Option<f64>>>())),
        col(Column::new("message".into(), s(&|c| c.finding.message.clone()))),
        col(Column::new(
            "related_report_id".into(),
            findings.iter().map(|c| c.related_report_id.clone()).collect::<Vec<Option<String>>>(),
        )),
    ])
}
