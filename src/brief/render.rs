//! The briefing written out: a self-contained HTML page (charts and the chart font as data URIs;
//! fixed table layouts
//! with column widths that fit A4; `@media print` rules: A4 pages, each section on a new page, no
//! chart or table row cut across pages) and its Markdown twin.

use std::fmt::Write as _;

use base64::Engine;

use super::{Doc, Table};
use crate::error::{Error, Result};

/// The font face of the chart font (embedded in the binary), so the page prints the same on a
/// machine with no Chinese fonts.
fn font_face() -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(crate::chart::FONT_BYTES);
    format!(
        "@font-face{{font-family:\"xxgk Noto Sans SC\";src:url(data:font/otf;base64,{data}) format(\"opentype\")}}\n"
    )
}

const CSS: &str = "\
body{font-family:\"xxgk Noto Sans SC\",\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
table{border-collapse:collapse;margin:1em 0;font-size:14px;width:100%;table-layout:fixed}
th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{background:#f3f3f3}
td.n{text-align:right}
figure{margin:1em 0;break-inside:avoid;page-break-inside:avoid}
img{max-width:100%;height:auto;border:1px solid #eee;display:block}
.scope{color:#555}
.cover dt{font-weight:bold;float:left;clear:left;width:6em}
.cover dd{margin:0 0 .3em 6em}
@media print{
@page{size:A4;margin:15mm 12mm}
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
table{font-size:9pt}
h2{break-before:page;page-break-before:always}
tr,img,figure{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
img{max-height:240mm;border:none}
}
";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '%' | '-' | ',' | '—'))
}

fn html_table(t: &Table) -> String {
    let mut s = String::from("<table>\n<colgroup>");
    for w in &t.widths {
        let _ = write!(s, "<col style=\"width:{w}%\">");
    }
    s.push_str("</colgroup>\n<thead><tr>");
    for h in &t.header {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for c in row {
            let class = if is_number(c) { " class=\"n\"" } else { "" };
            let _ = write!(s, "<td{class}>{}</td>", esc(c));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
    if !t.note.is_empty() {
        let _ = writeln!(s, "<p class=\"scope\">{}</p>", esc(&t.note));
    }
    s
}

fn md_table(t: &Table) -> String {
    let clean = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut s = format!(
        "| {} |\n|{}\n",
        t.header.iter().map(|h| clean(h)).collect::<Vec<_>>().join(" | "),
        "---|".repeat(t.header.len())
    );
    for row in &t.rows {
        let _ = writeln!(s, "| {} |", row.iter().map(|c| clean(c)).collect::<Vec<_>>().join(" | "));
    }
    if !t.note.is_empty() {
        let _ = write!(s, "\n{}\n", t.note);
    }
    s
}

const LEFT_OUT: &str = "未计入合并指标的报告";
const CLOSING: &str = "每个数字均可追溯到来源文件中的位置：xxgk explain 报告 单元格。";

/// The briefing as one self-contained HTML page.
pub fn html(doc: &Doc) -> Result<String> {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n{font}{CSS}</style>\n</head>\n<body>\n<section class=\"cover\">\n<h1>{t}</h1>\n<dl>\n",
        t = esc(doc.title),
        font = font_face()
    );
    for (label, value) in &doc.cover {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    }
    h.push_str("</dl>\n");
    if !doc.left_out.is_empty() {
        let items: String = doc.left_out.iter().map(|l| format!("<li>{}</li>", esc(l))).collect();
        let _ = write!(h, "<p><b>{LEFT_OUT}</b></p>\n<ul>{items}</ul>\n");
    }
    h.push_str("</section>\n");
    let _ = write!(h, "<h2>一、核心指标</h2>\n{}<p>{}</p>\n", html_table(&doc.headline), esc(&doc.method));
    h.push_str("<h2>二、图表</h2>\n");
    for (title, png, _) in &doc.charts {
        let bytes = std::fs::read(png).map_err(|source| Error::Read { path: png.clone(), source })?;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        let _ = writeln!(h, "<figure><img alt=\"{}\" src=\"data:image/png;base64,{data}\"></figure>", esc(title));
    }
    let _ = write!(h, "<h2>三、机关一览</h2>\n{}", html_table(&doc.agencies));
    let _ = write!(h, "<h2>四、勾稽检查</h2>\n<p>{}</p>\n", esc(&doc.findings_intro));
    if let Some(t) = &doc.findings {
        h.push_str(&html_table(t));
    }
    let _ = write!(h, "<h2>五、数据范围与来源</h2>\n{}", html_table(&doc.catalog));
    let _ = write!(h, "<p class=\"scope\">{CLOSING}</p>\n</body>\n</html>\n");
    Ok(h)
}

/// The briefing as Markdown, with the charts as files beside it.
pub fn markdown(doc: &Doc) -> String {
    let mut m = format!("# {}\n\n", doc.title);
    for (label, value) in &doc.cover {
        let _ = writeln!(m, "- **{label}**：{value}");
    }
    m.push('\n');
    if !doc.left_out.is_empty() {
        let items: String = doc.left_out.iter().map(|l| format!("- {l}\n")).collect();
        let _ = write!(m, "**{LEFT_OUT}**\n\n{items}\n");
    }
    let _ = write!(m, "## 一、核心指标\n\n{}\n{}\n\n## 二、图表\n\n", md_table(&doc.headline), doc.method);
    for (title, _, rel) in &doc.charts {
        let _ = write!(m, "![{title}]({rel})\n\n");
    }
    let _ = write!(m, "## 三、机关一览\n\n{}\n## 四、勾稽检查\n\n{}\n\n", md_table(&doc.agencies), doc.findings_intro);
    if let Some(t) = &doc.findings {
        m.push_str(&md_table(t));
        m.push('\n');
    }
    let _ = write!(m, "## 五、数据范围与来源\n\n{}\n{CLOSING}\n", md_table(&doc.catalog));
    m
}
