//! Brief: the briefing pack — one self-contained HTML file (charts inlined as PNG data URIs) and
//! a Markdown twin — built from query results, rendered charts and the findings: headline
//! indicators with their definitions, trend charts, the agency table, what the identity checks
//! found (report and cell), and the data range and sources.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine;
use polars::prelude::*;

use crate::chart::ChartSpec;
use crate::error::{Error, Result};
use crate::query::export::{is_rate_column, records};
use crate::query::{self, metrics};

/// Everything a briefing shows.
pub struct BriefInput<'a> {
    /// Selection description (`2023–2025 · level county`), empty for everything.
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

/// Headline rows: (metric key, column).
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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

/// Rows a briefing table shows at most; the rest is named with the query that lists it all.
pub const TABLE_ROWS: usize = 200;

/// The note under a table cut at [`TABLE_ROWS`] rows (empty when it was not cut).
fn cut_note(total: usize, query: &str) -> String {
    if total <= TABLE_ROWS {
        return String::new();
    }
    format!("仅列前 {TABLE_ROWS} 行，共 {total} 行；完整结果：xxgk query {query} --format csv (或 xlsx)。")
}

/// (header, rows) of selected columns of a frame, formatted for display.
fn rows(df: &DataFrame, columns: &[&str]) -> Vec<Vec<String>> {
    records(df)
        .iter()
        .map(|r| columns.iter().map(|c| cell_text(c, r.get(*c).unwrap_or(&serde_json::Value::Null))).collect())
        .collect()
}

fn html_table(header: &[&str], body: &[Vec<String>]) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    for h in header {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in body {
        s.push_str("<tr>");
        for c in row {
            let _ = write!(s, "<td>{}</td>", esc(c));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
    s
}

fn md_table(header: &[&str], body: &[Vec<String>]) -> String {
    let clean = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut s = format!(
        "| {} |\n|{}\n",
        header.iter().map(|h| clean(h)).collect::<Vec<_>>().join(" | "),
        "---|".repeat(header.len())
    );
    for row in body {
        let _ = writeln!(s, "| {} |", row.iter().map(|c| clean(c)).collect::<Vec<_>>().join(" | "));
    }
    s
}

/// Renders every chart into OUT/charts and builds OUT/brief.html and OUT/brief.md.
pub fn make(session: &mut query::Session, filters: &query::Filters, out: &Path) -> Result<(PathBuf, PathBuf)> {
    let charts = crate::chart::render_all(&crate::chart::specs()?, session, filters, &out.join("charts"))?;
    let headline = session.run("headline_indicators")?;
    let agencies = session.run("disclosure_rate_by_agency")?;
    let findings = session.run("findings_list")?;
    let catalog = session.run("reports_catalog")?;
    let left_out = session.notes(&query::spec("headline_indicators")?.metrics)?.lines_zh();
    let input = BriefInput {
        left_out,
        selection: filters.describe(),
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
    let headline = records(input.headline).into_iter().next().unwrap_or_default();
    let get = |k: &str| headline.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let span = match (get("first_year").as_i64(), get("last_year").as_i64()) {
        (Some(a), Some(b)) if a == b => format!("{a} 年"),
        (Some(a), Some(b)) => format!("{a}–{b} 年"),
        _ => "无数据".to_string(),
    };
    let title = "政府信息公开工作年度报告分析简报";
    let scope = format!(
        "{} 份报告 · {} 个机关 · {}{}",
        cell_text("reports", &get("reports")),
        cell_text("agencies", &get("agencies")),
        span,
        if input.selection.is_empty() { String::new() } else { format!(" · 筛选：{}", input.selection) }
    );

    let headline_rows: Vec<Vec<String>> = HEADLINE
        .iter()
        .filter_map(|k| metrics::metric(k).map(|m| (k, m)))
        .map(|(k, m)| {
            vec![m.name.to_string(), cell_text(k, &get(k)), format!("{k} = {}", m.formula), m.note.to_string()]
        })
        .collect();
    let headline_header = ["指标", "数值", "定义 (口径)", "说明"];

    let agency_cols = ["agency", "level", "year", "processed", "disclosure_rate", "full_disclosure_rate"];
    let agency_header = ["机关", "层级", "年度", "办理结果总计", "实质公开率", "予以公开率"];
    let agency_rows = rows(&input.agencies.head(Some(TABLE_ROWS)), &agency_cols);
    let agency_note = cut_note(input.agencies.height(), "disclosure_rate_by_agency");

    let finding_cols = ["agency", "year", "severity", "identity", "rule", "cells", "expected", "actual", "message"];
    let finding_header = ["机关", "年度", "级别", "勾稽关系", "规则", "单元格", "应为", "印刷值", "说明"];
    // findings_list lists errors first.
    let error_count = match input.findings.column("severity").and_then(|c| c.str().cloned()) {
        Ok(sev) => sev.iter().filter(|s| *s == Some("error")).count(),
        Err(_) => 0,
    };
    let warnings = input.findings.height() - error_count;
    let errors: Vec<Vec<String>> = rows(&input.findings.head(Some(TABLE_ROWS.min(error_count))), &finding_cols)
        .into_iter()
        .filter(|r| r[2] == "error")
        .collect();
    let errors_note = cut_note(error_count, "findings_list");

    let catalog_cols = ["agency", "year", "level", "era", "source_path", "fact_count", "error_count", "warning_count"];
    let catalog_header = ["机关", "年度", "层级", "格式", "来源文件", "事实数", "错误", "警告"];
    let catalog_rows = rows(&input.catalog.head(Some(TABLE_ROWS)), &catalog_cols);
    let catalog_note = cut_note(input.catalog.height(), "reports_catalog");

    let findings_intro = if errors.is_empty() {
        format!("所有报告均通过结构性勾稽检查 (无 error 级发现)；另有 {warnings} 条提示 (warning)。")
    } else {
        format!(
            "{error_count} 条 error 级发现：报告自身数字不平 (按原样记录，未作修正)；另有 {warnings} 条提示 (warning)。"
        )
    };
    let method = format!(
        "比率均为合并口径：Σ分子 ÷ Σ分母，分母为 0 时不计算 (—)。空白单元格在已填报的表中按 0 计入。同一机关同一年度的多个版本只计当前版本；某项指标的输入单元格有勾稽错误 (error) 的报告不计入该指标。机关排名另见 agency_ranking 查询 (办理量不足 {} 件者只观察不排名)。",
        metrics::MIN_N
    );
    let left_out_title = "未计入合并指标的报告";

    // HTML
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\nbody{{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}}\ntable{{border-collapse:collapse;margin:1em 0;font-size:14px;width:100%}}\nth,td{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}\nth{{background:#f3f3f3}}\nimg{{max-width:100%;border:1px solid #eee;margin:0.5em 0}}\n.scope{{color:#555}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"scope\">{s}</p>\n",
        t = esc(title),
        s = esc(&scope)
    );
    let _ = write!(
        html,
        "<h2>一、核心指标</h2>\n{}<p>{}</p>\n",
        html_table(&headline_header, &headline_rows),
        esc(&method)
    );
    if !input.left_out.is_empty() {
        let items: String = input.left_out.iter().map(|l| format!("<li>{}</li>", esc(l))).collect();
        let _ = write!(html, "<p><b>{left_out_title}</b></p>\n<ul>{items}</ul>\n");
    }
    html.push_str("<h2>二、趋势图</h2>\n");
    for (spec, png) in &input.charts {
        let bytes = std::fs::read(png).map_err(|source| Error::Read { path: png.clone(), source })?;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        let _ = write!(
            html,
            "<h3>{}</h3>\n<img alt=\"{}\" src=\"data:image/png;base64,{}\">\n",
            esc(&spec.title),
            esc(&spec.title),
            data
        );
    }
    let note = |n: &str| if n.is_empty() { String::new() } else { format!("<p class=\"scope\">{}</p>\n", esc(n)) };
    let _ = write!(html, "<h2>三、机关一览</h2>\n{}{}", html_table(&agency_header, &agency_rows), note(&agency_note));
    let _ = write!(html, "<h2>四、勾稽检查</h2>\n<p>{}</p>\n", esc(&findings_intro));
    if !errors.is_empty() {
        html.push_str(&html_table(&finding_header, &errors));
        html.push_str(&note(&errors_note));
    }
    let _ = write!(
        html,
        "<h2>五、数据范围与来源</h2>\n{}{}",
        html_table(&catalog_header, &catalog_rows),
        note(&catalog_note)
    );
    html.push_str("<p class=\"scope\">由 xxgk 生成：每个数字可追溯到来源文件的行号 (warehouse facts 表的 line / locator 列)。</p>\n</body>\n</html>\n");

    // Markdown
    let mut md = format!(
        "# {title}\n\n{scope}\n\n## 一、核心指标\n\n{}\n{method}\n\n## 二、趋势图\n\n",
        md_table(&headline_header, &headline_rows)
    );
    if !input.left_out.is_empty() {
        let items: String = input.left_out.iter().map(|l| format!("- {l}\n")).collect();
        let _ = write!(md, "**{left_out_title}**\n\n{items}\n");
    }
    for (spec, png) in &input.charts {
        let rel = png.strip_prefix(out).map(|p| p.to_path_buf()).unwrap_or_else(|_| png.clone());
        let _ = write!(md, "### {}\n\n![{}]({})\n\n", spec.title, spec.title, rel.display());
    }
    let md_note = |n: &str| if n.is_empty() { String::new() } else { format!("{n}\n\n") };
    let _ = write!(
        md,
        "## 三、机关一览\n\n{}\n{}## 四、勾稽检查\n\n{findings_intro}\n\n",
        md_table(&agency_header, &agency_rows),
        md_note(&agency_note)
    );
    if !errors.is_empty() {
        md.push_str(&md_table(&finding_header, &errors));
        md.push('\n');
        md.push_str(&md_note(&errors_note));
    }
    let _ = write!(
        md,
        "## 五、数据范围与来源\n\n{}\n{}由 xxgk 生成。\n",
        md_table(&catalog_header, &catalog_rows),
        md_note(&catalog_note)
    );

    let html_path = out.join("brief.html");
    let md_path = out.join("brief.md");
    std::fs::write(&html_path, html).map_err(|source| Error::Write { path: html_path.clone(), source })?;
    std::fs::write(&md_path, md).map_err(|source| Error::Write { path: md_path.clone(), source })?;
    Ok((html_path, md_path))
}
