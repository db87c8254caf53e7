//! Identities of the legacy statistics table (format-spec §5.5): the channel rows sum to the
//! requests received (L1), the reply kinds to the replies (L2), every 本年度 is at most its
//! 历年累计 (L8), and the website and gazette rows are at most the items published (L9). Blocks
//! are defined once in [`crate::model::legacy::LEGACY_BLOCKS`]; a blank part counts as 0 only when
//! another part of the block is printed, and a block whose total is blank, or with a part left
//! unread, is not checked.

use crate::model::Finding;
use crate::model::legacy::LEGACY_BLOCKS;
use crate::normalize::{LegacyRow, Report};

/// L1, L2 (E) and L9 (W): each block's parts against its total, per column.
pub fn block_sums(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for block in LEGACY_BLOCKS {
        let Some(total) = row(report, block.total) else { continue };
        let parts: Vec<&LegacyRow> = block.parts.iter().filter_map(|p| row(report, p)).collect();
        for (column, name) in [(0, "year"), (1, "cumulative")] {
            let Some(t) = value(total, column) else { continue };
            // A part left unread is unknown, not blank: the identity cannot be evaluated.
            if parts.iter().any(|p| unread(p, column)) {
                continue;
            }
            let values: Vec<Option<f64>> = parts.iter().map(|p| value(p, column)).collect();
            let Some(sum) = super::printed_sum(&values) else { continue };
            let broken = if block.exact { super::differs(sum, t) } else { sum > t + 1e-6 };
            if broken {
                let relation = if block.exact { "=" } else { "≤" };
                let mut cells = vec![format!("legacy.{}.{name}", block.total)];
                cells.extend(parts.iter().filter_map(|p| p.id).map(|id| format!("legacy.{id}.{name}")));
                out.push(
                    Finding::new(
                        block.rule,
                        format!(
                            "legacy {name}: the parts of {} sum to {sum}, which should be {relation} its printed {t} ({})",
                            block.total, total.locator
                        ),
                    )
                    .cells(cells)
                    .values(Some(t), Some(sum)),
                );
            }
        }
    }
    out
}

/// L8 (E): 本年度 ≤ 历年累计 on every row that prints both.
pub fn year_within_cumulative(report: &Report) -> Vec<Finding> {
    report
        .legacy
        .iter()
        .filter_map(|r| {
            let (y, c) = (value(r, 0)?, value(r, 1)?);
            (y > c + 1e-6).then(|| {
                Finding::new(
                    "legacy.year_within_cumulative",
                    format!("{}: 本年度 {y} exceeds 历年累计 {c} ({})", r.cell_name(), r.locator),
                )
                .cells([r.cell_name()])
                .values(Some(c), Some(y))
            })
        })
        .collect()
}

fn row<'a>(report: &'a Report, id: &str) -> Option<&'a LegacyRow> {
    report.legacy.iter().find(|r| r.id == Some(id))
}

fn unread(row: &LegacyRow, column: usize) -> bool {
    let cell = if column == 0 { Some(&row.year) } else { row.cumulative.as_ref() };
    cell.is_some_and(|c| c.blank_kind == crate::model::BlankKind::Unreadable)
}

fn value(row: &LegacyRow, column: usize) -> Option<f64> {
    if column == 0 { row.year.value } else { row.cumulative.as_ref().and_then(|c| c.value) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_text;
    use crate::normalize::report;

    fn table(rows: &str) -> Report {
        let text = format!(
            "标题: 某县2015年政府信息公开工作年度报告\n一、 概述 二、主动公开政府信息情况 七、统计表 指标名称 计量单位 2015年度 历年累计 {rows} 附件下载\n"
        );
        report(&read_text(std::path::Path::new("x.txt"), &text), None)
    }

    #[test]
    fn flags_channels_that_do_not_sum_to_requests_received() {
        let r = table("受理依申请公开信息总数 条 5 9 其中：1.当面申请数 条 2 4 2.网上申请数 条 2 5");
        let f = block_sums(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "legacy.channel_sum");
        assert!(f[0].cells.contains(&"legacy.requests_received.year".to_string()));
        assert_eq!((f[0].expected, f[0].actual), (Some(5.0), Some(4.0)));
    }

    #[test]
    fn flags_a_year_above_its_cumulative_and_keeps_it_as_printed() {
        let r = table("行政复议数 件 3 2");
        let f = year_within_cumulative(&r);
        assert_eq!(f.len(), 1);
        assert_eq!(r.legacy[0].year.value, Some(3.0));
    }

    #[test]
    fn a_balanced_table_gives_no_identity_findings() {
        let r = table(
            "对申请的答复总数 条 3 7 其中：1.同意公开答复数 条 2 5 2.同意部分公开答复数 条 1 1 3.不予公开答复数 条 0 1",
        );
        assert_eq!(r.legacy.len(), 4);
        assert!(block_sums(&r).is_empty());
        assert!(year_within_cumulative(&r).is_empty());
    }
}
