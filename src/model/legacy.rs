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
