//! Chinese labels and their variants, as data. The first label of each entry is the official one
//! (format-spec §1–§4); the rest are variants and misprints seen in real reports. Matching is done
//! on normalized text (`normalize::label`), so spacing, punctuation, quote style and numbering
//! prefixes (`（三）`, `1.`) are not listed here.

use super::{BlankKind, Level};

/// Section 三 rows → labels.
pub const REQUEST_ROW_LABELS: &[(&str, &[&str])] = &[
    ("new_received", &["本年新收政府信息公开申请数量", "本年新收", "新收申请", "本年新收政府信息公开申请"]),
    ("carried_over", &["上年结转政府信息公开申请数量", "上年结转", "上年结转政府信息公开申请"]),
    ("granted", &["予以公开"]),
    ("partially_granted", &["部分公开区分处理的只计这一情形不计其他情形", "部分公开"]),
    ("refused_state_secret", &["属于国家秘密", "国家秘密"]),
    ("refused_law_prohibited", &["其他法律行政法规禁止公开", "法律行政法规禁止公开", "其他法律行政止公开"]),
    ("refused_security_stability", &["危及三安全一稳定", "三安全一稳定", "危及国家安全公共安全经济安全和社会稳定"]),
    ("refused_third_party_rights", &["保护第三方合法权益", "第三方合法权益"]),
    ("refused_internal_affairs", &["属于三类内部事务信息", "三类内部事务信息", "内部事务信息"]),
    ("refused_process_info", &["属于四类过程性信息", "四类过程性信息", "过程性信息"]),
    ("refused_enforcement_file", &["属于行政执法案卷", "行政执法案卷"]),
    ("refused_admin_query", &["属于行政查询事项", "行政查询事项"]),
    ("unavailable_not_held", &["本机关不掌握相关政府信息", "本机关不掌握", "不掌握相关政府信息"]),
    ("unavailable_needs_creation", &["没有现成信息需要另行制作", "没有现成信息", "需要另行制作"]),
    ("unavailable_unclear", &["补正后申请内容仍不明确", "申请内容仍不明确"]),
    ("not_processed_petition", &["信访举报投诉类申请", "信访举报投诉类"]),
    ("not_processed_duplicate", &["重复申请"]),
    ("not_processed_publication", &["要求提供公开出版物", "公开出版物"]),
    ("not_processed_excessive", &["无正当理由大量反复申请", "大量反复申请"]),
    ("not_processed_confirmation", &["要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具"]),
    ("other_total", &["其他处理"]),
    ("other_correction_overdue", &["申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请", "逾期不补正"]),
    (
        "other_fee_unpaid",
        &["申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请", "逾期未缴费", "逾期未缴纳费用"],
    ),
    ("other_misc", &["其他", "其它"]),
    ("processed_total", &["总计", "合计", "办理结果总计"]),
    ("carried_forward", &["结转下年度继续办理", "结转下年度"]),
    ("refused_total", &["不予公开"]),
    ("unavailable_total", &["无法提供"]),
    ("not_processed_total", &["不予处理"]),
];

/// Section 二 rows → labels.
pub const PROACTIVE_ROW_LABELS: &[(&str, &[&str])] = &[
    ("rules", &["规章", "政府规章"]),
    ("normative_docs", &["行政规范性文件", "规范性文件"]),
    ("admin_licensing", &["行政许可"]),
    ("other_external_services", &["其他对外管理服务事项", "其他对外管理服务"]),
    ("admin_penalty", &["行政处罚"]),
    ("admin_coercion", &["行政强制"]),
    ("admin_fees", &["行政事业性收费"]),
    ("central_procurement", &["政府集中采购"]),
];

/// Words of section 四's column headers (block captions and the parts of each block): a run of
/// text holding two or more of them is the table's header.
pub const APPEAL_HEADER_WORDS: &[&str] =
    &["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// Words in a detached section 二 note (`（其中修订16件）`) that say which column its number is.
pub const PROACTIVE_NOTE_HINTS: &[(&str, &[&str])] = &[
    ("issued_count", &["修订", "制发", "新制定", "新增"]),
    ("repealed_count", &["废止", "失效", "宣布失效"]),
    ("in_force_count", &["现行有效"]),
];

/// The six sections of a report → words their headings carry (after `一、` … `六、`).
pub const SECTION_HEADINGS: &[(&str, &[&str])] = &[
    ("overview", &["总体情况"]),
    ("proactive", &["主动公开政府信息情况"]),
    ("requests", &["收到和处理政府信息公开申请情况"]),
    (
        "appeals",
        &[
            "行政复议、行政诉讼情况",
            "行政复议和行政诉讼情况",
            "行政复议行政诉讼情况",
            "被申请行政复议和提起行政诉讼情况",
        ],
    ),
    ("problems", &["存在的主要问题"]),
    ("other", &["其他需要报告的事项"]),
];

/// Blank markers in a cell and the [`BlankKind`] each one records (format-spec §6).
pub const BLANK_MARKERS: &[(&str, BlankKind)] = &[
    ("", BlankKind::Empty),
    ("空", BlankKind::Empty),
    ("—", BlankKind::Dash),
    ("——", BlankKind::Dash),
    ("-", BlankKind::Dash),
    ("--", BlankKind::Dash),
    ("－", BlankKind::Dash),
    ("–", BlankKind::Dash),
    ("/", BlankKind::Slash),
    ("／", BlankKind::Slash),
    ("无", BlankKind::Wu),
    ("n/a", BlankKind::Na),
    ("N/A", BlankKind::Na),
];

/// Units printed in a cell after the number; stripped and kept as `unit`.
pub const CELL_UNITS: &[&str] = &["万元", "亿元", "元", "件", "个", "项", "条", "次", "人次", "人"];

/// Words for a signed change (`增加4`, `减少2`) → sign.
pub const CHANGE_WORDS: &[(&str, f64)] = &[("增加", 1.0), ("新增", 1.0), ("增", 1.0), ("减少", -1.0), ("减", -1.0)];

/// Administrative-name endings → level, checked in this order on the agency name
/// (`沭阳县发展和改革局` is a county-level body: its first place name decides).
pub const LEVEL_MARKERS: &[(&str, Level)] = &[
    ("国务院", Level::Central),
    ("街道", Level::Township),
    ("乡", Level::Township),
    ("镇", Level::Township),
    ("省", Level::Province),
    ("自治区", Level::Province),
    ("县", Level::County),
    ("旗", Level::County),
    ("区", Level::County),
    ("市", Level::Prefecture),
];

/// Municipalities directly under the central government: provincial level.
pub const PROVINCIAL_CITIES: &[&str] = &["北京市", "上海市", "天津市", "重庆市"];

/// Page furniture that text extraction leaves between table rows (`— 5 —`, `-3-`, `第 2 页`).
pub const PAGE_MARK_PATTERN: &str =
    r"^\s*(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$";

/// Short display names of ids for tables and charts, in display order.
pub const DISPLAY_LABELS: &[(&str, &str)] = &[
    ("natural_person", "自然人"),
    ("commercial_enterprise", "商业企业"),
    ("research_institution", "科研机构"),
    ("social_welfare_org", "社会公益组织"),
    ("legal_service_org", "法律服务机构"),
    ("other_org", "其他组织"),
    ("total", "总计"),
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("refused_state_secret", "国家秘密"),
    ("refused_law_prohibited", "法律行政法规禁止"),
    ("refused_security_stability", "三安全一稳定"),
    ("refused_third_party_rights", "第三方合法权益"),
    ("refused_internal_affairs", "三类内部事务"),
    ("refused_process_info", "四类过程性信息"),
    ("refused_enforcement_file", "行政执法案卷"),
    ("refused_admin_query", "行政查询事项"),
    ("unavailable_not_held", "本机关不掌握"),
    ("unavailable_needs_creation", "需另行制作"),
    ("unavailable_unclear", "补正后仍不明确"),
    ("not_processed_petition", "信访举报投诉类"),
    ("not_processed_duplicate", "重复申请"),
    ("not_processed_publication", "公开出版物"),
    ("not_processed_excessive", "无正当理由大量反复"),
    ("not_processed_confirmation", "确认或重新出具"),
    ("other_total", "其他处理"),
    ("review", "行政复议"),
    ("litigation_direct", "直接起诉"),
    ("litigation_after_review", "复议后起诉"),
    ("refused", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("upheld", "维持"),
    ("corrected", "纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
];

/// Chinese headers of the columns canned queries return, for spreadsheets (`--format xlsx`).
/// Metric keys take the metric's name from the registry, and ids of [`DISPLAY_LABELS`] their
/// label; a column in neither keeps its name.
pub const COLUMN_LABELS: &[(&str, &str)] = &[
    ("year", "年度"),
    ("reports", "报告数"),
    ("agencies", "机关数"),
    ("agency", "机关"),
    ("agency_name", "机关名称"),
    ("agency_as_printed", "报告所印机关名称"),
    ("names_as_printed", "报告所印名称"),
    ("agency_key", "机关标识"),
    ("division_code", "行政区划代码"),
    ("body", "机构类别"),
    ("resolution", "名称解析方式"),
    ("level", "层级"),
    ("level_label", "层级名称"),
    ("era", "格式年代"),
    ("years", "年度"),
    ("first_year", "起始年度"),
    ("last_year", "截止年度"),
    ("applicant", "申请人类型"),
    ("applicant_label", "申请人类型名称"),
    ("applications", "申请数"),
    ("new_received", "本年新收申请数"),
    ("carried_over", "上年结转申请数"),
    ("carried_forward", "结转下年度继续办理"),
    ("processed", "办理结果总计"),
    ("disclosed", "予以公开与部分公开"),
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("refused", "不予公开"),
    ("unavailable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
    ("total", "总计"),
    ("block", "类别"),
    ("block_label", "类别名称"),
    ("reason", "理由"),
    ("reason_label", "理由名称"),
    ("share_of_processed", "占办理结果总计比例"),
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("pending", "尚未审结"),
    ("correction_rate", "纠错率"),
    ("correction_rate_all", "纠错率（含其他结果）"),
    ("normative_docs_issued", "规范性文件制发件数"),
    ("normative_docs_repealed", "规范性文件废止件数"),
    ("normative_docs_in_force", "规范性文件现行有效件数"),
    ("licensing_decisions", "行政许可处理决定数"),
    ("penalty_decisions", "行政处罚处理决定数"),
    ("coercion_decisions", "行政强制处理决定数"),
    ("partial_share", "部分公开占实质公开比例"),
    ("min_rate", "最低值"),
    ("p25_rate", "下四分位数"),
    ("median_rate", "中位数"),
    ("p75_rate", "上四分位数"),
    ("max_rate", "最高值"),
    ("peers", "同级机关数"),
    ("rank", "排名"),
    ("percentile", "百分位"),
    ("status", "排名状态"),
    ("ranked", "参与排名"),
    ("observe", "仅观察"),
    ("report_id", "报告标识"),
    ("source_path", "来源文件"),
    ("source_format", "来源格式"),
    ("fact_count", "数据项数"),
    ("error_count", "错误数"),
    ("warning_count", "警告数"),
    ("findings", "检查发现数"),
    ("rule", "规则"),
    ("identity", "勾稽关系"),
    ("severity", "级别"),
    ("cells", "单元格"),
    ("expected", "应为"),
    ("actual", "实为"),
    ("message", "说明"),
    ("related_report_id", "关联报告"),
    ("measure", "指标"),
    ("measure_label", "指标名称"),
    ("value", "数值"),
    ("series_era", "表式时期"),
    ("approximate", "近似对应"),
    ("era_break", "口径断点"),
    ("flagged_left_out", "因勾稽错误剔除数"),
];

/// Every display label: [`DISPLAY_LABELS`], then the levels' Chinese names ([`Level::zh`]) and
/// the name of an unknown level, in display order (the SQL `labels` table and its `ord`).
pub fn display_labels() -> Vec<(&'static str, &'static str)> {
    let levels = Level::ALL.iter().map(|l| (l.id(), l.zh()));
    DISPLAY_LABELS.iter().copied().chain(levels).chain([("unknown", "级别不明")]).collect()
}

/// Section 二 column headers → column ids (both eras).
pub const PROACTIVE_COLUMN_LABELS: &[(&str, &[&str])] = &[
    ("issued_count", &["本年制发件数"]),
    ("repealed_count", &["本年废止件数"]),
    ("in_force_count", &["现行有效件数"]),
    ("new_made_count", &["本年新制作数量"]),
    ("new_published_count", &["本年新公开数量"]),
    ("published_total_count", &["对外公开总数量"]),
    ("decision_count", &["本年处理决定数量", "处理决定数量"]),
    ("prior_year_item_count", &["上一年项目数量"]),
    ("item_count_change", &["本年增减", "本年增/减"]),
    ("fee_amount", &["本年收费金额单位万元", "本年收费金额"]),
    ("procurement_project_count", &["采购项目数量"]),
    ("procurement_amount", &["采购总金额"]),
];
