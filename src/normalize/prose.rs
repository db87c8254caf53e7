//! Prose figures (format-spec §4.7): the numbers sections 一 and the preamble state about
//! requests, outcomes and appeals, with the line they are on, for the prose ↔ table checks.

use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::Document;

/// A figure stated in prose.
#[derive(Debug, Clone, PartialEq)]
pub struct ProseFact {
    /// `requests_received`, `requests_processed`, `disclosed_total`, `granted`, … (SCHEMA ids where
    /// one exists), `review_total`, `litigation_total`, `review_zero_corrected`, `litigation_zero_lost`.
    pub key: &'static str,
    pub value: f64,
    /// A percentage printed after the figure (`（17.46%）`).
    pub pct: Option<f64>,
    /// Whether the sentence says the figure includes the carried-over applications (含上年结转).
    pub includes_carried: bool,
    pub line: usize,
    pub snippet: String,
}

/// (key, pattern): group 1 is the number, group 2 an optional percentage. Patterns run on the
/// preamble and section 一 joined without line breaks.
const PATTERNS: &[(&str, &str)] = &[
    ("requests_received", r"(?:收到|新收|受理)[^，。；,;\d]{0,20}?申请[^，。；,;\d]{0,4}?(\d+)件"),
    ("requests_processed", r"(?:^|[，。；,;共已])(?:办结|答复|办理)(\d+)件"),
    (
        "outcome",
        r"(予以公开及部分公开|予以公开和部分公开|予以公开|同意公开|部分公开|不予公开|无法提供|不予处理|其他处理)[^，。；,;\d%]{0,8}?(\d+)件(?:[（(，,]占?(\d+(?:\.\d+)?)[%％])?",
    ),
    (
        "carried_forward",
        r"(?:结转下年度|结转下一年度?|转下一年度|顺延到下年度|顺延至下年度|结转到下年度)[^，。；,;\d]{0,10}?(\d+)件",
    ),
    ("carried_forward", r"(\d+)件[^，。；,;\d]{0,6}?(?:顺延|结转)(?:到|至)?下一?年度?"),
    ("review_total", r"行政复议[^，。；、,;\d]{0,6}?(\d+)件"),
    ("review_total", r"(\d+)件[^，。；,;\d]{0,12}?行政复议"),
    ("litigation_total", r"行政诉讼[^，。；、,;\d]{0,6}?(\d+)件"),
    ("litigation_total", r"(\d+)件[^，。；,;\d]{0,12}?行政诉讼"),
    ("review_zero_corrected", r"(?:未被[^，。；]{0,12}?纠错|未发生[^。；]{0,20}?复议纠错|复议零纠错)"),
    ("litigation_zero_lost", r"(?:零败诉|未发生[^。；]{0,30}?败诉)"),
];

/// Outcome words → SCHEMA ids.
const OUTCOME_KEYS: &[(&str, &str)] = &[
    ("予以公开及部分公开", "disclosed_total"),
    ("予以公开和部分公开", "disclosed_total"),
    ("予以公开", "granted"),
    ("同意公开", "granted"),
    ("部分公开", "partially_granted"),
    ("不予公开", "refused_total"),
    ("无法提供", "unavailable_total"),
    ("不予处理", "not_processed_total"),
    ("其他处理", "other_total"),
];

static COMPILED: LazyLock<Vec<(&'static str, Regex)>> =
    LazyLock::new(|| PATTERNS.iter().map(|(k, p)| (*k, Regex::new(p).expect("prose pattern"))).collect());

/// Extracts the prose figures; the first statement of each key wins.
pub fn extract(doc: &Document) -> Vec<ProseFact> {
    let mut text = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for s in doc.sections.iter().filter(|s| s.kind == "preamble" || s.kind == "overview") {
        for (line, l) in &s.prose {
            starts.push((text.len(), *line));
            text.extend(super::number::fold_width(l).chars().filter(|c| !c.is_whitespace()));
        }
    }
    let line_at = |offset: usize| starts.iter().rev().find(|(o, _)| *o <= offset).map(|(_, l)| *l).unwrap_or(0);
    let mut facts: Vec<ProseFact> = Vec::new();
    for (key, re) in COMPILED.iter() {
        for caps in re.captures_iter(&text) {
            let whole = caps.get(0).expect("match");
            let (key, value, pct) = match *key {
                "outcome" => {
                    let word = &caps[1];
                    let Some((_, id)) = OUTCOME_KEYS.iter().find(|(w, _)| *w == word) else { continue };
                    (*id, caps[2].parse().unwrap_or(0.0), caps.get(3).and_then(|m| m.as_str().parse().ok()))
                }
                "review_zero_corrected" | "litigation_zero_lost" => (*key, 0.0, None),
                _ => (*key, caps[1].parse().unwrap_or(0.0), None),
            };
            if facts.iter().any(|f| f.key == key) {
                continue;
            }
            let tail: String = text[whole.end()..].chars().take(12).collect();
            facts.push(ProseFact {
                key,
                value,
                pct,
                includes_carried: tail.contains("含上年"),
                line: line_at(whole.start()),
                snippet: whole.as_str().to_string(),
            });
        }
    }
    facts
}
