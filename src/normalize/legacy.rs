//! The legacy-era statistics table (政府信息公开情况统计表, 2008–2018) read from report text:
//! `指标名称 计量单位 本年度 历年累计` then rows of label, unit and values. Crawler exports keep it as
//! running text, often with no separator between the numbers (`主动公开信息数条20263542`), so the
//! table is read as a sequence of rows ([`super::flattened`]) and a digit run is split into
//! 本年度 | 历年累计 only when exactly one split satisfies the table's identities
//! ([`crate::model::legacy::LEGACY_BLOCKS`], 本年度 ≤ 历年累计) and, when those leave a choice, the
//! prose's own figure. Every row read this way carries a locator that says so and the table a
//! warning finding: nothing recovered is silent. Values stay as printed; the identities are
//! checked later (`validate::legacy`).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::flattened::{self, Values};
use super::label::normalize_label;
use super::number::{fold_width, parse_cell};
use crate::ingest::Document;
use crate::model::legacy::{
    LEGACY_BLOCKS, LEGACY_CUMULATIVE_HEADER, LEGACY_PROSE_FIGURES, LEGACY_ROW_LABELS, LEGACY_SINGLE_HEADER,
    LEGACY_TABLE_START, LEGACY_UNITS,
};
use crate::model::{BlankKind, Finding};

/// One cell of a legacy row.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyCell {
    pub value: Option<f64>,
    /// `number`, `explicit_zero`, `empty`, `slash`, `dash`, `unreadable`.
    pub blank_kind: BlankKind,
    /// The cell as printed (for a split digit run: its part of the run).
    pub raw: String,
}

impl LegacyCell {
    fn number(v: u64) -> LegacyCell {
        let value = v as f64;
        LegacyCell { value: Some(value), blank_kind: BlankKind::of_value(value), raw: v.to_string() }
    }

    fn blank(kind: BlankKind, raw: &str) -> LegacyCell {
        LegacyCell { value: None, blank_kind: kind, raw: raw.to_string() }
    }

    fn token(raw: &str) -> LegacyCell {
        let cell = parse_cell(raw);
        LegacyCell { value: cell.value, blank_kind: cell.blank_kind, raw: raw.to_string() }
    }
}

/// One printed row of the legacy table.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyRow {
    /// The row id of SCHEMA.md's `legacy` object; `None` for a row outside the id list (kept by
    /// its label as printed: `legacy_other`).
    pub id: Option<&'static str>,
    /// The label as printed, numbering included (`其中：1.网站公开`).
    pub label_raw: String,
    /// The 计量单位 as printed (`条`, `件`, `元`).
    pub unit: String,
    /// 本年度 (or 数量 in a one-column table).
    pub year: LegacyCell,
    /// 历年累计; `None` when the table has no such column.
    pub cumulative: Option<LegacyCell>,
    pub line: usize,
    /// `line 10, recovered from flattened text: '…'`, with how a digit run was split.
    pub locator: String,
}

impl LegacyRow {
    /// The name a finding uses for the row: `legacy.<id>` or `legacy_other.<label>`.
    pub fn cell_name(&self) -> String {
        match self.id {
            Some(id) => format!("legacy.{id}"),
            None => format!("legacy_other.{}", self.label_raw),
        }
    }
}

const DIGIT: &str = "[0-9０-９]";

static START: LazyLock<Regex> = LazyLock::new(|| Regex::new(&spaced_word(LEGACY_TABLE_START)).expect("start"));
static CUMULATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&spaced_word(LEGACY_CUMULATIVE_HEADER)).expect("cumulative header"));
static SINGLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&spaced_word(LEGACY_SINGLE_HEADER)).expect("header"));
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    let units = LEGACY_UNITS.join("|");
    let no_digit = "[^0-9０-９/／]";
    let pattern = format!(
        r"^\s*(?P<label>{no_digit}{{1,40}}?(?:{DIGIT}{{1,2}}\s*[.．、]\s*)?{no_digit}{{0,40}}?)\s*(?P<unit>{units})\s*(?P<values>(?:{DIGIT}+(?:[.．]{DIGIT}+)?|[/／—–-]|[ \t\u{{3000}}\u{{a0}}])*(?:{DIGIT}|[/／—–-]))(?P<num>[.．、])?"
    );
    Regex::new(&pattern).expect("row pattern")
});
static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:其中)?\s*[:：]?\s*([0-9０-９]{1,2})\s*[.．、]").expect("numbering"));
static PROSE_FIGURES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    LEGACY_PROSE_FIGURES.iter().map(|(id, p)| (*id, Regex::new(p).expect("prose figure pattern"))).collect()
});

/// `指标名称` with white space allowed between its characters.
fn spaced_word(word: &str) -> String {
    word.chars().map(|c| regex::escape(&c.to_string())).collect::<Vec<_>>().join(r"\s*")
}

/// The label's id, if it is one of the table's rows.
fn row_id(label: &str) -> Option<&'static str> {
    let trimmed = label.trim().trim_start_matches("其中").trim_start_matches([':', '：', ' ']);
    let text = normalize_label(trimmed);
    LEGACY_ROW_LABELS.iter().find(|(_, labels)| labels.iter().any(|l| normalize_label(l) == text)).map(|(id, _)| *id)
}

/// A scanned row before its digit runs are resolved.
struct Scanned {
    id: Option<&'static str>,
    label_raw: String,
    unit: String,
    line: usize,
    snippet: String,
    values: Option<Values>,
}

/// What a row's values can be: each candidate is (本年度, 历年累计).
enum Reading {
    Fixed(LegacyCell, Option<LegacyCell>),
    Split { run: String, candidates: Vec<(u64, u64)> },
    Unreadable(String),
}

/// The table found in a report: its rows and whether it is flattened text.
pub struct LegacyTable {
    pub rows: Vec<LegacyRow>,
}

/// Reads the legacy statistics table from the report's text, if it prints one. Findings go to
/// `findings` (rows recovered from flattened text, splits of digit runs, unreadable cells,
/// labels outside the id list).
pub fn read(doc: &Document, findings: &mut Vec<Finding>) -> Option<LegacyTable> {
    let lines = text_lines(doc);
    let (index, start) = lines.iter().enumerate().find_map(|(i, (_, l))| START.find(l).map(|m| (i, m.end())))?;
    let (line_no, line) = (lines[index].0, lines[index].1.as_str());
    let header: String = line[start..].chars().take(40).collect();
    let (columns, body_start) = match (CUMULATIVE.find(&header), SINGLE.find(&header)) {
        (Some(m), _) => (2, start + m.end()),
        (None, Some(m)) => (1, start + m.end()),
        (None, None) => return None,
    };
    if line.trim_start().starts_with('|') {
        return Some(read_grid(doc, &lines[index + 1..], columns, findings));
    }
    let (scanned, body_end) = scan(&line[body_start..], line_no);
    let body_end = body_start + body_end;
    let mut prose_text: String =
        lines.iter().filter(|(n, _)| *n != line_no).map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n");
    prose_text.push_str(&line[..start]);
    prose_text.push_str(&line[body_end..]);
    let figures = prose_figures(&prose_text);
    let flattened = scanned.len() > 1;
    let spaced = scanned.iter().any(|s| s.values.as_ref().is_some_and(|v| v.spaced));
    let readings: Vec<Reading> = scanned.iter().map(|s| reading(s, columns, spaced)).collect();
    let resolved = resolve(&scanned, readings, &figures, findings);
    let mut rows = Vec::new();
    let mut seen: Vec<&'static str> = Vec::new();
    for (s, (year, cumulative, how)) in scanned.iter().zip(resolved) {
        let mut id = s.id;
        if let Some(i) = id {
            if seen.contains(&i) {
                findings.push(
                    Finding::new(
                        "legacy.unknown_label",
                        format!(
                            "the row '{}' (line {}) is printed a second time; kept in legacy_other",
                            s.label_raw, s.line
                        ),
                    )
                    .cells([format!("legacy.{i}")]),
                );
                id = None;
            } else {
                seen.push(i);
            }
        } else {
            findings.push(
                Finding::new(
                    "legacy.unknown_label",
                    format!(
                        "the row '{}' (line {}) is not one of the legacy table's rows; kept in legacy_other",
                        s.label_raw, s.line
                    ),
                )
                .cells([format!("legacy_other.{}", s.label_raw)]),
            );
        }
        let mut locator = format!("line {}", s.line);
        if flattened {
            locator.push_str(&format!(", recovered from flattened text: '{}'", s.snippet));
        }
        if let Some(how) = how {
            locator.push_str(&format!("; {how}"));
        }
        rows.push(LegacyRow {
            id,
            label_raw: s.label_raw.clone(),
            unit: s.unit.clone(),
            year,
            cumulative,
            line: s.line,
            locator,
        });
    }
    if flattened && !rows.is_empty() {
        findings.push(
            Finding::new(
                "legacy.flattened",
                format!(
                    "the statistics table is printed as running text (line {line_no}, {}): its {} rows were recovered from the sequence of labels, units and numbers; check them against the original page",
                    if spaced { "numbers separated by spaces" } else { "numbers run together with no separator" },
                    rows.len()
                ),
            )
            .cells(rows.iter().map(LegacyRow::cell_name)),
        );
    }
    Some(LegacyTable { rows })
}

/// Every line of the report's text in order, table rows of the table sections included (as `|`
/// rows when their cells come from a grid).
fn text_lines(doc: &Document) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = doc.prose().cloned().collect();
    for row in doc.sections.iter().flat_map(|s| s.table.rows.iter()) {
        let text = match row.layout {
            crate::ingest::CellLayout::Spaced => row.cells.join("  "),
            _ => format!("| {} |", row.cells.join(" | ")),
        };
        lines.push((row.line, text));
    }
    lines.sort_by_key(|(n, _)| *n);
    lines
}

/// Reads a table that kept its cells (`| label | unit | 本年度 | 历年累计 |` rows, from HTML, Word or
/// a text export): every cell is where it was printed, so nothing is recovered or split. The
/// table ends at the first line that is not such a row.
fn read_grid(doc: &Document, lines: &[(usize, String)], columns: usize, findings: &mut Vec<Finding>) -> LegacyTable {
    let mut rows: Vec<LegacyRow> = Vec::new();
    for (line, text) in lines {
        let t = text.trim();
        if !t.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 2 + columns || !LEGACY_UNITS.contains(&cells[1]) {
            break;
        }
        let label_raw = cells[0].to_string();
        let id = row_id(&label_raw).filter(|id| !rows.iter().any(|r| r.id == Some(*id)));
        if id.is_none() {
            findings.push(
                Finding::new(
                    "legacy.unknown_label",
                    format!(
                        "the row '{label_raw}' (line {line}) is not one of the legacy table's rows or is printed twice; kept in legacy_other"
                    ),
                )
                .cells([format!("legacy_other.{label_raw}")]),
            );
        }
        let locator = match doc.places.get(line) {
            Some(place) => format!("{} (text line {line})", place.describe(None)),
            None => format!("line {line}"),
        };
        rows.push(LegacyRow {
            id,
            label_raw,
            unit: cells[1].to_string(),
            year: LegacyCell::token(cells[2]),
            cumulative: (columns == 2).then(|| LegacyCell::token(cells[3])),
            line: *line,
            locator,
        });
    }
    for row in rows.iter().filter(|r| {
        [Some(&r.year), r.cumulative.as_ref()].into_iter().flatten().any(|c| c.blank_kind == BlankKind::Unreadable)
    }) {
        findings.push(
            Finding::new(
                "legacy.unreadable",
                format!("{} ({}) is not a number or a blank", row.cell_name(), row.locator),
            )
            .cells([row.cell_name()]),
        );
    }
    LegacyTable { rows }
}

/// Scans the rows of a table body: (rows, byte offset where the table ends).
fn scan(body: &str, line: usize) -> (Vec<Scanned>, usize) {
    let mut rows = Vec::new();
    let mut pos = 0;
    // The numbering of the next row (`2.`) when it is glued to this row's values.
    let mut carried: Option<String> = None;
    let mut last_number: Option<u32>;
    while let Some(caps) = ROW.captures(&body[pos..]) {
        let label = caps.name("label").expect("label").as_str().trim();
        if !label.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            break;
        }
        let prefix = carried.take().unwrap_or_default();
        let label_raw = format!("{prefix}{label}");
        last_number = NUMBERING.captures(&fold_width(&label_raw)).and_then(|c| c[1].parse::<u32>().ok());
        let segment = caps.name("values").expect("values");
        let glued = caps.name("num").map(|p| (last_number.map_or(1, |n| n + 1), p.as_str()));
        let values = flattened::values(segment.as_str(), glued.map(|(n, _)| n));
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
fn reading(s: &Scanned, columns: usize, spaced: bool) -> Reading {
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
            if candidates.is_empty() {
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
fn prose_figures(text: &str) -> HashMap<&'static str, Vec<u64>> {
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

type Resolved = (LegacyCell, Option<LegacyCell>, Option<String>);

/// Resolves the digit runs: within each block of rows tied by an identity (a total and its
/// parts), every assignment of splits that satisfies 本年度 ≤ 历年累计 and the block identity is
/// kept; a row whose split is the same in every kept assignment is read, with a warning finding;
/// when the identities leave several, the prose figure decides if it leaves exactly one;
/// otherwise the row is unreadable, with a finding that lists the splits still possible.
fn resolve(
    scanned: &[Scanned],
    readings: Vec<Reading>,
    figures: &HashMap<&'static str, Vec<u64>>,
    findings: &mut Vec<Finding>,
) -> Vec<Resolved> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut in_block = vec![false; scanned.len()];
    for block in LEGACY_BLOCKS {
        let members: Vec<usize> = (0..scanned.len())
            .filter(|&i| scanned[i].id.is_some_and(|id| id == block.total || block.parts.contains(&id)))
            .collect();
        for &i in &members {
            in_block[i] = true;
        }
        groups.push(members);
    }
    groups.extend((0..scanned.len()).filter(|&i| !in_block[i]).map(|i| vec![i]));

    let mut out: Vec<Option<Resolved>> = vec![None; scanned.len()];
    for group in groups {
        let open: Vec<usize> =
            group.iter().copied().filter(|&i| matches!(readings[i], Reading::Split { .. })).collect();
        let sizes: Vec<usize> = open
            .iter()
            .map(|&i| match &readings[i] {
                Reading::Split { candidates, .. } => candidates.len(),
                _ => 1,
            })
            .collect();
        let value_of = |i: usize, choice: &[usize]| -> (Option<f64>, Option<f64>) {
            match &readings[i] {
                Reading::Fixed(y, c) => (y.value, c.as_ref().and_then(|c| c.value)),
                Reading::Split { candidates, .. } => {
                    let k = open.iter().position(|&o| o == i).map(|p| choice[p]).unwrap_or(0);
                    let (y, c) = candidates[k];
                    (Some(y as f64), Some(c as f64))
                }
                Reading::Unreadable(_) => (None, None),
            }
        };
        let block = LEGACY_BLOCKS.iter().find(|b| group.iter().any(|&i| scanned[i].id == Some(b.total)));
        let holds = |choice: &[usize]| -> bool {
            let Some(block) = block else { return true };
            let total = group.iter().find(|&&i| scanned[i].id == Some(block.total)).copied();
            let Some(total) = total else { return true };
            let parts: Vec<usize> = group.iter().copied().filter(|&i| i != total).collect();
            for column in 0..2 {
                let pick = |v: (Option<f64>, Option<f64>)| if column == 0 { v.0 } else { v.1 };
                let Some(t) = pick(value_of(total, choice)) else { continue };
                let values: Vec<Option<f64>> = parts.iter().map(|&p| pick(value_of(p, choice))).collect();
                if values.iter().any(Option::is_none) || values.is_empty() {
                    continue;
                }
                let sum: f64 = values.iter().flatten().sum();
                if (block.exact && (sum - t).abs() > 1e-9) || (!block.exact && sum > t + 1e-9) {
                    return false;
                }
            }
            true
        };
        let mut search = flattened::search(&sizes, 4096, 1_000_000, holds);
        let mut by_prose = false;
        if search.found.len() > 1 {
            let corroborated: Vec<Vec<usize>> = search
                .found
                .iter()
                .filter(|choice| {
                    open.iter().all(|&i| {
                        let Some(stated) = scanned[i].id.and_then(|id| figures.get(id)) else { return true };
                        let (y, c) = value_of(i, choice);
                        [y, c].iter().flatten().any(|v| stated.iter().any(|s| *s as f64 == *v))
                    })
                })
                .cloned()
                .collect();
            let distinct = |found: &[Vec<usize>]| found.iter().collect::<std::collections::HashSet<_>>().len();
            if !corroborated.is_empty() && distinct(&corroborated) < distinct(&search.found) {
                search.found = corroborated;
                by_prose = true;
            }
        }
        for &i in &group {
            let resolved = match &readings[i] {
                Reading::Fixed(y, c) => {
                    if c.as_ref().is_some_and(|c| c.blank_kind == BlankKind::Empty && c.raw.is_empty()) {
                        findings.push(
                            Finding::new(
                                "legacy.one_value",
                                format!(
                                    "{} ('{}', line {}) prints one value where the table has two columns: read as 本年度, 历年累计 blank",
                                    format_args!("legacy row '{}'", scanned[i].label_raw),
                                    scanned[i].snippet,
                                    scanned[i].line
                                ),
                            )
                            .cells([name(&scanned[i])]),
                        );
                    }
                    (y.clone(), c.clone(), None)
                }
                Reading::Unreadable(why) => {
                    findings.push(
                        Finding::new(
                            "legacy.unreadable",
                            format!("{} (line {}) is left unread: {why}", name(&scanned[i]), scanned[i].line),
                        )
                        .cells([name(&scanned[i])]),
                    );
                    unreadable(&scanned[i].snippet)
                }
                Reading::Split { run, candidates } => {
                    let p = open.iter().position(|&o| o == i).expect("open slot");
                    let mut chosen: Vec<usize> = search.found.iter().map(|c| c[p]).collect();
                    chosen.sort_unstable();
                    chosen.dedup();
                    // A run with one split is read as it is even when its block breaks an
                    // identity: that is the report's inconsistency (flagged by validate), not a
                    // choice the identity has to make.
                    if search.found.is_empty() && candidates.len() == 1 {
                        chosen = vec![0];
                    }
                    if chosen.len() == 1 && !search.gave_up {
                        let (y, c) = candidates[chosen[0]];
                        let by_prose = by_prose && scanned[i].id.is_some_and(|id| figures.contains_key(id));
                        let why = split_reason(block.map(|b| b.rule), by_prose, scanned[i].id, candidates.len());
                        // A run with one possible split is named by the table's `legacy.flattened`
                        // finding; a choice among several gets its own.
                        if candidates.len() > 1 {
                            findings.push(
                            Finding::new(
                                "legacy.split_digit_run",
                                format!(
                                    "{} is printed as the digit run {run} with no separator: read as {y} | {c}, {why}",
                                    name(&scanned[i])
                                ),
                            )
                            .cells([name(&scanned[i])]),
                            );
                        }
                        (
                            LegacyCell::number(y),
                            Some(LegacyCell::number(c)),
                            Some(format!("digit run {run} split as {y} | {c}")),
                        )
                    } else {
                        let possible: Vec<String> = if chosen.is_empty() {
                            candidates.iter().map(|(y, c)| format!("{y} | {c}")).collect()
                        } else {
                            chosen.iter().map(|&k| format!("{} | {}", candidates[k].0, candidates[k].1)).collect()
                        };
                        let why = if search.gave_up {
                            "too many ways to split the runs of this block to try".to_string()
                        } else if chosen.is_empty() {
                            format!(
                                "no split satisfies the block's identity; splits with 本年度 ≤ 历年累计: {}",
                                possible.join(", ")
                            )
                        } else {
                            format!("{} splits satisfy every constraint: {}", possible.len(), possible.join(", "))
                        };
                        findings.push(
                            Finding::new(
                                "legacy.unreadable",
                                format!(
                                    "{} is printed as the digit run {run} with no separator and is left unread: {why}",
                                    name(&scanned[i])
                                ),
                            )
                            .cells([name(&scanned[i])]),
                        );
                        unreadable(run)
                    }
                }
            };
            out[i] = Some(resolved);
        }
    }
    out.into_iter().map(|r| r.expect("every row is in one group")).collect()
}

fn name(s: &Scanned) -> String {
    match s.id {
        Some(id) => format!("legacy.{id}"),
        None => format!("legacy_other.{}", s.label_raw),
    }
}

fn unreadable(raw: &str) -> Resolved {
    (LegacyCell::blank(BlankKind::Unreadable, raw), Some(LegacyCell::blank(BlankKind::Unreadable, raw)), None)
}

fn split_reason(rule: Option<&str>, by_prose: bool, id: Option<&str>, splits: usize) -> String {
    let mut why = format!("the only one of its {splits} splits with 本年度 ≤ 历年累计");
    if let Some(rule) = rule {
        why.push_str(&format!(" that satisfies {rule} with the other rows of its block"));
    }
    if by_prose && let Some(id) = id {
        why.push_str(&format!(" and agrees with the figure the prose states for {id}"));
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_text;

    fn read_table(body: &str) -> (Vec<LegacyRow>, Vec<Finding>) {
        let text = format!("一、 概述 {body}\n");
        let doc = read_text(std::path::Path::new("x.txt"), &text);
        let mut findings = Vec::new();
        let rows = read(&doc, &mut findings).map(|t| t.rows).unwrap_or_default();
        (rows, findings)
    }

    fn cells(rows: &[LegacyRow], id: &str) -> (Option<f64>, Option<f64>) {
        let r = rows.iter().find(|r| r.id == Some(id)).expect("row");
        (r.year.value, r.cumulative.as_ref().and_then(|c| c.value))
    }

    #[test]
    fn splits_glued_runs_when_the_channel_sum_decides() {
        let (rows, findings) = read_table(
            "指标名称计量单位2012年度历年累计受理依申请公开信息总数条2121其中：1.当面申请数条18182.电子邮件申请数条33",
        );
        assert_eq!(cells(&rows, "requests_received"), (Some(21.0), Some(21.0)));
        assert_eq!(cells(&rows, "channel_in_person"), (Some(18.0), Some(18.0)));
        assert_eq!(rows[2].label_raw, "2.电子邮件申请数");
        assert!(rows.iter().all(|r| r.locator.contains("recovered from flattened text")));
        assert!(findings.iter().any(|f| f.rule == "legacy.flattened" && f.cells.len() == 3));
        assert!(findings.iter().any(|f| f.rule == "legacy.split_digit_run"
            && f.cells == ["legacy.requests_received"]
            && f.message.contains("21 | 21")));
    }

    #[test]
    fn leaves_an_ambiguous_run_unread_and_says_which_splits_remain() {
        let (rows, findings) = read_table("指标名称计量单位2012年度历年累计行政复议数件1112行政诉讼数件00");
        let review = rows.iter().find(|r| r.id == Some("review")).expect("review");
        assert_eq!(review.year.value, None);
        assert_eq!(review.year.blank_kind, BlankKind::Unreadable);
        let f = findings.iter().find(|f| f.rule == "legacy.unreadable").expect("finding");
        assert_eq!(f.cells, ["legacy.review"]);
        assert!(f.message.contains("1 | 112") && f.message.contains("11 | 12"), "{}", f.message);
        assert_eq!(cells(&rows, "litigation"), (Some(0.0), Some(0.0)));
    }

    #[test]
    fn a_prose_figure_chooses_among_splits_the_identities_leave_open() {
        let table = "指标名称计量单位2015年度历年累计主动公开文件数条294981916其中：1、政府网站公开数条2949819162、政府公报公开数条00";
        let (rows, _) = read_table(table);
        assert_eq!(cells(&rows, "proactive_total"), (None, None));
        let (rows, findings) = read_table(&format!("2015年主动公开政府信息2949条。{table}"));
        assert_eq!(cells(&rows, "proactive_total"), (Some(2949.0), Some(81916.0)));
        assert_eq!(cells(&rows, "proactive_website"), (Some(2949.0), Some(81916.0)));
        assert!(findings.iter().any(|f| f.rule == "legacy.split_digit_run" && f.message.contains("prose")));
    }

    #[test]
    fn reads_spaced_rows_slashes_and_a_one_column_table() {
        let (rows, findings) =
            read_table("指标名称 单位 2017年 历年累计 主动公开文件数 条 4 31 行政复议数 件 / / 来源：某县");
        assert_eq!(cells(&rows, "proactive_total"), (Some(4.0), Some(31.0)));
        assert_eq!(rows[1].year.blank_kind, BlankKind::Slash);
        assert!(findings.iter().all(|f| f.rule != "legacy.unreadable"));
        let (rows, _) = read_table("指 标 名 称 单位 数量 主动公开信息数 条 29 其中：1．同意提供 件 0 2．办结 件 0");
        assert_eq!(cells(&rows, "proactive_total"), (Some(29.0), None));
        assert!(rows[0].cumulative.is_none());
        assert_eq!(rows[2].label_raw, "2．办结");
        assert_eq!(rows[2].id, Some("replies_total"));
    }
}
