//! Renders a synthetic report in one of the layouts real reports use.

use std::fmt::Write as _;

use super::{Layout, Synthetic};
use crate::model::Era;

/// Printed label of each section 三 row, with its group label (first row of a group prints it).
const ROW_LABELS: &[(&str, &str, &str)] = &[
    ("new_received", "", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "", "二、上年结转政府信息公开申请数量"),
    ("granted", "", "（一）予以公开"),
    ("partially_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("refused_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("refused_law_prohibited", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("refused_security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("refused_third_party_rights", "（三）不予公开", "4.保护第三方合法权益"),
    ("refused_internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("refused_process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("refused_enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("refused_admin_query", "（三）不予公开", "8.属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed_petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed_duplicate", "（五）不予处理", "2.重复申请"),
    ("not_processed_publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed_excessive", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_total", "", "（六）其他处理"),
    ("other_correction_overdue", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_fee_unpaid", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", "（六）其他处理", "3.其他"),
    ("processed_total", "", "（七）总计"),
    ("carried_forward", "", "四、结转下年度继续办理"),
];

const PROACTIVE_LABELS: &[(&str, &str)] = &[
    ("rules", "规章"),
    ("normative_docs", "行政规范性文件"),
    ("admin_licensing", "行政许可"),
    ("other_external_services", "其他对外管理服务事项"),
    ("admin_penalty", "行政处罚"),
    ("admin_coercion", "行政强制"),
    ("admin_fees", "行政事业性收费"),
];

const COLUMN_HEADERS: &[(&str, &str)] = &[
    ("issued_count", "本年制发件数"),
    ("repealed_count", "本年废止件数"),
    ("in_force_count", "现行有效件数"),
    ("new_made_count", "本年新制作数量"),
    ("new_published_count", "本年新公开数量"),
    ("published_total_count", "对外公开总数量"),
    ("decision_count", "处理决定数量"),
    ("prior_year_item_count", "上一年项目数量"),
    ("item_count_change", "本年增/减"),
    ("fee_amount", "本年收费金额（单位：万元）"),
];

const APPEAL_HEADER: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

fn lookup<'a>(table: &[(&str, &'a str)], id: &'a str) -> &'a str {
    table.iter().find(|(k, _)| *k == id).map(|(_, v)| *v).unwrap_or(id)
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v}") }
}

fn cell(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn prose(doc: &Synthetic) -> (String, String, String) {
    let total = |id: &str| doc.requests.iter().find(|(r, _)| *r == id).and_then(|(_, v)| v[6]).unwrap_or(0);
    let preamble = format!("本报告中所列数据统计期限从{y}年1月1日到12月31日止。", y = doc.year);
    let overview = format!(
        "{y}年，{a}认真贯彻落实《中华人民共和国政府信息公开条例》，全年共收到政府信息公开申请{n}件，办结{t}件，结转下年度{f}件。",
        y = doc.year,
        a = doc.agency,
        n = total("new_received"),
        t = total("processed_total"),
        f = total("carried_forward")
    );
    (preamble, overview, "下一步将进一步提高依申请公开办理质量。".to_string())
}

/// Renders `doc` in `layout`.
pub fn render(doc: &Synthetic, layout: Layout) -> String {
    match layout {
        Layout::Txt => txt(doc),
        Layout::Md => md(doc),
        Layout::Html => html(doc),
    }
}

fn title(doc: &Synthetic) -> String {
    format!("{}{}年政府信息公开工作年度报告", doc.agency, doc.year)
}

fn proactive_header(cols: &[(&str, f64)]) -> Vec<String> {
    std::iter::once("信息内容".to_string())
        .chain(cols.iter().map(|(c, _)| lookup(COLUMN_HEADERS, c).to_string()))
        .collect()
}

/// Portal text export: `|` cells, group labels only on their first row, trailing empty cells.
fn txt(doc: &Synthetic) -> String {
    let (pre, overview, problems) = prose(doc);
    let mut s = format!("{}\n{pre}\n一、总体情况\n{overview}\n二、主动公开政府信息情况\n", title(doc));
    for (row, cols) in &doc.proactive {
        let _ = writeln!(s, "{} | |||", proactive_header(cols).join(" | "));
        let values: Vec<String> = cols.iter().map(|(_, v)| num(*v)).collect();
        let _ = writeln!(s, "{} | {} | ||", lookup(PROACTIVE_LABELS, row), values.join(" | "));
    }
    s.push_str("三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||\n");
    s.push_str(
        "自然人 | 法人或其他组织 | 总计 | |||||||\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||\n",
    );
    let mut last_group = "";
    for (row, values) in &doc.requests {
        let (_, group, label) = ROW_LABELS.iter().find(|(id, _, _)| id == row).copied().unwrap_or((row, "", row));
        let mut cells = Vec::new();
        if *row == "granted" {
            cells.push("三、本年度办理结果".to_string());
        }
        if !group.is_empty() && group != last_group {
            cells.push(group.to_string());
        }
        last_group = group;
        cells.push(label.to_string());
        cells.extend(values.iter().map(|v| cell(*v)));
        let _ = writeln!(s, "{} | ||", cells.join(" | "));
    }
    s.push_str("四、政府信息公开行政复议、行政诉讼情况\n行政复议 | 行政诉讼 | |||||||||||||\n");
    let values: Vec<String> = doc.appeals.iter().map(|(_, v)| v.to_string()).collect();
    let _ = writeln!(s, "{} |", values.join(" | "));
    let _ = writeln!(s, "五、存在的主要问题及改进情况\n{problems}\n六、其他需要报告的事项\n本年度未收取信息处理费。");
    s
}

fn md_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn md_rule(n: usize) -> String {
    format!("|{}\n", "---|".repeat(n))
}

/// Markdown: `#` headings, one table per block.
fn md(doc: &Synthetic) -> String {
    let (pre, overview, problems) = prose(doc);
    let mut s =
        format!("# {}\n\n{pre}\n\n## 一、总体情况\n\n{overview}\n\n## 二、主动公开政府信息情况\n\n", title(doc));
    for (row, cols) in &doc.proactive {
        let header = proactive_header(cols);
        s += &md_row(&header);
        s += &md_rule(header.len());
        let values: Vec<String> = std::iter::once(lookup(PROACTIVE_LABELS, row).to_string())
            .chain(cols.iter().map(|(_, v)| num(*v)))
            .collect();
        s += &md_row(&values);
        s.push('\n');
    }
    s += "## 三、收到和处理政府信息公开申请情况\n\n";
    let header: Vec<String> =
        ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
            .map(String::from)
            .to_vec();
    s += &md_row(&header);
    s += &md_rule(header.len());
    for (row, values) in &doc.requests {
        let label = ROW_LABELS.iter().find(|(id, _, _)| id == row).map(|(_, _, l)| *l).unwrap_or(row);
        let cells: Vec<String> = std::iter::once(label.to_string()).chain(values.iter().map(|v| cell(*v))).collect();
        s += &md_row(&cells);
    }
    s += "\n## 四、政府信息公开行政复议、行政诉讼情况\n\n";
    let header: Vec<String> = APPEAL_HEADER.iter().cycle().take(15).map(|h| h.to_string()).collect();
    s += &md_row(&header);
    s += &md_rule(15);
    s += &md_row(&doc.appeals.iter().map(|(_, v)| v.to_string()).collect::<Vec<_>>());
    let _ = write!(s, "\n## 五、存在的主要问题及改进情况\n\n{problems}\n\n## 六、其他需要报告的事项\n\n无。\n");
    s
}

/// A Word-exported cell: text split over spans, blanks as `&nbsp;`.
fn td(text: &str, attrs: &str) -> String {
    let inner = if text.is_empty() {
        "&nbsp;".to_string()
    } else {
        let chars: Vec<char> = text.chars().collect();
        let mid = chars.len() / 2;
        let (a, b): (String, String) = (chars[..mid].iter().collect(), chars[mid..].iter().collect());
        format!("<p class=MsoNormal><span style='font-family:宋体'>{a}</span><span lang=EN-US>{b}</span></p>")
    };
    format!("<td{attrs}>{inner}</td>")
}

/// Portal HTML page: chrome around `<ucapcontent>`, the official merged-cell tables.
fn html(doc: &Synthetic) -> String {
    let (pre, overview, problems) = prose(doc);
    let mut s = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}</title><script>var nav = 1;</script></head><body>\
         <div class=\"nav\">首页 &gt; 政务公开 &gt; 年度报告</div><table class=\"meta\"><tr><td>索引号</td><td>000/2025-00001</td></tr>\
         <tr><td>发布机构</td><td>{a}</td></tr><tr><td>公开日期</td><td>{y1}-01-20</td></tr></table><ucapcontent>\
         <p>{pre}</p><p>一、总体情况</p><p>{overview}</p><p>二、主动公开政府信息情况</p>",
        t = title(doc),
        a = doc.agency,
        y1 = doc.year + 1
    );
    s += "<table border=1>";
    for (row, cols) in &doc.proactive {
        s += "<tr>";
        for h in proactive_header(cols) {
            s += &td(&h, "");
        }
        s += "</tr><tr>";
        s += &td(lookup(PROACTIVE_LABELS, row), "");
        for (_, v) in cols {
            s += &td(&num(*v), "");
        }
        s += "</tr>";
    }
    s += "</table><p>三、收到和处理政府信息公开申请情况</p><table border=1>";
    s += "<tr>";
    s += &td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", " colspan=3 rowspan=3");
    s += &td("申请人情况", " colspan=7");
    s += "</tr><tr>";
    s += &td("自然人", " rowspan=2");
    s += &td("法人或其他组织", " colspan=5");
    s += &td("总计", " rowspan=2");
    s += "</tr><tr>";
    for h in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] {
        s += &td(h, "");
    }
    s += "</tr>";
    let outcome_rows =
        doc.requests.iter().filter(|(r, _)| !matches!(*r, "new_received" | "carried_over" | "carried_forward")).count();
    let mut last_group = "";
    for (row, values) in &doc.requests {
        let (_, group, label) = ROW_LABELS.iter().find(|(id, _, _)| id == row).copied().unwrap_or((row, "", row));
        s += "<tr>";
        match *row {
            "new_received" | "carried_over" | "carried_forward" => s += &td(label, " colspan=3"),
            _ => {
                if *row == "granted" {
                    s += &td("三、本年度办理结果", &format!(" rowspan={outcome_rows}"));
                }
                if group.is_empty() {
                    s += &td(label, " colspan=2");
                } else {
                    if group != last_group {
                        let n = doc
                            .requests
                            .iter()
                            .filter(|(r, _)| ROW_LABELS.iter().any(|(id, g, _)| id == r && *g == group))
                            .count();
                        s += &td(group, &format!(" rowspan={n}"));
                    }
                    s += &td(label, "");
                }
            }
        }
        last_group = group;
        for v in values {
            s += &td(&cell(*v), "");
        }
        s += "</tr>";
    }
    s += "</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table border=1><tr>";
    s += &td("行政复议", " colspan=5");
    s += &td("行政诉讼", " colspan=10");
    s += "</tr><tr>";
    for h in APPEAL_HEADER {
        s += &td(h, " rowspan=2");
    }
    s += &td("未经复议直接起诉", " colspan=5");
    s += &td("复议后起诉", " colspan=5");
    s += "</tr><tr>";
    for h in APPEAL_HEADER.iter().chain(APPEAL_HEADER.iter()) {
        s += &td(h, "");
    }
    s += "</tr><tr>";
    for (_, v) in &doc.appeals {
        s += &td(&v.to_string(), "");
    }
    s += "</tr></table>";
    let era_note = if doc.era == Era::Trial2019 { "（试行格式）" } else { "" };
    let _ = writeln!(
        s,
        "<p>五、存在的主要问题及改进情况</p><p>{problems}</p><p>六、其他需要报告的事项</p><p>无{era_note}。</p></ucapcontent>\
         <div class=\"footer\">版权所有 网站标识码 0000000000</div></body></html>"
    );
    s
}
