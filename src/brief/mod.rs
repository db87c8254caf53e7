//! Brief: the briefing pack — one self-contained HTML file (charts inlined as PNG data URIs),
//! printable on A4, and a Markdown twin — built from query results, rendered charts and the
//! findings, in Chinese: a cover with the selection and its counts, the headline indicators with
//! their formulas and symbols defined, the charts, the agency table, what the identity checks
//! found (report and cell), and the reports read (by file name; no local paths).
//!
//! `mod.rs` decides what the briefing says ([`Doc`]); `render.rs` writes it as HTML and Markdown.

mod render;

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::chart::{self, ChartSpec, symbols};
use crate::error::{Error, Result};
use crate::model::Era;
use crate::query::export::{is_rate_column, records};
use crate::query::{self, metrics};

/// Everything a briefing shows.
pub struct BriefInput<'a> {
    /// The selection in Chinese (`chart::selection_zh`; `全部报告` for everything).
    pub selection: String,
    /// `headline_indicators` result (one row).
    pub headline: &'a DataFrame,
    /// Charts with their PNG paths.
    pub charts: Vec<(&'a ChartSpec, PathBuf)>,
    /// `disclosure_rate_by_agency` result.
    pub agencies: &'a DataFrame,
    /// `findings_list` result.
    pub findings: &'a DataFrame,
    /// `reports_catalog` result.
    pub catalog: &'a DataFrame,
    /// What the pooled figures leave out (superseded versions, flagged reports, unknown years),
    /// one Chinese sentence each.
    pub left_out: Vec<String>,
}

/// Headline rows: metric keys, each a column of `headline_indicators`.
const HEADLINE: &[&str] = &[
    "disclosure_rate",
    "full_disclosure_rate",
    "refusal_rate",
    "not_held_rate",
    "completion_rate",
    "carryover_rate",
    "review_correction_rate",
    "litigation_correction_rate",
];

/// Rows a briefing table shows at most; the rest is named with the query that lists it all.
pub const TABLE_ROWS: usize = 200;

/// A table of the briefing: header, column widths in percent of the page (they add up to 100),
/// rows, and a note under it.
struct Table {
    header: Vec<&'static str>,
    widths: Vec<u32>,
    rows: Vec<Vec<String>>,
    note: String,
}

/// The briefing, ready to be written as HTML or Markdown.
struct Doc {
    title: &'static str,
    /// The cover: (label, value).
    cover: Vec<(&'static str, String)>,
    left_out: Vec<String>,
    headline: Table,
    method: String,
    /// (title, PNG path, path relative to the briefing).
    charts: Vec<(String, PathBuf, String)>,
    agencies: Table,
    findings_intro: String,
    findings: Option<Table>,
    catalog: Table,
}

fn cell_text(column: &str, v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            if is_rate_column(column) {
                format!("{:.1}%", f * 100.0)
            } else if f.fract() == 0.0 {
                format!("{}", f as i64)
            } else {
                format!("{f:.2}")
            }
        }
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A cell as the briefing shows it: levels, eras and severities in Chinese, a source path as its
/// file name, a long list of cells shortened.
fn display(column: &str, v: &serde_json::Value) -> String {
    let text = cell_text(column, v);
    match column {
        "level" => symbols::column_label(&text).unwrap_or(text),
        "era" => Era::from_id(&text).map_or(text, |e| e.name_zh().to_string()),
        "severity" => match text.as_str() {
            "error" => "错误".to_string(),
            "warning" => "提示".to_string(),
            _ => text,
        },
        "source_path" => Path::new(&text).file_name().map_or(text.clone(), |f| f.to_string_lossy().to_string()),
        "cells" => {
            let cells: Vec<&str> = text.split(", ").collect();
            if cells.len() > 3 { format!("{} 等 {} 格", cells[..2].join(", "), cells.len()) } else { text }
        }
        _ => text,
    }
}

/// The note under a table cut at [`TABLE_ROWS`] rows (empty when it was not cut).
fn cut_note(total: usize, query: &str) -> String {
    if total <= TABLE_ROWS {
        return String::new();
    }
    format!("仅列前 {TABLE_ROWS} 行，共 {total} 行；完整结果：xxgk query {query} --format csv (或 xlsx)。")
}

/// Rows of selected columns of a frame, formatted for display.
fn rows(df: &DataFrame, columns: &[&str]) -> Vec<Vec<String>> {
    records(df)
        .iter()
        .map(|r| columns.iter().map(|c| display(c, r.get(*c).unwrap_or(&serde_json::Value::Null))).collect())
        .collect()
}

/// `2019、2022–2025`: years with consecutive runs joined.
fn year_runs(mut years: Vec<i64>) -> String {
    years.sort_unstable();
    years.dedup();
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for y in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == y => *end = y,
            _ => runs.push((y, y)),
        }
    }
    let text: Vec<String> = runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    if text.is_empty() { "无".to_string() } else { format!("{} 年", text.join("、")) }
}

/// Renders every chart of `specs` into OUT/charts and builds OUT/brief.html and OUT/brief.md.
pub fn make(
    session: &mut query::Session,
    filters: &query::Filters,
    specs: &[ChartSpec],
    options: &chart::Options,
    out: &Path,
) -> Result<(PathBuf, PathBuf)> {
    let charts = chart::render_all(specs, session, filters, options, &out.join("charts"))?;
    let headline = session.run("headline_indicators")?;
    let agencies = session.run("disclosure_rate_by_agency")?;
    let findings = session.run("findings_list")?;
    let catalog = session.run("reports_catalog")?;
    let left_out = session.notes(&session.spec("headline_indicators")?.metrics)?.lines_zh();
    let input = BriefInput {
        left_out,
        selection: chart::selection_zh(filters),
        headline: &headline,
        charts: charts.iter().map(|c| (&c.spec, c.png.clone())).collect(),
        agencies: &agencies,
        findings: &findings,
        catalog: &catalog,
    };
    build(&input, out)
}

/// Writes `brief.html` and `brief.md` into `out`; returns their paths.
pub fn build(input: &BriefInput, out: &Path) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(out).map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    let doc = doc(input, out);
    let html_path = out.join("brief.html");
    let md_path = out.join("brief.md");
    let html = render::html(&doc)?;
    std::fs::write(&html_path, html).map_err(|source| Error::Write { path: html_path.clone(), source })?;
    std::fs::write(&md_path, render::markdown(&doc))
        .map_err(|source| Error::Write { path: md_path.clone(), source })?;
    Ok((html_path, md_path))
}

fn doc(input: &BriefInput, out: &Path) -> Doc {
    let headline = records(input.headline).into_iter().next().unwrap_or_default();
    let get = |k: &str| headline.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let years: Vec<i64> =
        records(input.catalog).iter().filter_map(|r| r.get("year").and_then(|v| v.as_i64())).collect();
    let cover = vec![
        ("筛选条件", input.selection.clone()),
        ("报告", format!("{} 份", cell_text("reports", &get("reports")))),
        ("机关", format!("{} 个", cell_text("agencies", &get("agencies")))),
        ("年度", year_runs(years)),
    ];

    let headline_rows = HEADLINE
        .iter()
        .filter_map(|k| metrics::metric(k).map(|m| (k, m)))
        .map(|(k, m)| vec![m.name.to_string(), cell_text(k, &get(k)), symbols::explained(m)])
        .collect();
    let headline = Table {
        header: vec!["指标", "数值", "定义 (口径)"],
        widths: vec![22, 12, 66],
        rows: headline_rows,
        note: String::new(),
    };

    let agency_cols = ["agency", "level", "year", "processed", "disclosure_rate", "full_disclosure_rate"];
    let agencies = Table {
        header: vec!["机关", "层级", "年度", "办理结果总计", "实质公开率", "予以公开率"],
        widths: vec![40, 10, 10, 14, 13, 13],
        rows: rows(&input.agencies.head(Some(TABLE_ROWS)), &agency_cols),
        note: cut_note(input.agencies.height(), "disclosure_rate_by_agency"),
    };

    // findings_list lists errors first.
    let error_count = match input.findings.column("severity").and_then(|c| c.str().cloned()) {
        Ok(sev) => sev.iter().filter(|s| *s == Some("error")).count(),
        Err(_) => 0,
    };
    let warnings = input.findings.height() - error_count;
    // 说明 is the rule's statement in Chinese (the stored message is the checker's English).
    let finding_cols = ["agency", "year", "identity", "rule", "cells", "expected", "actual", "message"];
    let findings = (error_count > 0).then(|| Table {
        header: vec!["机关", "年度", "勾稽关系", "规则", "单元格", "应为", "印刷值", "说明"],
        widths: vec![13, 6, 7, 14, 17, 6, 7, 30],
        rows: rows(&input.findings.head(Some(TABLE_ROWS.min(error_count))), &finding_cols)
            .into_iter()
            .map(|mut row| {
                if let Some(rule) = crate::model::RULES.iter().find(|r| r.id == row[3]) {
                    row[7] = rule.statement_zh().to_string();
                }
                row
            })
            .collect(),
        note: cut_note(error_count, "findings_list"),
    });
    let findings_intro = if error_count == 0 {
        format!("所有报告均通过结构性勾稽检查 (无错误级发现)；另有 {warnings} 条提示。")
    } else {
        format!("{error_count} 条错误级发现：报告自身数字不平 (按原样记录，未作修正)；另有 {warnings} 条提示。")
    };

    let catalog_cols = ["agency", "year", "level", "era", "source_path", "fact_count", "error_count", "warning_count"];
    let catalog = Table {
        header: vec!["机关", "年度", "层级", "格式", "来源文件", "事实数", "错误", "提示"],
        widths: vec![22, 7, 8, 12, 27, 8, 7, 9],
        rows: rows(&input.catalog.head(Some(TABLE_ROWS)), &catalog_cols),
        note: cut_note(input.catalog.height(), "reports_catalog"),
    };

    let method = format!(
        "比率均为合并口径：Σ分子 ÷ Σ分母，分母为 0 时不计算 (—)。空白单元格在已填报的表中按 0 计入。同一机关同一年度的多个版本只计当前版本；某项指标的输入单元格有勾稽错误的报告不计入该指标。机关排名另见 xxgk query agency_ranking (办理量不足 {} 件者只观察不排名)。",
        metrics::MIN_N
    );
    let charts = input
        .charts
        .iter()
        .map(|(spec, png)| {
            let rel = png
                .strip_prefix(out)
                .map(|p| p.to_path_buf())
                .unwrap_or_else(|_| png.file_name().map(PathBuf::from).unwrap_or_default());
            (spec.title.clone(), png.clone(), rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    Doc {
        title: "政府信息公开工作年度报告分析简报",
        cover,
        left_out: input.left_out.clone(),
        headline,
        method,
        charts,
        agencies,
        findings_intro,
        findings,
        catalog,
    }
}
