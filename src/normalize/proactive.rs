//! Section 二 (proactive): rows found by their labels (规章, 行政规范性文件, 行政许可, …), values
//! assigned to the era's columns in printed order. Text renderings sometimes print a multi-line
//! cell (`22（其中修订16件）`) outside its table row; such a detached number is placed into the
//! row that is one cell short, in the column its note names, and the placement is reported.

use super::Fact;
use super::label::{LabelIndex, Strength};
use super::rows::{self, SplitRow};
use crate::ingest::Section;
use crate::model::labels::{PROACTIVE_COLUMN_LABELS, PROACTIVE_NOTE_HINTS, PROACTIVE_ROW_LABELS};
use crate::model::{Era, Finding, PROACTIVE_ROWS, Placement, cell_name};

const TABLE: crate::model::Table = crate::model::Table::Proactive;

static ROWS: std::sync::LazyLock<LabelIndex> = std::sync::LazyLock::new(|| LabelIndex::new(PROACTIVE_ROW_LABELS));
static COLUMNS: std::sync::LazyLock<LabelIndex> = std::sync::LazyLock::new(|| LabelIndex::new(PROACTIVE_COLUMN_LABELS));

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
    let mut header: Option<Vec<Option<&'static str>>> = None;
    for (i, split) in splits.iter().enumerate() {
        let raw = &section.table.rows[i];
        if let Some(h) = header_columns(&raw.cells) {
            header = Some(h);
            continue;
        }
        if split.labels.is_empty() && split.values.len() == 1 && split.numbers() == 1 {
            let note = splits
                .get(i + 1)
                .filter(|next| {
                    next.values.is_empty() && next.labels.first().is_some_and(|l| l.starts_with(['（', '(']))
                })
                .map(|next| next.label_text().to_string())
                .unwrap_or_default();
            detached.push(Detached { line: split.line, raw: split.values[0].to_string(), note });
            continue;
        }
        let Some(label) = split.labels.last() else { continue };
        let Some((Strength::Exact, ids)) = ROWS.find(label) else { continue };
        let Some(row) = PROACTIVE_ROWS.iter().find(|r| r.id == ids[0]) else { continue };
        let columns = row.columns(era);
        if columns.is_empty() || split.values.is_empty() {
            continue;
        }
        if facts.iter().any(|f: &Fact| f.row == row.id) {
            continue;
        }
        let label_raw = split.label_text();
        // A real grid is read through its header row; otherwise the values fill the era's columns in order.
        let by_header = header.as_ref().and_then(|h| values_by_header(h, &raw.cells, split.first_value, columns));
        match by_header.or_else(|| split.window(columns.len())) {
            Some(values) => {
                for (col, raw) in columns.iter().zip(values) {
                    facts.push(rows::fact(TABLE, row.id, col, raw, &label_raw, split.line, Placement::Label));
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
                        let mut fact = rows::fact(TABLE, row_id, col, &raw, &label_raw, d.line, Placement::Detached);
                        fact.value = super::number::parse_cell(&d.raw).value;
                        facts.push(fact);
                    } else if let Some(raw) = printed.next() {
                        facts.push(rows::fact(TABLE, row_id, col, raw, &label_raw, line, Placement::Label));
                    }
                }
                findings.push(
                    Finding::new("proactive.placed_detached_value", format!(
                            "line {}: '{}{}' is printed outside the table; placed in {row_id}.{target}, the cell its note names, since row {row_id} (line {line}) is one cell short",
                            d.line, d.raw, d.note
                        ))
                    .cells([cell_name(TABLE, row_id, target)]),
                );
            }
            _ => {
                findings.push(
                    Finding::new(
                        "proactive.unreadable_row",
                        format!(
                            "line {line}: row {row_id} has {} values where {} are expected; its cells are not read",
                            values.len(),
                            columns.len()
                        ),
                    )
                    .cells(columns.iter().map(|c| cell_name(TABLE, row_id, c))),
                );
                for col in columns {
                    let mut fact =
                        rows::fact(TABLE, row_id, col, &values.join(" | "), &label_raw, line, Placement::Label);
                    fact.value = None;
                    fact.blank_kind = crate::model::BlankKind::Unreadable;
                    facts.push(fact);
                }
            }
        }
    }
    facts
}

/// Column ids by position when `cells` is a header row (some cell names a known column); an
/// empty header cell continues the column before it (a colspan).
fn header_columns(cells: &[String]) -> Option<Vec<Option<&'static str>>> {
    let mut out = Vec::with_capacity(cells.len());
    let mut found = false;
    let mut previous: Option<&'static str> = None;
    for cell in cells {
        let id = match COLUMNS.find(cell) {
            Some((Strength::Exact, ids)) => {
                found = true;
                Some(ids[0])
            }
            _ if cell.trim().is_empty() => previous,
            _ => None,
        };
        previous = id;
        out.push(id);
    }
    found.then_some(out)
}

/// A data row's values for `columns` read through the header above it, when the row has the
/// header's width (a real grid) and every column gets at most one printed cell.
fn values_by_header<'a>(
    header: &[Option<&'static str>],
    cells: &'a [String],
    first_value: usize,
    columns: &[&str],
) -> Option<Vec<&'a str>> {
    if cells.len() != header.len() {
        return None;
    }
    let mut values: Vec<Option<&str>> = vec![None; columns.len()];
    for (j, cell) in cells.iter().enumerate().skip(first_value) {
        let Some(k) = header[j].and_then(|id| columns.iter().position(|c| *c == id)) else { continue };
        if cell.trim().is_empty() {
            continue;
        }
        if values[k].is_some() {
            return None;
        }
        values[k] = Some(cell.as_str());
    }
    let mapped = header.iter().skip(first_value).flatten().filter(|id| columns.contains(id)).count();
    (mapped > 0).then(|| values.into_iter().map(|v| v.unwrap_or("")).collect())
}

/// The column a detached cell's note names (`其中修订` → issued_count, `失效` → repealed_count).
fn hint_column(note: &str) -> Option<&'static str> {
    PROACTIVE_NOTE_HINTS.iter().find(|(_, words)| words.iter().any(|w| note.contains(w))).map(|(col, _)| *col)
}
