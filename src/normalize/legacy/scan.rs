//! Scanning a statistics table printed as running text: rows of label, unit and value tokens,
//! the next row's numbering taken off a value run it is glued to, and the candidate readings of
//! each row (a digit run with no separator has one per split).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::super::flattened::{self, Values};
use super::super::number::fold_width;
use super::{LegacyCell, row_id};
use crate::model::BlankKind;
use crate::model::legacy::{LEGACY_PROSE_FIGURES, LEGACY_UNITS};

const DIGIT: &str = "[0-9０-９]";
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    // Longest first, so that 万元 and 人次 are not read as 元 and 人.
    let mut units = LEGACY_UNITS.to_vec();
    units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    let units = units.join("|");
    let no_digit = "[^0-9０-９/／]";
    let pattern = format!(
        r"^\s*(?P<label>{no_digit}{{1,40}}?(?:{DIGIT}{{1,2}}\s*[.．、]\s*)?{no_digit}{{0,40}}?)\s*(?P<unit>{units})(?P<gap>\s*)(?P<values>(?:{DIGIT}+(?:[.．]{DIGIT}+)?|[/／—–-]|[ \t\u{{3000}}\u{{a0}}])*(?:{DIGIT}|[/／—–-]))(?P<num>[.．、])?"
    );
    Regex::new(&pattern).expect("row pattern")
});
static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:其中)?\s*[:：]?\s*([0-9０-９]{1,2})\s*[.．、]").expect("numbering"));
static PROSE_FIGURES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    LEGACY_PROSE_FIGURES.iter().map(|(id, p)| (*id, Regex::new(p).expect("prose figure pattern"))).collect()
});

/// A scanned row before its digit runs are resolved.
pub(super) struct Scanned {
    pub(super) id: Option<&'static str>,
    pub(super) label_raw: String,
    pub(super) unit: String,
    pub(super) line: usize,
    pub(super) snippet: String,
    pub(super) values: Option<Values>,
}

/// What a row's values can be: each candidate is (本年度, 历年累计).
pub(super) enum Reading {
    Fixed(LegacyCell, Option<LegacyCell>),
    Split { run: String, candidates: Vec<(u64, u64)> },
    Unreadable(String),
}

/// Scans the rows of a table body: (rows, byte offset where the table ends).
pub(super) fn scan(body: &str, line: usize) -> (Vec<Scanned>, usize) {
    let mut rows = Vec::new();
    let mut pos = 0;
    // The numbering of the next row (`2.`) when it is glued to this row's values.
    let mut carried: Option<String> = None;
    let mut last_number: Option<u32>;
    while let Some(caps) = ROW.captures(&body[pos..]) {
        let label = caps.name("label").expect("label").as_str().trim();
        if !label.chars().any(crate::ingest::is_cjk_ideograph) {
            break;
        }
        let prefix = carried.take().unwrap_or_default();
        let label_raw = format!("{prefix}{label}");
        last_number = NUMBERING.captures(&fold_width(&label_raw)).and_then(|c| c[1].parse::<u32>().ok());
        let segment = caps.name("values").expect("values");
        let glued = caps.name("num").map(|p| (last_number.map_or(1, |n| n + 1), p.as_str()));
        let gap = caps.name("gap").is_some_and(|g| !g.as_str().is_empty());
        let values = flattened::values(segment.as_str(), glued.map(|(n, _)| n)).map(|mut v| {
            v.spaced |= gap;
            v
        });
        if values.is_some() {
            carried = glued.map(|(n, punct)| format!("{n}{punct}"));
        }
        let whole = caps.get(0).expect("match");
        let snippet = format!("{prefix}{}", body[pos..pos + segment.end()].trim());
        rows.push(Scanned { id: row_id(&label_raw), label_raw, unit: caps["unit"].to_string(), line, snippet, values });
        pos += whole.end();
        if values_missing(&rows) {
            break;
        }
    }
    (rows, pos)
}

/// A segment that does not end with the next row's number leaves the scan without a way on.
fn values_missing(rows: &[Scanned]) -> bool {
    rows.last().is_some_and(|r| r.values.is_none())
}

/// The candidate readings of one row.
pub(super) fn reading(s: &Scanned, columns: usize, spaced: bool) -> Reading {
    let Some(values) = &s.values else {
        return Reading::Unreadable(format!(
            "the values '{}' are followed by numbering that is not the next row's number",
            s.snippet
        ));
    };
    let t = &values.tokens;
    match (columns, t.len()) {
        (1, 1) => Reading::Fixed(LegacyCell::token(&t[0]), None),
        (2, 2) => Reading::Fixed(LegacyCell::token(&t[0]), Some(LegacyCell::token(&t[1]))),
        (2, 1) if spaced || !t[0].chars().all(|c| c.is_ascii_digit()) => {
            Reading::Fixed(LegacyCell::token(&t[0]), Some(LegacyCell::blank(BlankKind::Empty, "")))
        }
        (2, 1) => {
            let candidates: Vec<(u64, u64)> =
                flattened::split_run(&t[0], 2).into_iter().map(|p| (p[0], p[1])).filter(|(y, c)| y <= c).collect();
            if t[0].chars().count() == 1 {
                Reading::Unreadable(format!(
                    "the single digit {} stands where the table has two value columns, and nothing says which",
                    t[0]
                ))
            } else if candidates.is_empty() {
                Reading::Unreadable(format!(
                    "the digit run {} has no split into 本年度 | 历年累计 with 本年度 ≤ 历年累计",
                    t[0]
                ))
            } else {
                Reading::Split { run: t[0].clone(), candidates }
            }
        }
        (_, n) => Reading::Unreadable(format!("{n} values where the table has {columns} value column(s)")),
    }
}

/// Figures the prose states for a row (`主动公开政府信息2026条`), by row id.
pub(super) fn prose_figures(text: &str) -> HashMap<&'static str, Vec<u64>> {
    let folded: String = fold_width(text).chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: HashMap<&'static str, Vec<u64>> = HashMap::new();
    for (id, re) in PROSE_FIGURES.iter() {
        for caps in re.captures_iter(&folded) {
            if let Ok(v) = caps[1].parse() {
                out.entry(*id).or_default().push(v);
            }
        }
    }
    out
}
