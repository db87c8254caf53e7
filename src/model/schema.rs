//! Row, column and cell ids of the three tables (SCHEMA.md), in printed order, with the
//! leaf/derived structure of section 三 and the era-specific columns of section 二.

use super::Era;

/// Section 三 columns (applicant type), in printed order.
pub const APPLICANT_COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
];

/// The column that holds each row's total.
pub const TOTAL_COLUMN: &str = "total";

/// What a section 三 row is in the accounting structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRole {
    /// 一 new_received / 二 carried_over.
    Intake,
    /// An outcome leaf in both eras.
    Leaf,
    /// （六）其他处理 printed as one row: a leaf (trial_2019 and some 2021 reports).
    OtherSingle,
    /// One of the three （六） sub-rows of the 2021 format: leaves.
    OtherSplit,
    /// （七）总计.
    Processed,
    /// 四 carried_forward.
    Forward,
    /// A printed subtotal of an outcome group (a local extension, never a leaf).
    Subtotal,
}

/// One section 三 row.
#[derive(Debug, Clone, Copy)]
pub struct RequestRow {
    pub id: &'static str,
    pub role: RowRole,
    /// Outcome group: `refused`, `unavailable`, `not_processed`, `other`.
    pub group: Option<&'static str>,
}

const fn row(id: &'static str, role: RowRole, group: Option<&'static str>) -> RequestRow {
    RequestRow { id, role, group }
}

/// Section 三 rows in printed order. `other_total` stands where a single （六） row is printed;
/// the three 2021 sub-rows follow it. A report prints one or the other.
pub const REQUEST_ROWS: &[RequestRow] = &[
    row("new_received", RowRole::Intake, None),
    row("carried_over", RowRole::Intake, None),
    row("granted", RowRole::Leaf, None),
    row("partially_granted", RowRole::Leaf, None),
    row("refused_state_secret", RowRole::Leaf, Some("refused")),
    row("refused_law_prohibited", RowRole::Leaf, Some("refused")),
    row("refused_security_stability", RowRole::Leaf, Some("refused")),
    row("refused_third_party_rights", RowRole::Leaf, Some("refused")),
    row("refused_internal_affairs", RowRole::Leaf, Some("refused")),
    row("refused_process_info", RowRole::Leaf, Some("refused")),
    row("refused_enforcement_file", RowRole::Leaf, Some("refused")),
    row("refused_admin_query", RowRole::Leaf, Some("refused")),
    row("unavailable_not_held", RowRole::Leaf, Some("unavailable")),
    row("unavailable_needs_creation", RowRole::Leaf, Some("unavailable")),
    row("unavailable_unclear", RowRole::Leaf, Some("unavailable")),
    row("not_processed_petition", RowRole::Leaf, Some("not_processed")),
    row("not_processed_duplicate", RowRole::Leaf, Some("not_processed")),
    row("not_processed_publication", RowRole::Leaf, Some("not_processed")),
    row("not_processed_excessive", RowRole::Leaf, Some("not_processed")),
    row("not_processed_confirmation", RowRole::Leaf, Some("not_processed")),
    row("other_total", RowRole::OtherSingle, Some("other")),
    row("other_correction_overdue", RowRole::OtherSplit, Some("other")),
    row("other_fee_unpaid", RowRole::OtherSplit, Some("other")),
    row("other_misc", RowRole::OtherSplit, Some("other")),
    row("processed_total", RowRole::Processed, None),
    row("carried_forward", RowRole::Forward, None),
];

/// Printed group subtotals some local reports add; each is checked against its parts (I3.6).
/// `other_total` is not here: when printed with the three sub-rows it is checked by I3.5.
pub const SUBTOTAL_ROWS: &[(&str, &str)] =
    &[("refused_total", "refused"), ("unavailable_total", "unavailable"), ("not_processed_total", "not_processed")];

/// Looks up a section 三 row by id.
pub fn request_row(id: &str) -> Option<&'static RequestRow> {
    REQUEST_ROWS.iter().find(|r| r.id == id)
}

/// The outcome leaves of a report: 21 with the 2021 （六） split, 19 with a single （六） row.
pub fn outcome_leaves(single_other: bool) -> Vec<&'static str> {
    REQUEST_ROWS
        .iter()
        .filter(|r| match r.role {
            RowRole::Leaf => true,
            RowRole::OtherSingle => single_other,
            RowRole::OtherSplit => !single_other,
            _ => false,
        })
        .map(|r| r.id)
        .collect()
}

/// The section 三 rows a report prints, in printed order: 25 with the 2021 （六） split, 23 with a
/// single （六） row.
pub fn printed_request_rows(single_other: bool) -> Vec<&'static str> {
    REQUEST_ROWS
        .iter()
        .filter(|r| match r.role {
            RowRole::OtherSplit => !single_other,
            RowRole::OtherSingle => single_other,
            _ => true,
        })
        .map(|r| r.id)
        .collect()
}

/// Section 四 blocks, in printed order.
pub const APPEAL_BLOCKS: [&str; 3] = ["review", "litigation_direct", "litigation_after_review"];
/// The five cells of each section 四 block, in printed order; the last is the block total.
pub const APPEAL_PARTS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// The 15 section 四 cell ids in printed order.
pub fn appeal_cells() -> &'static [&'static str] {
    static CELLS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        // Made once; the ids live as long as the program, like the other ids of the schema.
        APPEAL_BLOCKS
            .iter()
            .flat_map(|b| APPEAL_PARTS.iter().map(move |p| &*Box::leak(format!("{b}_{p}").into_boxed_str())))
            .collect()
    });
    &CELLS
}

/// One section 二 row and its columns in each era.
#[derive(Debug, Clone, Copy)]
pub struct ProactiveRow {
    pub id: &'static str,
    pub std_2021: &'static [&'static str],
    pub trial_2019: &'static [&'static str],
}

const DOC_STD: &[&str] = &["issued_count", "repealed_count", "in_force_count"];
const DOC_TRIAL: &[&str] = &["new_made_count", "new_published_count", "published_total_count"];
const ITEMS_TRIAL: &[&str] = &["prior_year_item_count", "item_count_change", "decision_count"];
const DECISIONS: &[&str] = &["decision_count"];

/// Section 二 rows in printed order.
pub const PROACTIVE_ROWS: &[ProactiveRow] = &[
    ProactiveRow { id: "rules", std_2021: DOC_STD, trial_2019: DOC_TRIAL },
    ProactiveRow { id: "normative_docs", std_2021: DOC_STD, trial_2019: DOC_TRIAL },
    ProactiveRow { id: "admin_licensing", std_2021: DECISIONS, trial_2019: ITEMS_TRIAL },
    ProactiveRow { id: "other_external_services", std_2021: &[], trial_2019: ITEMS_TRIAL },
    ProactiveRow { id: "admin_penalty", std_2021: DECISIONS, trial_2019: ITEMS_TRIAL },
    ProactiveRow { id: "admin_coercion", std_2021: DECISIONS, trial_2019: ITEMS_TRIAL },
    ProactiveRow {
        id: "admin_fees",
        std_2021: &["fee_amount"],
        trial_2019: &["prior_year_item_count", "item_count_change"],
    },
    ProactiveRow {
        id: "central_procurement",
        std_2021: &[],
        trial_2019: &["procurement_project_count", "procurement_amount"],
    },
];

impl ProactiveRow {
    /// The columns this row prints in `era` (legacy reports have no section 二 table).
    pub fn columns(&self, era: Era) -> &'static [&'static str] {
        match era {
            Era::Std2021 => self.std_2021,
            Era::Trial2019 => self.trial_2019,
            Era::Legacy2008 => &[],
        }
    }
}

/// The cells of the three tables of an `era` report: the capacity of a report's facts (an upper
/// bound where the trial era prints one 其他处理 row for three).
pub fn table_cells(era: Era) -> usize {
    match era {
        Era::Legacy2008 => 0,
        _ => {
            PROACTIVE_ROWS.iter().map(|r| r.columns(era).len()).sum::<usize>()
                + REQUEST_ROWS.len() * APPLICANT_COLUMNS.len()
                + appeal_cells().len()
        }
    }
}

/// Section 二 columns that may be negative (a signed change in the number of item types).
pub const SIGNED_COLUMNS: &[&str] = &["item_count_change"];
/// Section 二 columns that are decimal amounts rather than counts.
pub const AMOUNT_COLUMNS: &[&str] = &["fee_amount", "procurement_amount"];

/// `table.row_id.col_id`, the name a finding uses for a cell (`table.row_id` when the table has
/// no columns). `table` is a [`super::Table`] or its id.
pub fn cell_name(table: impl std::fmt::Display, row: &str, col: &str) -> String {
    if col.is_empty() { format!("{table}.{row}") } else { format!("{table}.{row}.{col}") }
}

/// Every row id a fact can carry, once: section 三 rows, section 二 rows, section 四 cells. The
/// warehouse stores `row_id` as codes into this list (a Parquet dictionary).
pub fn fact_row_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = REQUEST_ROWS.iter().map(|r| r.id).collect();
    ids.extend(PROACTIVE_ROWS.iter().map(|r| r.id));
    ids.extend(appeal_cells().iter().copied());
    dedup(ids)
}

/// Every column id a fact can carry, once: the applicant columns, the section 二 columns of both
/// eras, and `""` (section 四 cells have no column).
pub fn fact_col_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = APPLICANT_COLUMNS.to_vec();
    for r in PROACTIVE_ROWS {
        ids.extend(r.std_2021.iter().chain(r.trial_2019).copied());
    }
    ids.push("");
    dedup(ids)
}

fn dedup(ids: Vec<&'static str>) -> Vec<&'static str> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

/// The row label a fact's `label_raw` is left out of the warehouse for (stored as null and given
/// back by the query layer): the row's display label, or `""` for a row without one (section 四
/// cells are read by position).
pub fn canonical_label(row: &str) -> &'static str {
    super::labels::DISPLAY_LABELS.iter().find(|(id, _)| *id == row).map_or("", |(_, l)| *l)
}

/// The cell text a fact's `raw` is left out of the warehouse for: a whole number as digits
/// (`12`, `0`, `-3`), or `""` for an empty cell. Other values (decimals, blank markers, what was
/// printed around a number) are always stored.
pub fn canonical_raw(value: Option<f64>, blank_kind: super::BlankKind) -> Option<String> {
    canonical_integer(value)
        .map(|v| v.to_string())
        .or_else(|| (value.is_none() && blank_kind == super::BlankKind::Empty).then(String::new))
}

/// Whether `raw` is [`canonical_raw`] of the value, without building it (the warehouse asks this
/// of every fact).
pub fn is_canonical_raw(raw: &str, value: Option<f64>, blank_kind: super::BlankKind) -> bool {
    match canonical_integer(value) {
        Some(v) => {
            let digits = raw.strip_prefix('-').unwrap_or(raw);
            let plain = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'))
                && (v < 0) == raw.starts_with('-')
                && raw != "-0";
            plain && raw.parse::<i64>() == Ok(v)
        }
        None => value.is_none() && blank_kind == super::BlankKind::Empty && raw.is_empty(),
    }
}

/// A value that is a whole number an f64 holds exactly, as an integer.
fn canonical_integer(value: Option<f64>) -> Option<i64> {
    value.filter(|v| v.fract() == 0.0 && v.abs() < 9.0e15).map(|v| v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlankKind;

    #[test]
    fn the_canonical_test_agrees_with_the_canonical_text() {
        let values = [Some(0.0), Some(-0.0), Some(12.0), Some(-3.0), Some(2.5), Some(1e16), None];
        let raws =
            ["", "0", "-0", "00", "12", "012", "+12", " 12", "12.0", "-3", "2.5", "1,2", "—", "10000000000000000"];
        for value in values {
            for kind in [BlankKind::Number, BlankKind::ExplicitZero, BlankKind::Empty, BlankKind::Dash] {
                for raw in raws {
                    let by_text = canonical_raw(value, kind).as_deref() == Some(raw);
                    assert_eq!(is_canonical_raw(raw, value, kind), by_text, "{raw:?} {value:?} {kind:?}");
                }
            }
        }
    }
}
