//! Section 四 identities (format-spec §5.2): each block's 总计 is the sum of its four outcomes.

use super::{differs, printed_sum};
use crate::model::{APPEAL_PARTS, Finding};
use crate::normalize::Report;

fn block_sum(report: &Report, block: &str, rule: &str, name: &str) -> Vec<Finding> {
    let cell = |part: &str| format!("{block}_{part}");
    let Some(total) = report.value(crate::model::Table::Appeals, &cell("total"), "") else { return Vec::new() };
    let parts: Vec<Option<f64>> =
        APPEAL_PARTS[..4].iter().map(|p| report.value(crate::model::Table::Appeals, &cell(p), "")).collect();
    let Some(sum) = printed_sum(&parts) else { return Vec::new() };
    if !differs(sum, total) {
        return Vec::new();
    }
    vec![
        Finding::new(
            rule,
            format!("{name}: 总计 is printed as {total} but 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {sum}"),
        )
        .cells(
            std::iter::once(format!("appeals.{}", cell("total")))
                .chain(APPEAL_PARTS[..4].iter().map(|p| format!("appeals.{}", cell(p)))),
        )
        .values(Some(sum), Some(total)),
    ]
}

/// I4.1 (E): review_total = review_upheld + review_corrected + review_other + review_pending.
pub fn review_sum(report: &Report) -> Vec<Finding> {
    block_sum(report, "review", "appeals.review_sum", "行政复议")
}

/// I4.2 (E): litigation_direct_total = the sum of its four outcomes (未经复议直接起诉).
pub fn litigation_direct_sum(report: &Report) -> Vec<Finding> {
    block_sum(report, "litigation_direct", "appeals.litigation_direct_sum", "行政诉讼 未经复议直接起诉")
}

/// I4.3 (E): litigation_after_review_total = the sum of its four outcomes (复议后起诉).
pub fn litigation_after_review_sum(report: &Report) -> Vec<Finding> {
    block_sum(report, "litigation_after_review", "appeals.litigation_after_review_sum", "行政诉讼 复议后起诉")
}
