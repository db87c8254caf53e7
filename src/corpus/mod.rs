//! Corpus: what needs more than one report, over the committed warehouse.
//!
//! - **Versions.** Reports of the same agency (`agency_key`) and year are versions of one report:
//!   all are kept; the current one has the later publication date, else the later ingest, else
//!   (one ingest) the later source path. The others are listed in `versions` with the report
//!   that supersedes them; pooled queries count current reports only. Versions whose figures
//!   differ get a finding on the current one naming every differing cell.
//! - **Cross-year identities** between an agency's reports of consecutive years: carried-over
//!   applications equal those carried forward the year before (format-spec I3.7, per applicant
//!   column), regulations in force chain from year to year (I2.2, std_2021), and headline counts
//!   that jump beyond ×[`JUMP_FACTOR`] or ÷[`JUMP_FACTOR`].
//!
//! These run after every ingest (their tables `versions` and `corpus_findings` are rewritten
//! whole) and in `xxgk check`. An agency whose name is ambiguous has no versions: its key is its
//! name, which several bodies may share.

pub mod diff;
mod review;

pub use review::{Review, review};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::{CorpusFinding, Finding, Superseded};
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

/// What the corpus checks found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    pub superseded: Vec<Superseded>,
    pub findings: Vec<CorpusFinding>,
}

impl Corpus {
    /// The frames of the two derived tables, `versions` and `corpus_findings`.
    pub fn frames(&self) -> Result<Vec<(String, DataFrame)>> {
        let err = |source| Error::Warehouse { path: "(corpus)".into(), source };
        Ok(vec![
            ("versions".to_string(), store::versions_frame(&self.superseded).map_err(err)?),
            ("corpus_findings".to_string(), store::corpus_findings_frame(&self.findings).map_err(err)?),
        ])
    }
}

/// One stored report, as the corpus checks see it.
#[derive(Debug, Clone)]
struct Stored {
    id: String,
    source: String,
    key: Option<String>,
    groupable: bool,
    year: Option<i32>,
    published: Option<String>,
    ingested_at: Option<i64>,
    era: String,
}

fn wh(dir: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |source| Error::Warehouse { path: dir.to_path_buf(), source }
}

fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
}

fn numbers(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

fn reports(dir: &Path) -> Result<Vec<Stored>> {
    let err = wh(dir);
    let df = store::scan(dir, "reports")?
        .select([
            col("report_id"),
            col("source_path"),
            col("agency_key"),
            col("agency_resolution"),
            col("year"),
            col("published_date"),
            col("ingested_at").cast(DataType::Int64),
            col("era"),
        ])
        .collect()
        .map_err(&err)?;
    let (ids, sources, keys, resolutions, published, eras) = (
        strings(&df, "report_id").map_err(&err)?,
        strings(&df, "source_path").map_err(&err)?,
        strings(&df, "agency_key").map_err(&err)?,
        strings(&df, "agency_resolution").map_err(&err)?,
        strings(&df, "published_date").map_err(&err)?,
        strings(&df, "era").map_err(&err)?,
    );
    let years: Vec<Option<i32>> = df.column("year").map_err(&err)?.i32().map_err(&err)?.iter().collect();
    let ingested: Vec<Option<i64>> = df.column("ingested_at").map_err(&err)?.i64().map_err(&err)?.iter().collect();
    Ok((0..df.height())
        .map(|i| Stored {
            id: ids[i].clone().unwrap_or_default(),
            source: sources[i].clone().unwrap_or_default(),
            groupable: !matches!(resolutions[i].as_deref(), Some("ambiguous") | None),
            key: keys[i].clone(),
            year: years[i],
            published: published[i].clone(),
            ingested_at: ingested[i],
            era: eras[i].clone().unwrap_or_default(),
        })
        .collect())
}

/// Orders the versions of one report: the last is current.
fn version_order(a: &Stored, b: &Stored) -> std::cmp::Ordering {
    (&a.published, a.ingested_at, &a.source, &a.id).cmp(&(&b.published, b.ingested_at, &b.source, &b.id))
}

fn why_current(current: &Stored, other: &Stored) -> &'static str {
    if current.published != other.published {
        "later publication date"
    } else if current.ingested_at != other.ingested_at {
        "later ingest"
    } else {
        "same ingest and publication date: the later source path"
    }
}

/// Runs every corpus check over the warehouse at `dir`.
pub fn check(dir: &Path) -> Result<Corpus> {
    let stored = reports(dir)?;
    let mut groups: BTreeMap<(String, i32), Vec<&Stored>> = BTreeMap::new();
    for r in stored.iter().filter(|r| r.groupable) {
        if let (Some(key), Some(year)) = (&r.key, r.year) {
            groups.entry((key.clone(), year)).or_default().push(r);
        }
    }
    let mut corpus = Corpus::default();
    let mut versioned: Vec<(&Stored, Vec<&Stored>)> = Vec::new();
    for ((key, year), mut versions) in groups.iter().map(|(k, v)| (k.clone(), v.clone())) {
        if versions.len() < 2 {
            continue;
        }
        versions.sort_by(|a, b| version_order(a, b));
        let current = versions.pop().expect("two versions");
        for other in &versions {
            corpus.superseded.push(Superseded {
                report_id: other.id.clone(),
                year: Some(year),
                agency_key: key.clone(),
                superseded_by: current.id.clone(),
                reason: why_current(current, other).to_string(),
            });
        }
        versioned.push((current, versions));
    }
    corpus.findings.extend(version_differences(dir, &versioned)?);
    let superseded: HashSet<&str> = corpus.superseded.iter().map(|s| s.report_id.as_str()).collect();
    let current: Vec<&Stored> = stored.iter().filter(|r| r.groupable && !superseded.contains(r.id.as_str())).collect();
    corpus.findings.extend(cross_year(dir, &current)?);
    Ok(corpus)
}

/// Every cell of a report: `table.row.col` (appeals: `appeals.row`) → value.
type Cells = BTreeMap<String, Option<f64>>;

fn facts_of(dir: &Path, ids: &[&str], years: (i32, i32)) -> Result<HashMap<String, Cells>> {
    let err = wh(dir);
    let Some(lf) = store::scan_years(dir, "facts", Some(years.0), Some(years.1))? else { return Ok(HashMap::new()) };
    let ids = Series::new("ids".into(), ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let df = lf
        .filter(col("report_id").is_in(lit(ids).implode(false), false))
        .select([col("report_id"), col("table"), col("row_id"), col("col_id"), col("value")])
        .collect()
        .map_err(&err)?;
    let (rid, table, row, column) = (
        strings(&df, "report_id").map_err(&err)?,
        strings(&df, "table").map_err(&err)?,
        strings(&df, "row_id").map_err(&err)?,
        strings(&df, "col_id").map_err(&err)?,
    );
    let values = numbers(&df, "value").map_err(&err)?;
    let mut out: HashMap<String, Cells> = HashMap::new();
    for i in 0..df.height() {
        let (t, r, c) =
            (table[i].as_deref().unwrap_or(""), row[i].as_deref().unwrap_or(""), column[i].as_deref().unwrap_or(""));
        let cell = if c.is_empty() { format!("{t}.{r}") } else { format!("{t}.{r}.{c}") };
        out.entry(rid[i].clone().unwrap_or_default()).or_default().insert(cell, values[i]);
    }
    Ok(out)
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "blank".to_string(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { v.to_string() })
}

/// A finding on each current version per other version whose figures differ, naming every
/// differing cell (a cell printed in one version only differs too).
fn version_differences(dir: &Path, versioned: &[(&Stored, Vec<&Stored>)]) -> Result<Vec<CorpusFinding>> {
    if versioned.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = versioned
        .iter()
        .flat_map(|(c, others)| std::iter::once(c.id.as_str()).chain(others.iter().map(|o| o.id.as_str())))
        .collect();
    let years: Vec<i32> = versioned.iter().filter_map(|(c, _)| c.year).collect();
    let span = (*years.iter().min().unwrap_or(&0), *years.iter().max().unwrap_or(&0));
    let facts = facts_of(dir, &ids, span)?;
    let empty = Cells::new();
    let mut out = Vec::new();
    for (current, others) in versioned {
        let mine = facts.get(&current.id).unwrap_or(&empty);
        for other in others {
            let theirs = facts.get(&other.id).unwrap_or(&empty);
            let cells: Vec<&String> = mine
                .keys()
                .chain(theirs.keys())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .filter(|c| mine.get(*c) != theirs.get(*c))
                .collect();
            if cells.is_empty() {
                continue;
            }
            let shown: Vec<String> = cells
                .iter()
                .take(6)
                .map(|c| {
                    format!(
                        "{c} {} (this) vs {}",
                        show(mine.get(*c).copied().flatten()),
                        show(theirs.get(*c).copied().flatten())
                    )
                })
                .collect();
            let more = if cells.len() > shown.len() {
                format!(" and {} more", cells.len() - shown.len())
            } else {
                String::new()
            };
            let finding = Finding::new(
                "versions.figures_differ",
                format!(
                    "{} figures differ from the superseded version {} ({}): {}{more}",
                    cells.len(),
                    other.id,
                    other.source,
                    shown.join("; ")
                ),
            )
            .cells(cells.iter().map(|c| c.to_string()));
            out.push(CorpusFinding {
                report_id: current.id.clone(),
                year: current.year,
                related_report_id: Some(other.id.clone()),
                finding,
            });
        }
    }
    Ok(out)
}

/// Values of `columns` per report from a stored view, for the given reports.
fn view_values(dir: &Path, view: &str, ids: &[&str], key_columns: &[&str], columns: &[&str]) -> Result<ViewValues> {
    let err = wh(dir);
    let Some(lf) = store::scan_years(dir, view, None, None)? else { return Ok(ViewValues::default()) };
    let ids = Series::new("ids".into(), ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let selected: Vec<Expr> = key_columns.iter().chain(columns).map(|c| col(*c)).collect();
    let df =
        lf.filter(col("report_id").is_in(lit(ids).implode(false), false)).select(selected).collect().map_err(&err)?;
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

/// One applicant column's carried-over and carried-forward counts of one report.
#[derive(Clone, Copy)]
struct Carry {
    over: Option<f64>,
    forward: Option<f64>,
}

/// The cross-year identities between each agency's current reports of consecutive years.
fn cross_year(dir: &Path, current: &[&Stored]) -> Result<Vec<CorpusFinding>> {
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
    let ViewValues { keys, values } = view_values(dir, "report_wide", &ids, &["report_id"], &wide_columns)?;
    let mut wide: HashMap<String, HashMap<&str, Option<f64>>> = HashMap::new();
    if let Some(rids) = keys.first() {
        for (i, rid) in rids.iter().enumerate() {
            let row = wide_columns.iter().enumerate().map(|(j, c)| (*c, values[j][i])).collect();
            wide.insert(rid.clone().unwrap_or_default(), row);
        }
    }
    let ViewValues { keys, values } =
        view_values(dir, "requests_wide", &ids, &["report_id", "col_id"], &["carried_over", "carried_forward"])?;
    let mut carry: HashMap<String, BTreeMap<String, Carry>> = HashMap::new();
    if let [rids, cols] = keys.as_slice() {
        for i in 0..rids.len() {
            carry
                .entry(rids[i].clone().unwrap_or_default())
                .or_default()
                .insert(cols[i].clone().unwrap_or_default(), Carry { over: values[0][i], forward: values[1][i] });
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
            let broken: Vec<(&String, f64, f64)> = crate::model::APPLICANT_COLUMNS
                .iter()
                .filter_map(|c| {
                    let Carry { over, .. } = now.get(*c)?;
                    let Carry { forward, .. } = before.get(*c)?;
                    match (over, forward) {
                        (Some(o), Some(f)) if o != f => Some((now.get_key_value(*c)?.0, *f, *o)),
                        _ => None,
                    }
                })
                .collect();
            if let Some(&(_, expected, actual)) =
                broken.iter().find(|(c, _, _)| c.as_str() == "total").or(broken.first())
            {
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
        let (Some(now), Some(before)) = (wide.get(&cur.id), wide.get(&prev.id)) else { continue };
        // I2.2: in force(Y) = in force(Y−1) + issued(Y) − repealed(Y), std_2021 both years.
        if cur.era == "std_2021" && prev.era == "std_2021" {
            for (row, [issued, repealed, in_force]) in IN_FORCE_CHAINS {
                let get = |m: &HashMap<&str, Option<f64>>, c: &str| m.get(c).copied().flatten();
                let (Some(i), Some(r), Some(f), Some(f0)) =
                    (get(now, issued), get(now, repealed), get(now, in_force), get(before, in_force))
                else {
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
            let (Some(a), Some(b)) = (before.get(column).copied().flatten(), now.get(column).copied().flatten()) else {
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
