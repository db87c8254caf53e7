//! Section 二 (proactive): rows found by their labels (规章, 行政规范性文件, 行政许可, …), values
//! assigned to the era's columns in printed order. Text renderings sometimes print a multi-line
//! cell (`22（其中修订16件）`) outside its table row; such a detached number is placed into the
//! row that is one cell short, in the column its note names, and the placement is reported.

use super::label::{Strength, match_label};
use super::rows::{self, SplitRow};
use super::Fact;
use crate::ingest::Section;
use crate::model::labels::{PROACTIVE_NOTE_HINTS, PROACTIVE_ROW_LABELS};
use crate::model::{Era, Finding, PROACTIVE_ROWS, Severity, cell_name};

const TABLE: &str = "proactive";

struct Detached {
    line: usize,
    raw: String,
    note: String,
}

/// Reads section 二.
pub fn read(section: &Section, era: Era, findings: &mut Vec<Finding>) -> Vec<Fact> {
    let mut facts = Vec::new();
    let mut short_rows: Vec<(&'static str, SplitRow, Vec<&str>)> = Vec::new();
    let mut detached: Vec<Detached> = Vec::new();
    let splits: Vec<SplitRow> = section.table.rows.iter().map(rows::split).collect();
    for (i, split) in splits.iter().enumerate() {
        if split.labels.is_empty() && split.values.len() == 1 && split.numbers() == 1 {
            let note = splits
                .get(i + 1)
                .filter(|next| next.values.is_empty() && next.labels.first().is_some_and(|l| l.starts_with(['（', '('])))
                .map(|next| next.label_text())
                .unwrap_or_default();
            detached.push(Detached { line: split.line, raw: split.values[0].to_string(), note });
            continue;
        }
        let Some(label) = split.labels.last() else { continue };
        let Some((Strength::Exact, ids)) = match_label(label, PROACTIVE_ROW_LABELS) else { continue };
        let Some(row) = PROACTIVE_ROWS.iter().find(|r| r.id == ids[0]) else { continue };
        let columns = row.columns(era);
        if columns.is_empty() || split.values.is_empty() {
            continue;
        }
        if facts.iter().any(|f: &Fact| f.row == row.id) {
            continue;
        }
        let label_raw = split.label_text();
        match split.window(columns.len()) {
            Some(values) => {
                for (col, raw) in columns.iter().zip(values) {
                    facts.push(rows::fact(TABLE, row.id, col, raw, &label_raw, split.line, format!("line {}", split.line)));
                }
            }
            None => {
                let values: Vec<&str> = split.values.iter().copied().filter(|v| !v.trim().is_empty()).collect();
                short_rows.push((row.id, split.clone(), values));
            }
        }
    }
    let mut detached = detached.into_iter();
    for (row_id, split, values) in short_rows {
        let columns = PROACTIVE_ROWS.iter().find(|r| r.id == row_id).map(|r| r.columns(era)).unwrap_or(&[]);
        let label_raw = split.label_text();
        let line = split.line;
        let hinted = if values.len() + 1 == columns.len() { detached.next() } else { None };
        let target = hinted.as_ref().and_then(|d| hint_column(&d.note)).filter(|c| columns.contains(c));
        match (hinted, target) {
            (Some(d), Some(target)) => {
                let mut printed = values.iter();
                for col in columns {
                    if *col == target {
                        let raw = if d.note.is_empty() { d.raw.clone() } else { format!("{}{}", d.raw, d.note) };
                        let mut fact = rows::fact(TABLE, row_id, col, &raw, &label_raw, d.line, format!("line {}, detached value", d.line));
                        fact.value = super::number::parse_cell(&d.raw).value;
                        facts.push(fact);
                    } else if let Some(raw) = printed.next() {
                        facts.push(rows::fact(TABLE, row_id, col, raw, &label_raw, line, format!("line {line}")));
                    }
                }
                findings.push(
                    Finding::new(
                        "proactive.placed_detached_value",
                        "",
                        Severity::Warning,
                        format!(
                            "line {}: '{}{}' is printed outside the table; placed in {row_id}.{target}, the cell its note names, since row {row_id} (line {line}) is one cell short",
                            d.line, d.raw, d.note
                        ),
                    )
                    .cells([cell_name(TABLE, row_id, target)]),
                );
            }
            _ => {
                findings.push(
                    Finding::new(
                        "proactive.unreadable_row",
                        "",
                        Severity::Error,
                        format!("line {line}: row {row_id} has {} values where {} are expected; its cells are not read", values.len(), columns.len()),
                    )
                    .cells(columns.iter().map(|c| cell_name(TABLE, row_id, c))),
                );
                for col in columns {
                    let mut fact = rows::fact(TABLE, row_id, col, &values.join(" | "), &label_raw, line, format!("line {line}"));
                    fact.value = None;
                    fact.blank_kind = "unreadable";
                    facts.push(fact);
                }
            }
        }
    }
    facts
}

/// The column a detached cell's note names (`其中修订` → issued_count, `失效` → repealed_count).
fn hint_column(note: &str) -> Option<&'static str> {
    PROACTIVE_NOTE_HINTS.iter().find(|(_, words)| words.iter().any(|w| note.contains(w))).map(|(col, _)| *col)
}
