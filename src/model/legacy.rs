//! The legacy-era (2008–2018) statistics table 政府信息公开情况统计表 (SCHEMA.md, `legacy`): its
//! row ids with their printed labels and variants, the parts that sum to a total, the units and
//! column headers it prints, and the prose statements that can corroborate a figure. One
//! definition: the reader, the identities, the record and the warehouse all read these tables.

/// Row ids in the order of the usual printed table, with their labels (the first is the common
/// one; the rest are provincial and yearly variants and misprints). Labels are compared after
/// `normalize::label::normalize_label` (spaces, punctuation and `1.` numbering removed) with a
/// leading `其中` dropped.
pub const LEGACY_ROW_LABELS: &[(&str, &[&str])] = &[
    ("proactive_total", &["主动公开信息数", "主动公开文件数", "主动公开信息总数"]),
    ("proactive_website", &["网站公开", "政府网站公开数", "网站公开数", "政府网站公开"]),
    ("proactive_gazette", &["政府公报公开", "政府公报公开数"]),
    (
        "requests_received",
        &[
            "受理依申请公开信息总数",
            "受理政府信息依申请公开总数",
            "受理政府信息公开申请总数",
            "正式受理政府信息公开申请数",
            "受理依申请公开总数",
        ],
    ),
    ("channel_in_person", &["当面申请数"]),
    ("channel_fax", &["传真申请数"]),
    ("channel_email", &["电子邮件申请数"]),
    ("channel_online", &["网上申请数", "网站申请数", "网络申请数"]),
    ("channel_letter", &["信函申请数"]),
    ("channel_letter_fax", &["信函、传真申请数", "信函传真申请数"]),
    ("channel_other", &["其它形式申请数", "其他形式申请数"]),
    ("replies_total", &["对申请的答复数", "对申请的答复总数", "办结"]),
    ("replies_granted", &["同意公开答复数", "同意提供"]),
    ("replies_partially_granted", &["同意部分公开答复数"]),
    ("replies_refused", &["否决公开答复数", "不予公开答复数", "拒绝提供"]),
    ("replies_other", &["其他类型答复数", "其它类型答复数"]),
    (
        "fees_amount",
        &["政府信息公开收费金额", "政府信息公开收费减免金额", "政府信息公开收费及减免金额", "收费减免金额"],
    ),
    (
        "complaints",
        // `接受行政诉讼、举报数` is a misprint of 接受行政申诉、举报数 (2014–2015 Fujian template).
        &["行政申诉数", "接受行政申诉、举报数", "行政申诉、举报数", "接受行政诉讼、举报数"],
    ),
    ("review", &["行政复议数", "受理政府信息公开工作行政复议数"]),
    ("litigation", &["行政诉讼数", "收到政府信息公开工作行政诉讼数"]),
];

/// The row ids in printed order (the keys of the `legacy` record object).
pub fn legacy_ids() -> impl Iterator<Item = &'static str> {
    LEGACY_ROW_LABELS.iter().map(|(id, _)| *id)
}

/// Totals and the rows that are their parts (`其中` rows). `exact`: the parts sum to the total
/// (every channel and every reply kind is a row); otherwise the parts are at most the total
/// (items can be published elsewhere than on the website or in the gazette).
pub struct LegacyBlock {
    pub total: &'static str,
    pub parts: &'static [&'static str],
    pub exact: bool,
    /// The rule a broken block identity is reported under.
    pub rule: &'static str,
}

pub const LEGACY_BLOCKS: &[LegacyBlock] = &[
    LegacyBlock {
        total: "proactive_total",
        parts: &["proactive_website", "proactive_gazette"],
        exact: false,
        rule: "legacy.proactive_parts",
    },
    LegacyBlock {
        total: "requests_received",
        parts: &[
            "channel_in_person",
            "channel_fax",
            "channel_email",
            "channel_online",
            "channel_letter",
            "channel_letter_fax",
            "channel_other",
        ],
        exact: true,
        rule: "legacy.channel_sum",
    },
    LegacyBlock {
        total: "replies_total",
        parts: &["replies_granted", "replies_partially_granted", "replies_refused", "replies_other"],
        exact: true,
        rule: "legacy.reply_sum",
    },
];

/// The row whose unit is a currency (its unit is recorded: 元 or 万元).
pub const LEGACY_AMOUNT_ROW: &str = "fees_amount";

/// Units printed in the 计量单位 column: the cell units of [`super::labels::CELL_UNITS`] (one
/// list for every era).
pub use super::labels::CELL_UNITS as LEGACY_UNITS;

/// The words that open the table: 指标名称 (spaces allowed between its characters).
pub const LEGACY_TABLE_START: &str = "指标名称";
/// Column headers that end the header row: two value columns (本年度 | 历年累计) or one (数量).
pub const LEGACY_CUMULATIVE_HEADER: &str = "历年累计";
pub const LEGACY_SINGLE_HEADER: &str = "数量";

/// Prose statements of a row's figure (`主动公开政府信息2026条`): group 1 is the number. Used only
/// to choose among splits of a digit run that the table's own identities leave open.
pub const LEGACY_PROSE_FIGURES: &[(&str, &str)] = &[("proactive_total", r"主动公开[^，。；,;\d]{0,12}?(\d+)条")];

/// Words of the section headings of a legacy report (一、概述, 二、主动公开政府信息情况, …): a
/// crawler export that keeps them inline is a report even though no heading is on a line of its own.
pub const LEGACY_HEADINGS: &[&str] =
    &["概述", "主动公开政府信息", "依申请公开", "收费及减免", "行政复议", "存在的主要问题", "附表", "统计表"];

/// A legacy row mapped onto a 2019+ quantity: the one definition of the cross-era series (the
/// query view `era_series`, the trend query and chart over the 2018/2019 break, and the table of
/// SCHEMA.md, which a test keeps equal to this one). Every mapped figure is approximate: the two
/// templates count different things under similar names (`note` says how).
pub struct LegacyMapping {
    /// The legacy row id.
    pub legacy: &'static str,
    /// The 2019+ measure it continues: a SCHEMA.md id of section 三 (its `total` column) or
    /// section 四, or the derived `refused_total`; `litigation_total` is the two section 四
    /// litigation totals summed.
    pub measure: &'static str,
    /// The 2019+ cells summed for the measure (columns of the `report_wide` view).
    pub cells: &'static [&'static str],
    /// Display name of the series across both eras.
    pub label: &'static str,
    /// Why the two figures are only approximately the same quantity.
    pub note: &'static str,
}

/// The rows of the legacy table that continue as a 2019+ quantity. Rows left out have no sound
/// counterpart: proactive counts (section 二 counts documents by kind since 2019), channels (not
/// asked since 2019), `replies_total` (2019+ 办理结果总计 includes outcomes with no reply kind of
/// the old table), `replies_other`, fees (2019+ reports fees by charging notice) and complaints.
pub const LEGACY_MAPPING: &[LegacyMapping] = &[
    LegacyMapping {
        legacy: "requests_received",
        measure: "new_received",
        cells: &["new_received"],
        label: "新收申请",
        note: "legacy counts applications accepted (受理) in the year; 2019+ counts every new application (新收), accepted or not",
    },
    LegacyMapping {
        legacy: "replies_granted",
        measure: "granted",
        cells: &["granted"],
        label: "予以公开",
        note: "legacy counts replies 同意公开 given in the year; 2019+ counts outcomes 予以公开 of the applications processed",
    },
    LegacyMapping {
        legacy: "replies_partially_granted",
        measure: "partially_granted",
        cells: &["partially_granted"],
        label: "部分公开",
        note: "legacy 同意部分公开 replies; 2019+ 部分公开 outcomes (区分处理)",
    },
    LegacyMapping {
        legacy: "replies_refused",
        measure: "refused_total",
        cells: &["refused_total"],
        label: "不予公开",
        note: "legacy 否决/不予公开 replies also held information not held and applications not processed, which 2019+ counts apart (无法提供, 不予处理)",
    },
    LegacyMapping {
        legacy: "review",
        measure: "review_total",
        cells: &["review_total"],
        label: "行政复议",
        note: "legacy counts review cases received (受理) in the year; 2019+ counts cases by outcome, pending ones included",
    },
    LegacyMapping {
        legacy: "litigation",
        measure: "litigation_total",
        cells: &["litigation_direct_total", "litigation_after_review_total"],
        label: "行政诉讼",
        note: "legacy counts suits received in the year; 2019+ counts suits by outcome in two blocks (direct, after review), summed here",
    },
];

/// [`LEGACY_MAPPING`] as the Markdown table of SCHEMA.md (a test keeps the two equal).
pub fn mapping_markdown() -> String {
    let mut out = String::from(
        "| legacy id | 2019+ measure | summed 2019+ cells | series | why approximate |\n|---|---|---|---|---|\n",
    );
    for m in LEGACY_MAPPING {
        let cells: Vec<String> = m.cells.iter().map(|c| format!("`{c}`")).collect();
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} |\n",
            m.legacy,
            m.measure,
            cells.join(" + "),
            m.label,
            m.note
        ));
    }
    out
}

/// The mapping of a legacy row id, if it has one.
pub fn legacy_mapping(legacy: &str) -> Option<&'static LegacyMapping> {
    LEGACY_MAPPING.iter().find(|m| m.legacy == legacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_row_is_a_legacy_id_mapped_once() {
        for (i, m) in LEGACY_MAPPING.iter().enumerate() {
            assert!(legacy_ids().any(|id| id == m.legacy), "{} is not a legacy id", m.legacy);
            assert!(LEGACY_MAPPING[..i].iter().all(|o| o.legacy != m.legacy && o.measure != m.measure), "{}", m.legacy);
            assert!(!m.cells.is_empty() && !m.note.is_empty() && !m.label.is_empty(), "{}", m.legacy);
        }
        assert_eq!(legacy_mapping("review").map(|m| m.measure), Some("review_total"));
        assert!(legacy_mapping("channel_fax").is_none());
    }
}
