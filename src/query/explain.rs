//! `xxgk explain`: where one value of one report came from — the cell as printed, its place in
//! the user's file — and which findings name it.

use std::path::Path;

use polars::prelude::DataFrame;

use super::{Filters, Session};
use crate::error::{Error, Result};

/// One value explained.
pub struct Explanation {
    /// The report: report_id, agency, year, source_path (one row).
    pub report: DataFrame,
    /// The facts of the cell (one per column when the cell names a row only): row_id, col_id,
    /// label_raw, raw, value, blank_kind, unit, locator.
    pub facts: DataFrame,
    /// The findings whose cells name the cell (or its whole table): severity, rule, identity,
    /// message, cells.
    pub findings: DataFrame,
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Explains cell `cell` (`requests.granted.total`, `appeals.review_total`,
/// `proactive.rules.issued_count`, `legacy.proactive_total.year`, or a row, `requests.granted`) of the report `report` (its
/// report id, or text in its source path) in the warehouse `dir`, every version included.
pub fn explain(dir: &Path, report: &str, cell: &str) -> Result<Explanation> {
    let usage = Error::Argument;
    let mut parts = cell.splitn(3, '.');
    let (Some(table), Some(row)) = (parts.next(), parts.next()) else {
        return Err(usage(format!(
            "'{cell}' is not a cell id: give TABLE.ROW[.COLUMN], e.g. requests.granted.total or appeals.review_total"
        )));
    };
    let column = parts.next();
    let mut session = Session::open(dir, &Filters { all_versions: true, ..Default::default() })?;
    let reports = session.sql(&format!(
        "SELECT report_id, agency, year, source_path FROM reports WHERE report_id = {r} OR source_path LIKE {like} ORDER BY source_path",
        r = quoted(report),
        like = quoted(&format!("%{report}%"))
    ))?;
    let report_id = match reports.height() {
        0 => {
            return Err(Error::NotFound {
                what: "report",
                name: report.to_string(),
                known: format!(
                    " in {}: give a report id or text of its source path (xxgk query reports_catalog)",
                    dir.display()
                ),
            });
        }
        1 => {
            reports.column("report_id").ok().and_then(|c| c.str().ok()?.get(0).map(str::to_string)).unwrap_or_default()
        }
        n => {
            let paths = super::export::records(&reports)
                .iter()
                .filter_map(|r| r.get("source_path").and_then(|p| p.as_str()).map(str::to_string))
                .collect::<Vec<_>>();
            return Err(usage(format!("'{report}' names {n} reports: {}; give one report id", paths.join(", "))));
        }
    };
    let column_test = column.map_or(String::new(), |c| format!(" AND col_id = {}", quoted(c)));
    // The legacy table holds both columns of a row in one record: shown as one fact per column.
    let source = if table == "legacy" {
        "(SELECT report_id, 'legacy' AS \"table\", row_id, 'year' AS col_id, label_raw, year_raw AS raw, \
         year_value AS value, year_blank_kind AS blank_kind, unit, line, locator FROM legacy \
         UNION ALL SELECT report_id, 'legacy' AS \"table\", row_id, 'cumulative' AS col_id, label_raw, \
         cumulative_raw AS raw, cumulative AS value, cumulative_blank_kind AS blank_kind, unit, line, locator \
         FROM legacy WHERE cumulative_blank_kind IS NOT NULL) AS cells"
    } else {
        "facts"
    };
    let facts = session.sql(&format!(
        "SELECT row_id, col_id, label_raw, raw, value, blank_kind, unit, locator FROM {source} \
         WHERE report_id = {id} AND \"table\" = {t} AND row_id = {r}{column_test} ORDER BY line",
        id = quoted(&report_id),
        t = quoted(table),
        r = quoted(row),
    ))?;
    if facts.height() == 0 {
        return Err(Error::NotFound {
            what: "cell",
            name: cell.to_string(),
            known: format!(" in report {report_id} (xxgk extract --json on its file lists the cells it has)"),
        });
    }
    // A finding names cells as `table.row.col` (or a row, or a whole table), joined by ", ".
    let names: Vec<String> = match column {
        Some(c) => vec![format!("{table}.{row}.{c}"), format!("{table}.{row}"), table.to_string()],
        None => vec![format!("{table}.{row}"), table.to_string()],
    };
    let mut tests: Vec<String> =
        names.iter().map(|n| format!("CONCAT(', ', cells, ', ') LIKE {}", quoted(&format!("%, {n}, %")))).collect();
    if column.is_none() {
        tests.push(format!("cells LIKE {}", quoted(&format!("%{table}.{row}.%"))));
    }
    let findings = session.sql(&format!(
        "SELECT severity, rule, identity, message, cells FROM findings WHERE report_id = {id} AND ({}) ORDER BY severity, rule",
        tests.join(" OR "),
        id = quoted(&report_id),
    ))?;
    let report = session.sql(&format!(
        "SELECT report_id, agency, year, source_path FROM reports WHERE report_id = {}",
        quoted(&report_id)
    ))?;
    Ok(Explanation { report, facts, findings })
}
