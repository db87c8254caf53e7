//! Validate: a [`Report`] → findings. One documented function per identity of format-spec §5
//! (section 三 §5.1, section 四 §5.2, section 二 §5.3) and per prose ↔ table check (§5.4).
//! Identities are exact for counts; blank cells count as 0 only when other cells of the same
//! identity are printed (format-spec §6), and an identity whose cells are all blank is not
//! checked. Nothing is repaired: findings name the cells, the facts stay as printed.

mod appeals;
mod legacy;
mod proactive;
mod prose;
mod requests;

use crate::model::{Finding, Severity, cell_name};
use crate::normalize::Report;

pub use appeals::{litigation_after_review_sum, litigation_direct_sum, review_sum};
pub use legacy::{block_sums as legacy_block_sums, year_within_cumulative as legacy_year_within_cumulative};
pub use requests::{balance, intake_bound, other_split, outcome_sum, printed_subtotals, row_sum};

/// Every finding for a report: those raised while reading it, then the identity checks.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut findings = report.findings.clone();
    findings.extend(requests::row_sum(report));
    findings.extend(requests::outcome_sum(report));
    findings.extend(requests::balance(report));
    findings.extend(requests::other_split(report));
    findings.extend(requests::printed_subtotals(report));
    findings.extend(requests::intake_bound(report));
    findings.extend(appeals::review_sum(report));
    findings.extend(appeals::litigation_direct_sum(report));
    findings.extend(appeals::litigation_after_review_sum(report));
    findings.extend(domain(report));
    findings.extend(proactive::published_bound(report));
    findings.extend(proactive::fee_unit(report));
    findings.extend(proactive::rule_making_power(report));
    findings.extend(legacy::block_sums(report));
    findings.extend(legacy::year_within_cumulative(report));
    findings.extend(prose::check(report));
    findings
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// I3.4, I4.4, I2.1 (E): counts are integers ≥ 0; amounts are ≥ 0; only `item_count_change`
/// (2019 本年增/减) may be negative.
pub fn domain(report: &Report) -> Vec<Finding> {
    report
        .facts
        .iter()
        .filter_map(|f| {
            if f.blank_kind == crate::model::BlankKind::Unreadable
                && crate::normalize::number::is_past_exact_integers(&number_text(&f.raw))
            {
                return Some(
                    Finding::new(
                        &format!("{}.domain", f.table),
                        format!(
                            "{} is printed as {}: past 2^53 no number is held exactly, so the cell is left unread ({})",
                            cell_name(f.table, f.row, f.col),
                            f.raw.trim(),
                            f.locator()
                        ),
                    )
                    .cells([cell_name(f.table, f.row, f.col)]),
                );
            }
            let v = f.value?;
            let signed = crate::model::SIGNED_COLUMNS.contains(&f.col);
            let amount = crate::model::AMOUNT_COLUMNS.contains(&f.col);
            let bad = (v < 0.0 && !signed) || (v.fract() != 0.0 && !amount);
            bad.then(|| {
                Finding::new(
                    &format!("{}.domain", f.table),
                    format!(
                        "{} is {v}: a count must be a whole number ≥ 0 ({})",
                        cell_name(f.table, f.row, f.col),
                        f.locator()
                    ),
                )
                .cells([cell_name(f.table, f.row, f.col)])
                .values(None, Some(v))
            })
        })
        .collect()
}

/// A cell's text as the number parser reads it (full width folded, thousands separators out).
fn number_text(raw: &str) -> String {
    crate::normalize::number::fold_width(raw).trim().replace(',', "")
}

/// Sum of the printed values among `cells`, or `None` when all are blank.
fn printed_sum(values: &[Option<f64>]) -> Option<f64> {
    values.iter().any(Option::is_some).then(|| values.iter().flatten().sum())
}

/// Whether two counts differ (amounts use the ±0.01 万元 tolerance of format-spec §5).
fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 1e-6
}
