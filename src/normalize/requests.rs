//! Section 三 (requests): raw rows → facts on the 25 (2021) / 23 (single （六）) rows × 7 columns.
//!
//! Real text renderings detach labels from their numbers (labels wrapped onto lines of their own,
//! collected before or after the numbers, split mid-word across cells). So a row's identity comes
//! from its label when the label matches, and otherwise from the official printed order: a number
//! row with no usable label takes the next row after the last one placed. A lone number printed
//! outside any row (a cell the renderer detached) is placed only where exactly one empty cell
//! makes its row sum and column identities hold; the placement is reported as a warning.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::Fact;
use super::label::{LabelIndex, Strength, normalize_label};
use super::number::parse_cell;
use super::rows::{self, SplitRow};
use crate::ingest::{CellLayout, Section};
use crate::model::labels::REQUEST_ROW_LABELS;
use crate::model::{
    APPLICANT_COLUMNS, Era, Finding, Placement, REQUEST_ROWS, RowRole, SUBTOTAL_ROWS, TOTAL_COLUMN, cell_name,
    outcome_leaves,
};

const TABLE: crate::model::Table = crate::model::Table::Requests;

static LABELS: std::sync::LazyLock<LabelIndex> = std::sync::LazyLock::new(|| LabelIndex::new(REQUEST_ROW_LABELS));

/// The facts of section 三 and its （六） layout.
pub struct RequestsTable {
    pub facts: Vec<Fact>,
    pub single_other: bool,
}

struct DataRow<'a> {
    split: SplitRow<'a>,
    /// The 7 value cells: borrowed from the row, or owned when a split number was joined.
    window: Option<Vec<Cow<'a, str>>>,
    label: Option<(Strength, Vec<&'static str>, String)>,
}

/// Reads section 三.
pub fn read(section: &Section, era: Era, findings: &mut Vec<Finding>) -> RequestsTable {
    let mut data: Vec<DataRow> = Vec::new();
    let mut strays: Vec<(usize, String)> = Vec::new();
    for raw in &section.table.rows {
        let split = rows::split(raw);
        let numbers = split.numbers();
        if split.labels.is_empty() && split.values.len() == 1 && numbers == 1 {
            strays.push((split.line, split.values[0].to_string()));
            continue;
        }
        let label = choose_label(&split.labels);
        let mut window: Option<Vec<Cow<str>>> =
            split.window(APPLICANT_COLUMNS.len()).map(|w| w.into_iter().map(Cow::Borrowed).collect());
        if window.is_none()
            && raw.layout == CellLayout::Spaced
            && let Some((joined, at)) = join_split_number(&split.values)
        {
            findings.push(
                    Finding::new("requests.split_number_joined", format!(
                            "line {}: '{} {}' read as one number {} (8 numbers where 7 are printed; only this join makes the row sum hold)",
                            split.line, split.values[at], split.values[at + 1], joined[at]
                        )),
                );
            window = Some(joined.into_iter().map(Cow::Owned).collect());
        }
        let all_blank_row_ok = matches!(raw.layout, CellLayout::Grid | CellLayout::Dense)
            && label.as_ref().is_some_and(|(s, _, text)| *s == Strength::Exact && is_specific(text));
        if window.is_some() && (numbers >= 1 || all_blank_row_ok) {
            data.push(DataRow { split, window, label });
        } else if numbers >= 1 && (label.is_some() || numbers >= 3) {
            data.push(DataRow { split, window: None, label });
        }
    }

    let has_split_label = data.iter().any(|d| {
        d.label.as_ref().is_some_and(|(s, ids, _)| {
            *s <= Strength::Contains && ids.iter().any(|id| is_role(id, RowRole::OtherSplit))
        })
    });
    let has_single_label = data
        .iter()
        .any(|d| d.label.as_ref().is_some_and(|(s, ids, _)| *s == Strength::Exact && ids == &["other_total"]));
    let single_other = (era == Era::Trial2019 || has_single_label) && !has_split_label;
    let order = crate::model::printed_request_rows(single_other);

    let mut facts = Vec::with_capacity(data.len() * APPLICANT_COLUMNS.len());
    let mut next = 0usize;
    let mut placed: HashSet<&'static str> = HashSet::new();
    for row in &data {
        let line = row.split.line;
        let label_raw = row.split.label_text();
        let (id, by_position) = match &row.label {
            Some((strength, ids, text)) => {
                let positions: Vec<usize> = ids.iter().filter_map(|id| order.iter().position(|o| o == id)).collect();
                let subtotal = ids.iter().copied().find(|id| is_subtotal(id, single_other));
                if let Some(subtotal) = subtotal.filter(|_| *strength == Strength::Exact && positions.is_empty()) {
                    (subtotal, false)
                } else if let Some(&i) = positions.iter().filter(|&&i| i >= next && !placed.contains(order[i])).min() {
                    next = i + 1;
                    (order[i], false)
                } else if let Some(&i) = positions.iter().filter(|&&i| !placed.contains(order[i])).min() {
                    findings.push(
                        Finding::new(
                            "requests.row_order",
                            format!("line {line}: row '{text}' is printed out of the official order"),
                        )
                        .cells([cell_name(TABLE, order[i], "")]),
                    );
                    (order[i], false)
                } else if !positions.is_empty() {
                    findings.push(
                        Finding::new(
                            "requests.duplicate_row",
                            format!("line {line}: row '{text}' is printed twice; the second is not used"),
                        )
                        .cells([cell_name(TABLE, order[positions[0]], "")]),
                    );
                    continue;
                } else if next < order.len() {
                    next += 1;
                    (order[next - 1], true)
                } else {
                    findings.push(extra_row(line, &label_raw));
                    continue;
                }
            }
            None if next < order.len() => {
                next += 1;
                (order[next - 1], true)
            }
            None => {
                findings.push(extra_row(line, &label_raw));
                continue;
            }
        };
        if by_position && !label_raw.is_empty() {
            findings.push(
                Finding::new("requests.unknown_label", format!("line {line}: label '{label_raw}' is not a section 三 row label; placed by printed order as {id}"))
                .cells([cell_name(TABLE, id, "")]),
            );
        }
        placed.insert(id);
        let placement = if by_position { Placement::Position } else { Placement::Label };
        match &row.window {
            Some(cells) => {
                for (col, raw) in APPLICANT_COLUMNS.iter().zip(cells) {
                    facts.push(rows::fact(TABLE, id, col, raw, &label_raw, line, placement));
                }
            }
            None => {
                let raw = row.split.values.join(" | ");
                findings.push(
                    Finding::new("requests.unreadable_row", format!("line {line}: row {id} has {} value cells where 7 are expected ('{raw}'); its cells are not read", row.split.values.len()))
                    .cells(APPLICANT_COLUMNS.iter().map(|c| cell_name(TABLE, id, c))),
                );
                for col in APPLICANT_COLUMNS {
                    let mut fact = rows::fact(TABLE, id, col, "", &label_raw, line, placement);
                    fact.blank_kind = crate::model::BlankKind::Unreadable;
                    fact.raw = raw.as_str().into();
                    facts.push(fact);
                }
            }
        }
    }
    place_strays(&mut facts, &strays, single_other, findings);
    RequestsTable { facts, single_other }
}

/// Identities second for split numbers: a layout row with 8 numbers where 7 are printed is read
/// with one adjacent pair joined (`35 1` → 351) only when exactly one join makes the row sum hold.
fn join_split_number(values: &[&str]) -> Option<(Vec<String>, usize)> {
    if values.len() != APPLICANT_COLUMNS.len() + 1 || !values.iter().all(|v| v.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let fits: Vec<(Vec<String>, usize)> = (0..values.len() - 1)
        .filter_map(|at| {
            let mut joined: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            let tail = joined.remove(at + 1);
            joined[at].push_str(&tail);
            let n: Vec<f64> = joined.iter().map(|v| v.parse().unwrap_or(f64::NAN)).collect();
            ((n[..6].iter().sum::<f64>() - n[6]).abs() < 1e-9).then_some((joined, at))
        })
        .collect();
    if let [one] = &fits[..] { Some(one.clone()) } else { None }
}

fn extra_row(line: usize, label: &str) -> Finding {
    Finding::new(
        "requests.extra_row",
        format!("line {line}: number row '{label}' is past the last section 三 row; not used"),
    )
}

/// The label to identify a row by: the last label cell (nearest the numbers), else all label
/// cells joined, else an earlier cell.
fn choose_label(labels: &[&str]) -> Option<(Strength, Vec<&'static str>, String)> {
    let mut tries: Vec<String> = Vec::new();
    if let Some(last) = labels.last() {
        tries.push(last.to_string());
    }
    if labels.len() > 1 {
        tries.push(labels.concat());
        tries.extend(labels[..labels.len() - 1].iter().rev().map(|l| l.to_string()));
    }
    tries.into_iter().find_map(|t| LABELS.find(&t).map(|(s, ids)| (s, ids, t)))
}

/// A label specific enough to identify an all-blank row (not a bare header word like 总计).
fn is_specific(text: &str) -> bool {
    normalize_label(text).chars().count() >= 4 || text.trim() != normalize_label(text)
}

fn is_role(id: &str, role: RowRole) -> bool {
    REQUEST_ROWS.iter().any(|r| r.id == id && r.role == role)
}

fn is_subtotal(id: &str, single_other: bool) -> bool {
    SUBTOTAL_ROWS.iter().any(|(s, _)| *s == id) || (id == "other_total" && !single_other)
}

/// Places detached numbers (lines holding one number and nothing else) into the one empty cell
/// where the row sum and the column identities then hold; reports every placement and every
/// number that fits nowhere or in more than one cell.
fn place_strays(facts: &mut [Fact], strays: &[(usize, String)], single_other: bool, findings: &mut Vec<Finding>) {
    for (line, raw) in strays {
        let Some(value) = parse_cell(raw).value else { continue };
        let grid: HashMap<(&str, &str), Option<f64>> = facts.iter().map(|f| ((f.row, f.col), f.value)).collect();
        let fits: Vec<usize> = facts
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.blank_kind == crate::model::BlankKind::Empty
                    && fits_identities(&grid, f.row, f.col, value, single_other)
            })
            .map(|(i, _)| i)
            .collect();
        if let [i] = fits[..] {
            let fact = &mut facts[i];
            fact.value = Some(value);
            fact.blank_kind = crate::model::BlankKind::of_value(value);
            fact.raw = raw.as_str().into();
            fact.line = *line;
            fact.at.placed = Placement::Detached;
            findings.push(
                Finding::new("requests.placed_detached_value", format!(
                        "line {line}: the number {raw} printed outside any row is the only value that fits the empty cell {}.{} (row sum and column identities hold with it)",
                        fact.row, fact.col
                    ))
                .cells([cell_name(TABLE, fact.row, fact.col)])
                .values(None, Some(value)),
            );
        } else {
            findings.push(Finding::new(
                "requests.unplaced_value",
                format!(
                    "line {line}: the number {raw} printed outside any row fits {} empty cells; not used",
                    fits.len()
                ),
            ));
        }
    }
}

/// Whether setting (row, col) = value makes every identity through that cell that can be
/// checked hold, and at least one can be checked.
fn fits_identities(
    grid: &HashMap<(&str, &str), Option<f64>>,
    row: &str,
    col: &str,
    value: f64,
    single_other: bool,
) -> bool {
    let get = |r: &str, c: &str| -> Option<f64> {
        if r == row && c == col { Some(value) } else { grid.get(&(r, c)).copied().flatten() }
    };
    let mut checked = 0;
    let parts: Vec<Option<f64>> = APPLICANT_COLUMNS[..6].iter().map(|c| get(row, c)).collect();
    if let Some(total) = get(row, TOTAL_COLUMN)
        && parts.iter().any(Option::is_some)
    {
        checked += 1;
        if (parts.iter().flatten().sum::<f64>() - total).abs() > 1e-9 {
            return false;
        }
    }
    let flow = ["new_received", "carried_over", "processed_total", "carried_forward"];
    if flow.contains(&row)
        && let (Some(n), Some(t)) = (get("new_received", col), get("processed_total", col))
    {
        checked += 1;
        let c = get("carried_over", col).unwrap_or(0.0);
        let f = get("carried_forward", col).unwrap_or(0.0);
        if (n + c - t - f).abs() > 1e-9 {
            return false;
        }
    }
    let leaves = outcome_leaves(single_other);
    if (row == "processed_total" || leaves.contains(&row))
        && let Some(t) = get("processed_total", col)
    {
        checked += 1;
        let sum: f64 = leaves.iter().filter_map(|l| get(l, col)).sum();
        if (sum - t).abs() > 1e-9 {
            return false;
        }
    }
    checked > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_a_split_number_only_when_one_join_balances_the_row() {
        // 351 printed as "35 1": 300 + 51 + 0 + 0 + 0 + 0 = 351.
        let (joined, at) = join_split_number(&["300", "51", "0", "0", "0", "0", "35", "1"]).unwrap();
        assert_eq!(at, 6);
        assert_eq!(joined, vec!["300", "51", "0", "0", "0", "0", "351"]);
        // Two joins balance the row (1|1 → 11 and 11 → ...): ambiguous, so not joined.
        assert!(join_split_number(&["1", "1", "0", "0", "0", "0", "0", "11"]).is_none());
        // No join balances it.
        assert!(join_split_number(&["5", "5", "5", "5", "5", "5", "5", "5"]).is_none());
    }
}
