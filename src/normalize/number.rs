//! Cell text → number or blank. Full-width digits, thousands separators, trailing units
//! (`5件`, `251000元`, `0.5万元`), signs and change words (`+1036`, `增加4`, `减少2`), trailing notes
//! (`22（其中修订16件）`). Blanks keep their kind. Anything else is `unreadable`: never guessed.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::BlankKind;
use crate::model::labels::{BLANK_MARKERS, CELL_UNITS, CHANGE_WORDS};

static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[+-]?\d+(?:\.\d+)?$").expect("number pattern"));
static THOUSANDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$").expect("thousands pattern"));
/// Blank markers folded once; units longest first.
static BLANKS: LazyLock<Vec<(String, BlankKind)>> =
    LazyLock::new(|| BLANK_MARKERS.iter().map(|(m, k)| (fold_width(m), *k)).collect());
static UNITS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut units: Vec<&str> = CELL_UNITS.to_vec();
    units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    units
});
static TRAILING_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?\d)\s*[（(][^）)]*[）)]$").expect("note pattern"));

/// A parsed cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Option<f64>,
    pub blank_kind: BlankKind,
    /// Unit printed in the cell (`元`, `万元`, `件`), if any.
    pub unit: Option<String>,
}

impl Cell {
    pub fn blank(kind: BlankKind) -> Cell {
        Cell { value: None, blank_kind: kind, unit: None }
    }

    /// Whether the cell printed nothing usable as a number (empty, dash, slash, 无, unreadable).
    pub fn is_blank(&self) -> bool {
        self.value.is_none()
    }
}

/// Folds full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space.
pub fn fold_width(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// [`fold_width`] of one character.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

/// 2^53: the largest magnitude up to which an f64 holds every integer exactly.
pub const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// Whether `text` is a whole number past [`EXACT_INTEGERS`].
pub fn is_past_exact_integers(text: &str) -> bool {
    let digits = text.trim_start_matches(['-', '+']);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.trim_start_matches('0').len() >= 16
        && digits.parse::<u128>().map_or(true, |v| v > EXACT_INTEGERS as u128)
}

/// Parses one cell's text.
pub fn parse_cell(raw: &str) -> Cell {
    // Most cells are a few ASCII digits: read them without folding, allocating or a regex (the
    // general path below gives the same cell; a test keeps the two equal).
    let trimmed = crate::ingest::trim(raw);
    if (1..=15).contains(&trimmed.len()) && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let value = trimmed.parse::<u64>().map_or(f64::NAN, |v| v as f64);
        return Cell { value: Some(value), blank_kind: BlankKind::of_value(value), unit: None };
    }
    parse_cell_general(raw)
}

/// [`parse_cell`] without the fast path.
fn parse_cell_general(raw: &str) -> Cell {
    let folded = fold_width(raw);
    let mut text = folded.trim().to_string();
    if let Some((_, kind)) = BLANKS.iter().find(|(marker, _)| *marker == text) {
        return Cell::blank(*kind);
    }
    if let Some(caps) = TRAILING_NOTE.captures(&text) {
        text = caps[1].trim().to_string();
    }
    let mut unit = None;
    if let Some(u) = UNITS.iter().find(|u| text.ends_with(*u)) {
        unit = Some(u.to_string());
        text = text[..text.len() - u.len()].trim().to_string();
    }
    let mut sign = 1.0;
    if let Some((word, s)) = CHANGE_WORDS.iter().find(|(w, _)| text.starts_with(w)) {
        sign = *s;
        text = text[word.len()..].trim().to_string();
    }
    if THOUSANDS.is_match(&text) {
        text = text.replace(',', "");
    }
    if !NUMBER.is_match(&text) {
        return Cell { value: None, blank_kind: BlankKind::Unreadable, unit };
    }
    if is_past_exact_integers(&text) {
        // Past 2^53 an f64 cannot hold every integer: refused, not rounded (a finding names it).
        return Cell { value: None, blank_kind: BlankKind::Unreadable, unit };
    }
    match text.parse::<f64>().ok().filter(|v| v.is_finite()) {
        Some(v) => {
            let value = sign * v;
            let blank_kind = BlankKind::of_value(value);
            Cell { value: Some(value), blank_kind, unit }
        }
        // Not a number f64 can hold (hundreds of digits): unread, not infinite.
        None => Cell { value: None, blank_kind: BlankKind::Unreadable, unit },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_path_agrees_with_the_general_rule() {
        let cells = [
            "0",
            "00",
            "12",
            " 7 ",
            "007",
            "123456789012345",
            "1234567890123456",
            "12件",
            "1,234",
            "-",
            "１２",
            "",
            "\u{3000}12",
        ];
        for raw in cells {
            assert_eq!(parse_cell(raw), parse_cell_general(raw), "{raw:?}");
        }
    }

    use super::*;

    #[test]
    fn parses_real_cell_forms() {
        // Found by the fuzzer: 400 digits and a decimal point overflow f64 to infinity.
        let huge = parse_cell(&format!("{}.5", "1".repeat(400)));
        assert_eq!((huge.value, huge.blank_kind.id()), (None, "unreadable"));
        let cases: &[(&str, Option<f64>, &str)] = &[
            ("852", Some(852.0), "number"),
            ("０", Some(0.0), "explicit_zero"),
            ("１２３", Some(123.0), "number"),
            ("13,612", Some(13612.0), "number"),
            ("5件", Some(5.0), "number"),
            ("251000元", Some(251000.0), "number"),
            ("14900.48", Some(14900.48), "number"),
            ("0.5万元", Some(0.5), "number"),
            ("+1036", Some(1036.0), "number"),
            ("-3", Some(-3.0), "number"),
            ("增加4", Some(4.0), "number"),
            ("减少2", Some(-2.0), "number"),
            ("22（其中修订16件）", Some(22.0), "number"),
            ("", None, "empty"),
            ("\u{00A0}", None, "empty"),
            ("—", None, "dash"),
            ("－", None, "dash"),
            ("/", None, "slash"),
            ("／", None, "slash"),
            ("无", None, "wu"),
            ("1 3612", None, "unreadable"),
            ("约50", None, "unreadable"),
            ("9007199254740993", None, "unreadable"),
            ("9007199254740992", Some(9_007_199_254_740_992.0), "number"),
        ];
        for (raw, value, kind) in cases {
            let cell = parse_cell(raw);
            assert_eq!(cell.value, *value, "value of {raw:?}");
            assert_eq!(cell.blank_kind.id(), *kind, "kind of {raw:?}");
        }
        assert_eq!(parse_cell("251000元").unit.as_deref(), Some("元"));
        assert_eq!(parse_cell("0.5万元").unit.as_deref(), Some("万元"));
    }
}
