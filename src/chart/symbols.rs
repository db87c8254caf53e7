//! A metric's formula as a chart footer or the briefing prints it: in Chinese, with every symbol
//! defined. Nothing here restates a formula: the letters of the registry's formula
//! (`(G + P) ÷ T`) are matched, in order, to the `report_wide` columns its numerator and
//! denominator read (`granted + partially_granted`, `processed_total`), and each column is named
//! by the label tables of `model::labels`.

use crate::model::labels::{PROACTIVE_COLUMN_LABELS, PROACTIVE_ROW_LABELS, REQUEST_ROW_LABELS, display_labels};
use crate::model::schema::{APPEAL_BLOCKS, APPEAL_PARTS};
use crate::query::metrics::{Kind, Metric};

/// Words of the registry's formulas that are neither symbols nor column ids, in Chinese
/// (longest first, so a phrase wins over its words).
const WORDS: &[(&str, &str)] = &[
    ("over both litigation blocks", "两类诉讼合计"),
    ("its category total", "所属类别合计"),
    ("review block", "行政复议"),
    ("in_force", "现行有效件数"),
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("leaf", "各理由"),
    ("Y", "本年"),
    ("also", "另"),
    ("col", "各类申请人"),
    ("or", "或"),
];

/// Short Chinese name of a `report_wide` column or a label id: its display label, else the
/// longest printed label of at most 8 characters of its row, else the block and part of a
/// section 四 cell (`review_corrected` → 行政复议纠正).
pub fn column_label(id: &str) -> Option<String> {
    if let Some((_, label)) = display_labels().into_iter().find(|(k, _)| *k == id) {
        return Some(label.to_string());
    }
    let printed = REQUEST_ROW_LABELS.iter().chain(PROACTIVE_ROW_LABELS).chain(PROACTIVE_COLUMN_LABELS);
    if let Some((_, labels)) = printed.clone().find(|(k, _)| *k == id) {
        let short = labels.iter().filter(|l| l.chars().count() <= 8).max_by_key(|l| l.chars().count());
        return Some(short.unwrap_or(&labels[0]).to_string());
    }
    for block in APPEAL_BLOCKS {
        for part in APPEAL_PARTS {
            if id == format!("{block}_{part}") {
                return Some(format!("{}{}", column_label(block)?, column_label(part)?));
            }
        }
    }
    None
}

/// Whether a formula token is a symbol: one capital letter, optionally with a `_suffix`
/// (`T`, `K_direct`).
fn is_symbol(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && (token.len() == 1 || token.as_bytes()[1] == b'_' && token[2..].chars().all(|c| c.is_ascii_lowercase()))
}

fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|t| !t.is_empty())
}

fn push_new<'a>(list: &mut Vec<&'a str>, item: &'a str) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The symbols of a metric's formula with the Chinese name of the column each stands for, in
/// the order the formula uses them; empty when the formula has no symbols or they cannot be
/// matched one to one with the columns its expressions read.
pub fn symbols(metric: &Metric) -> Vec<(String, String)> {
    let mut letters = Vec::new();
    let mut named = Vec::new();
    for token in tokens(metric.formula) {
        if is_symbol(token) {
            push_new(&mut letters, token);
        } else {
            named.push(token);
        }
    }
    let mut columns = Vec::new();
    for token in tokens(metric.numerator).chain(tokens(metric.denominator)).chain(tokens(metric.inputs)) {
        if column_label(token).is_some() && !named.contains(&token) {
            push_new(&mut columns, token);
        }
    }
    if letters.is_empty() || letters.len() != columns.len() {
        return Vec::new();
    }
    letters
        .iter()
        .zip(&columns)
        .map(|(l, c)| (l.to_string(), column_label(c).expect("kept above: has a label")))
        .collect()
}

/// Replaces every column id and formula word of `text` by its Chinese name; symbols and
/// operators stay.
fn translate(text: &str) -> String {
    let mut text = text.to_string();
    for (word, zh) in WORDS.iter().filter(|(w, _)| w.contains(' ')) {
        text = text.replace(word, zh);
    }
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let zh = column_label(word).or_else(|| WORDS.iter().find(|(w, _)| w == word).map(|(_, z)| z.to_string()));
            out.push_str(&zh.unwrap_or_else(|| word.clone()));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(if c == ';' { '；' } else { c });
        }
    }
    flush(&mut word, &mut out);
    out.replace(", ", "，")
}

/// The formula in Chinese: the registry's formula with its words translated when its symbols
/// can be defined ([`symbols`]), else its numerator and denominator with each column named.
pub fn formula_zh(metric: &Metric) -> String {
    let has_symbols = tokens(metric.formula).any(is_symbol);
    if has_symbols && symbols(metric).is_empty() && !metric.numerator.is_empty() {
        let num = translate(metric.numerator);
        return match metric.kind {
            Kind::Value => num,
            Kind::Rate => format!("({num}) ÷ ({})", translate(metric.denominator)),
        };
    }
    translate(metric.formula)
}

/// `实质公开率 = (G + P) ÷ T；G 予以公开，P 部分公开，T 办理结果总计`: the metric's name, its
/// formula in Chinese and the definition of every symbol it uses.
pub fn definition(metric: &Metric) -> String {
    format!("{} = {}", metric.name, explained(metric))
}

/// The formula in Chinese and its symbols defined, without the metric's name:
/// `(G + P) ÷ T；G 予以公开，P 部分公开，T 办理结果总计`.
pub fn explained(metric: &Metric) -> String {
    let symbols = symbols(metric);
    let mut text = formula_zh(metric);
    if !symbols.is_empty() {
        let defs: Vec<String> = symbols.iter().map(|(s, zh)| format!("{s} {zh}")).collect();
        text.push_str(&format!("；{}", defs.join("，")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::metrics::{METRICS, metric};

    #[test]
    fn defines_each_letter_of_the_formula_from_the_expressions() {
        let m = metric("disclosure_rate").unwrap();
        assert_eq!(definition(m), "实质公开率 = (G + P) ÷ T；G 予以公开，P 部分公开，T 办理结果总计");
        let m = metric("review_correction_rate").unwrap();
        assert_eq!(
            definition(m),
            "复议纠错率（审结口径） = K ÷ (M + K + E)，行政复议；K 行政复议纠正，M 行政复议维持，E 行政复议其他结果"
        );
        let m = metric("not_held_rate").unwrap();
        assert_eq!(definition(m), "本机关不掌握率 = 本机关不掌握 ÷ T；T 办理结果总计");
    }

    #[test]
    fn every_metric_reads_in_chinese_with_its_symbols_defined() {
        for m in METRICS {
            let text = definition(m);
            let defined: Vec<String> = symbols(m).into_iter().map(|(s, _)| s).collect();
            let formula = formula_zh(m);
            let shown = tokens(&formula).filter(|t| t.chars().any(|c| c.is_ascii_alphabetic()));
            for token in shown {
                assert!(defined.iter().any(|d| d == token), "{}: '{token}' is not defined in '{text}'", m.key);
            }
        }
    }
}
