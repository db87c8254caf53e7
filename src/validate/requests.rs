//! Section 三 identities (format-spec §5.1).

use super::{differs, printed_sum};
use crate::model::derived::request_identities;
use crate::model::{APPLICANT_COLUMNS, Finding, REQUEST_ROWS, SUBTOTAL_ROWS, TOTAL_COLUMN, cell_name, outcome_leaves};
use crate::normalize::Report;

const T: crate::model::Table = crate::model::Table::Requests;
/// The six applicant columns whose sum is 总计.
const PARTS: &[&str] = APPLICANT_COLUMNS.split_last().expect("columns").1;

fn printed_rows(report: &Report) -> Vec<&'static str> {
    REQUEST_ROWS
        .iter()
        .map(|r| r.id)
        .chain(SUBTOTAL_ROWS.iter().map(|(id, _)| *id))
        .filter(|row| APPLICANT_COLUMNS.iter().any(|c| report.fact(T, row, c).is_some()))
        .collect()
}

/// I3.1 row-sum (E): for every printed row, 总计 = 自然人 + the five 法人或其他组织 columns.
/// Not checked where 总计 is blank or every part is blank.
pub fn row_sum(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in printed_rows(report) {
        let Some(total) = report.value(T, row, TOTAL_COLUMN) else { continue };
        let parts: Vec<Option<f64>> = PARTS.iter().map(|c| report.value(T, row, c)).collect();
        let Some(sum) = printed_sum(&parts) else { continue };
        if differs(sum, total) {
            out.push(
                Finding::new(
                    "requests.row_sum",
                    format!("row {row}: 总计 is {total} but the applicant columns add up to {sum}"),
                )
                .cells(
                    std::iter::once(cell_name(T, row, TOTAL_COLUMN)).chain(PARTS.iter().map(|c| cell_name(T, row, c))),
                )
                .values(Some(sum), Some(total)),
            );
        }
    }
    out
}

/// I3.2 outcome-sum (E): in every column, （七）总计 = the sum of the outcome leaves (21 with the
/// 2021 （六） split, 19 with a single （六） row). Each concluded application is in exactly one
/// outcome row (the 部分公开 "只计这一情形" rule).
pub fn outcome_sum(report: &Report) -> Vec<Finding> {
    let leaves = outcome_leaves(report.single_other);
    let mut out = Vec::new();
    for col in APPLICANT_COLUMNS {
        let Some(total) = report.value(T, "processed_total", col) else { continue };
        let values: Vec<Option<f64>> = leaves.iter().map(|l| report.value(T, l, col)).collect();
        let Some(sum) = printed_sum(&values) else { continue };
        if differs(sum, total) {
            out.push(
                Finding::new(
                    "requests.outcome_sum",
                    format!(
                        "column {col}: （七）总计 is {total} but the {} outcome rows add up to {sum}",
                        leaves.len()
                    ),
                )
                .cells(
                    std::iter::once(cell_name(T, "processed_total", col))
                        .chain(leaves.iter().map(|l| cell_name(T, l, col))),
                )
                .values(Some(sum), Some(total)),
            );
        }
    }
    out
}

/// I3.3 balance, the 勾稽关系 printed on the form (E): in every column,
/// 一 new_received + 二 carried_over = 三 processed_total + 四 carried_forward.
/// Checked where new_received and processed_total are printed; a blank 二 or 四 counts as 0.
pub fn balance(report: &Report) -> Vec<Finding> {
    // The rows of the identity as declared once (`model::derived::request_identities`): new
    // received + carried over = processed + carried forward, the anchors printed, the carried
    // rows 0 when blank.
    let identity = request_identities(report.single_other)
        .into_iter()
        .find(|i| i.rule == "requests.balance")
        .expect("the balance is declared");
    let (&[received, carried_over], &[processed, carried_forward]) = (&identity.left[..], &identity.right[..]) else {
        unreachable!("the balance has two rows a side")
    };
    let mut out = Vec::new();
    for col in APPLICANT_COLUMNS {
        let (Some(n), Some(t)) = (report.value(T, received, col), report.value(T, processed, col)) else {
            continue;
        };
        let c = report.value(T, carried_over, col).unwrap_or(0.0);
        let f = report.value(T, carried_forward, col).unwrap_or(0.0);
        if differs(n + c, t + f) {
            out.push(
                Finding::new(
                    identity.rule,
                    format!("column {col}: 一+二 = {n}+{c} = {} but 三+四 = {t}+{f} = {}", n + c, t + f),
                )
                .cells([received, carried_over, processed, carried_forward].iter().map(|r| cell_name(T, r, col)))
                .values(Some(n + c), Some(t + f)),
            );
        }
    }
    out
}

/// I3.5 (E): where a 2021 report prints （六）其他处理 as a subtotal above its three sub-rows,
/// the subtotal equals their sum.
pub fn other_split(report: &Report) -> Vec<Finding> {
    identity_sums(report, "requests.other_split")
}

/// I3.6 (E): printed group subtotals (不予公开, 无法提供, 不予处理 rows with numbers, a local
/// extension of the template) equal the sum of their leaves.
pub fn printed_subtotals(report: &Report) -> Vec<Finding> {
    identity_sums(report, "requests.subtotal")
}

/// The subtotal identities of `rule` as `model::derived` declares them (the flattened-table
/// reader chooses among readings with the same declaration): each printed subtotal against its
/// rows.
fn identity_sums(report: &Report, rule: &str) -> Vec<Finding> {
    request_identities(report.single_other)
        .into_iter()
        .filter(|i| i.rule == rule)
        .flat_map(|i| group_sums(report, i.left[0], &i.right, rule))
        .collect()
}

fn group_sums(report: &Report, subtotal: &str, leaves: &[&str], rule: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for col in APPLICANT_COLUMNS {
        let Some(printed) = report.value(T, subtotal, col) else { continue };
        let values: Vec<Option<f64>> = leaves.iter().map(|l| report.value(T, l, col)).collect();
        let Some(sum) = printed_sum(&values) else { continue };
        if differs(sum, printed) {
            out.push(
                Finding::new(
                    rule,
                    format!("column {col}: printed {subtotal} is {printed} but its rows add up to {sum}"),
                )
                .cells(std::iter::once(cell_name(T, subtotal, col)).chain(leaves.iter().map(|l| cell_name(T, l, col))))
                .values(Some(sum), Some(printed)),
            );
        }
    }
    out
}

/// I3.9 (E): processed_total ≤ new_received + carried_over. Implied by I3.3 when
/// carried_forward is printed, so it is checked only where carried_forward is blank.
pub fn intake_bound(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for col in APPLICANT_COLUMNS {
        if report.value(T, "carried_forward", col).is_some() {
            continue;
        }
        let (Some(n), Some(t)) = (report.value(T, "new_received", col), report.value(T, "processed_total", col)) else {
            continue;
        };
        let c = report.value(T, "carried_over", col).unwrap_or(0.0);
        if t > n + c {
            out.push(
                Finding::new(
                    "requests.intake_bound",
                    format!("column {col}: {t} applications concluded but only {} received or carried over", n + c),
                )
                .cells(["processed_total", "new_received", "carried_over"].iter().map(|r| cell_name(T, r, col)))
                .values(Some(n + c), Some(t)),
            );
        }
    }
    out
}
