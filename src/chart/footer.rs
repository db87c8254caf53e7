//! A chart as a briefing shows it: its query run, its data drawn, and a footer that says what
//! it covers (reports, years), which metric it shows with its formula, the selection, and what
//! pooled figures left out.

use std::path::{Path, PathBuf};

use super::ChartSpec;
use crate::error::Result;
use crate::query;

/// A rendered chart: its spec and the two files.
pub struct Rendered {
    pub spec: ChartSpec,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// The coverage line every chart footer starts with: report count and year range.
fn coverage(session: &mut query::Session) -> Result<String> {
    let head = session.run("headline_indicators")?;
    let record = query::export::records(&head).into_iter().next().unwrap_or_default();
    let int = |k: &str| record.get(k).and_then(|v| v.as_i64());
    let years = match (int("first_year"), int("last_year")) {
        (Some(a), Some(b)) if a == b => format!("{a}年"),
        (Some(a), Some(b)) => format!("{a}–{b}年"),
        _ => "无数据".into(),
    };
    Ok(format!("数据：{} 份报告，{years}", int("reports").unwrap_or(0)))
}

/// The footer of a chart: coverage, the metric shown and its formula, the selection, its note.
pub fn footer(spec: &ChartSpec, coverage: &str, filters: &query::Filters) -> String {
    let mut parts = vec![coverage.to_string()];
    if let Some(m) = spec.metric.as_deref().and_then(query::metrics::metric) {
        parts.push(format!("指标 {} = {}", m.key, m.formula));
    }
    let selection = filters.describe();
    if !selection.is_empty() {
        parts.push(format!("筛选：{selection}"));
    }
    if let Some(note) = &spec.note {
        parts.push(note.clone());
    }
    parts.push("xxgk".into());
    parts.join(" · ")
}

/// Runs each chart's query and renders it into `out`.
pub fn render_all(
    specs: &[ChartSpec],
    session: &mut query::Session,
    filters: &query::Filters,
    out: &Path,
) -> Result<Vec<Rendered>> {
    let mut done = Vec::new();
    let coverage = coverage(session)?;
    for spec in specs {
        let df = session.run(&spec.query)?;
        let data = super::data(spec, &df)?;
        let mut footer = footer(spec, &coverage, filters);
        let notes = session.notes(&query::spec(&spec.query)?.metrics)?.summary_zh();
        if !notes.is_empty() {
            footer = format!("{footer}\n{notes}");
        }
        let (png, svg) = super::render(spec, &data, &footer, out)?;
        done.push(Rendered { spec: spec.clone(), png, svg });
    }
    Ok(done)
}
