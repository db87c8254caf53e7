//! Choosing among the readings of the section 三 rows of a flattened table: a row whose digit
//! runs split several ways (each making its 总计 the sum of the others) is read only when the
//! column identities of the section (`model::derived::request_identities`) leave exactly one of
//! its readings. Readings no other rows can balance are dropped first (each identity and column
//! at a time, over the sums the other rows can reach), then every combination that is left is
//! tried ([`super::super::flattened::search`]).

use std::collections::HashSet;

use super::super::flattened::{Fill, search};
use super::super::number::parse_cell;
use crate::model::APPLICANT_COLUMNS;
use crate::model::derived::request_identities;

/// Combinations of readings tried after pruning.
const BUDGET: u64 = 200_000;
/// Satisfying combinations kept; reaching it counts as too many to be sure of any row.
const KEEP: usize = 4096;
/// The largest set of sums carried while pruning; past it a reading is kept (not disproved).
const SUMS: usize = 4096;
const COLUMNS: usize = APPLICANT_COLUMNS.len();

/// What became of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The one reading left.
    Read(Vec<String>),
    /// The row's tokens have no reading of their own (none, or too many to try).
    NoRowReading,
    /// Several readings satisfy every identity, or none does: why.
    Open(String),
}

type Values = [Option<f64>; COLUMNS];

/// One identity in one column, by row index: Σ left = Σ right where every anchor is printed.
struct Equation {
    rule: &'static str,
    col: usize,
    terms: Vec<(usize, i64)>,
    anchors: Vec<usize>,
}

/// The outcome of each row (`ids[i]`, read in `fills[i]`).
pub fn requests(ids: &[&'static str], fills: &[Fill], single_other: bool) -> Vec<Outcome> {
    let readings: Vec<Option<&Vec<Vec<String>>>> = fills
        .iter()
        .map(|f| match f {
            Fill::Readings(r) if !r.is_empty() => Some(r),
            _ => None,
        })
        .collect();
    let values: Vec<Vec<Values>> = readings
        .iter()
        .map(|r| r.map_or_else(Vec::new, |r| r.iter().map(|cells| row_values(cells)).collect()))
        .collect();
    let index = |id: &str| ids.iter().position(|i| *i == id);
    let mut equations = Vec::new();
    for identity in request_identities(single_other) {
        let Some(anchors) = identity.anchors.iter().map(|a| index(a)).collect::<Option<Vec<usize>>>() else {
            continue;
        };
        let terms: Vec<(usize, i64)> = identity
            .left
            .iter()
            .map(|r| (r, 1))
            .chain(identity.right.iter().map(|r| (r, -1)))
            .filter_map(|(r, sign)| index(r).map(|i| (i, sign)))
            .collect();
        // A row with no reading leaves the identity unknown: it cannot decide anything.
        if terms.iter().any(|(i, _)| values[*i].is_empty()) {
            continue;
        }
        for col in 0..COLUMNS {
            equations.push(Equation { rule: identity.rule, col, terms: terms.clone(), anchors: anchors.clone() });
        }
    }
    let mut alive: Vec<Vec<usize>> = values.iter().map(|v| (0..v.len()).collect()).collect();
    prune(&values, &equations, &mut alive);
    let slots: Vec<usize> = (0..ids.len()).filter(|&i| values[i].len() > 1).collect();
    let sizes: Vec<usize> = slots.iter().map(|&i| alive[i].len()).collect();
    let pick = |i: usize, choice: &[usize]| -> usize {
        match slots.iter().position(|&s| s == i) {
            Some(p) => alive[i][choice[p]],
            None => 0,
        }
    };
    let holds = |choice: &[usize]| equations.iter().all(|e| equation_holds(e, &values, |i| pick(i, choice)));
    let found = search(&sizes, KEEP, BUDGET, holds);
    let mut out: Vec<Outcome> = readings
        .iter()
        .map(|r| match r {
            Some(r) if r.len() == 1 => Outcome::Read(r[0].clone()),
            Some(_) => Outcome::Open(String::new()),
            None => Outcome::NoRowReading,
        })
        .collect();
    let rules: Vec<&str> = {
        let mut r: Vec<&str> = equations.iter().map(|e| e.rule).collect();
        r.dedup();
        r
    };
    for (p, &i) in slots.iter().enumerate() {
        let all = readings[i].expect("a slot has readings");
        let chosen: HashSet<usize> = found.found.iter().map(|c| alive[i][c[p]]).collect();
        let list = |ks: &mut dyn Iterator<Item = usize>| -> String {
            let shown: Vec<String> = ks.take(3).map(|k| all[k].join(" | ")).collect();
            shown.join("; ")
        };
        out[i] = if found.gave_up || found.found.len() >= KEEP {
            Outcome::Open(format!(
                "its digit runs split {} ways that make its 总计 the sum of the others, and too many combinations with the other rows remain to decide",
                all.len()
            ))
        } else if chosen.len() == 1 {
            Outcome::Read(all[*chosen.iter().next().expect("one")].clone())
        } else if chosen.is_empty() {
            Outcome::Open(format!(
                "its digit runs split {} ways that make its 总计 the sum of the others ({}), and no combination with the other rows satisfies {}",
                all.len(),
                list(&mut (0..all.len())),
                if rules.is_empty() { "the identities".to_string() } else { rules.join(", ") }
            ))
        } else {
            let mut ks: Vec<usize> = chosen.into_iter().collect();
            ks.sort_unstable();
            Outcome::Open(format!(
                "{} of its splits satisfy every identity ({}): {}",
                ks.len(),
                if rules.is_empty() { "none ties it to other rows".to_string() } else { rules.join(", ") },
                list(&mut ks.into_iter())
            ))
        };
    }
    out
}

fn row_values(cells: &[String]) -> Values {
    let mut v = [None; COLUMNS];
    for (slot, cell) in v.iter_mut().zip(cells) {
        *slot = parse_cell(cell).value;
    }
    v
}

/// Whether an equation holds for the readings `pick` gives each row (it holds, unchecked, when
/// an anchor is blank).
fn equation_holds(e: &Equation, values: &[Vec<Values>], pick: impl Fn(usize) -> usize) -> bool {
    if e.anchors.iter().any(|&a| values[a][pick(a)][e.col].is_none()) {
        return true;
    }
    let sum: f64 = e.terms.iter().map(|&(i, sign)| values[i][pick(i)][e.col].unwrap_or(0.0) * sign as f64).sum();
    sum.abs() < 1e-6
}

/// Drops the readings no combination of the other rows' readings can balance, equation by
/// equation, until nothing changes. An equation whose anchors some reading leaves blank, or
/// whose values are not whole numbers, is left to the search.
fn prune(values: &[Vec<Values>], equations: &[Equation], alive: &mut [Vec<usize>]) {
    let whole = |v: Option<f64>| v.unwrap_or(0.0).fract() == 0.0;
    loop {
        let mut changed = false;
        for e in equations {
            let decidable = e.anchors.iter().all(|&a| alive[a].iter().all(|&k| values[a][k][e.col].is_some()))
                && e.terms.iter().all(|&(i, _)| alive[i].iter().all(|&k| whole(values[i][k][e.col])));
            if !decidable {
                continue;
            }
            let term = |i: usize, sign: i64, k: usize| values[i][k][e.col].unwrap_or(0.0) as i64 * sign;
            for (t, &(i, sign)) in e.terms.iter().enumerate() {
                if alive[i].len() < 2 {
                    continue;
                }
                let mut sums: HashSet<i64> = HashSet::from([0]);
                let mut exact = true;
                for (u, &(j, sj)) in e.terms.iter().enumerate() {
                    if u == t {
                        continue;
                    }
                    let next: HashSet<i64> =
                        sums.iter().flat_map(|s| alive[j].iter().map(move |&k| s + term(j, sj, k))).collect();
                    if next.len() > SUMS {
                        exact = false;
                        break;
                    }
                    sums = next;
                }
                if !exact {
                    continue;
                }
                let before = alive[i].len();
                alive[i].retain(|&k| sums.contains(&-term(i, sign, k)));
                changed |= alive[i].len() != before;
            }
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(rows: &[&[&str]]) -> Fill {
        Fill::Readings(rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect())
    }

    #[test]
    fn the_balance_chooses_the_one_split_of_a_row_the_other_rows_agree_with() {
        let ids = ["new_received", "carried_over", "granted", "processed_total", "carried_forward"];
        let fills = [
            readings(&[&["1", "0", "0", "0", "0", "0", "1"]]),
            readings(&[&["0", "0", "0", "0", "0", "0", "0"]]),
            readings(&[&["1", "0", "0", "0", "0", "0", "1"]]),
            // The run 1000001 read two ways; only the first balances the other rows.
            readings(&[&["1", "0", "0", "0", "0", "0", "1"], &["0", "1", "0", "0", "0", "0", "1"]]),
            readings(&[&["0", "0", "0", "0", "0", "0", "0"]]),
        ];
        let out = requests(&ids, &fills, false);
        assert_eq!(out[3], Outcome::Read(["1", "0", "0", "0", "0", "0", "1"].map(String::from).to_vec()));
        let fills_open = [readings(&[&["1", "0", "0", "0", "0", "0", "1"], &["0", "1", "0", "0", "0", "0", "1"]])];
        let out = requests(&["granted"], &fills_open, false);
        assert!(matches!(&out[0], Outcome::Open(why) if why.contains("2 of its splits")), "{out:?}");
    }
}
