//! The text reader: portal `|` exports, Markdown tables and PDF layout text. Lines are split into
//! the six sections by their headings (`一、总体情况` … `六、其他需要报告的事项`, with or without
//! Markdown `#`, spaces anywhere); lines of the three table sections become raw cell rows.

use std::sync::LazyLock;

use regex::Regex;

use super::{CellLayout, RawRow, RawTable, Section};
use crate::model::labels::{PAGE_MARK_PATTERN, SECTION_HEADINGS};
use crate::model::legacy::LEGACY_HEADINGS;

static PAGE_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(PAGE_MARK_PATTERN).expect("page-mark pattern"));
static SPACED_GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}|\t").expect("gap pattern"));
static VALUE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元|件|个|项|条)?|[—－–/／-]{1,2})$").expect("value pattern")
});
static HEADING_NUMERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[一二三四五六七八九十]{1,2}、").expect("heading pattern"));

static INLINE_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[一二三四五六七八九十]{1,2}、\s*").expect("inline heading pattern"));

/// Whether `text` is a legacy (2008–2018) report whose section headings are not on lines of their
/// own (a crawler export that collapsed the page to one line): two or more numbered headings
/// (`一、 概述`, `二、主动公开政府信息情况`) carrying legacy heading words. Such a report is read
/// as one preamble section; its statistics table is found in the text by `normalize`.
pub fn has_inline_legacy_headings(text: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for m in INLINE_HEADING.find_iter(text) {
        let after: String = text[m.end()..].chars().take(16).collect();
        if let Some(word) = LEGACY_HEADINGS.iter().find(|w| after.contains(**w))
            && !seen.contains(word)
        {
            seen.push(word);
        }
    }
    seen.len() >= 2
}

/// Table sections: their lines are split into cells.
const TABLE_SECTIONS: [&str; 3] = ["proactive", "requests", "appeals"];

/// Splits report text into sections. Text before the first heading is the `preamble`.
/// Page furniture (`— 5 —`, `-3-`, form feeds) is dropped everywhere.
pub fn split_sections(text: &str) -> Vec<Section> {
    let mut sections = vec![Section {
        kind: "preamble",
        heading: String::new(),
        line: 1,
        prose: Vec::new(),
        table: RawTable::default(),
    }];
    for (index, raw_line) in lines(text).enumerate() {
        let line_no = index + 1;
        let whole = if memchr::memchr(0x0C, raw_line.as_bytes()).is_some() {
            std::borrow::Cow::Owned(raw_line.replace('\u{000C}', ""))
        } else {
            std::borrow::Cow::Borrowed(raw_line)
        };
        match inline_pieces(&whole) {
            Some(pieces) => pieces.iter().for_each(|line| push_line(&mut sections, line_no, line)),
            None => push_line(&mut sections, line_no, &whole),
        }
    }
    sections
}

/// `s` split at the ASCII byte `sep`, as `s.split(sep as char)` splits it, the bytes found with
/// `memchr`: std's search for a `char` (with its portable byte search) was 1.6% of an ingest's
/// instructions here, per line and per `|` cell.
fn split_at_byte(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let t = rest?;
        Some(match memchr::memchr(sep, t.as_bytes()) {
            Some(i) => {
                rest = Some(&t[i + 1..]);
                &t[..i]
            }
            None => {
                rest = None;
                t
            }
        })
    })
}

/// `s.trim()`, answered without the search when `s` opens and closes on a character that is no
/// white space by its first (last) byte: printable ASCII, or a 3-byte character led by E4–EF
/// (U+4000–U+FFFF: the CJK ideographs and the full-width forms; the white space of 3-byte
/// characters, U+1680, U+2000–U+205F and U+3000, is led by E1–E3). Most cells and labels do;
/// `str::trim` was 3% of an ingest's instructions, called 2,500 times a report.
#[inline]
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let opens = |f: u8| f.is_ascii_graphic() || (0xE4..=0xEF).contains(&f);
    let solid = match b {
        [] => true,
        [.., lead, _, _] if (0xE4..=0xEF).contains(lead) => opens(b[0]),
        [.., last] => last.is_ascii_graphic() && opens(b[0]),
    };
    if solid { s } else { s.trim() }
}

/// Whether `s` is empty or white space only: `s.trim().is_empty()`, with [`trim`]'s fast answer.
#[inline]
pub fn is_blank(s: &str) -> bool {
    trim(s).is_empty()
}

/// The lines of `text` as [`str::lines`] gives them: the pieces between `\n`s, each without the
/// `\r` before its `\n`, and no line after a final `\n`.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut pieces = split_at_byte(text, b'\n').peekable();
    std::iter::from_fn(move || {
        let piece = pieces.next()?;
        match pieces.peek() {
            Some(_) => Some(piece.strip_suffix('\r').unwrap_or(piece)),
            None => Some(piece).filter(|p| !p.is_empty()), // what follows the last `\n`
        }
    })
}

/// Whether a trimmed line opens as [`PAGE_MARK_PATTERN`] can (a dash, `第` or a digit): most
/// lines do not, and the pattern is not run on them.
fn may_open_page_mark(trimmed: &str) -> bool {
    trimmed.chars().next().is_some_and(|c| c.is_numeric() || matches!(c, '-' | '—' | '－' | '–' | '第'))
}

/// Adds one line (or one piece of a line cut at its inline headings) to the sections.
fn push_line(sections: &mut Vec<Section>, line_no: usize, line: &str) {
    let trimmed = trim(line);
    if trimmed.is_empty() || (may_open_page_mark(trimmed) && PAGE_MARK.is_match(line)) {
        return;
    }
    if let Some(kind) = heading_kind(line) {
        sections.push(Section {
            kind,
            heading: line.trim().trim_start_matches('#').trim().to_string(),
            line: line_no,
            prose: Vec::new(),
            table: RawTable::default(),
        });
        return;
    }
    let section = sections.last_mut().expect("preamble section always present");
    if TABLE_SECTIONS.contains(&section.kind) {
        if let Some((cells, layout)) = split_cells(line) {
            let has_value = cells.iter().any(|c| looks_like_value(c));
            section.table.rows.push(RawRow { line: line_no, cells, layout });
            if has_value || layout == CellLayout::Grid {
                return;
            }
        } else if is_markdown_rule(line) {
            return;
        }
    }
    section.prose.push((line_no, line.trim().to_string()));
}

/// A line that carries section headings inside running text (a crawler export that collapsed
/// the page to one line): the line cut before each heading and after its words, so that each
/// heading is a piece of its own (`… 三、收到和处理政府信息公开申请情况 （本列数据…` → `…`,
/// `三、收到和处理政府信息公开申请情况`, `（本列数据…`). `None` unless the line holds two or more
/// headings of different sections, one of them section 三's with text after it (a 2019+
/// heading: a legacy report collapsed the same way is read whole, its table found by
/// `normalize::legacy`; a table of contents has nothing between its headings).
fn inline_pieces(line: &str) -> Option<Vec<String>> {
    // Two headings or more: two 、 or more (most lines have none).
    line.matches('、').nth(1)?;
    let mut cuts: Vec<(usize, usize, &'static str)> = Vec::new();
    for m in INLINE_HEADING.find_iter(line) {
        let after = &line[m.end()..];
        let next = INLINE_HEADING.find(after).map_or(after.len(), |n| n.start());
        let window: String = after[..next].chars().take(HEADING_REACH).collect();
        let found = SECTION_HEADINGS
            .iter()
            .flat_map(|(kind, words)| words.iter().map(move |w| (*kind, *w)))
            .filter_map(|(kind, w)| window.find(w).map(|at| (kind, at + w.len())))
            .min_by_key(|(_, end)| *end);
        let Some((kind, word_end)) = found else { continue };
        if cuts.last().is_some_and(|(_, end, _)| m.start() < *end) {
            continue;
        }
        // The heading runs on to the next white space when that is near (`…问题及改进情况`).
        let rest = &after[word_end..];
        let tail = rest.find(char::is_whitespace).filter(|&t| rest[..t].chars().count() <= 8).unwrap_or(0);
        cuts.push((m.start(), m.end() + word_end + tail, kind));
    }
    let kinds: std::collections::HashSet<&str> = cuts.iter().map(|(_, _, k)| *k).collect();
    // Section 三's heading with text after it: a table of contents on one line is not a report.
    let requests_text = cuts.iter().enumerate().any(|(i, (_, end, kind))| {
        let next = cuts.get(i + 1).map_or(line.len(), |c| c.0);
        *kind == "requests" && !line[*end..next].trim().is_empty()
    });
    if kinds.len() < 2 || !requests_text {
        return None;
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    for (start, end, _) in cuts {
        pieces.push(line[from..start].to_string());
        pieces.push(line[start..end].to_string());
        from = end;
    }
    pieces.push(line[from..].to_string());
    Some(pieces.into_iter().filter(|p| !p.trim().is_empty()).collect())
}

/// How far after `三、` a heading's words may start (`四、政府信息公开行政复议、行政诉讼情况`).
const HEADING_REACH: usize = 24;

/// The section a heading line opens, if the line is one: a short line (Markdown `#` allowed)
/// that starts with `一、` … `十、` and carries one of the section heading words.
fn heading_kind(line: &str) -> Option<&'static str> {
    if line.contains('|') || !line.contains('、') {
        return None;
    }
    let compact: String = line.trim().trim_start_matches('#').chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() > 40 || !HEADING_NUMERAL.is_match(&compact) {
        return None;
    }
    SECTION_HEADINGS.iter().find(|(_, words)| words.iter().any(|w| compact.contains(w))).map(|(kind, _)| *kind)
}

fn is_markdown_rule(line: &str) -> bool {
    let t = trim(line);
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Splits one line into cells. `|` lines (Markdown or portal export) keep every cell, empty ones
/// included; other lines are split at runs of 2+ spaces, and trailing numbers separated by single
/// spaces (`行政许可 97`, `0 0 0`) become cells of their own. Markdown rule lines give `None`.
pub fn split_cells(line: &str) -> Option<(Vec<String>, CellLayout)> {
    let t = trim(line);
    if t.is_empty() || is_markdown_rule(t) {
        return None;
    }
    if memchr::memchr(b'|', t.as_bytes()).is_some() {
        let inner = match t.strip_prefix('|') {
            Some(rest) => rest.strip_suffix('|').unwrap_or(rest),
            None => t,
        };
        let cells = split_at_byte(inner, b'|').map(|c| trim(c).to_string()).collect();
        return Some((cells, CellLayout::Grid));
    }
    let mut cells = Vec::new();
    for part in SPACED_GAP.split(t).filter(|p| !is_blank(p)) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let mut split = words.len();
        while split > 0 && looks_like_value(words[split - 1]) {
            split -= 1;
        }
        if split > 0 {
            cells.push(words[..split].join(" "));
        }
        cells.extend(words[split..].iter().map(|w| w.to_string()));
    }
    Some((cells, CellLayout::Spaced))
}

/// Whether `c` is a CJK Unified Ideograph (U+4E00–U+9FFF): the characters of Chinese labels
/// and names, every one a letter.
pub fn is_cjk_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether a cell reads as a number or a blank marker (dash, slash) rather than a label.
/// Full-width digits count.
pub fn looks_like_value(cell: &str) -> bool {
    // Most cells are plain ASCII digits: no folding, no regex (0.35% of an ingest's samples
    // against 3.5% before).
    let trimmed = trim(cell);
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // Most of the others are labels: a value opens with a sign, a digit or a dash, never with
    // a CJK ideograph, and holds only the characters of a value (`（一）予以公开` holds others).
    if trimmed.chars().next().is_some_and(is_cjk_ideograph) || !trimmed.chars().all(may_be_in_value) {
        return false;
    }
    looks_like_value_general(cell)
}

/// Whether `c` may be in a cell [`VALUE_TOKEN`] matches once full-width forms are folded: a
/// digit (any numeric character: `\d` is Unicode), a sign, separator, dash or slash, a unit's
/// character, or a full-width form (folded later). A cell with any other character is a label.
fn may_be_in_value(c: char) -> bool {
    c.is_numeric()
        || matches!(c, '+' | '-' | ',' | '.' | '/' | '—' | '－' | '–' | '／' | '万' | '元' | '件' | '个' | '项' | '条')
        || ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

/// [`looks_like_value`] without the fast path, for the test that keeps the two equal.
fn looks_like_value_general(cell: &str) -> bool {
    let folded: String = cell
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    !folded.is_empty() && VALUE_TOKEN.is_match(&folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_trim_is_str_trim() {
        // Every character class its fast answer reads from the first and last bytes: ASCII (white
        // space and control characters included), every Unicode white space, 2-, 3- and 4-byte
        // characters led by each byte around the E1–E3 / E4–EF border.
        let mut chars: Vec<char> = (0u8..128).map(char::from).collect();
        chars.extend((0..=0x10FFFFu32).filter_map(char::from_u32).filter(|c| c.is_whitespace()));
        chars.extend(['\u{a1}', '\u{7ff}', '\u{1000}', '\u{167f}', '\u{1681}', '\u{1fff}', '\u{2060}', '\u{2fff}']);
        chars.extend([
            '\u{3001}', '\u{3fff}', '\u{4000}', '\u{4e00}', '公', '\u{9fff}', '\u{ff08}', '\u{feff}', '\u{ffff}',
        ]);
        chars.extend(['\u{10000}', '\u{1f600}']);
        let mut texts = vec![String::new()];
        for &a in &chars {
            texts.push(a.to_string());
            for &b in &["", "x", "公 开", "1"] {
                texts.push(format!("{a}{b}"));
                texts.push(format!("{b}{a}"));
                texts.push(format!("{a}{b}{a}"));
            }
        }
        for t in &texts {
            assert_eq!(trim(t), t.trim(), "{t:?}");
            assert_eq!(is_blank(t), t.trim().is_empty(), "{t:?}");
        }
    }

    #[test]
    fn lines_and_byte_splits_agree_with_std() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "a\rb",
            "a\r",
            "\r\n",
            "\r",
            "a\n\r",
            "一、总体情况\r\n| 项目 | 数量 |\n\n|a||b|",
            "||",
            "|",
            "x|",
            "|x",
        ];
        for text in texts {
            assert_eq!(lines(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
            assert_eq!(split_at_byte(text, b'|').collect::<Vec<_>>(), text.split('|').collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_rule() {
        for cell in [
            "0",
            "12",
            " 7 ",
            "007",
            "1,234",
            "12件",
            "-",
            "—",
            "１２",
            "",
            " ",
            "a1",
            "1.5",
            "12 3",
            "+3",
            "件12",
            "予以公开",
            " 无",
            "一",
            "－",
            "／",
            "（一）予以公开",
            "1.本机关不掌握",
            "１２件",
            "＋３",
            "3万元",
            "٣",
            "1，234",
            "12.",
            "—/",
            "a",
        ] {
            assert_eq!(looks_like_value(cell), looks_like_value_general(cell), "{cell:?}");
        }
    }

    #[test]
    fn splits_portal_export_keeping_empty_cells() {
        let (cells, layout) = split_cells("行政许可 | 357639 | ||").unwrap();
        assert_eq!(layout, CellLayout::Grid);
        assert_eq!(cells, vec!["行政许可", "357639", "", "", ""]);
    }

    #[test]
    fn splits_markdown_row_and_skips_rule() {
        let (cells, _) = split_cells("| 四、结转下年度继续办理 | 1 | 0 |  |").unwrap();
        assert_eq!(cells, vec!["四、结转下年度继续办理", "1", "0", ""]);
        assert!(split_cells("|---|---|").is_none());
    }

    #[test]
    fn splits_layout_line_into_label_and_numbers() {
        let (cells, layout) =
            split_cells("                  （四）无法提供   1.本机关不掌握相关政府信息   31    0  0").unwrap();
        assert_eq!(layout, CellLayout::Spaced);
        assert_eq!(cells, vec!["（四）无法提供", "1.本机关不掌握相关政府信息", "31", "0", "0"]);
        let (cells, _) = split_cells("行政许可 97").unwrap();
        assert_eq!(cells, vec!["行政许可", "97"]);
        let (cells, _) = split_cells("4.无正当理由大量反复 申请        0    ０").unwrap();
        assert_eq!(cells, vec!["4.无正当理由大量反复 申请", "0", "０"]);
    }

    #[test]
    fn finds_headings_with_spaces_and_markdown() {
        assert_eq!(heading_kind("## 三、收到和处理政府信息公开申请情况"), Some("requests"));
        assert_eq!(heading_kind("     四、政府信息公开行政复议、行政诉讼情况"), Some("appeals"));
        assert_eq!(heading_kind(" 三 、本 年 度办 理 结果"), None);
        assert_eq!(heading_kind("四、结转下年度继续办理 | 45 | 0"), None);
        assert_eq!(heading_kind("三、主动公开工作情况"), None);
    }

    #[test]
    fn finds_headings_inside_running_text() {
        let text = "报告 一、总体情况 正文。 二、主动公开政府信息情况 规章 0 0 0 三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1 四、政府信息公开行政复议、行政诉讼情况 0 五、存在的主要问题及改进情况 无。 六、其他需要报告的事项 无。\n";
        let sections = split_sections(text);
        let kinds: Vec<&str> = sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, ["preamble", "overview", "proactive", "requests", "appeals", "problems", "other"]);
        assert_eq!(sections[5].heading, "五、存在的主要问题及改进情况");
        assert_eq!(sections[3].table.rows[0].cells[0], "一、本年新收政府信息公开申请数量");
        assert!(sections.iter().all(|s| s.line == 1));
        assert!(inline_pieces("一、概述 二、主动公开政府信息情况 五、存在的主要问题").is_none());
        assert!(inline_pieces("目录 一、总体情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政诉讼情况").is_none());
    }

    #[test]
    fn a_line_the_page_mark_pattern_matches_opens_as_the_quick_test_says() {
        let pattern = Regex::new(PAGE_MARK_PATTERN).unwrap();
        let lines = [
            "— 1 —",
            " -2- ",
            "第 3 页",
            "第3页 共 10 页",
            "12/40",
            "  ３ / ９",
            "－ 7 －",
            "– 8 –",
            "正文",
            "（一）",
            "|1|",
            "1.本机关",
            "第三章",
            "—",
            "٣/٩",
        ];
        for line in lines {
            if pattern.is_match(line) {
                assert!(may_open_page_mark(line.trim()), "{line:?}");
            }
        }
        assert!(lines.iter().filter(|l| pattern.is_match(l)).count() >= 7, "the lines hold page marks");
    }

    #[test]
    fn drops_page_marks() {
        let sections = split_sections("一、总体情况\n正文\n— 1 —\n-2-\n第 3 页\n");
        assert_eq!(sections[1].prose, vec![(2, "正文".to_string())]);
    }
}
