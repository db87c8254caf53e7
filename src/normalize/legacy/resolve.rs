//! Resolving the digit runs of a flattened table: which split of each run the table's block
//! identities (and, last, the prose's own figure) leave as the only one.

use std::collections::HashMap;

use super::super::flattened;
use super::LegacyCell;
use super::scan::{Reading, Scanned};
use crate::model::legacy::LEGACY_BLOCKS;
use crate::model::{BlankKind, Finding};

pub(super) type Resolved = (LegacyCell, Option<LegacyCell>, Option<String>);

/// Resolves the digit runs: within each block of rows tied by an identity (a total and its
/// parts), every assignment of splits that satisfies 本年度 ≤ 历年累计 and the block identity is
/// kept; a row whose split is the same in every kept assignment is read, with a warning finding;
/// when the identities leave several, the prose figure decides if it leaves exactly one;
/// otherwise the row is unreadable, with a finding that lists the splits still possible.
pub(super) fn resolve(
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
                        let stated: Vec<&str> = if by_prose {
                            open.iter().filter_map(|&o| scanned[o].id).filter(|id| figures.contains_key(id)).collect()
                        } else {
                            vec![]
                        };
                        let why = split_reason(block.map(|b| b.rule), &stated, candidates.len());
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

fn split_reason(rule: Option<&str>, stated: &[&str], splits: usize) -> String {
    let mut why = format!("the only one of its {splits} splits with 本年度 ≤ 历年累计");
    if let Some(rule) = rule {
        why.push_str(&format!(" that satisfies {rule} with the other rows of its block"));
    }
    if !stated.is_empty() {
        why.push_str(&format!(" and agrees with the figure the prose states for {}", stated.join(", ")));
    }
    why
}
