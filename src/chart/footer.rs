//! A chart as a briefing shows it: its query run, its data drawn, a subtitle that says whose
//! figures it pools, and a footer in Chinese that says what it covers (reports, years), which
//! metric it shows with every symbol of its formula defined, the selection, and what pooled
//! figures left out.

use std::path::{Path, PathBuf};

use super::{Caption, ChartSpec, Options, symbols};
use crate::error::Result;
use crate::query::{self, metrics};

/// A rendered chart: its spec and the two files.
pub struct Rendered {
    pub spec: ChartSpec,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// What every chart of a selection shares: report and agency counts, years.
struct Coverage {
    line: String,
    agencies: i64,
}

fn coverage(session: &mut query::Session) -> Result<Coverage> {
    let head = session.run("headline_indicators")?;
    let record = query::export::records(&head).into_iter().next().unwrap_or_default();
    let int = |k: &str| record.get(k).and_then(|v| v.as_i64());
    let years = match (int("first_year"), int("last_year")) {
        (Some(a), Some(b)) if a == b => format!("{a}年"),
        (Some(a), Some(b)) => format!("{a}–{b}年"),
        _ => "无数据".into(),
    };
    Ok(Coverage {
        line: format!("数据：{} 份报告，{} 个机关，{years}", int("reports").unwrap_or(0), int("agencies").unwrap_or(0)),
        agencies: int("agencies").unwrap_or(0),
    })
}

/// The selection in Chinese, for footers and the briefing: `2023–2025年 · 机关含“上海” · 县级`;
/// `全部报告` when nothing is selected.
pub fn selection_zh(filters: &query::Filters) -> String {
    let mut parts = Vec::new();
    match (filters.from, filters.to) {
        (Some(a), Some(b)) if a == b => parts.push(format!("{a}年")),
        (Some(a), Some(b)) => parts.push(format!("{a}–{b}年")),
        (Some(a), None) => parts.push(format!("{a}年起")),
        (None, Some(b)) => parts.push(format!("至{b}年")),
        _ => {}
    }
    if let Some(a) = &filters.agency {
        parts.push(format!("机关含“{a}”"));
    }
    if let Some(l) = filters.level {
        parts.push(l.zh().to_string());
    }
    if filters.include_flagged {
        parts.push("含输入有勾稽错误的报告".to_string());
    }
    if filters.all_versions {
        parts.push("含全部版本".to_string());
    }
    if parts.is_empty() { "全部报告".to_string() } else { parts.join(" · ") }
}

/// Subtitle and footer of a chart over a selection of `agencies` agencies with `coverage`.
/// `cut`: (panels drawn, panels in all) when `--max-panels` left some out.
fn caption_with(
    spec: &ChartSpec,
    coverage: &Coverage,
    filters: &query::Filters,
    notes: &str,
    cut: Option<(usize, usize)>,
) -> Caption {
    let n = coverage.agencies;
    let subtitle = match (spec.per_agency(), &spec.panels, cut) {
        (true, Some(_), Some((shown, all))) => {
            format!("每个机关一幅小图（{all} 个机关中数据最多的 {shown} 个；--max-panels）")
        }
        (true, Some(_), None) => format!("每个机关一幅小图（{n} 个机关）"),
        (true, None, _) => format!("每个机关一条线（{n} 个机关）"),
        (false, _, _) if n > 1 => format!("汇总 {n} 个机关"),
        (false, _, _) => format!("{n} 个机关"),
    };
    let mut parts = vec![coverage.line.clone()];
    if let Some(m) = spec.metric.as_deref().and_then(metrics::metric) {
        parts.push(symbols::definition(m));
    }
    let selection = selection_zh(filters);
    if selection != "全部报告" {
        parts.push(format!("筛选：{selection}"));
    }
    if let Some(note) = &spec.note {
        parts.push(note.replace("{min_n}", &metrics::MIN_N.to_string()));
    }
    let mut footer = parts.join(" · ");
    if !notes.is_empty() {
        footer = format!("{footer}\n{notes}");
    }
    Caption { subtitle, footer, selection }
}

/// The caption of one chart over the session's selection.
pub fn caption(spec: &ChartSpec, session: &mut query::Session, filters: &query::Filters) -> Result<Caption> {
    let coverage = coverage(session)?;
    let notes = session.notes(&session.spec(&spec.query)?.metrics)?.summary_zh();
    Ok(caption_with(spec, &coverage, filters, &notes, None))
}

/// Runs each chart's query and renders it into `out`.
pub fn render_all(
    specs: &[ChartSpec],
    session: &mut query::Session,
    filters: &query::Filters,
    options: &Options,
    out: &Path,
) -> Result<Vec<Rendered>> {
    let mut done = Vec::new();
    let coverage = coverage(session)?;
    for spec in specs {
        let df = session.run(&spec.query)?;
        let mut data = super::data(spec, &df)?;
        let left_out = data.keep_panels(options.max_panels);
        let cut = (left_out > 0).then(|| (data.panels.len(), data.panels.len() + left_out));
        let notes = session.notes(&session.spec(&spec.query)?.metrics)?.summary_zh();
        let caption = caption_with(spec, &coverage, filters, &notes, cut);
        let drawn = super::render(spec, &data, &caption, options, out)?;
        done.push(Rendered { spec: spec.clone(), png: drawn.png, svg: drawn.svg });
    }
    Ok(done)
}
