//! The legacy-era statistics table (政府信息公开情况统计表, 2008–2018) read from report text:
//! `指标名称 计量单位 本年度 历年累计` then rows of label, unit and values. Crawler exports keep it as
//! running text, often with no separator between the numbers (`主动公开信息数条20263542`), so the
//! table is read as a sequence of rows ([`super::flattened`]) and a digit run is split into
//! 本年度 | 历年累计 only when exactly one split satisfies the table's identities
//! ([`crate::model::legacy::LEGACY_BLOCKS`], 本年度 ≤ 历年累计) and, when those leave a choice, the
//! prose's own figure. Every row read this way carries a locator that says so and the table a
//! warning finding: nothing recovered is silent. Values stay as printed; the identities are
//! checked later (`validate::legacy`).

mod resolve;
mod scan;

use std::sync::LazyLock;

use regex::Regex;

use super::label::normalize_label;
use super::number::parse_cell;
use crate::ingest::Document;
use crate::model::legacy::{
    LEGACY_CUMULATIVE_HEADER, LEGACY_ROW_LABELS, LEGACY_SINGLE_HEADER, LEGACY_TABLE_START, LEGACY_UNITS,
};
use crate::model::{BlankKind, Finding};
use resolve::resolve;
use scan::{Reading, prose_figures, reading, scan};

/// One cell of a legacy row.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyCell {
    pub value: Option<f64>,
    /// `number`, `explicit_zero`, `empty`, `slash`, `dash`, `unreadable`.
    pub blank_kind: BlankKind,
    /// The cell as printed (for a split digit run: its part of the run).
    pub raw: String,
}

impl LegacyCell {
    fn number(v: u64) -> LegacyCell {
        let value = v as f64;
        LegacyCell { value: Some(value), blank_kind: BlankKind::of_value(value), raw: v.to_string() }
    }

    fn blank(kind: BlankKind, raw: &str) -> LegacyCell {
        LegacyCell { value: None, blank_kind: kind, raw: raw.to_string() }
    }

    fn token(raw: &str) -> LegacyCell {
        let cell = parse_cell(raw);
        LegacyCell { value: cell.value, blank_kind: cell.blank_kind, raw: raw.to_string() }
    }
}

/// One printed row of the legacy table.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyRow {
    /// The row id of SCHEMA.md's `legacy` object; `None` for a row outside the id list (kept by
    /// its label as printed: `legacy_other`).
    pub id: Option<&'static str>,
    /// The label as printed, numbering included (`其中：1.网站公开`).
    pub label_raw: String,
    /// The 计量单位 as printed (`条`, `件`, `元`).
    pub unit: String,
    /// 本年度 (or 数量 in a one-column table).
    pub year: LegacyCell,
    /// 历年累计; `None` when the table has no such column.
    pub cumulative: Option<LegacyCell>,
    pub line: usize,
    /// `line 10, recovered from flattened text: '…'`, with how a digit run was split.
    pub locator: String,
}

impl LegacyRow {
    /// The name a finding uses for the row: `legacy.<id>` or `legacy_other.<label>`.
    pub fn cell_name(&self) -> String {
        match self.id {
            Some(id) => format!("legacy.{id}"),
            None => format!("legacy_other.{}", self.label_raw),
        }
    }
}

static START: LazyLock<Regex> = LazyLock::new(|| Regex::new(&spaced_word(LEGACY_TABLE_START)).expect("start"));
static CUMULATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&spaced_word(LEGACY_CUMULATIVE_HEADER)).expect("cumulative header"));
static SINGLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&spaced_word(LEGACY_SINGLE_HEADER)).expect("header"));

/// `指标名称` with white space allowed between its characters.
fn spaced_word(word: &str) -> String {
    word.chars().map(|c| regex::escape(&c.to_string())).collect::<Vec<_>>().join(r"\s*")
}

/// The label's id, if it is one of the table's rows.
fn row_id(label: &str) -> Option<&'static str> {
    let trimmed = label.trim().trim_start_matches("其中").trim_start_matches([':', '：', ' ']);
    let text = normalize_label(trimmed);
    LEGACY_ROW_LABELS.iter().find(|(_, labels)| labels.iter().any(|l| normalize_label(l) == text)).map(|(id, _)| *id)
}

/// The table found in a report: its rows and whether it is flattened text.
pub struct LegacyTable {
    pub rows: Vec<LegacyRow>,
}

/// Reads the legacy statistics table from the report's text, if it prints one. Findings go to
/// `findings` (rows recovered from flattened text, splits of digit runs, unreadable cells,
/// labels outside the id list).
pub fn read(doc: &Document, findings: &mut Vec<Finding>) -> Option<LegacyTable> {
    let lines = text_lines(doc);
    let (index, start) = lines.iter().enumerate().find_map(|(i, (_, l))| START.find(l).map(|m| (i, m.end())))?;
    let (line_no, line) = (lines[index].0, lines[index].1.as_str());
    let header: String = line[start..].chars().take(40).collect();
    let (columns, body_start) = match (CUMULATIVE.find(&header), SINGLE.find(&header)) {
        (Some(m), _) => (2, start + m.end()),
        (None, Some(m)) => (1, start + m.end()),
        (None, None) => return None,
    };
    if line.trim_start().starts_with('|') {
        return Some(read_grid(doc, &lines[index + 1..], columns, findings));
    }
    let (scanned, body_end) = scan(&line[body_start..], line_no);
    let body_end = body_start + body_end;
    let mut prose_text: String =
        lines.iter().filter(|(n, _)| *n != line_no).map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n");
    prose_text.push_str(&line[..start]);
    prose_text.push_str(&line[body_end..]);
    let figures = prose_figures(&prose_text);
    let flattened = scanned.len() > 1;
    let spaced = scanned.iter().any(|s| s.values.as_ref().is_some_and(|v| v.spaced));
    let readings: Vec<Reading> = scanned.iter().map(|s| reading(s, columns, spaced)).collect();
    let resolved = resolve(&scanned, readings, &figures, findings);
    let mut rows = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    for (s, (year, cumulative, how)) in scanned.iter().zip(resolved) {
        let mut id = s.id;
        if let Some(i) = id {
            if seen.contains(&i) {
                findings.push(
                    Finding::new(
                        "legacy.unknown_label",
                        format!(
                            "the row '{}' (line {}) is printed a second time; kept in legacy_other",
                            s.label_raw, s.line
                        ),
                    )
                    .cells([format!("legacy.{i}")]),
                );
                id = None;
            } else {
                seen.push(i);
            }
        } else {
            findings.push(
                Finding::new(
                    "legacy.unknown_label",
                    format!(
                        "the row '{}' (line {}) is not one of the legacy table's rows; kept in legacy_other",
                        s.label_raw, s.line
                    ),
                )
                .cells([format!("legacy_other.{}", s.label_raw)]),
            );
        }
        let mut locator = format!("line {}", s.line);
        if flattened {
            locator.push_str(&format!(", recovered from flattened text: '{}'", s.snippet));
        }
        if let Some(how) = how {
            locator.push_str(&format!("; {how}"));
        }
        rows.push(LegacyRow {
            id,
            label_raw: s.label_raw.clone(),
            unit: s.unit.clone(),
            year,
            cumulative,
            line: s.line,
            locator,
        });
    }
    if flattened && !rows.is_empty() {
        findings.push(
            Finding::new(
                "legacy.flattened",
                format!(
                    "the statistics table is printed as running text (line {line_no}, {}): its {} rows were recovered from the sequence of labels, units and numbers; check them against the original page",
                    if spaced { "numbers separated by spaces" } else { "numbers run together with no separator" },
                    rows.len()
                ),
            )
            .cells(rows.iter().map(LegacyRow::cell_name)),
        );
    }
    Some(LegacyTable { rows })
}

/// Every line of the report's text in order, table rows of the table sections included (as `|`
/// rows when their cells come from a grid).
fn text_lines(doc: &Document) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = doc.prose().cloned().collect();
    for row in doc.sections.iter().flat_map(|s| s.table.rows.iter()) {
        let text = match row.layout {
            crate::ingest::CellLayout::Spaced => row.cells.join("  "),
            _ => format!("| {} |", row.cells.join(" | ")),
        };
        lines.push((row.line, text));
    }
    lines.sort_by_key(|(n, _)| *n);
    lines
}

/// Reads a table that kept its cells (`| label | unit | 本年度 | 历年累计 |` rows, from HTML, Word or
/// a text export): every cell is where it was printed, so nothing is recovered or split. The
/// table ends at the first line that is not such a row.
fn read_grid(doc: &Document, lines: &[(usize, String)], columns: usize, findings: &mut Vec<Finding>) -> LegacyTable {
    let mut rows: Vec<LegacyRow> = Vec::new();
    for (line, text) in lines {
        let t = text.trim();
        if !t.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 2 + columns || !LEGACY_UNITS.contains(&cells[1]) {
            break;
        }
        let label_raw = cells[0].to_string();
        let id = row_id(&label_raw).filter(|id| !rows.iter().any(|r| r.id == Some(*id)));
        if id.is_none() {
            findings.push(
                Finding::new(
                    "legacy.unknown_label",
                    format!(
                        "the row '{label_raw}' (line {line}) is not one of the legacy table's rows or is printed twice; kept in legacy_other"
                    ),
                )
                .cells([format!("legacy_other.{label_raw}")]),
            );
        }
        let place = doc.places.get(line).map(|p| p.at(None)).unwrap_or_default();
        let locator = crate::model::Locator { place, placed: crate::model::Placement::Label }.describe(*line);
        rows.push(LegacyRow {
            id,
            label_raw,
            unit: cells[1].to_string(),
            year: LegacyCell::token(cells[2]),
            cumulative: (columns == 2).then(|| LegacyCell::token(cells[3])),
            line: *line,
            locator,
        });
    }
    for row in rows.iter().filter(|r| {
        [Some(&r.year), r.cumulative.as_ref()].into_iter().flatten().any(|c| c.blank_kind == BlankKind::Unreadable)
    }) {
        findings.push(
            Finding::new(
                "legacy.unreadable",
                format!("{} ({}) is not a number or a blank", row.cell_name(), row.locator),
            )
            .cells([row.cell_name()]),
        );
    }
    LegacyTable { rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_text;

    fn read_table(body: &str) -> (Vec<LegacyRow>, Vec<Finding>) {
        let text = format!("一、 概述 {body}\n");
        let doc = read_text(std::path::Path::new("x.txt"), &text);
        let mut findings = Vec::new();
        let rows = read(&doc, &mut findings).map(|t| t.rows).unwrap_or_default();
        (rows, findings)
    }

    fn cells(rows: &[LegacyRow], id: &str) -> (Option<f64>, Option<f64>) {
        let r = rows.iter().find(|r| r.id == Some(id)).expect("row");
        (r.year.value, r.cumulative.as_ref().and_then(|c| c.value))
    }

    #[test]
    fn splits_glued_runs_when_the_channel_sum_decides() {
        let (rows, findings) = read_table(
            "指标名称计量单位2012年度历年累计受理依申请公开信息总数条2121其中：1.当面申请数条18182.电子邮件申请数条33",
        );
        assert_eq!(cells(&rows, "requests_received"), (Some(21.0), Some(21.0)));
        assert_eq!(cells(&rows, "channel_in_person"), (Some(18.0), Some(18.0)));
        assert_eq!(rows[2].label_raw, "2.电子邮件申请数");
        assert!(rows.iter().all(|r| r.locator.contains("recovered from flattened text")));
        assert!(findings.iter().any(|f| f.rule == "legacy.flattened" && f.cells.len() == 3));
        assert!(findings.iter().any(|f| f.rule == "legacy.split_digit_run"
            && f.cells == ["legacy.requests_received"]
            && f.message.contains("21 | 21")));
    }

    #[test]
    fn leaves_an_ambiguous_run_unread_and_says_which_splits_remain() {
        let (rows, findings) = read_table("指标名称计量单位2012年度历年累计行政复议数件1112行政诉讼数件00");
        let review = rows.iter().find(|r| r.id == Some("review")).expect("review");
        assert_eq!(review.year.value, None);
        assert_eq!(review.year.blank_kind, BlankKind::Unreadable);
        let f = findings.iter().find(|f| f.rule == "legacy.unreadable").expect("finding");
        assert_eq!(f.cells, ["legacy.review"]);
        assert!(f.message.contains("1 | 112") && f.message.contains("11 | 12"), "{}", f.message);
        assert_eq!(cells(&rows, "litigation"), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn a_prose_figure_chooses_among_splits_the_identities_leave_open() {
        let table = "指标名称计量单位2015年度历年累计主动公开文件数条294981916其中：1、政府网站公开数条2949819162、政府公报公开数条00";
        let (rows, _) = read_table(table);
        assert_eq!(cells(&rows, "proactive_total"), (None, None));
        let (rows, findings) = read_table(&format!("2015年主动公开政府信息2949条。{table}"));
        assert_eq!(cells(&rows, "proactive_total"), (Some(2949.0), Some(81916.0)));
        assert_eq!(cells(&rows, "proactive_website"), (Some(2949.0), Some(81916.0)));
        assert!(findings.iter().any(|f| f.rule == "legacy.split_digit_run" && f.message.contains("prose")));
    }

    #[test]
    fn reads_spaced_rows_slashes_and_a_one_column_table() {
        let (rows, findings) =
            read_table("指标名称 单位 2017年 历年累计 主动公开文件数 条 4 31 行政复议数 件 / / 来源：某县");
        assert_eq!(cells(&rows, "proactive_total"), (Some(4.0), Some(31.0)));
        assert_eq!(rows[1].year.blank_kind, BlankKind::Slash);
        assert!(findings.iter().all(|f| f.rule != "legacy.unreadable"));
        let (rows, _) = read_table("指 标 名 称 单位 数量 主动公开信息数 条 29 其中：1．同意提供 件 0 2．办结 件 0");
        assert_eq!(cells(&rows, "proactive_total"), (Some(29.0), None));
        assert!(rows[0].cumulative.is_none());
        assert_eq!(rows[2].label_raw, "2．办结");
        assert_eq!(rows[2].id, Some("replies_total"));
    }
}
