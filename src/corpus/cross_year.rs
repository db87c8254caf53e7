//! The cross-year identities between an agency's current reports of consecutive years:
//! carried-over applications (I3.7), regulations in force (I2.2), the legacy table's 历年累计
//! (L10) and jumps in headline counts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use polars::prelude::*;

use super::{Stored, numbers, strings, wh};
use crate::error::Result;
use crate::model::{CorpusFinding, Finding};
use crate::store;

/// A headline count that grows or shrinks beyond this factor from one year to the next is
/// flagged (`cross_year.jump`).
pub const JUMP_FACTOR: f64 = 5.0;
/// …when the larger of the two counts is at least this (small counts jump by nature).
pub const JUMP_MIN_COUNT: f64 = 20.0;

/// Headline counts watched for jumps: (`report_wide` column, cell id, name).
const JUMP_COUNTS: &[(&str, &str, &str)] = &[
    ("new_received", "requests.new_received.total", "new applications (本年新收)"),
    ("processed_total", "requests.processed_total.total", "concluded applications (办理结果总计)"),
    ("review_total", "appeals.review_total", "administrative reviews (行政复议总计)"),
    ("litigation_direct_total", "appeals.litigation_direct_total", "direct suits (未经复议直接起诉总计)"),
    ("licensing_decisions", "proactive.admin_licensing.decision_count", "licensing decisions (行政许可)"),
    ("penalty_decisions", "proactive.admin_penalty.decision_count", "penalty decisions (行政处罚)"),
];

/// Section 二 rows whose 现行有效 count chains from year to year (I2.2): (row, `report_wide`
/// columns issued, repealed, in force).
const IN_FORCE_CHAINS: &[(&str, [&str; 3])] = &[
    ("rules", ["rules_issued", "rules_repealed", "rules_in_force"]),
    ("normative_docs", ["normative_docs_issued", "normative_docs_repealed", "normative_docs_in_force"]),
];

/// Values of `columns` per report from a stored view, for the given reports.
fn view_values(dir: &Path, view: &str, ids: &[&str], key_columns: &[&str], columns: &[&str]) -> Result<ViewValues> {
    let err = wh(dir);
    let Some(lf) = store::scan_years(dir, view, None, None)? else { return Ok(ViewValues::default()) };
    let selected: Vec<Expr> = key_columns.iter().chain(columns).map(|c| col(*c)).collect();
    let df = lf
        .filter(store::one_of("report_id", store::texts(ids.iter().copied())))
        .select(selected)
        .collect()
        .map_err(&err)?;
    let keys = key_columns.iter().map(|c| strings(&df, c)).collect::<PolarsResult<Vec<_>>>().map_err(&err)?;
    let values = columns.iter().map(|c| numbers(&df, c)).collect::<PolarsResult<Vec<_>>>().map_err(&err)?;
    Ok(ViewValues { keys, values })
}

/// Columns of a stored view for some reports: the key columns as text, the value columns as
/// numbers, each a column of the same rows.
#[derive(Default)]
struct ViewValues {
    keys: Vec<Vec<Option<String>>>,
    values: Vec<Vec<Option<f64>>>,
}

/// A report's legacy rows: row id → (本年度, 历年累计).
type LegacyRows = BTreeMap<String, (Option<f64>, Option<f64>)>;

/// A report's carried-over and carried-forward counts, per applicant column (in the order of
/// `model::APPLICANT_COLUMNS`).
type Carries = [Option<Carry>; crate::model::APPLICANT_COLUMNS.len()];

/// One applicant column's carried-over and carried-forward counts of one report.
#[derive(Clone, Copy)]
struct Carry {
    over: Option<f64>,
    forward: Option<f64>,
}

/// The cross-year identities between each agency's current reports of consecutive years.
pub(super) fn cross_year(dir: &Path, current: &[&Stored]) -> Result<Vec<CorpusFinding>> {
    let mut by_key: BTreeMap<&str, BTreeMap<i32, &Stored>> = BTreeMap::new();
    for r in current {
        if let (Some(key), Some(year)) = (r.key.as_deref(), r.year) {
            by_key.entry(key).or_default().insert(year, r);
        }
    }
    let pairs: Vec<(&Stored, &Stored)> = by_key
        .values()
        .flat_map(|years| years.iter().filter_map(|(y, r)| years.get(&(y - 1)).map(|prev| (*prev, *r))))
        .collect();
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> =
        pairs.iter().flat_map(|(a, b)| [a.id.as_str(), b.id.as_str()]).collect::<HashSet<_>>().into_iter().collect();
    // Per report: the report_wide columns, and per applicant column (carried_over, carried_forward).
    let mut wide_columns: Vec<&str> = JUMP_COUNTS.iter().map(|(c, _, _)| *c).collect();
    wide_columns.extend(IN_FORCE_CHAINS.iter().flat_map(|(_, cols)| cols.iter().copied()));
    // Per report, the row of its values (the columns stay as read: a map per report held about
    // 1 GB per 10⁶ reports).
    let ViewValues { keys, values: wide_values } =
        view_values(dir, "report_wide", &ids, &["report_id"], &wide_columns)?;
    let mut wide: HashMap<String, usize> = HashMap::new();
    if let Some(rids) = keys.into_iter().next() {
        for (i, rid) in rids.into_iter().enumerate() {
            wide.insert(rid.unwrap_or_default(), i);
        }
    }
    let wide_value = |row: usize, column: &str| -> Option<f64> {
        let j = wide_columns.iter().position(|c| *c == column)?;
        wide_values[j][row]
    };
    let ViewValues { keys, values } =
        view_values(dir, "requests_wide", &ids, &["report_id", "col_id"], &["carried_over", "carried_forward"])?;
    let mut carry: HashMap<String, Carries> = HashMap::new();
    if let [rids, cols] = keys.as_slice() {
        for i in 0..rids.len() {
            let Some(k) = crate::model::APPLICANT_COLUMNS.iter().position(|c| Some(*c) == cols[i].as_deref()) else {
                continue;
            };
            carry.entry(rids[i].clone().unwrap_or_default()).or_default()[k] =
                Some(Carry { over: values[0][i], forward: values[1][i] });
        }
    }
    let ViewValues { keys, values } =
        view_values(dir, "legacy", &ids, &["report_id", "row_id"], &["year_value", "cumulative"])?;
    let mut legacy: HashMap<String, LegacyRows> = HashMap::new();
    if let [rids, rows] = keys.as_slice() {
        for i in 0..rids.len() {
            let row = rows[i].clone().unwrap_or_default();
            if !row.is_empty() {
                legacy
                    .entry(rids[i].clone().unwrap_or_default())
                    .or_default()
                    .insert(row, (values[0][i], values[1][i]));
            }
        }
    }
    let mut out = Vec::new();
    for (prev, cur) in pairs {
        let year = cur.year.unwrap_or_default();
        let attach = |finding: Finding| CorpusFinding {
            report_id: cur.id.clone(),
            year: cur.year,
            related_report_id: Some(prev.id.clone()),
            finding,
        };
        let other = format!("{} report {} ({})", year - 1, prev.id, prev.source);
        // I3.7: carried over in Y = carried forward in Y−1, per applicant column.
        if let (Some(now), Some(before)) = (carry.get(&cur.id), carry.get(&prev.id)) {
            let broken: Vec<(&str, f64, f64)> = crate::model::APPLICANT_COLUMNS
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    let Carry { over, .. } = now[k]?;
                    let Carry { forward, .. } = before[k]?;
                    match (over, forward) {
                        (Some(o), Some(f)) if o != f => Some((*c, f, o)),
                        _ => None,
                    }
                })
                .collect();
            if let Some(&(_, expected, actual)) = broken.iter().find(|(c, _, _)| *c == "total").or(broken.first()) {
                let detail: Vec<String> = broken.iter().map(|(c, f, o)| format!("{c} {o:.0} vs {f:.0}")).collect();
                out.push(attach(
                    Finding::new("cross_year.carry_over", format!(
                            "applications carried over into {year} differ from those carried forward in the {other}: {} (requests.carried_forward of {})",
                            detail.join(", "),
                            year - 1
                        ))
                    .cells(broken.iter().map(|(c, _, _)| format!("requests.carried_over.{c}")))
                    .values(Some(expected), Some(actual)),
                ));
            }
        }
        // L10: 历年累计(Y) − 历年累计(Y−1) = 本年度(Y), per legacy row printed in both years.
        if let (Some(now), Some(before)) = (legacy.get(&cur.id), legacy.get(&prev.id)) {
            for (row, (year_value, cumulative)) in now {
                let (Some(y), Some(c)) = (year_value, cumulative) else { continue };
                let Some((_, Some(c0))) = before.get(row) else { continue };
                if (c - c0 - y).abs() > 1e-9 {
                    out.push(attach(
                        Finding::new(
                            "cross_year.legacy_cumulative",
                            format!(
                                "legacy {row}: 历年累计 {c:.0} in {year} − {c0:.0} in the {other} = {:.0}, but 本年度 is {y:.0}",
                                c - c0
                            ),
                        )
                        .cells([format!("legacy.{row}.cumulative"), format!("legacy.{row}.year")])
                        .values(Some(c0 + y), Some(*c)),
                    ));
                }
            }
        }
        let (Some(&now), Some(&before)) = (wide.get(&cur.id), wide.get(&prev.id)) else { continue };
        // I2.2: in force(Y) = in force(Y−1) + issued(Y) − repealed(Y), std_2021 both years.
        if cur.era == "std_2021" && prev.era == "std_2021" {
            for (row, [issued, repealed, in_force]) in IN_FORCE_CHAINS {
                let (Some(i), Some(r), Some(f), Some(f0)) = (
                    wide_value(now, issued),
                    wide_value(now, repealed),
                    wide_value(now, in_force),
                    wide_value(before, in_force),
                ) else {
                    continue;
                };
                let expected = f0 + i - r;
                if (expected - f).abs() > 1e-9 {
                    out.push(attach(
                        Finding::new("cross_year.in_force_chain", format!(
                                "{row} in force {f:.0} in {year}, but {f0:.0} in force in the {other} + {i:.0} issued − {r:.0} repealed = {expected:.0}"
                            ))
                        .cells([
                            format!("proactive.{row}.in_force_count"),
                            format!("proactive.{row}.issued_count"),
                            format!("proactive.{row}.repealed_count"),
                        ])
                        .values(Some(expected), Some(f)),
                    ));
                }
            }
        }
        for (column, cell, name) in JUMP_COUNTS {
            let (Some(a), Some(b)) = (wide_value(before, column), wide_value(now, column)) else {
                continue;
            };
            let (hi, lo) = (a.max(b), a.min(b));
            if hi >= JUMP_MIN_COUNT && hi > JUMP_FACTOR * lo {
                let factor = if lo > 0.0 { format!("×{:.1}", b / a) } else { "from or to 0".to_string() };
                out.push(attach(
                    Finding::new("cross_year.jump", format!(
                            "{name}: {b:.0} in {year} against {a:.0} in the {other} ({factor}; beyond ×{JUMP_FACTOR:.0} or ÷{JUMP_FACTOR:.0})"
                        ))
                    .cells([cell.to_string()])
                    .values(Some(a), Some(b)),
                ));
            }
        }
    }
    Ok(out)
}
