//! Sections 二–四 (2019+ eras) printed as running text. A crawler export of a portal page keeps
//! the words and numbers of the tables but not their cell boundaries: a whole table on one line
//! (`… 一、本年新收政府信息公开申请数量 852 35 0 0 3 1 891 二、上年结转…`), sometimes with the
//! numbers of a row run together (`852350031891`). Such a section is read as a sequence of
//! segments — label words, then value tokens ([`scan`]). A segment's label names its row (it ends
//! with one of the row's labels, `model::labels`), in the official order of `model::schema`; its
//! tokens fill the era's columns ([`super::flattened::fill`]): one to one when the table's numbers
//! are separated by spaces, otherwise by splitting the digit runs where the row's and block's
//! totals, and then the section 三 identities (`model::derived::request_identities`), leave
//! exactly one reading ([`solve`]). A row with no reading, or more than one, is left unreadable
//! with an error finding that says why. Every recovered fact is placed
//! [`Placement::Recovered`] and each recovered table gets one `report.flattened_table` warning:
//! nothing recovered is silent. Values stay as printed; the identities are checked later.

mod scan;
mod solve;

use std::sync::Arc;

use super::Fact;
use super::flattened::{Block, Fill, fill};
use super::rows;
use crate::ingest::Section;
use crate::model::labels::{APPEAL_HEADER_WORDS, PROACTIVE_ROW_LABELS, REQUEST_ROW_LABELS};
use crate::model::{
    APPLICANT_COLUMNS, BlankKind, Era, Finding, PROACTIVE_ROWS, Placement, RowRole, SUBTOTAL_ROWS, Table, appeal_cells,
    cell_name,
};
use scan::{Labels, Segment, segments};

/// Steps one row's readings may take ([`fill`]).
const ROW_BUDGET: u64 = 200_000;

static REQUEST_LABELS: std::sync::LazyLock<Labels> = std::sync::LazyLock::new(|| Labels::new(REQUEST_ROW_LABELS));
static PROACTIVE_LABELS: std::sync::LazyLock<Labels> = std::sync::LazyLock::new(|| Labels::new(PROACTIVE_ROW_LABELS));

/// Whether the table of `section` lost its cell structure: one line of it holds the labels and
/// values of two or more rows (section 四: its column headers and five or more values, or a
/// run of five or more digits).
pub fn is_flattened(section: &Section, table: Table) -> bool {
    section.table.rows.iter().any(|row| {
        // The segments are built only for a row that can pass: two labelled runs of values, or
        // (section 四) five values or a long run of digits.
        let shape = scan::shape(row);
        let possible = match table {
            Table::Requests | Table::Proactive => shape.labelled >= 2,
            Table::Appeals => shape.labelled >= 1 && (shape.values >= 5 || shape.long_value),
        };
        if !possible {
            return false;
        }
        let segs = segments(std::slice::from_ref(row));
        let with_values = segs.iter().filter(|s| !s.values.is_empty());
        match table {
            Table::Requests => with_values.filter(|s| REQUEST_LABELS.row(&s.label).is_some()).count() >= 2,
            Table::Proactive => with_values.filter(|s| PROACTIVE_LABELS.row(&s.label).is_some()).count() >= 2,
            // Five values or more (or a run of five digits or more): a block of the table, not
            // a sentence that names a few cases.
            Table::Appeals => with_values.into_iter().any(|s| {
                let run = |t: &String| t.len() >= 5 && t.bytes().all(|b| b.is_ascii_digit());
                is_appeals_header(s) && (s.values.len() >= 5 || s.values.iter().any(run))
            }),
        }
    })
}

/// A segment whose label words are section 四's column headers (two or more of their words).
fn is_appeals_header(s: &Segment) -> bool {
    let text: String = s.label.concat();
    APPEAL_HEADER_WORDS.iter().filter(|w| text.contains(**w)).count() >= 2
}

/// Whether the numbers of the table are separated by white space (two runs of digits side by
/// side somewhere): then a digit run is one number and tokens map one to one.
fn spaced(segs: &[Segment]) -> bool {
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    segs.iter().any(|s| s.values.windows(2).any(|w| digits(&w[0]) && digits(&w[1])))
}

/// A row found in the running text: its id, the label as printed, its segment.
struct Found<'a> {
    id: &'static str,
    label_raw: Arc<str>,
    segment: &'a Segment,
    /// Rows skipped since the last row read whose labels stand before this row's: the values
    /// that follow may be theirs (a row printed blank runs on into the next label, but a label
    /// detached from its values looks the same), so this row is not read.
    shared: Vec<&'static str>,
}

/// What became of one row's tokens.
enum Read {
    Cells(Vec<String>),
    Unreadable(String),
}

/// The recovered facts of one table and the one warning that says so.
struct Recovered {
    table: Table,
    facts: Vec<Fact>,
    split_rows: usize,
    spaced: bool,
}

impl Recovered {
    fn new(table: Table, spaced: bool) -> Recovered {
        Recovered { table, facts: Vec::new(), split_rows: 0, spaced }
    }

    /// The facts of one row: read cells, or every cell unreadable with the tokens as printed.
    fn push(&mut self, row: &Found, cols: &[&'static str], read: &Read, findings: &mut Vec<Finding>, rule: &str) {
        let line = row.segment.line;
        match read {
            Read::Cells(cells) => {
                if cells.len() > row.segment.values.len() {
                    self.split_rows += 1;
                }
                for (col, raw) in cols.iter().zip(cells) {
                    self.facts.push(rows::fact(
                        self.table,
                        row.id,
                        col,
                        raw,
                        &row.label_raw,
                        line,
                        Placement::Recovered,
                    ));
                }
            }
            Read::Unreadable(why) => {
                let printed = row.segment.values.join(" ");
                let names: Vec<String> = cols.iter().map(|c| cell_name(self.table, row.id, c)).collect();
                let subject = format!("row {} ('{} {printed}')", row.id, row.label_raw);
                findings.push(
                    Finding::new(
                        rule,
                        format!("line {line}: {subject}, printed as running text, is left unread: {why}"),
                    )
                    .cells(names),
                );
                for col in cols {
                    let mut fact = rows::fact(self.table, row.id, col, "", &row.label_raw, line, Placement::Recovered);
                    fact.blank_kind = BlankKind::Unreadable;
                    fact.raw = printed.as_str().into();
                    self.facts.push(fact);
                }
            }
        }
    }

    /// The facts, after the table's one warning finding (when anything was recovered).
    fn finish(self, section: &str, findings: &mut Vec<Finding>) -> Vec<Fact> {
        let read: Vec<&Fact> = self.facts.iter().filter(|f| f.blank_kind != BlankKind::Unreadable).collect();
        if let Some(first) = read.first() {
            let how = if self.spaced {
                "numbers separated by spaces, read one to one".to_string()
            } else {
                format!(
                    "numbers run together; {} row(s) split where the totals and identities leave one reading",
                    self.split_rows
                )
            };
            findings.push(
                Finding::new(
                    "report.flattened_table",
                    format!(
                        "section {section} ({}) is printed as running text (line {}, {how}): its {} cells were recovered from the official order of its rows and columns; check them against the original page",
                        self.table,
                        first.line,
                        read.len()
                    ),
                )
                .cells(read.iter().map(|f| cell_name(f.table, f.row, f.col))),
            );
        }
        self.facts
    }
}

/// Why a row's tokens fill its columns in no way, or in several.
fn why_not(segment: &Segment, columns: usize, fill: &Fill, spaced: bool, what: &str) -> String {
    let n = segment.values.len();
    match fill {
        Fill::TooMany => format!("its digit runs can be split too many ways into the {columns} columns to try"),
        Fill::Readings(r) if r.is_empty() && spaced => {
            format!("{n} values where the table has {columns} columns (a blank cell lost its place)")
        }
        Fill::Readings(r) if r.is_empty() => {
            format!("no split of its digit runs into the {columns} columns makes {what}")
        }
        Fill::Readings(r) => format!(
            "{} splits of its digit runs into the {columns} columns make {what}: {}{}",
            r.len(),
            r.iter().take(3).map(|c| c.join(" | ")).collect::<Vec<_>>().join("; "),
            if r.len() > 3 { "; …" } else { "" }
        ),
    }
}

/// The rows of a flattened table in printed order: each segment with values whose label ends
/// with a row label. `Err` says why the labels cannot be trusted to stand before their own
/// values (then no row is read): a row printed twice; a segment that prints before its own
/// label the label of a row that is not one of the rows skipped since the last row read (a
/// label detached from its values); and, when `strict`, a row out of the official `order`
/// (section 三, whose rows are all seven cells wide, so values moved between rows would go
/// unnoticed). The label of a skipped row before a row's own makes that row [`Found::shared`].
/// `groups` are the group labels a row's label may carry (`（三）不予公开`).
fn found_rows<'a>(
    segs: &'a [Segment],
    labels: &Labels,
    order: &[&'static str],
    groups: &[&str],
    strict: bool,
) -> (Vec<Found<'a>>, Result<(), String>) {
    let mut out: Vec<Found> = Vec::new();
    let mut trusted = Ok(());
    let mut next = 0;
    for segment in segs.iter().filter(|s| !s.values.is_empty()) {
        let Some((id, label_raw, start)) = labels.row(&segment.label) else { continue };
        let mut distrust = |why: String| {
            if trusted.is_ok() {
                trusted = Err(why);
            }
        };
        if out.iter().any(|f| f.id == id) {
            distrust(format!("row {id} is printed twice (line {})", segment.line));
            continue;
        }
        let position = order.iter().position(|o| *o == id);
        let skipped = &order[next.min(order.len())..position.unwrap_or(next).max(next)];
        let shared = labels.other_rows(&segment.label[..start], id, groups);
        if let Some(other) = shared.iter().find(|o| !skipped.contains(o)) {
            distrust(format!(
                "the label of row {other} is printed before that of row {id} (line {}): labels stand apart from their values",
                segment.line
            ));
        }
        match position {
            Some(i) if i >= next => next = i + 1,
            Some(_) if strict => {
                distrust(format!("row {id} is printed out of the official order (line {})", segment.line))
            }
            Some(_) => {}
            None if groups.contains(&id) => {}
            None => continue,
        }
        out.push(Found { id, label_raw: label_raw.into(), segment, shared });
    }
    (out, trusted)
}

/// Why a row whose values may belong to a row printed blank before it is not read.
fn shared(row: &Found) -> Option<String> {
    (!row.shared.is_empty()).then(|| {
        format!(
            "the labels of rows {} stand before its own with no values between, so the values after them may be theirs",
            row.shared.join(", ")
        )
    })
}

/// One finding for the rows of `order` the running text does not print with values (a row
/// printed blank loses its place in running text): their cells are not read.
fn missing_rows(
    table: Table,
    order: &[&'static str],
    found: &[Found],
    cols: impl Fn(&str) -> Vec<&'static str>,
    rule: &str,
) -> Option<Finding> {
    let missing: Vec<&str> = order.iter().copied().filter(|id| found.iter().all(|f| f.id != *id)).collect();
    if missing.is_empty() {
        return None;
    }
    Some(
        Finding::new(
            rule,
            format!(
                "section {} ({table}) is printed as running text and rows {} are not printed with values in it (a blank row loses its place): their cells are not read",
                section_numeral(table),
                missing.join(", ")
            ),
        )
        .cells(missing.iter().flat_map(|id| cols(id).into_iter().map(move |c| cell_name(table, id, c)))),
    )
}

fn section_numeral(table: Table) -> &'static str {
    match table {
        Table::Proactive => "二",
        Table::Requests => "三",
        Table::Appeals => "四",
    }
}

/// Section 三 read from running text; `single_other` as the table reader decides it.
pub fn requests(section: &Section, era: Era, findings: &mut Vec<Finding>) -> (Vec<Fact>, bool) {
    const T: Table = Table::Requests;
    let segs = segments(&section.table.rows);
    let named: Vec<&str> = segs
        .iter()
        .filter(|s| !s.values.is_empty())
        .filter_map(|s| REQUEST_LABELS.row(&s.label))
        .map(|r| r.0)
        .collect();
    let role = |id: &str| crate::model::request_row(id).map(|r| r.role);
    let has_split = named.iter().any(|id| role(id) == Some(RowRole::OtherSplit));
    let single_other = (era == Era::Trial2019 || named.contains(&"other_total")) && !has_split;
    let order = crate::model::printed_request_rows(single_other);
    let groups: Vec<&str> =
        SUBTOTAL_ROWS.iter().map(|(s, _)| *s).chain((!single_other).then_some("other_total")).collect();
    let (rows, trusted) = found_rows(&segs, &REQUEST_LABELS, &order, &groups, true);
    findings.extend(missing_rows(T, &order, &rows, |_| APPLICANT_COLUMNS.to_vec(), "requests.unreadable_row"));
    let spaced = spaced(&segs);
    let row_block = [Block { cells: APPLICANT_COLUMNS.len(), summed: true }];
    let fills: Vec<Fill> = rows.iter().map(|f| fill(&f.segment.values, &row_block, !spaced, ROW_BUDGET)).collect();
    let reads = match &trusted {
        Ok(()) => {
            // A row whose values may be another's decides nothing.
            let known: Vec<Fill> = rows
                .iter()
                .zip(&fills)
                .map(|(row, fill)| if row.shared.is_empty() { fill.clone() } else { Fill::Readings(vec![]) })
                .collect();
            solve::requests(&rows.iter().map(|f| f.id).collect::<Vec<_>>(), &known, single_other)
        }
        Err(why) => rows.iter().map(|_| solve::Outcome::Open(why.clone())).collect(),
    };
    let reads = rows.iter().zip(reads).map(|(row, read)| match shared(row) {
        Some(why) => solve::Outcome::Open(why),
        None => read,
    });
    let mut out = Recovered::new(T, spaced);
    for ((row, fill), read) in rows.iter().zip(&fills).zip(reads) {
        let read = match read {
            solve::Outcome::Read(cells) => Read::Cells(cells),
            solve::Outcome::NoRowReading => {
                Read::Unreadable(why_not(row.segment, 7, fill, spaced, "the row's 总计 the sum of the others"))
            }
            solve::Outcome::Open(why) => Read::Unreadable(why),
        };
        out.push(row, &APPLICANT_COLUMNS, &read, findings, "requests.unreadable_row");
    }
    (out.finish("三", findings), single_other)
}

/// Section 二 read from running text: each row's tokens fill the era's columns; a digit run is
/// split only when one split is possible (section 二 has no identity that could choose).
pub fn proactive(section: &Section, era: Era, findings: &mut Vec<Finding>) -> Vec<Fact> {
    let segs = segments(&section.table.rows);
    let spaced = spaced(&segs);
    let mut out = Recovered::new(Table::Proactive, spaced);
    let columns = |id: &str| PROACTIVE_ROWS.iter().find(|r| r.id == id).map_or(&[][..], |r| r.columns(era));
    let order: Vec<&'static str> = PROACTIVE_ROWS.iter().filter(|r| !r.columns(era).is_empty()).map(|r| r.id).collect();
    let (rows, trusted) = found_rows(&segs, &PROACTIVE_LABELS, &order, &[], false);
    findings.extend(missing_rows(
        Table::Proactive,
        &order,
        &rows,
        |id| columns(id).to_vec(),
        "proactive.unreadable_row",
    ));
    for row in &rows {
        let cols = columns(row.id);
        let fill = fill(&row.segment.values, &[Block { cells: cols.len(), summed: false }], !spaced, ROW_BUDGET);
        let read = match (&trusted, &fill) {
            (Err(why), _) => Read::Unreadable(why.clone()),
            _ if shared(row).is_some() => Read::Unreadable(shared(row).unwrap_or_default()),
            (Ok(()), Fill::Readings(r)) if r.len() == 1 => Read::Cells(r[0].clone()),
            (Ok(()), other) => Read::Unreadable(why_not(
                row.segment,
                cols.len(),
                other,
                spaced,
                "a reading (section 二 has no identity to choose among them)",
            )),
        };
        out.push(row, cols, &read, findings, "proactive.unreadable_row");
    }
    out.finish("二", findings)
}

/// Section 四 read from running text: the 15 values after its column headers (one table, or
/// one per block, each after its headers), three blocks of five whose 总计 is the sum of the
/// other four.
pub fn appeals(section: &Section, findings: &mut Vec<Finding>) -> Vec<Fact> {
    let segs = segments(&section.table.rows);
    let headed: Vec<&Segment> = segs.iter().filter(|s| !s.values.is_empty() && is_appeals_header(s)).collect();
    let Some(first) = headed.first() else { return vec![] };
    let segment = &Segment {
        line: first.line,
        label: first.label.clone(),
        values: headed.iter().flat_map(|s| s.values.iter().cloned()).collect(),
    };
    let spaced = spaced(&segs);
    let blocks = [Block { cells: 5, summed: true }; 3];
    let fill = fill(&segment.values, &blocks, !spaced, ROW_BUDGET);
    let read = match &fill {
        Fill::Readings(r) if r.len() == 1 => Some(r[0].clone()),
        _ => None,
    };
    let mut out = Recovered::new(Table::Appeals, spaced);
    let cells = appeal_cells();
    let no_label: Arc<str> = "".into();
    match read {
        Some(values) => {
            for (cell, raw) in cells.iter().zip(values) {
                out.facts.push(rows::fact(
                    Table::Appeals,
                    cell,
                    "",
                    &raw,
                    &no_label,
                    segment.line,
                    Placement::Recovered,
                ));
            }
            if segment.values.len() < cells.len() {
                out.split_rows = 1;
            }
        }
        None => {
            let why = why_not(segment, cells.len(), &fill, spaced, "each block's 总计 the sum of its four outcomes");
            let printed = segment.values.join(" ");
            findings.push(
                Finding::new(
                    "appeals.unreadable",
                    format!(
                        "line {}: section 四 ('{printed}'), printed as running text, is left unread: {why}",
                        segment.line
                    ),
                )
                .cells(cells.iter().map(|c| cell_name(Table::Appeals, c, ""))),
            );
            for cell in cells {
                let mut fact = rows::fact(Table::Appeals, cell, "", "", &no_label, segment.line, Placement::Recovered);
                fact.blank_kind = BlankKind::Unreadable;
                fact.raw = printed.as_str().into();
                out.facts.push(fact);
            }
        }
    }
    out.finish("四", findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_text;

    /// A 2021 report as a crawler exports it: one line, headings inside it, section 三 rows
    /// `(label, values)` with the values as given.
    fn crawler(rows: &[(&str, &str)], appeals: &str) -> crate::normalize::Report {
        let t3: Vec<String> = rows.iter().map(|(label, values)| format!("{label} {values}")).collect();
        let text = format!(
            "一、总体情况 本年度依法公开。 二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0 行政规范性文件 45 31 236 第二十条第（五）项 信息内容 本年处理决定数量 行政许可 357639 三、收到和处理政府信息公开申请情况 （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他 {} 四、政府信息公开行政复议、行政诉讼情况 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计 {appeals} 五、存在的主要问题及改进情况 无。 六、其他需要报告的事项 无。\n",
            t3.join(" ")
        );
        crate::normalize::report(&read_text(std::path::Path::new("crawler.txt"), &text), None)
    }

    const ROWS: &[(&str, &str)] = &[
        ("一、本年新收政府信息公开申请数量", "5 0 0 0 0 1 6"),
        ("二、上年结转政府信息公开申请数量", "1 0 0 0 0 0 1"),
        ("三、本年度办理结果 （一）予以公开", "4 0 0 0 0 1 5"),
        ("（三）不予公开 1.属于国家秘密", "1 0 0 0 0 0 1"),
        ("（七）总计", "5 0 0 0 0 1 6"),
        ("四、结转下年度继续办理", "1 0 0 0 0 0 1"),
    ];

    #[test]
    fn reads_a_spaced_crawler_export_one_to_one_and_flags_every_table() {
        let report = crawler(ROWS, "14 7 6 10 37 2 1 0 1 4 1 0 0 0 1");
        let value = |t, r, c| report.value(t, r, c);
        assert_eq!(value(Table::Requests, "new_received", "other_org"), Some(1.0));
        assert_eq!(value(Table::Requests, "refused_state_secret", "total"), Some(1.0));
        assert_eq!(value(Table::Proactive, "normative_docs", "in_force_count"), Some(236.0));
        assert_eq!(value(Table::Proactive, "admin_licensing", "decision_count"), Some(357639.0));
        assert_eq!(value(Table::Appeals, "review_total", ""), Some(37.0));
        assert!(report.facts.iter().all(|f| f.at.placed == Placement::Recovered));
        let flagged: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == "report.flattened_table").collect();
        assert_eq!(flagged.len(), 3, "{flagged:?}");
        // Rows the text does not print are named, not silently absent.
        assert!(report.findings.iter().any(|f| f.rule == "requests.unreadable_row"
            && f.cells.contains(&"requests.partially_granted.total".to_string())));
    }

    #[test]
    fn splits_joined_digits_where_the_totals_decide_and_leaves_the_rest_unread() {
        let mut rows: Vec<(&str, &str)> = ROWS.iter().map(|(l, v)| (*l, *v)).collect();
        rows[0].1 = "852350031891";
        for (_, v) in rows.iter_mut().skip(1) {
            *v = match *v {
                "1 0 0 0 0 0 1" => "1000001",
                "4 0 0 0 0 1 5" => "4000015",
                _ => "5000016",
            };
        }
        let report = crawler(&rows, "147610372101410001");
        assert_eq!(report.value(Table::Requests, "granted", "other_org"), Some(1.0));
        assert_eq!(report.value(Table::Appeals, "litigation_direct_total", ""), Some(4.0));
        let new = report.fact(Table::Requests, "new_received", "total").expect("fact");
        assert_eq!(new.blank_kind, BlankKind::Unreadable);
        let finding = report
            .findings
            .iter()
            .find(|f| {
                f.rule == "requests.unreadable_row" && f.cells.contains(&"requests.new_received.total".to_string())
            })
            .expect("an unreadable finding");
        assert!(finding.message.contains("852 | 35 | 0 | 0 | 3 | 1 | 891"), "{}", finding.message);
    }

    #[test]
    fn values_after_a_blank_rows_label_are_not_given_to_either_row() {
        let mut rows: Vec<(&str, &str)> = ROWS.iter().map(|(l, v)| (*l, *v)).collect();
        rows.insert(3, ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""));
        let report = crawler(&rows, "14 7 6 10 37 2 1 0 1 4 1 0 0 0 1");
        let secret = report.fact(Table::Requests, "refused_state_secret", "natural_person").expect("fact");
        assert_eq!(secret.blank_kind, BlankKind::Unreadable);
        assert_eq!(report.value(Table::Requests, "granted", "natural_person"), Some(4.0));
    }
}
