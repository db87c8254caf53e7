//! Tolerant label matching: printed label → canonical id. Labels are compared after removing
//! spaces, punctuation, quote variants and numbering prefixes (`（三）`, `1.`, `一、`); then an exact
//! alias match wins, then a prefix or containment of a long alias, then a fragment of an alias
//! (a label broken across lines or cells). Fragments can be ambiguous: the caller resolves them
//! by printed order.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::number::{fold_char, fold_width};

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]{1,3}[、.]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、]|[①-⑳])")
        .expect("numbering pattern")
});

/// How a label matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Equal to an alias after normalization.
    Exact,
    /// Starts with or contains an alias of 4+ characters.
    Contains,
    /// A piece (3+ characters) of an alias.
    Fragment,
}

/// Labels remembered per thread by [`normalize_label`], and by [`LabelIndex::find`] per index,
/// before each starts over, and the longest label they remember (bytes): about 3 MB a thread
/// and a memory at most.
const REMEMBERED_LABELS: usize = 16 * 1024;
const REMEMBERED_LABEL_BYTES: usize = 160;

type Remembered = HashMap<Box<str>, Box<str>, foldhash::fast::FixedState>;

/// What [`LabelIndex::find`] answers for a printed label.
type Found = Option<(Strength, Vec<&'static str>)>;

/// Per thread, per label index (by its number): the answers [`LabelIndex::find`] gave, by printed
/// label, up to [`REMEMBERED_LABELS`] an index.
type RememberedFinds = HashMap<usize, HashMap<Box<str>, Found, foldhash::fast::FixedState>, foldhash::fast::FixedState>;

/// Numbers the label indexes, so that each remembers its own answers (a number is never given
/// twice, so an index built later never reads an earlier one's answers).
static INDEX_NUMBER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    static REMEMBERED: std::cell::RefCell<Remembered> = std::cell::RefCell::new(HashMap::default());
    static REMEMBERED_FINDS: std::cell::RefCell<RememberedFinds> = std::cell::RefCell::new(HashMap::default());
}

/// The text a label is compared on: width-folded, numbering prefixes removed, only letters and
/// digits kept (so `“三安全一稳定”`, `(区分处理的, 只计…)` and `逾期不补正, 行政机关` compare equal).
///
/// The same printed labels come back in report after report (the forms are national), so each
/// thread remembers the labels it normalized: a label seen before costs a hash lookup instead of
/// the folding passes and the numbering pattern (6% of an ingest's samples before).
pub fn normalize_label(raw: &str) -> String {
    REMEMBERED
        .with_borrow_mut(|remembered| remember(remembered, raw, |raw| normalize_label_once(raw).into()))
        .into_string()
}

/// The answer `compute` gives for `raw`, from `memory` when it holds one, else computed and kept
/// there (the memory starts over when it holds [`REMEMBERED_LABELS`] answers; a label longer than
/// [`REMEMBERED_LABEL_BYTES`] is not kept).
fn remember<V: Clone>(
    memory: &mut HashMap<Box<str>, V, foldhash::fast::FixedState>,
    raw: &str,
    compute: impl FnOnce(&str) -> V,
) -> V {
    if raw.len() > REMEMBERED_LABEL_BYTES {
        return compute(raw);
    }
    if let Some(known) = memory.get(raw) {
        return known.clone();
    }
    let answer = compute(raw);
    if memory.len() >= REMEMBERED_LABELS {
        memory.clear();
    }
    memory.insert(raw.into(), answer.clone());
    answer
}

/// [`normalize_label`] without remembering.
fn normalize_label_once(raw: &str) -> String {
    // Most labels open with no numbering: one pass and one allocation (white space is not
    // kept, being neither letter nor digit). A test keeps this equal to the general way.
    let first = raw.chars().map(fold_char).find(|c| !c.is_whitespace());
    if !first.is_some_and(opens_numbering) {
        let mut out = String::with_capacity(raw.len());
        out.extend(raw.chars().map(fold_char).filter(|&c| is_letter_or_digit(c)));
        return out;
    }
    normalize_label_general(raw)
}

/// Whether `c` is kept in a compared label: `char::is_alphanumeric`, with the CJK Unified
/// Ideographs (every one a letter) answered without the Unicode table.
fn is_letter_or_digit(c: char) -> bool {
    crate::ingest::is_cjk_ideograph(c) || c.is_alphanumeric()
}

/// [`normalize_label`] without the fast path.
fn normalize_label_general(raw: &str) -> String {
    let mut text: String = fold_width(raw).chars().filter(|c| !c.is_whitespace()).collect();
    // NUMBERING can only match at one of these first characters; most labels start otherwise
    // and skip the regex (a test keeps the two ways equal).
    let may_number = |t: &str| t.chars().next().is_some_and(opens_numbering);
    while let Some(m) = if may_number(&text) { NUMBERING.find(&text) } else { None } {
        if m.end() == text.len() {
            break;
        }
        text = text[m.end()..].to_string();
    }
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether a NUMBERING prefix can start with `c`.
fn opens_numbering(c: char) -> bool {
    // `\d` is any Unicode digit; `is_numeric` holds for those and for ①–⑳.
    c.is_numeric() || "一二三四五六七八九十（(".contains(c)
}

/// A label table prepared for matching: every alias normalized once; exact matches by hash;
/// the aliases a label contains found in one pass (Aho–Corasick) rather than one substring
/// search per alias (4% of an ingest's samples); the aliases that contain a label, by one
/// substring search over all of them (2%).
pub struct LabelIndex {
    /// This index's number in the per-thread memory of answers.
    number: usize,
    aliases: Vec<(&'static str, String, usize)>,
    exact: HashMap<String, Vec<&'static str>, foldhash::fast::FixedState>,
    /// The aliases of 4 characters or more, and their places in `aliases`.
    contained: aho_corasick::AhoCorasick,
    contained_at: Vec<usize>,
    /// Every alias, each followed by a newline (which no normalized label holds), and where each
    /// starts: a match of a label in it lies within one alias.
    joined: String,
    starts: Vec<usize>,
}

/// The shortest alias a label may contain to be named by it.
const CONTAINED_MIN_CHARS: usize = 4;

impl LabelIndex {
    pub fn new(table: &[(&'static str, &'static [&'static str])]) -> LabelIndex {
        let aliases = table
            .iter()
            .flat_map(|(id, labels)| {
                labels.iter().map(move |l| {
                    let n = normalize_label(l);
                    let len = n.chars().count();
                    (*id, n, len)
                })
            })
            .collect::<Vec<(&'static str, String, usize)>>();
        let mut exact: HashMap<String, Vec<&'static str>, foldhash::fast::FixedState> = HashMap::default();
        for (id, alias, _) in &aliases {
            let ids = exact.entry(alias.clone()).or_default();
            if !ids.contains(id) {
                ids.push(id);
            }
        }
        let contained_at: Vec<usize> = (0..aliases.len()).filter(|&i| aliases[i].2 >= CONTAINED_MIN_CHARS).collect();
        let contained = aho_corasick::AhoCorasick::new(contained_at.iter().map(|&i| aliases[i].1.as_str()))
            .expect("label aliases make an automaton");
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(aliases.len());
        for (_, alias, _) in &aliases {
            starts.push(joined.len());
            joined.push_str(alias);
            joined.push('\n');
        }
        let number = INDEX_NUMBER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        LabelIndex { number, aliases, exact, contained, contained_at, joined, starts }
    }

    /// Ids whose labels match `raw`, with the strength of the best match level that found any.
    ///
    /// The same printed labels come back in report after report, so each thread remembers the
    /// answers of each index: a label seen before costs a hash lookup instead of normalizing it
    /// and searching the aliases (3% of an ingest's samples before).
    pub fn find(&self, raw: &str) -> Found {
        REMEMBERED_FINDS.with_borrow_mut(|remembered| {
            remember(remembered.entry(self.number).or_default(), raw, |raw| self.find_once(raw))
        })
    }

    /// [`LabelIndex::find`] without remembering.
    fn find_once(&self, raw: &str) -> Found {
        let text = normalize_label(raw);
        let len = text.chars().count();
        if len == 0 {
            return None;
        }
        if let Some(exact) = self.exact.get(&text) {
            return Some((Strength::Exact, exact.clone()));
        }
        let mut found = vec![false; self.aliases.len()];
        for m in self.contained.find_overlapping_iter(&text) {
            found[self.contained_at[m.pattern().as_usize()]] = true;
        }
        let mut contains: Vec<&'static str> = Vec::new();
        for ((id, _, _), _) in self.aliases.iter().zip(&found).filter(|(_, f)| **f) {
            if !contains.contains(id) {
                contains.push(id);
            }
        }
        if !contains.is_empty() {
            return Some((Strength::Contains, contains));
        }
        if len >= 3 {
            // Matches in increasing position: the aliases in their order, as one search per alias
            // would find them. A match never spans two aliases (the newline between them).
            let mut fragment: Vec<&'static str> = Vec::new();
            for (at, _) in self.joined.match_indices(text.as_str()) {
                let id = self.aliases[self.starts.partition_point(|&s| s <= at) - 1].0;
                if !fragment.contains(&id) {
                    fragment.push(id);
                }
            }
            if !fragment.is_empty() {
                return Some((Strength::Fragment, fragment));
            }
        }
        None
    }
}

/// Ids whose labels match `raw` in `table` (prepares the table each call: use a [`LabelIndex`]
/// on hot paths).
pub fn match_label(
    raw: &str,
    table: &[(&'static str, &'static [&'static str])],
) -> Option<(Strength, Vec<&'static str>)> {
    // A fresh index each call: nothing to remember it by.
    LabelIndex::new(table).find_once(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labels::REQUEST_ROW_LABELS;

    fn ids(raw: &str) -> Option<(Strength, Vec<&'static str>)> {
        match_label(raw, REQUEST_ROW_LABELS)
    }

    #[test]
    fn the_numbering_precheck_skips_only_labels_the_pattern_cannot_match() {
        for c in '\0'..=char::MAX {
            let label = format!("{c}1、x");
            if !opens_numbering(c) {
                assert!(NUMBERING.find(&label).is_none(), "{label}");
            }
        }
    }

    #[test]
    fn the_one_pass_normalization_equals_the_general_one() {
        assert!(('\u{0}'..=char::MAX).filter(|&c| crate::ingest::is_cjk_ideograph(c)).all(|c| c.is_alphanumeric()));
        for label in REQUEST_ROW_LABELS.iter().flat_map(|(_, l)| l.iter()).chain(&[
            "　ＡＢ１ 申请\u{00A0}人",
            " （一）予以公开",
            "１．其他",
            "①其他",
            "“三安全一稳定”",
            "",
            "   ",
        ]) {
            assert_eq!(normalize_label_once(label), normalize_label_general(label), "{label}");
            // Asked twice: the second answer is the remembered one.
            assert_eq!(normalize_label(label), normalize_label_general(label), "{label}");
            assert_eq!(normalize_label(label), normalize_label_general(label), "{label}");
        }
    }

    #[test]
    fn the_automaton_finds_every_alias_a_label_contains() {
        let index = LabelIndex::new(REQUEST_ROW_LABELS);
        let all: Vec<&str> = REQUEST_ROW_LABELS.iter().flat_map(|(_, l)| l.iter().copied()).collect();
        // Labels glued to their neighbours, as running text and merged cells print them.
        let texts = all.iter().zip(all.iter().skip(1)).map(|(a, b)| format!("三、本年度办理结果{a}{b}（续）"));
        for text in texts {
            let norm = normalize_label(&text);
            let mut naive: Vec<&str> = Vec::new();
            for (id, alias, len) in &index.aliases {
                if *len >= CONTAINED_MIN_CHARS && norm.contains(alias.as_str()) && !naive.contains(id) {
                    naive.push(id);
                }
            }
            let found = index.find(&text);
            match found {
                Some((Strength::Exact, _)) => {}
                Some((Strength::Contains, ids)) => assert_eq!(ids, naive, "{text}"),
                _ => assert!(naive.is_empty(), "{text}"),
            }
        }
    }

    #[test]
    fn remembered_answers_are_each_index_own_and_equal_to_a_fresh_search() {
        use crate::model::labels::PROACTIVE_ROW_LABELS;
        let (requests, proactive) = (LabelIndex::new(REQUEST_ROW_LABELS), LabelIndex::new(PROACTIVE_ROW_LABELS));
        let labels: Vec<&str> = REQUEST_ROW_LABELS
            .iter()
            .chain(PROACTIVE_ROW_LABELS)
            .flat_map(|(_, l)| l.iter().copied())
            .chain(["（三）不予公开", "不予", "合计", ""])
            .collect();
        // Asked twice each, in turn: the second answer comes from the memory.
        for _ in 0..2 {
            for label in &labels {
                assert_eq!(requests.find(label), requests.find_once(label), "{label}");
                assert_eq!(proactive.find(label), proactive.find_once(label), "{label}");
            }
        }
        // The two tables answer differently for some labels: neither took the other's answers.
        assert!(labels.iter().any(|l| requests.find(l) != proactive.find(l)));
        assert_ne!(requests.number, proactive.number);
    }

    #[test]
    fn one_search_finds_every_alias_that_contains_a_label() {
        let index = LabelIndex::new(REQUEST_ROW_LABELS);
        // Every 3- to 6-character piece of every alias, and pieces of two aliases glued.
        let mut pieces: Vec<String> = Vec::new();
        for (_, alias, _) in &index.aliases {
            let chars: Vec<char> = alias.chars().collect();
            for n in 3..=6 {
                pieces.extend(chars.windows(n).map(|w| w.iter().collect::<String>()));
            }
        }
        for pair in index.aliases.windows(2) {
            let (a, b): (Vec<char>, Vec<char>) = (pair[0].1.chars().collect(), pair[1].1.chars().collect());
            pieces.push(a[a.len().saturating_sub(2)..].iter().chain(&b[..b.len().min(2)]).collect());
        }
        let mut fragments = 0;
        for piece in &pieces {
            let mut naive: Vec<&str> = Vec::new();
            for (id, alias, _) in &index.aliases {
                if alias.contains(piece.as_str()) && !naive.contains(id) {
                    naive.push(id);
                }
            }
            match index.find(piece) {
                Some((Strength::Fragment, ids)) => {
                    fragments += 1;
                    assert_eq!(ids, naive, "{piece}");
                }
                None => assert!(naive.is_empty(), "{piece}"),
                Some(_) => {} // an exact or contained alias wins over fragments
            }
        }
        assert!(fragments > 100, "only {fragments} pieces matched as fragments");
    }

    #[test]
    fn matches_label_variants() {
        let cases: &[(&str, &str)] = &[
            ("一、本年新收政府信息公开申请数量", "new_received"),
            ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "partially_granted"),
            ("部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partially_granted"),
            ("3.危及\"三安全一稳定\"", "refused_security_stability"),
            ("3.危及“三安全一稳定”", "refused_security_stability"),
            ("2.其他法律行政止公开", "refused_law_prohibited"),
            ("4.无正当理由大量反复 申请", "not_processed_excessive"),
            ("1. 申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请", "other_correction_overdue"),
            ("3.其他", "other_misc"),
            ("（六）其他处理", "other_total"),
            ("（七）总计", "processed_total"),
            ("四、结转下年度继续办理", "carried_forward"),
            ("缴纳费用、", "other_fee_unpaid"),
        ];
        for (raw, id) in cases {
            let (_, found) = ids(raw).unwrap_or_else(|| panic!("no match for {raw}"));
            assert_eq!(found, vec![*id], "label {raw}");
        }
    }

    #[test]
    fn reports_ambiguous_fragments() {
        let (strength, found) = ids("行政机关不再处理其政府信息公").unwrap();
        assert_eq!(strength, Strength::Fragment);
        assert_eq!(found, vec!["other_correction_overdue", "other_fee_unpaid"]);
        assert!(ids("果").is_none());
        assert!(ids("业").is_none());
    }
}
