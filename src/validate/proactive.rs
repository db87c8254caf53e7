//! Section 二 plausibility checks (format-spec §5.3). I2.1 (domain) is in `validate::domain`;
//! I2.2 and I2.4 compare years and belong to the warehouse queries.

use crate::model::{Era, Finding, Level, cell_name};
use crate::normalize::Report;

const T: crate::model::Table = crate::model::Table::Proactive;

/// I2.3 (W, trial_2019): documents newly published this year ≤ documents published in total.
pub fn published_bound(report: &Report) -> Vec<Finding> {
    if report.era != Era::Trial2019 {
        return Vec::new();
    }
    ["rules", "normative_docs"]
        .iter()
        .filter_map(|row| {
            let new = report.value(T, row, "new_published_count")?;
            let total = report.value(T, row, "published_total_count")?;
            (new > total).then(|| {
                Finding::new(
                    "proactive.published_bound",
                    format!("{row}: {new} newly published but {total} published in total"),
                )
                .cells([cell_name(T, row, "new_published_count"), cell_name(T, row, "published_total_count")])
                .values(Some(total), Some(new))
            })
        })
        .collect()
}

/// I2.5 (W, std_2021): the fee amount is in 万元; a cell that prints 元 without 万 is suspect.
pub fn fee_unit(report: &Report) -> Vec<Finding> {
    let Some(fact) = report.fact(T, "admin_fees", "fee_amount") else { return Vec::new() };
    match fact.unit.as_deref() {
        Some("元") => vec![
            Finding::new(
                "proactive.fee_unit",
                format!("admin_fees.fee_amount is printed as '{}': the column is in 万元, the cell says 元", fact.raw),
            )
            .cells([cell_name(T, "admin_fees", "fee_amount")]),
        ],
        _ => Vec::new(),
    }
}

/// I2.6 (W): 规章 are made only by province- and prefecture-level governments; a county or
/// township report with non-zero 规章 counts is suspect.
pub fn rule_making_power(report: &Report) -> Vec<Finding> {
    if !matches!(report.meta.level, Some(Level::County | Level::Township)) {
        return Vec::new();
    }
    report
        .facts
        .iter()
        .filter(|f| f.table == T && f.row == "rules" && f.value.is_some_and(|v| v > 0.0))
        .map(|f| {
            Finding::new(
                "proactive.rule_making_power",
                format!(
                    "rules.{} is {} for a {}-level agency, which cannot make 规章",
                    f.col,
                    f.raw,
                    report.meta.level.map_or("", |l| l.id())
                ),
            )
            .cells([cell_name(T, "rules", f.col)])
        })
        .collect()
}
