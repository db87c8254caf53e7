//! The format era of a report (2008–2018 free-form, 2019 trial, 2021 standard) from the labels
//! it prints.

use std::collections::HashMap;

use super::meta::infer_year;
use crate::ingest::Document;
use crate::model::Era;
use crate::model::era::{MODERN_SIGNATURES, SIGNATURES};

/// The era from label signatures, with the signatures found. Falls back to the applicant header
/// (a 2019+ report) and the year when no signature is printed.
pub fn detect_era(doc: &Document) -> (Era, Vec<String>) {
    // Every line and cell, in order, without white space (a label may wrap across lines).
    let mut text = String::new();
    for s in &doc.sections {
        let cells = s.table.rows.iter().flat_map(|r| r.cells.iter().map(String::as_str));
        for piece in s.prose.iter().map(|(_, l)| l.as_str()).chain(cells) {
            // Runs between white space copied whole (char by char was 1.9% of an ingest's instructions).
            piece.split(char::is_whitespace).for_each(|run| text.push_str(run));
        }
    }
    let mut score: HashMap<Era, usize> = HashMap::new();
    let mut evidence = Vec::new();
    for (era, signature) in SIGNATURES {
        if text.contains(signature) {
            *score.entry(*era).or_default() += 1;
            evidence.push(signature.to_string());
        }
    }
    let best = [Era::Std2021, Era::Trial2019, Era::Legacy2008]
        .into_iter()
        .filter(|e| score.get(e).copied().unwrap_or(0) > 0)
        .max_by_key(|e| score.get(e).copied().unwrap_or(0));
    if let Some(era) = best {
        return (era, evidence);
    }
    if MODERN_SIGNATURES.iter().all(|s| text.contains(s)) {
        let year = infer_year(doc, &[], None).map(|(y, _)| y).unwrap_or(2021);
        let era = if year >= 2021 { Era::Std2021 } else { Era::Trial2019 };
        return (era, vec![format!("applicant header only; era by year {year}")]);
    }
    (Era::Legacy2008, vec!["no 2019+ signature".to_string()])
}
