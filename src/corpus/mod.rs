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
//! Both stay within one agency key, so after an ingest only the agencies it added reports to are
//! checked again ([`Scope::Agencies`]); the rows of `versions` and `corpus_findings` of every
//! other agency stand ([`refresh`]). `xxgk check`, and an ingest into a warehouse whose corpus
//! tables do not cover every report or were written by another xxgk
//! (`store::Manifest::corpus_current`), check every agency. An agency
//! whose name is ambiguous has no versions: its key is its name, which several bodies may share.

mod cross_year;
pub mod diff;
mod review;

pub use cross_year::{JUMP_FACTOR, JUMP_MIN_COUNT};
pub use review::{Review, review};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::{CorpusFinding, Finding, Superseded};
use crate::store;

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

/// Which agencies a corpus check covers.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every agency of the warehouse.
    All,
    /// Only the reports whose `agency_key` is one of these (the agencies an ingest added reports
    /// to).
    Agencies(HashSet<String>),
}

/// Whether a report takes part in the corpus checks: its agency key names one body (a report
/// whose name is ambiguous, or unresolved, is grouped with no other).
pub fn groupable(agency_resolution: Option<&str>) -> bool {
    !matches!(agency_resolution, Some("ambiguous") | None)
}

/// One stored report, as the corpus checks see it.
#[derive(Debug, Clone)]
pub(super) struct Stored {
    id: String,
    source: String,
    key: Option<String>,
    groupable: bool,
    year: Option<i32>,
    published: Option<String>,
    ingested_at: Option<i64>,
    era: String,
}

pub(super) fn wh(dir: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |source| Error::Warehouse { path: dir.to_path_buf(), source }
}

pub(super) fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
}

pub(super) fn numbers(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

/// The next text of a column being read.
fn next<'a>(column: &mut impl Iterator<Item = Option<&'a str>>) -> Option<&'a str> {
    column.next().flatten()
}

fn reports(dir: &Path, scope: &Scope) -> Result<Vec<Stored>> {
    let err = wh(dir);
    let mut lf = store::scan(dir, "reports")?;
    if let Scope::Agencies(keys) = scope {
        lf = lf.filter(store::one_of("agency_key", store::texts(keys.iter().map(String::as_str))));
    }
    let df = lf
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
    let text = |name: &str| df.column(name).and_then(|c| c.str().cloned()).map_err(&err);
    let (ids, sources, keys, resolutions, published, eras) = (
        text("report_id")?,
        text("source_path")?,
        text("agency_key")?,
        text("agency_resolution")?,
        text("published_date")?,
        text("era")?,
    );
    let years = df.column("year").map_err(&err)?.i32().map_err(&err)?.clone();
    let ingested = df.column("ingested_at").map_err(&err)?.i64().map_err(&err)?.clone();
    // Each text copied once, from the frame into its report (not through a vector of copies).
    let (mut ids, mut sources, mut keys, mut resolutions, mut published, mut eras, mut years, mut ingested) = (
        ids.iter(),
        sources.iter(),
        keys.iter(),
        resolutions.iter(),
        published.iter(),
        eras.iter(),
        years.iter(),
        ingested.iter(),
    );
    let mut out = Vec::with_capacity(df.height());
    for _ in 0..df.height() {
        out.push(Stored {
            id: next(&mut ids).unwrap_or_default().to_string(),
            source: next(&mut sources).unwrap_or_default().to_string(),
            key: next(&mut keys).map(str::to_string),
            groupable: groupable(next(&mut resolutions)),
            published: next(&mut published).map(str::to_string),
            era: next(&mut eras).unwrap_or_default().to_string(),
            year: years.next().flatten(),
            ingested_at: ingested.next().flatten(),
        });
    }
    Ok(out)
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

/// Runs every corpus check over the agencies of `scope` in the warehouse at `dir`.
pub fn check(dir: &Path, scope: &Scope) -> Result<Corpus> {
    Ok(check_reports(dir, scope)?.0)
}

/// The corpus tables after the reports of `scope` were checked again: for [`Scope::All`] the
/// check's own; for [`Scope::Agencies`] the stored rows of every other agency with the check's
/// rows of these (a corpus finding is on a report of the agency checked, since both checks stay
/// within one agency key).
pub fn refresh(dir: &Path, scope: &Scope) -> Result<Refreshed> {
    let (found, checked) = check_reports(dir, scope)?;
    let mut frames = found.frames()?;
    if let Scope::Agencies(keys) = scope {
        let err = wh(dir);
        let stands = [
            ("versions", store::one_of("agency_key", store::texts(keys.iter().map(String::as_str))).not()),
            ("corpus_findings", store::one_of("report_id", store::texts(checked.iter().map(String::as_str))).not()),
        ];
        for ((table, fresh), (name, kept)) in frames.iter_mut().zip(stands) {
            debug_assert_eq!(table, name);
            let Some(stored) = store::read_table(dir, table)? else { continue };
            let mut rows = stored.lazy().filter(kept).collect().map_err(&err)?;
            rows.vstack_mut(fresh).map_err(&err)?;
            *fresh = rows;
        }
    }
    Ok(Refreshed { superseded: frames[0].1.height(), findings: frames[1].1.height(), frames })
}

/// The corpus tables to write after a check, and how many rows each holds.
pub struct Refreshed {
    /// `versions`, then `corpus_findings`.
    pub frames: Vec<(String, DataFrame)>,
    pub superseded: usize,
    pub findings: usize,
}

/// The check, and the ids of the reports it covered.
fn check_reports(dir: &Path, scope: &Scope) -> Result<(Corpus, Vec<String>)> {
    let stored = reports(dir, scope)?;
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
    corpus.findings.extend(cross_year::cross_year(dir, &current)?);
    Ok((corpus, stored.into_iter().map(|r| r.id).collect()))
}

/// Every cell of a report: `table.row.col` (appeals: `appeals.row`) → value.
type Cells = BTreeMap<String, Option<f64>>;

fn facts_of(dir: &Path, ids: &[&str], years: (i32, i32)) -> Result<HashMap<String, Cells>> {
    let err = wh(dir);
    let Some(lf) = store::scan_years(dir, "facts", Some(years.0), Some(years.1))? else { return Ok(HashMap::new()) };
    // The reports first, then their text: `as_text` over a whole year of facts (8.6×10⁷ rows in a
    // 3×10⁶-report warehouse) took 19 s and 13 GB when a new version of one report came in.
    let mine = lf.filter(store::one_of("report_id", store::texts(ids.iter().copied())));
    let df = store::facts::as_text(mine)
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
