//! A table printed as running text, as segments: the label words of a row, then its value
//! tokens (numbers, digit runs, blank markers), and which row a segment's label names.

use crate::ingest::{RawRow, looks_like_value};

use super::super::label::normalize_label;
use super::super::number::fold_width;

/// Label words followed by the value tokens printed after them.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The line the segment starts on.
    pub line: usize,
    pub label: Vec<String>,
    /// Tokens as printed, width folded.
    pub values: Vec<String>,
}

/// The segments of some lines of a table section, in order. A word is a value when it reads as
/// a number or a blank marker (`891`, `0.5`, `251000元`, `/`, `—`); label words come between.
pub fn segments(rows: &[RawRow]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for row in rows {
        for word in row.cells.iter().flat_map(|c| c.split_whitespace()) {
            if looks_like_value(word) {
                match out.last_mut() {
                    Some(s) => s.values.push(fold_width(word)),
                    None => out.push(Segment { line: row.line, label: vec![], values: vec![fold_width(word)] }),
                }
            } else if let Some(s) = out.last_mut().filter(|s| s.values.is_empty()) {
                s.label.push(word.to_string());
            } else {
                out.push(Segment { line: row.line, label: vec![word.to_string()], values: vec![] });
            }
        }
    }
    out
}

/// What [`segments`] would cut one row into, counted without building the segments: the
/// segments with a label and values, the value tokens, and whether a token is five characters
/// or more. Most rows of a table with its cells hold one label and its values; this lets them
/// skip building segments (7% of an ingest's samples when every row built them).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Shape {
    pub labelled: usize,
    pub values: usize,
    pub long_value: bool,
}

pub fn shape(row: &RawRow) -> Shape {
    let mut out = Shape::default();
    let mut in_label = false;
    for word in row.cells.iter().flat_map(|c| c.split_whitespace()) {
        if looks_like_value(word) {
            out.values += 1;
            out.long_value |= word.chars().count() >= 5;
            if in_label {
                out.labelled += 1;
                in_label = false;
            }
        } else {
            in_label = true;
        }
    }
    out
}

/// Row labels prepared for finding the row a segment's label ends with.
pub struct Labels {
    aliases: Vec<(&'static str, String)>,
}

impl Labels {
    pub fn new(table: &[(&'static str, &'static [&'static str])]) -> Labels {
        let aliases = table
            .iter()
            .flat_map(|(id, labels)| labels.iter().map(move |l| (*id, normalize_label(l))))
            .filter(|(_, a)| !a.is_empty())
            .collect();
        Labels { aliases }
    }

    /// The row whose label the words end with (the longest such label: `…其他处理 1.申请人无正当
    /// 理由逾期不补正…` is the sub-row, not 其他处理), and the fewest last words that print it.
    /// Words before it are headers and group labels (`（三）不予公开`, `信息内容 本年制发件数 …`);
    /// the last value is the index of the label's first word.
    pub fn row(&self, words: &[String]) -> Option<(&'static str, String, usize)> {
        let text = normalize_label(&words.concat());
        let (id, alias) =
            self.aliases.iter().filter(|(_, a)| text.ends_with(a.as_str())).max_by_key(|(_, a)| a.chars().count())?;
        let width = alias.chars().count();
        let start = (0..words.len())
            .rev()
            .find(|&k| normalize_label(&words[k..].concat()).chars().count() >= width)
            .unwrap_or(0);
        Some((id, words[start..].join(" "), start))
    }

    /// The rows (other than `own` and not one of `groups`) whose labels of 4+ characters the
    /// words print before a row's own label: rows printed blank, whose labels run on into the
    /// next row's, or labels detached from their values
    /// (`5.属于三类内部事务信息 1.本机关不掌握相关政府信息 1 0 0 …`).
    pub fn other_rows(&self, words: &[String], own: &str, groups: &[&str]) -> Vec<&'static str> {
        let text = normalize_label(&words.concat());
        let mut out: Vec<&'static str> = Vec::new();
        for (id, alias) in &self.aliases {
            if *id != own
                && !groups.contains(id)
                && alias.chars().count() >= 4
                && text.contains(alias.as_str())
                && !out.contains(id)
            {
                out.push(id);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::CellLayout;
    use crate::model::labels::REQUEST_ROW_LABELS;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn a_segment_is_named_by_the_row_label_it_ends_with() {
        let labels = Labels::new(REQUEST_ROW_LABELS);
        let row = |t: &str| labels.row(&words(t)).map(|(id, label, _)| (id, label));
        assert_eq!(
            row(
                "（本列数据的勾稽关系为：…） 申请人情况 自然人 法人或其他组织 总计 商业企业 其他 一、本年新收政府信息公开申请数量"
            ),
            Some(("new_received", "一、本年新收政府信息公开申请数量".to_string()))
        );
        assert_eq!(row("（三）不予公开 1.属于国家秘密"), Some(("refused_state_secret", "1.属于国家秘密".to_string())));
        assert_eq!(row("（三）不予公开").map(|r| r.0), Some("refused_total"));
        assert_eq!(
            row("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请").map(|r| r.0),
            Some("other_correction_overdue")
        );
        assert_eq!(row("3.其他").map(|r| r.0), Some("other_misc"));
        assert_eq!(row("2.其他法律行政法规禁止公开").map(|r| r.0), Some("refused_law_prohibited"));
        assert_eq!(row("（七）总计").map(|r| r.0), Some("processed_total"));
        assert_eq!(row("注：本表"), None);
        let detached = words("5.属于三类内部事务信 息 1.本机关不掌握相关政 府信息");
        assert_eq!(labels.row(&detached).map(|r| r.2), Some(2));
        assert_eq!(labels.other_rows(&detached[..2], "unavailable_not_held", &[]), ["refused_internal_affairs"]);
        assert!(labels.other_rows(&words("（三）不予公开"), "refused_state_secret", &["refused_total"]).is_empty());
    }

    #[test]
    fn splits_running_text_into_labels_and_values() {
        let raw = RawRow {
            line: 4,
            cells: vec!["表头 一、本年新收 5 0 / 2.上年结转 852350031891 （七）总计".into()],
            layout: CellLayout::Spaced,
        };
        let segs = segments(&[raw]);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[0].label, ["表头", "一、本年新收"]);
        assert_eq!(segs[0].values, ["5", "0", "/"]);
        assert_eq!(segs[1].values, ["852350031891"]);
        assert!(segs[2].values.is_empty());
    }

    #[test]
    fn the_shape_of_a_row_counts_what_its_segments_hold() {
        for text in [
            "表头 一、本年新收 5 0 / 2.上年结转 852350031891 （七）总计",
            "自然人 1 2 3 4 5 6 7",
            "1 2 3 一、本年新收 ５ 0",
            "结果 维持 结果 纠正 其他 尚未审结 总计 0 0 0 0 0 1",
            "注：本表 无数据",
            "",
        ] {
            let row = RawRow { line: 1, cells: vec![text.into()], layout: CellLayout::Spaced };
            let segs = segments(std::slice::from_ref(&row));
            let with_values: Vec<&Segment> = segs.iter().filter(|s| !s.values.is_empty()).collect();
            let expected = Shape {
                labelled: with_values.iter().filter(|s| !s.label.is_empty()).count(),
                values: with_values.iter().map(|s| s.values.len()).sum(),
                long_value: with_values.iter().any(|s| s.values.iter().any(|v| v.chars().count() >= 5)),
            };
            assert_eq!(shape(&row), expected, "{text}");
        }
    }
}
