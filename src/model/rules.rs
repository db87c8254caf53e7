//! The rule catalogue: every check xxgk runs — reader rules, identities, prose checks and corpus
//! checks — with its id, the identity of the format spec it enforces, its severity, what it
//! states and where the spec says so. A [`Finding`](super::Finding) names its rule by id and
//! takes its identity and severity from here; `xxgk check --rules` prints this table and
//! `docs/RULES.md` is generated from it (`tests/it/layout.rs` keeps the two in step).

use std::fmt;

use super::Severity;

/// Which stage raises a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// While reading a table: a row or cell the reader could not place or read.
    Reader,
    /// An accounting identity of one report's tables (format-spec §5.1–5.3).
    Identity,
    /// A figure in prose against the table (format-spec §5.4).
    Prose,
    /// Across reports: consecutive years of one agency, or two versions of one report.
    Corpus,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Reader => "reader",
            Stage::Identity => "identity",
            Stage::Prose => "prose",
            Stage::Corpus => "corpus",
        })
    }
}

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The id findings carry (`requests.balance`).
    pub id: &'static str,
    /// The identity of format-spec §5 it enforces (`I3.3`, `P4`), empty for reader and corpus
    /// rules that are not identities.
    pub identity: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    /// What holds in a report that passes it.
    pub statement: &'static str,
    /// Where the specs say so (`docs/format-spec.md` §…, `docs/SCHEMA.md` …).
    pub spec: &'static str,
}

const fn rule(
    id: &'static str,
    identity: &'static str,
    severity: Severity,
    stage: Stage,
    statement: &'static str,
    spec: &'static str,
) -> Rule {
    Rule { id, identity, severity, stage, statement, spec }
}

use Severity::{Error as E, Warning as W};
use Stage::{Corpus, Identity, Prose, Reader};

/// Every rule, by stage and table.
pub const RULES: &[Rule] = &[
    // Reading the tables.
    rule(
        "proactive.missing",
        "",
        E,
        Reader,
        "the report has a section 二 table (主动公开政府信息情况) the reader found",
        "format-spec §1.2",
    ),
    rule(
        "requests.missing",
        "",
        E,
        Reader,
        "the report has a section 三 table (收到和处理政府信息公开申请情况) the reader found",
        "format-spec §1.2",
    ),
    rule(
        "appeals.missing",
        "",
        E,
        Reader,
        "the report has a section 四 table (行政复议、行政诉讼情况) the reader found",
        "format-spec §1.2",
    ),
    rule(
        "report.legacy_era",
        "",
        W,
        Reader,
        "a 2008–2018 report prints a statistics table (政府信息公开情况统计表) the reader found (without one only metadata and prose are read)",
        "format-spec §3",
    ),
    rule(
        "legacy.flattened",
        "",
        W,
        Reader,
        "the legacy statistics table keeps its cell structure (a table printed as running text is recovered from its labels, units and numbers, and says so)",
        "format-spec §3; SCHEMA.md, legacy",
    ),
    rule(
        "legacy.split_digit_run",
        "",
        W,
        Reader,
        "every legacy cell is printed apart from its neighbour (a run of digits is split into 本年度 | 历年累计 only when exactly one split satisfies the identities)",
        "SCHEMA.md, legacy",
    ),
    rule(
        "legacy.unreadable",
        "",
        E,
        Reader,
        "every cell of the legacy statistics table reads as a number or a blank (a digit run that several splits satisfy is left unread)",
        "SCHEMA.md, legacy",
    ),
    rule(
        "legacy.one_value",
        "",
        W,
        Reader,
        "every row of a two-column legacy table prints two values (a row with one is read as 本年度, 历年累计 blank)",
        "SCHEMA.md, legacy",
    ),
    rule(
        "legacy.unknown_label",
        "",
        W,
        Reader,
        "every row of the legacy table is one of the legacy ids, printed once (others are kept by label in legacy_other)",
        "SCHEMA.md, legacy",
    ),
    rule(
        "meta.agency_ambiguous",
        "",
        W,
        Reader,
        "the agency's name as printed names one administrative division (a name that matches several is not guessed; --meta decides)",
        "SCHEMA.md, agency identity",
    ),
    rule(
        "requests.unknown_label",
        "",
        W,
        Reader,
        "every printed row of section 三 carries a label of the format (or a known variant)",
        "format-spec §1.4, §2.3",
    ),
    rule(
        "requests.unreadable_row",
        "",
        E,
        Reader,
        "every cell of a section 三 row reads as a number or a blank",
        "format-spec §4.1",
    ),
    rule(
        "requests.row_order",
        "",
        W,
        Reader,
        "the section 三 rows stand in the printed order of the format",
        "format-spec §1.4",
    ),
    rule("requests.duplicate_row", "", E, Reader, "no section 三 row is printed twice", "format-spec §1.4"),
    rule("requests.extra_row", "", W, Reader, "section 三 has no rows beyond those of its format", "format-spec §1.4"),
    rule(
        "requests.split_number_joined",
        "",
        W,
        Reader,
        "a number the layout split across two cells is joined only where the row sum decides it",
        "format-spec §4.1",
    ),
    rule(
        "requests.placed_detached_value",
        "",
        W,
        Reader,
        "a value printed apart from its label is placed in the row the layout implies",
        "format-spec §4.1",
    ),
    rule("requests.unplaced_value", "", W, Reader, "every value of section 三 is placed in a row", "format-spec §4.1"),
    rule(
        "proactive.unreadable_row",
        "",
        E,
        Reader,
        "every cell of a section 二 row reads as a number or a blank",
        "format-spec §4.3",
    ),
    rule(
        "proactive.placed_detached_value",
        "",
        W,
        Reader,
        "a value printed apart from its label is placed in the row the layout implies",
        "format-spec §4.3",
    ),
    rule(
        "appeals.unreadable",
        "",
        E,
        Reader,
        "every cell of section 四 reads as a number or a blank",
        "format-spec §4.5",
    ),
    rule(
        "report.flattened_table",
        "",
        W,
        Reader,
        "the tables of sections 二–四 keep their cell structure (a table printed as running text is recovered from the official row and column order and its identities, each recovered cell placed `recovered`, and says so)",
        "format-spec §6; README, reading",
    ),
    // Identities of one report.
    rule(
        "requests.row_sum",
        "I3.1",
        E,
        Identity,
        "for every row: 总计 = 自然人 + the five 法人或其他组织 columns",
        "format-spec §5.1",
    ),
    rule(
        "requests.outcome_sum",
        "I3.2",
        E,
        Identity,
        "for every column: （七）总计 = the sum of the outcome leaves (21 in 2021, 19 in 2019)",
        "format-spec §5.1",
    ),
    rule(
        "requests.balance",
        "I3.3",
        E,
        Identity,
        "for every column: 一 new_received + 二 carried_over = 三 processed_total + 四 carried_forward",
        "format-spec §5.1",
    ),
    rule("requests.domain", "I3.4", E, Identity, "every section 三 cell is a whole number ≥ 0", "format-spec §5.1"),
    rule(
        "requests.other_split",
        "I3.5",
        E,
        Identity,
        "2021: （六）其他处理 = its three sub-rows, where both are printed",
        "format-spec §5.1",
    ),
    rule(
        "requests.subtotal",
        "I3.6",
        E,
        Identity,
        "every printed 小计 (不予公开, 无法提供, 不予处理) = the sum of its rows",
        "format-spec §5.1",
    ),
    rule(
        "requests.intake_bound",
        "I3.9",
        E,
        Identity,
        "processed_total.total ≤ new_received.total + carried_over.total",
        "format-spec §5.1",
    ),
    rule(
        "appeals.review_sum",
        "I4.1",
        E,
        Identity,
        "行政复议 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        "format-spec §5.2",
    ),
    rule(
        "appeals.litigation_direct_sum",
        "I4.2",
        E,
        Identity,
        "未经复议直接起诉 总计 = the sum of its four outcomes",
        "format-spec §5.2",
    ),
    rule(
        "appeals.litigation_after_review_sum",
        "I4.3",
        E,
        Identity,
        "复议后起诉 总计 = the sum of its four outcomes",
        "format-spec §5.2",
    ),
    rule("appeals.domain", "I4.4", E, Identity, "every section 四 cell is a whole number ≥ 0", "format-spec §5.2"),
    rule(
        "proactive.domain",
        "I2.1",
        E,
        Identity,
        "every section 二 count is a whole number ≥ 0; the fee amount (万元) ≥ 0",
        "format-spec §5.3",
    ),
    rule(
        "proactive.published_bound",
        "I2.3",
        W,
        Identity,
        "2019 format: documents newly published ≤ documents published in total",
        "format-spec §5.3",
    ),
    rule(
        "proactive.fee_unit",
        "I2.5",
        W,
        Identity,
        "2021 format: the fee amount is in 万元 (a cell printing 元 without 万 is suspect)",
        "format-spec §5.3",
    ),
    rule(
        "proactive.rule_making_power",
        "I2.6",
        W,
        Identity,
        "规章 counts are non-zero only for province- and prefecture-level governments",
        "format-spec §5.3",
    ),
    rule(
        "legacy.channel_sum",
        "L1",
        E,
        Identity,
        "legacy, per column: 受理申请总数 = the sum of the channel rows printed (当面, 传真, 电子邮件, 网上, 信函, 信函、传真, 其它形式)",
        "format-spec §5.5",
    ),
    rule(
        "legacy.reply_sum",
        "L2",
        E,
        Identity,
        "legacy, per column: 对申请的答复总数 = the sum of the reply kinds printed (同意公开, 同意部分公开, 否决/不予公开, 其他类型)",
        "format-spec §5.5",
    ),
    rule(
        "legacy.year_within_cumulative",
        "L8",
        E,
        Identity,
        "legacy, every row: 本年度 ≤ 历年累计",
        "format-spec §5.5",
    ),
    rule(
        "legacy.proactive_parts",
        "L9",
        W,
        Identity,
        "legacy, per column: 网站公开 + 政府公报公开 ≤ 主动公开信息数 (other channels may make up the rest)",
        "format-spec §5.5",
    ),
    // Prose against the tables.
    rule(
        "prose.requests_received",
        "P1",
        W,
        Prose,
        "收到/新收/受理 … 申请 N 件 = new_received.total (or + carried_over where the phrase says 含上年结转)",
        "format-spec §5.4",
    ),
    rule("prose.requests_processed", "P2", W, Prose, "办结/答复/办理 N 件 = processed_total.total", "format-spec §5.4"),
    rule("prose.granted", "P3", W, Prose, "予以公开 N 件 = granted.total", "format-spec §5.4"),
    rule("prose.partially_granted", "P3", W, Prose, "部分公开 N 件 = partially_granted.total", "format-spec §5.4"),
    rule(
        "prose.disclosed_total",
        "P3",
        W,
        Prose,
        "公开（含部分公开）N 件 = granted.total + partially_granted.total",
        "format-spec §5.4",
    ),
    rule("prose.refused_total", "P3", W, Prose, "不予公开 N 件 = refused_total.total", "format-spec §5.4"),
    rule("prose.unavailable_total", "P3", W, Prose, "无法提供 N 件 = unavailable_total.total", "format-spec §5.4"),
    rule("prose.not_processed_total", "P3", W, Prose, "不予处理 N 件 = not_processed_total.total", "format-spec §5.4"),
    rule("prose.other_total", "P3", W, Prose, "其他处理 N 件 = other_total.total", "format-spec §5.4"),
    rule(
        "prose.outcome_share",
        "P4",
        W,
        Prose,
        "占 X% after an outcome = outcome.total / processed_total.total (±0.1 point)",
        "format-spec §5.4",
    ),
    rule("prose.carried_forward", "P5", W, Prose, "结转下年度 / 顺延 N 件 = carried_forward.total", "format-spec §5.4"),
    rule("prose.review_total", "P6", W, Prose, "行政复议 N 件 = review_total", "format-spec §5.4"),
    rule(
        "prose.litigation_total",
        "P7",
        W,
        Prose,
        "行政诉讼 N 件 = litigation_direct_total + litigation_after_review_total (or the direct suits alone)",
        "format-spec §5.4",
    ),
    rule("prose.review_zero_corrected", "P8", W, Prose, "未被纠错 ⇒ review_corrected = 0", "format-spec §5.4"),
    rule(
        "prose.litigation_zero_lost",
        "P8",
        W,
        Prose,
        "零败诉 ⇒ the corrected cells of both litigation blocks are 0",
        "format-spec §5.4",
    ),
    // Across reports.
    rule(
        "cross_year.carry_over",
        "I3.7",
        W,
        Corpus,
        "carried_over(Y) = carried_forward(Y−1) of the same agency, per applicant column",
        "format-spec §5.1",
    ),
    rule(
        "cross_year.in_force_chain",
        "I2.2",
        W,
        Corpus,
        "in force(Y) = in force(Y−1) + issued(Y) − repealed(Y), 2021 format both years",
        "format-spec §5.3",
    ),
    rule(
        "cross_year.legacy_cumulative",
        "L10",
        W,
        Corpus,
        "legacy table, same agency: 历年累计(Y) − 历年累计(Y−1) = 本年度(Y), per row printed in both years",
        "format-spec §5.5",
    ),
    rule(
        "cross_year.jump",
        "",
        W,
        Corpus,
        "a headline count changes less than fivefold between consecutive years (from at least 20)",
        "METRICS.md, plausibility",
    ),
    rule(
        "versions.figures_differ",
        "",
        W,
        Corpus,
        "two versions of one agency's report of one year print the same figures",
        "SCHEMA.md, versions",
    ),
];

/// The rule with this id.
///
/// # Panics
/// When `id` is not in the catalogue: a check that raises a finding of a rule it did not
/// declare is a defect of xxgk (each file is read inside `catch_unwind`, so it becomes a reject
/// naming the rule, never a finding nobody can look up).
pub fn rule_of(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("rule {id} is not in the rule catalogue (src/model/rules.rs)"))
}

/// The catalogue as Markdown: `docs/RULES.md` is this text.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nEvery check xxgk runs, generated from `src/model/rules.rs` (`xxgk check --rules --markdown`; \
         a test keeps this file in step). A finding names its rule; E (error) rules are the \
         identities a report's own figures must satisfy and the cells that must be readable, W \
         (warning) rules are plausibility, prose and placements the reader had to decide.\n\n\
         | rule | identity | severity | stage | statement | spec |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            r.id,
            r.identity,
            r.severity.id(),
            r.stage,
            r.statement.replace('|', "\\|"),
            r.spec
        ));
    }
    out
}

/// Each rule's statement in Chinese, for the briefing and other Chinese output (a test keeps it
/// in step with [`RULES`]: one entry per rule, in the same order).
pub const STATEMENTS_ZH: &[(&str, &str)] = &[
    ("proactive.missing", "报告含第二部分（主动公开政府信息情况）表格"),
    ("requests.missing", "报告含第三部分（收到和处理政府信息公开申请情况）表格"),
    ("appeals.missing", "报告含第四部分（政府信息公开行政复议、行政诉讼情况）表格"),
    ("report.legacy_era", "2008–2018 年报告印有政府信息公开情况统计表且已读取（没有时仅读取元数据与正文）"),
    ("legacy.flattened", "旧式统计表保留单元格结构（印成连续文字的表格按标签、单位和数字恢复，并注明）"),
    (
        "legacy.split_digit_run",
        "旧式统计表每个单元格与相邻单元格分开印刷（连写的数字只在恰有一种拆分满足勾稽关系时拆为本年度 | 历年累计）",
    ),
    ("legacy.unreadable", "旧式统计表每个单元格都能读作数字或空白（多种拆分都成立的连写数字不读取）"),
    ("legacy.one_value", "两列旧式统计表每行印两个数值（只印一个的行读作本年度，历年累计为空）"),
    ("legacy.unknown_label", "旧式统计表每行都是已知指标且只印一次（其他行按所印标签保留在 legacy_other）"),
    ("meta.agency_ambiguous", "所印机关名称只对应一个行政区划（对应多个时不猜测，由 --meta 指定）"),
    ("requests.unknown_label", "第三部分每一印刷行都带有格式规定的标签（或已知变体）"),
    ("requests.unreadable_row", "第三部分每行的每个单元格都能读作数字或空白"),
    ("requests.row_order", "第三部分各行按格式规定的顺序印刷"),
    ("requests.duplicate_row", "第三部分没有重复印刷的行"),
    ("requests.extra_row", "第三部分没有格式之外的行"),
    ("requests.split_number_joined", "版面拆开的数字只在行合计能确定时才合并"),
    ("requests.placed_detached_value", "与标签分开印刷的数值按版面所示归入相应行"),
    ("requests.unplaced_value", "第三部分每个数值都归入了某一行"),
    ("proactive.unreadable_row", "第二部分每行的每个单元格都能读作数字或空白"),
    ("proactive.placed_detached_value", "与标签分开印刷的数值按版面所示归入相应行"),
    ("appeals.unreadable", "第四部分每个单元格都能读作数字或空白"),
    (
        "report.flattened_table",
        "第二至四部分表格保留单元格结构（印成连续文字的表格按格式规定的行列顺序和勾稽关系恢复，并注明）",
    ),
    ("requests.row_sum", "每一行：总计 = 自然人 + 五类法人或其他组织"),
    ("requests.outcome_sum", "每一列：（七）总计 = 各办理结果末级项之和（2021 年格式 21 项，2019 年格式 19 项）"),
    ("requests.balance", "每一列：一、本年新收 + 二、上年结转 = 三、本年度办理结果 + 四、结转下年度继续办理"),
    ("requests.domain", "第三部分每个单元格都是非负整数"),
    ("requests.other_split", "2021 年格式：（六）其他处理 = 其下三个子项之和（两者都印刷时）"),
    ("requests.subtotal", "每个印刷的小计（不予公开、无法提供、不予处理）= 其下各行之和"),
    ("requests.intake_bound", "办理结果总计 ≤ 本年新收 + 上年结转"),
    ("appeals.review_sum", "行政复议 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),
    ("appeals.litigation_direct_sum", "未经复议直接起诉 总计 = 其四项结果之和"),
    ("appeals.litigation_after_review_sum", "复议后起诉 总计 = 其四项结果之和"),
    ("appeals.domain", "第四部分每个单元格都是非负整数"),
    ("proactive.domain", "第二部分各项数量为非负整数；收费金额（万元）≥ 0"),
    ("proactive.published_bound", "2019 年格式：本年新公开数量 ≤ 对外公开总数量"),
    ("proactive.fee_unit", "2021 年格式：收费金额以万元计（印“元”而无“万”的单元格存疑）"),
    ("proactive.rule_making_power", "规章数量只在省级、设区的市级政府不为零"),
    ("legacy.channel_sum", "旧式统计表每列：受理申请总数 = 所印各申请方式之和"),
    ("legacy.reply_sum", "旧式统计表每列：对申请的答复总数 = 所印各答复类型之和"),
    ("legacy.year_within_cumulative", "旧式统计表每行：本年度 ≤ 历年累计"),
    ("legacy.proactive_parts", "旧式统计表每列：网站公开 + 政府公报公开 ≤ 主动公开信息数"),
    ("prose.requests_received", "正文“收到/新收/受理……申请 N 件” = 本年新收总计（言明含上年结转时加上年结转）"),
    ("prose.requests_processed", "正文“办结/答复/办理 N 件” = 办理结果总计"),
    ("prose.granted", "正文“予以公开 N 件” = 予以公开总计"),
    ("prose.partially_granted", "正文“部分公开 N 件” = 部分公开总计"),
    ("prose.disclosed_total", "正文“公开（含部分公开）N 件” = 予以公开 + 部分公开"),
    ("prose.refused_total", "正文“不予公开 N 件” = 不予公开总计"),
    ("prose.unavailable_total", "正文“无法提供 N 件” = 无法提供总计"),
    ("prose.not_processed_total", "正文“不予处理 N 件” = 不予处理总计"),
    ("prose.other_total", "正文“其他处理 N 件” = 其他处理总计"),
    ("prose.outcome_share", "正文某办理结果“占 X%” = 该结果 ÷ 办理结果总计（误差 ±0.1 个百分点）"),
    ("prose.carried_forward", "正文“结转下年度/顺延 N 件” = 结转下年度继续办理总计"),
    ("prose.review_total", "正文“行政复议 N 件” = 行政复议总计"),
    ("prose.litigation_total", "正文“行政诉讼 N 件” = 两类行政诉讼总计之和（或仅直接起诉）"),
    ("prose.review_zero_corrected", "正文“未被纠错” ⇒ 行政复议结果纠正为 0"),
    ("prose.litigation_zero_lost", "正文“零败诉” ⇒ 两类行政诉讼的结果纠正均为 0"),
    ("cross_year.carry_over", "同一机关：本年上年结转 = 上一年结转下年度继续办理（逐申请人列）"),
    (
        "cross_year.in_force_chain",
        "现行有效件数(本年) = 现行有效件数(上年) + 本年制发 − 本年废止（两年均为 2021 年格式）",
    ),
    (
        "cross_year.legacy_cumulative",
        "旧式统计表，同一机关：历年累计(本年) − 历年累计(上年) = 本年度(本年)（两年都印的行）",
    ),
    ("cross_year.jump", "相邻两年的核心数量变化不超过五倍（基数至少 20）"),
    ("versions.figures_differ", "同一机关同一年度报告的两个版本印刷的数字相同"),
];

impl Rule {
    /// The statement in Chinese ([`STATEMENTS_ZH`]); the English one if none is written.
    pub fn statement_zh(&self) -> &'static str {
        STATEMENTS_ZH.iter().find(|(id, _)| *id == self.id).map_or(self.statement, |(_, zh)| zh)
    }
}

#[cfg(test)]
mod zh_tests {
    use super::*;

    #[test]
    fn every_rule_has_a_chinese_statement_in_catalogue_order() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let zh: Vec<&str> = STATEMENTS_ZH.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, zh);
    }
}
