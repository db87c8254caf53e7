//! The stored views `requests_wide` and `report_wide`: their value columns are declared once
//! here ([`requests_measures`], `PROACTIVE_MEASURES`, the section 四 cells of the model), and
//! both renderings read that declaration — the SQL of `queries/views/requests_wide.sql` and
//! `report_wide.sql` (whose `{{requests_measures}}`, `{{appeals_measures}}`,
//! `{{proactive_measures}}` and `{{report_columns}}` are [`view_sql`]), and [`derive`], which
//! computes the same rows straight from reports, the fast path of ingest (the writer thread's
//! time for them fell from 1.8 s to 0.8 s per 10,000 reports; README, Performance).
//! `tests/it/warehouse.rs` runs the SQL over the facts and compares it with [`derive`] on the
//! fixture and synthetic corpora: same columns, types and values.

use std::collections::HashMap;
use std::sync::LazyLock;

use polars::prelude::*;

use crate::model::derived::{Measure, group, requests_measures};
use crate::model::{Finding, Severity, Table};
use crate::normalize::Report;

type Cells = &'static [(&'static str, &'static [&'static str])];

/// The section 二 columns of `report_wide`: (column, [(row, cols)] summed).
const PROACTIVE_MEASURES: [(&str, Cells); 11] = [
    ("normative_docs_issued", &[("normative_docs", &["issued_count"])]),
    ("normative_docs_repealed", &[("normative_docs", &["repealed_count"])]),
    ("normative_docs_in_force", &[("normative_docs", &["in_force_count"])]),
    ("normative_docs_new_made", &[("normative_docs", &["new_made_count"])]),
    ("rules_issued", &[("rules", &["issued_count", "new_made_count"])]),
    ("rules_repealed", &[("rules", &["repealed_count"])]),
    ("rules_in_force", &[("rules", &["in_force_count"])]),
    ("licensing_decisions", &[("admin_licensing", &["decision_count"])]),
    ("penalty_decisions", &[("admin_penalty", &["decision_count"])]),
    ("coercion_decisions", &[("admin_coercion", &["decision_count"])]),
    ("fee_amount_wan_yuan", &[("admin_fees", &["fee_amount"])]),
];

/// The cells a column of `report_wide` / `requests_wide` is computed from, as patterns of
/// `flagged_cells` (SQL `LIKE`): a section 三 row counts with every cell of it (`|requests.granted.`,
/// since a blank 总计 is the sum of the applicant cells), an outcome group total with every row of
/// the group (`|requests.refused_`), section 四 and 二 cells exactly (`|appeals.review_total|`),
/// and each table name for a table the reader did not find (`|appeals|`). `None`: not a value
/// column of these views.
pub fn inputs(column: &str) -> Option<Vec<String>> {
    if let Some((_, cells)) = PROACTIVE_MEASURES.iter().find(|(c, _)| *c == column) {
        let mut out: Vec<String> = cells
            .iter()
            .flat_map(|(row, cols)| cols.iter().map(move |col| format!("|proactive.{row}.{col}|")))
            .collect();
        out.push("|proactive|".to_string());
        return Some(out);
    }
    if crate::model::appeal_cells().contains(&column) {
        return Some(vec![format!("|appeals.{column}|"), "|appeals|".to_string()]);
    }
    let (_, measure) = requests_measures().into_iter().find(|(c, _)| *c == column)?;
    let rows = match measure {
        Measure::Rows(rows) => rows,
        Measure::Other(mut parts) => {
            parts.push("other_total");
            parts
        }
    };
    let groups: Vec<&str> = rows.iter().filter_map(|r| crate::model::request_row(r).and_then(|r| r.group)).collect();
    let mut out: Vec<String> =
        if rows.len() > 1 && !groups.is_empty() && groups.len() == rows.len() && groups.iter().all(|g| *g == groups[0])
        {
            // A whole outcome group and its derived total: one prefix.
            vec![format!("|requests.{}_", groups[0])]
        } else {
            rows.iter().map(|r| format!("|requests.{r}.")).collect()
        };
    out.push("|requests|".to_string());
    Some(out)
}

/// Every value column of `report_wide` (and the requests measures of `requests_wide`).
fn value_columns() -> Vec<String> {
    let mut out: Vec<String> = requests_measures().into_iter().map(|(c, _)| c.to_string()).collect();
    out.extend(crate::model::appeal_cells().iter().map(|c| c.to_string()));
    out.extend(PROACTIVE_MEASURES.iter().map(|(c, _)| c.to_string()));
    out
}

/// The distinct patterns of [`inputs`] over every value column, in a fixed order: bit `k` of a
/// report's `flagged_mask` is set when its `flagged_cells` contains pattern `k`. The metric
/// templates test the mask (`(flagged_mask & M) = 0`, an integer operation per row) rather than
/// the strings.
pub fn mask_patterns() -> &'static [String] {
    static PATTERNS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut out: Vec<String> = Vec::new();
        for column in value_columns() {
            for p in inputs(&column).unwrap_or_default() {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        assert!(out.len() <= 63, "flagged_mask holds 63 patterns, the inputs have {}", out.len());
        out
    });
    &PATTERNS
}

/// The `flagged_mask` of a report's `flagged_cells`.
pub fn flagged_mask(flagged_cells: &str) -> i64 {
    if flagged_cells.is_empty() {
        return 0;
    }
    mask_patterns()
        .iter()
        .enumerate()
        .filter(|(_, p)| flagged_cells.contains(p.as_str()))
        .fold(0, |m, (k, _)| m | (1 << k))
}

/// The bits of `flagged_mask` that name an input of any of `columns`.
pub fn mask_of(columns: &[&str]) -> Result<i64, String> {
    let patterns = mask_patterns();
    let mut mask = 0i64;
    for c in columns {
        for p in inputs(c).ok_or_else(|| format!("'{c}' is not a value column of report_wide"))? {
            let k = patterns.iter().position(|q| *q == p).expect("every input pattern has a bit");
            mask |= 1 << k;
        }
    }
    Ok(mask)
}

/// `flagged_mask` in SQL, from a `|cell|cell|` expression: the definition the stored views'
/// SQL files use (`{{mask EXPR}}`) and [`flagged_mask`] computes in Rust.
pub fn mask_sql(cells: &str) -> String {
    let terms: Vec<String> = mask_patterns()
        .iter()
        .enumerate()
        .map(|(k, p)| format!("CASE WHEN {cells} LIKE '%{p}%' THEN {} ELSE 0 END", 1i64 << k))
        .collect();
    format!("CAST(({}) AS BIGINT)", terms.join(" + "))
}

/// Σ of the present values; `None` when none is present (SQL `SUM` over no non-null value).
fn sum(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut acc = None;
    values.for_each(|v| add(&mut acc, v));
    acc
}

/// Adds `v` to the sum `acc`: `None` until a present value comes (what [`sum`] does).
fn add(acc: &mut Option<f64>, v: Option<f64>) {
    if let Some(v) = v {
        *acc = Some(acc.unwrap_or(0.0) + v);
    }
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Section 三 row ids → their index in `model::REQUEST_ROWS`.
static ROW_INDEX: LazyLock<FastMap<&'static str, usize>> =
    LazyLock::new(|| crate::model::REQUEST_ROWS.iter().enumerate().map(|(i, r)| (r.id, i)).collect());

/// One column of a report's section 三 as `requests_cells` sees it: per row (in
/// `model::REQUEST_ROWS` order), `None` when the report prints no cell there, else its value.
type ColumnCells = [Option<Option<f64>>; crate::model::REQUEST_ROWS.len()];

/// Section 三 of one report as `requests_cells` sees it: (col, its cells) in column id order,
/// `total` (the printed 总计, else the sum of the applicant cells) included.
fn cells(report: &Report) -> Vec<(&'static str, ColumnCells)> {
    const NONE: ColumnCells = [None; crate::model::REQUEST_ROWS.len()];
    let mut by_col: Vec<(&'static str, ColumnCells)> = Vec::with_capacity(8);
    // Per row: (max total, Σ parts), when the row has a cell.
    let mut rows = [None::<(Option<f64>, Option<f64>)>; crate::model::REQUEST_ROWS.len()];
    let mut any = false;
    for f in report.facts.iter().filter(|f| f.table == Table::Requests) {
        any = true;
        let Some(&r) = ROW_INDEX.get(f.row) else { continue };
        let entry = rows[r].get_or_insert((None, None));
        if f.col == "total" {
            if let Some(v) = f.value {
                entry.0 = Some(entry.0.map_or(v, |m: f64| m.max(v)));
            }
        } else {
            add(&mut entry.1, f.value);
            let at = match by_col.iter().position(|(c, _)| *c == f.col) {
                Some(at) => at,
                None => {
                    by_col.push((f.col, NONE));
                    by_col.len() - 1
                }
            };
            let cell = &mut by_col[at].1[r];
            *cell = Some(sum([cell.flatten(), f.value].into_iter()));
        }
    }
    if any {
        by_col.push(("total", rows.map(|row| row.map(|(max_total, parts)| max_total.or(parts)))));
    }
    by_col.sort_by_key(|(c, _)| *c);
    by_col
}

fn measure(column: &ColumnCells, m: &Measure) -> Option<f64> {
    let cell = |r: &str| ROW_INDEX.get(r).and_then(|&i| column[i]);
    let rows = m.rows(|r| cell(r).is_some());
    sum(rows.iter().map(|r| cell(r).flatten()))
}

/// Each cell of section 二 that `report_wide` sums → the `PROACTIVE_MEASURES` it feeds.
static PROACTIVE_INPUTS: LazyLock<FastMap<(&'static str, &'static str), Vec<usize>>> = LazyLock::new(|| {
    let mut inputs: FastMap<(&'static str, &'static str), Vec<usize>> = FastMap::default();
    for (k, (_, cells)) in PROACTIVE_MEASURES.iter().enumerate() {
        for (row, cols) in *cells {
            for col in *cols {
                inputs.entry((*row, *col)).or_default().push(k);
            }
        }
    }
    inputs
});

/// Section 四 cell ids → their index in `model::appeal_cells()`.
static APPEAL_INDEX: LazyLock<FastMap<&'static str, usize>> =
    LazyLock::new(|| crate::model::appeal_cells().iter().enumerate().map(|(i, c)| (*c, i)).collect());

/// The cells a report's error findings name, as `|cell|cell|` (`''` when none): what the
/// `{{ok …}}` templates of the metric registry test (a table name such as `|appeals|` stands
/// for every cell of the table). In finding order, as `STRING_AGG` over the findings table.
pub fn flagged_cells(findings: &[Finding]) -> String {
    let cells: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && !f.cells.is_empty())
        .flat_map(|f| f.cells.iter().map(String::as_str))
        .collect();
    if cells.is_empty() { String::new() } else { format!("|{}|", cells.join("|")) }
}

struct Keys<'a> {
    report_id: Vec<&'a str>,
    year: Vec<Option<i32>>,
    agency: Vec<Option<&'a str>>,
    agency_key: Vec<Option<&'a str>>,
    agency_name: Vec<Option<&'a str>>,
    level: Vec<Option<&'a str>>,
    era: Vec<&'static str>,
}

impl<'a> Keys<'a> {
    fn new() -> Self {
        Keys {
            report_id: vec![],
            year: vec![],
            agency: vec![],
            agency_key: vec![],
            agency_name: vec![],
            level: vec![],
            era: vec![],
        }
    }
    fn push(&mut self, r: &'a Report) {
        self.report_id.push(&r.report_id);
        self.year.push(r.meta.year);
        self.agency.push(r.meta.agency.as_deref());
        self.agency_key.push(r.meta.agency_key.as_deref());
        self.agency_name.push(r.meta.agency_name.as_deref());
        self.level.push(r.meta.level.map(|l| l.id()));
        self.era.push(r.era.id());
    }
    fn columns(self) -> Vec<Column> {
        vec![
            Column::new("report_id".into(), self.report_id),
            Column::new("year".into(), self.year),
            Column::new("agency".into(), self.agency),
            Column::new("agency_key".into(), self.agency_key),
            Column::new("agency_name".into(), self.agency_name),
            Column::new("level".into(), self.level),
            Column::new("era".into(), self.era),
        ]
    }
}

/// The section 三 columns of `report_wide` (measures of the 总计 column), in its order: the
/// headline counts, then every reason row of the three outcome groups.
fn report_requests_columns() -> Vec<&'static str> {
    const HEADLINE: [&str; 11] = [
        "new_received",
        "carried_over",
        "granted",
        "partially_granted",
        "disclosed_total",
        "refused_total",
        "unavailable_total",
        "not_processed_total",
        "other_total",
        "processed_total",
        "carried_forward",
    ];
    let reasons = ["refused", "unavailable", "not_processed"].into_iter().flat_map(group);
    HEADLINE.into_iter().chain(reasons).collect()
}

/// `c.row_id = 'a'` or `c.row_id IN ('a', 'b')` over `rows`, with `prefix` before `row_id`.
fn row_test(prefix: &str, rows: &[&str]) -> String {
    match rows {
        [one] => format!("{prefix}row_id = '{one}'"),
        [a, b] => format!("{prefix}row_id = '{a}' OR {prefix}row_id = '{b}'"),
        _ => format!("{prefix}row_id IN ({})", rows.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(", ")),
    }
}

/// The generated parts of the stored views' SQL (`{{NAME}}` in `queries/views/*.sql`), from the
/// same declarations [`derive`] computes: the value columns are defined once, here.
///
/// - `requests_measures`: the value columns of `requests_wide` (one `SUM(CASE …) AS column` per
///   measure, and the （六） rule for `other_total`);
/// - `appeals_measures`, `proactive_measures`: the section 四 and 二 columns of `report_wide`;
/// - `report_columns`: the value columns `report_wide` selects, in order.
pub fn view_sql(name: &str) -> Option<String> {
    let lines: Vec<String> = match name {
        "requests_measures" => requests_measures()
            .into_iter()
            .map(|(column, m)| match m {
                Measure::Rows(rows) => format!("SUM(CASE WHEN {} THEN c.value END) AS {column}", row_test("c.", &rows)),
                Measure::Other(parts) => {
                    let test = row_test("c.", &parts);
                    format!(
                        "CASE WHEN COUNT(CASE WHEN {test} THEN 1 END) > 0\n       THEN SUM(CASE WHEN {test} THEN c.value END)\n       ELSE SUM(CASE WHEN c.row_id = 'other_total' THEN c.value END) END AS {column}"
                    )
                }
            })
            .collect(),
        "appeals_measures" => crate::model::appeal_cells()
            .iter()
            .map(|id| format!("SUM(CASE WHEN row_id = '{id}' THEN value END) AS {id}"))
            .collect(),
        "proactive_measures" => PROACTIVE_MEASURES
            .iter()
            .map(|(column, cells)| {
                let tests: Vec<String> = cells
                    .iter()
                    .map(|(row, cols)| match cols {
                        [one] => format!("row_id = '{row}' AND col_id = '{one}'"),
                        _ => format!(
                            "row_id = '{row}' AND col_id IN ({})",
                            cols.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
                        ),
                    })
                    .collect();
                format!("SUM(CASE WHEN {} THEN value END) AS {column}", tests.join(" OR "))
            })
            .collect(),
        "report_columns" => report_requests_columns()
            .into_iter()
            .map(|c| format!("w.{c}"))
            .chain(crate::model::appeal_cells().iter().map(|c| format!("a.{c}")))
            .chain(PROACTIVE_MEASURES.iter().map(|(c, _)| format!("p.{c}")))
            .collect(),
        _ => return None,
    };
    Some(lines.join(",\n  "))
}

/// `requests_wide` and `report_wide` of a batch of reports.
pub fn derive(reports: &[&(Report, Vec<Finding>)]) -> PolarsResult<Vec<(String, DataFrame)>> {
    let measures = requests_measures();
    let mut keys = Keys::new();
    let mut flags: Vec<String> = Vec::new();
    let mut rflags: Vec<String> = Vec::new();
    let mut col_ids: Vec<&str> = Vec::new();
    let mut values: Vec<Vec<Option<f64>>> = vec![Vec::new(); measures.len()];
    // report_wide: the keys, the requests measures of the total column, appeals, proactive.
    let report_cols = report_requests_columns();
    let report_measures: Vec<&Measure> = report_cols
        .iter()
        .map(|name| &measures.iter().find(|(n, _)| n == name).expect("a requests measure").1)
        .collect();
    let appeal_ids = crate::model::appeal_cells();
    let proactive = PROACTIVE_MEASURES;
    let mut rkeys = Keys::new();
    let mut rvalues: Vec<Vec<Option<f64>>> = vec![Vec::new(); report_cols.len() + appeal_ids.len() + proactive.len()];
    for entry in reports {
        let report = &entry.0;
        let flagged = flagged_cells(&entry.1);
        let by_col = cells(report);
        for (col, row_values) in &by_col {
            keys.push(report);
            flags.push(flagged.clone());
            col_ids.push(*col);
            for (i, (_, m)) in measures.iter().enumerate() {
                values[i].push(measure(row_values, m));
            }
        }
        let Some((_, total)) = by_col.iter().find(|(c, _)| *c == "total") else { continue };
        rkeys.push(report);
        rflags.push(flagged);
        let mut k = 0;
        for m in &report_measures {
            rvalues[k].push(measure(total, m));
            k += 1;
        }
        // Section 四 and 二 in one pass over the facts, each fact added to the columns it feeds.
        let mut appeals = vec![None; appeal_ids.len()];
        let mut proactive_sums = [None; PROACTIVE_MEASURES.len()];
        for f in &report.facts {
            match f.table {
                Table::Appeals => {
                    if let Some(&i) = APPEAL_INDEX.get(f.row) {
                        add(&mut appeals[i], f.value);
                    }
                }
                Table::Proactive => {
                    for &i in PROACTIVE_INPUTS.get(&(f.row, f.col)).into_iter().flatten() {
                        add(&mut proactive_sums[i], f.value);
                    }
                }
                _ => {}
            }
        }
        for v in appeals.into_iter().chain(proactive_sums) {
            rvalues[k].push(v);
            k += 1;
        }
    }
    let mut columns = keys.columns();
    columns.push(Column::new("col_id".into(), col_ids));
    for ((name, _), v) in measures.iter().zip(values) {
        columns.push(Column::new((*name).into(), v));
    }
    let masks: Vec<i64> = flags.iter().map(|f| flagged_mask(f)).collect();
    columns.push(Column::new("flagged_cells".into(), flags));
    columns.push(Column::new("flagged_mask".into(), masks));
    let requests_wide = DataFrame::new_infer_height(columns)?;
    let mut columns = rkeys.columns();
    let names: Vec<String> = report_cols
        .iter()
        .map(|s| s.to_string())
        .chain(appeal_ids.iter().map(|c| c.to_string()))
        .chain(proactive.iter().map(|(n, _)| n.to_string()))
        .collect();
    for (name, v) in names.iter().zip(rvalues) {
        columns.push(Column::new(name.as_str().into(), v));
    }
    let masks: Vec<i64> = rflags.iter().map(|f| flagged_mask(f)).collect();
    columns.push(Column::new("flagged_cells".into(), rflags));
    columns.push(Column::new("flagged_mask".into(), masks));
    let report_wide = DataFrame::new_infer_height(columns)?;
    Ok(vec![("requests_wide".to_string(), requests_wide), ("report_wide".to_string(), report_wide)])
}
