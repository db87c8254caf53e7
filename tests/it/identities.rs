//! Property tests: a generated balanced report passes every identity; changing one cell makes
//! exactly the identities on its path fail.

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;
use xxgk::model::{APPLICANT_COLUMNS, Severity, outcome_leaves};
use xxgk::normalize::Report;

use crate::common::process_text;

const LABELS: &[(&str, &str)] = &[
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果 | (一)予以公开"),
    ("partially_granted", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("refused_state_secret", "(三)不予公开 | 1.属于国家秘密"),
    ("refused_law_prohibited", "2.其他法律行政法规禁止公开"),
    ("refused_security_stability", "3.危及“三安全一稳定”"),
    ("refused_third_party_rights", "4.保护第三方合法权益"),
    ("refused_internal_affairs", "5.属于三类内部事务信息"),
    ("refused_process_info", "6.属于四类过程性信息"),
    ("refused_enforcement_file", "7.属于行政执法案卷"),
    ("refused_admin_query", "8.属于行政查询事项"),
    ("unavailable_not_held", "(四)无法提供 | 1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确"),
    ("not_processed_petition", "(五)不予处理 | 1.信访举报投诉类申请"),
    ("not_processed_duplicate", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_excessive", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_correction_overdue", "(六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "3.其他"),
    ("processed_total", "(七)总计"),
    ("carried_forward", "四、结转下年度继续办理"),
];

/// A balanced section 三 (21 leaves × 6 applicant columns, carry-in, carry-out) and section 四.
#[derive(Debug, Clone)]
struct Balanced {
    leaves: Vec<[u32; 6]>,
    carried_over: [u32; 6],
    carried_forward: [u32; 6],
    appeals: [[u32; 4]; 3],
}

fn balanced() -> impl Strategy<Value = Balanced> {
    let cell = prop_oneof![3 => Just(0u32), 2 => 0u32..40];
    let row = prop::array::uniform6(cell.clone());
    (prop::collection::vec(row.clone(), 21), row.clone(), row, prop::array::uniform3(prop::array::uniform4(0u32..9)))
        .prop_map(|(leaves, carried_over, carried_forward, appeals)| Balanced {
            leaves,
            carried_over,
            carried_forward,
            appeals,
        })
}

fn render(b: &Balanced) -> String {
    let mut rows: Vec<(&str, [u32; 6])> = Vec::new();
    let processed: [u32; 6] = std::array::from_fn(|c| b.leaves.iter().map(|l| l[c]).sum());
    let new: [u32; 6] = std::array::from_fn(|c| {
        processed[c] + b.carried_forward[c] - b.carried_over[c].min(processed[c] + b.carried_forward[c])
    });
    let carried: [u32; 6] = std::array::from_fn(|c| processed[c] + b.carried_forward[c] - new[c]);
    rows.push(("new_received", new));
    rows.push(("carried_over", carried));
    for (i, leaf) in b.leaves.iter().enumerate() {
        rows.push((LABELS[i + 2].0, *leaf));
    }
    rows.push(("processed_total", processed));
    rows.push(("carried_forward", b.carried_forward));
    let mut text = String::from(
        "测试县人民政府2023年政府信息公开工作年度报告\n本报告中所列数据统计期限从2023年1月1日到12月31日止。\n一、总体情况\n正文。\n二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 3 | 1 | 20 |\n行政许可 | 120 | ||\n行政处罚 | 30 | ||\n行政强制 | 2 | ||\n行政事业性收费 | 1.5 | ||\n三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||\n自然人 | 法人或其他组织 | 总计 | |||||||\n",
    );
    for (id, values) in rows {
        let label = LABELS.iter().find(|(l, _)| *l == id).unwrap().1;
        let total: u32 = values.iter().sum();
        let cells: Vec<String> = values.iter().chain(std::iter::once(&total)).map(|v| v.to_string()).collect();
        text.push_str(&format!("{label} | {} | ||\n", cells.join(" | ")));
    }
    text.push_str("四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 | |||||||||||||\n");
    let cells: Vec<String> = b
        .appeals
        .iter()
        .flat_map(|block| block.iter().copied().chain(std::iter::once(block.iter().sum())))
        .map(|v| v.to_string())
        .collect();
    text.push_str(&format!(
        "{} |\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n",
        cells.join(" | ")
    ));
    text
}

/// (rule, which row/column/block) of the error findings.
fn failing(report: &Report) -> BTreeSet<(String, String)> {
    xxgk::validate::check(report)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            let first = f.cells.first().cloned().unwrap_or_default();
            let parts: Vec<&str> = first.split('.').collect();
            let key = match f.rule.as_str() {
                "requests.row_sum" => parts[1].to_string(),
                "requests.outcome_sum" | "requests.balance" => parts[2].to_string(),
                _ => String::new(),
            };
            (f.rule, key)
        })
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_balanced_report_passes_every_identity(b in balanced()) {
        let (report, findings) = process_text(Path::new("generated.txt"), &render(&b));
        let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
        prop_assert_eq!(report.facts.iter().filter(|f| f.table == xxgk::model::Table::Requests).count(), 25 * 7);
        prop_assert_eq!(report.facts.iter().filter(|f| f.table == xxgk::model::Table::Appeals).count(), 15);
    }

    #[test]
    fn changing_one_cell_fails_exactly_the_identities_on_its_path(
        b in balanced(),
        row_pick in 0usize..25,
        col_pick in 0usize..7,
        block_pick in 0usize..3,
        part_pick in 0usize..5,
        delta in 1u32..5,
        in_appeals in proptest::bool::weighted(0.2),
    ) {
        let (mut report, _) = process_text(Path::new("generated.txt"), &render(&b));
        if in_appeals {
            let block = ["review", "litigation_direct", "litigation_after_review"][block_pick];
            let cell = format!("{block}_{}", ["upheld", "corrected", "other", "pending", "total"][part_pick]);
            let v = report.value(xxgk::model::Table::Appeals, &cell, "").unwrap();
            prop_assert!(report.set_value(xxgk::model::Table::Appeals, &cell, "", Some(v + delta as f64)));
            let rule = ["appeals.review_sum", "appeals.litigation_direct_sum", "appeals.litigation_after_review_sum"][block_pick];
            prop_assert_eq!(failing(&report), set(&[(rule, "")]));
        } else {
            let row = LABELS[row_pick].0;
            let col = APPLICANT_COLUMNS[col_pick];
            let v = report.value(xxgk::model::Table::Requests, row, col).unwrap();
            prop_assert!(report.set_value(xxgk::model::Table::Requests, row, col, Some(v + delta as f64)));
            let mut expected = vec![("requests.row_sum", row)];
            let leaves = outcome_leaves(false);
            if leaves.contains(&row) || row == "processed_total" {
                expected.push(("requests.outcome_sum", col));
            }
            if ["new_received", "carried_over", "processed_total", "carried_forward"].contains(&row) {
                expected.push(("requests.balance", col));
            }
            prop_assert_eq!(failing(&report), set(&expected));
        }
    }
}
