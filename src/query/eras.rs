//! The series across the 2018/2019 break: the SQL parts of the views `era_legacy`,
//! `era_current_by_year` and `era_series` (`queries/views/`), generated from the one mapping of
//! legacy rows onto 2019+ quantities ([`crate::model::legacy::LEGACY_MAPPING`]). The view file holds the statement;
//! these templates hold every id of the mapping, so neither restates the other.
//!
//! - `{{era_measure EXPR}}`: the 2019+ measure of a legacy row id (`NULL` for an unmapped row);
//! - `{{era_label EXPR}}`, `{{era_order EXPR}}`: a measure's display name and its place in the
//!   mapping;
//! - `{{era_legacy_ids}}`: the mapped legacy ids, as an `IN (…)` list;
//! - `{{era_legacy_flagged ROW CELLS}}`: whether an error finding's `|cell|cell|` text `CELLS`
//!   names the legacy row `ROW`'s 本年度 cell (`legacy.<id>` or `legacy.<id>.year`); `FALSE`
//!   when flagged reports are kept;
//! - `{{era_current}}`: one `SELECT report_id, agency, agency_key, agency_name, level, year, era,
//!   measure, value, flagged FROM report_wide` per measure, joined by `UNION ALL` (the report's
//!   columns come from `report_wide` itself: no join with `reports`); `flagged` is 1 when the
//!   report's error findings name an input of the measure's cells (the metric registry's test,
//!   [`super::metrics::ok_condition`]);
//! - `{{era_current_sums}}`: the same measures summed per group of `report_wide` rows (the view
//!   `era_current_by_year` groups by year): `reports_K` and `value_K` for the K-th
//!   measure; `{{era_current_unpivot REL}}` turns those columns of `REL` into one row per year
//!   and measure (a cross join with the list of measures). The trend query sums these six rows
//!   a year instead of six rows a report.

use super::metrics::{Flagged, ok_condition};
use crate::model::legacy::{LEGACY_MAPPING, LegacyMapping};

/// The SQL of the template `inner` (its text between `{{` and `}}`), or `None` when it is not one
/// of this module's.
pub fn template(inner: &str, flagged: Flagged) -> Option<Result<String, String>> {
    let mut words = inner.split_whitespace();
    let name = words.next()?;
    let args: Vec<&str> = words.collect();
    let arg = |k: usize| {
        args.get(k).copied().ok_or_else(|| format!("template '{{{{{inner}}}}}' needs {} argument(s)", k + 1))
    };
    let case = |expr: &str, pairs: Vec<(&str, String)>| {
        let whens: Vec<String> = pairs.iter().map(|(k, v)| format!("WHEN {expr} = '{k}' THEN {v}")).collect();
        format!("CASE {} END", whens.join(" "))
    };
    let quoted = |s: &str| format!("'{s}'");
    let sql = match name {
        "era_measure" => {
            arg(0).map(|e| case(e, LEGACY_MAPPING.iter().map(|m| (m.legacy, quoted(m.measure))).collect()))
        }
        "era_label" => arg(0).map(|e| case(e, LEGACY_MAPPING.iter().map(|m| (m.measure, quoted(m.label))).collect())),
        "era_order" => arg(0)
            .map(|e| case(e, LEGACY_MAPPING.iter().enumerate().map(|(k, m)| (m.measure, k.to_string())).collect())),
        "era_legacy_ids" => Ok(LEGACY_MAPPING.iter().map(|m| quoted(m.legacy)).collect::<Vec<_>>().join(", ")),
        "era_legacy_flagged" => arg(0).and_then(|row| {
            let cells = arg(1)?;
            if flagged == Flagged::Include {
                return Ok("FALSE".to_string());
            }
            let tests: Vec<String> = LEGACY_MAPPING
                .iter()
                .map(|m| {
                    let id = m.legacy;
                    format!(
                        "({row} = '{id}' AND ({cells} LIKE '%|legacy.{id}|%' OR {cells} LIKE '%|legacy.{id}.year|%'))"
                    )
                })
                .collect();
            Ok(format!("({})", tests.join(" OR ")))
        }),
        "era_current" => current(flagged),
        "era_current_sums" => current_sums(flagged),
        "era_current_unpivot" => arg(0).map(current_unpivot),
        _ => return None,
    };
    Some(sql)
}

/// A measure's value in a `report_wide` row (`DOUBLE`; the sum of its cells, `NULL` when all are)
/// and the condition that the row's report is not flagged on them.
fn value_and_ok(m: &LegacyMapping, flagged: Flagged) -> Result<(String, String), String> {
    let value = match m.cells {
        [one] => one.to_string(),
        cells => {
            let nulls: Vec<String> = cells.iter().map(|c| format!("{c} IS NULL")).collect();
            let sum: Vec<String> = cells.iter().map(|c| format!("COALESCE({c}, 0)")).collect();
            format!("CASE WHEN {} THEN NULL ELSE {} END", nulls.join(" AND "), sum.join(" + "))
        }
    };
    Ok((format!("CAST({value} AS DOUBLE)"), ok_condition(m.cells, flagged)?))
}

/// The 2019+ side of the series: one select per measure over `report_wide`.
fn current(flagged: Flagged) -> Result<String, String> {
    let mut selects = Vec::new();
    for m in LEGACY_MAPPING {
        let (value, ok) = value_and_ok(m, flagged)?;
        selects.push(format!(
            "SELECT report_id, agency, agency_key, agency_name, level, year, era, '{}' AS measure, {value} AS value, CASE WHEN {ok} THEN 0 ELSE 1 END AS flagged FROM report_wide",
            m.measure
        ));
    }
    Ok(selects.join("\n  UNION ALL "))
}

/// The 2019+ side summed in one pass: for the `k`-th measure, `reports_k` (rows not flagged on
/// it) and `value_k` (their sum); the rows flagged on it are the group's rows less `reports_k`.
fn current_sums(flagged: Flagged) -> Result<String, String> {
    let mut sums = Vec::new();
    for (k, m) in LEGACY_MAPPING.iter().enumerate() {
        let (value, ok) = value_and_ok(m, flagged)?;
        sums.push(format!(
            "SUM(CASE WHEN {ok} THEN 1 ELSE 0 END) AS reports_{k}, SUM(CASE WHEN {ok} THEN {value} END) AS value_{k}"
        ));
    }
    Ok(sums.join(",\n    "))
}

/// [`current_sums`] of the relation `sums` (with its rows' count, `report_rows`) as one row per
/// year and measure: `year`, `report_rows`, `measure`, `reports`, `value`
/// ([`super::unpivot::unpivot`]).
fn current_unpivot(sums: &str) -> String {
    let measures: Vec<&str> = LEGACY_MAPPING.iter().map(|m| m.measure).collect();
    let columns = |name: &str| (0..LEGACY_MAPPING.len()).map(|k| format!("{name}_{k}")).collect::<Vec<_>>();
    super::unpivot::unpivot(
        sums,
        &["year", "report_rows"],
        "measure",
        &measures,
        &[("reports", columns("reports")), ("value", columns("value"))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_cell_is_a_report_wide_column_and_templates_read_the_mapping() {
        for m in LEGACY_MAPPING {
            for c in m.cells {
                assert!(crate::store::wide::inputs(c).is_some(), "{}: {c} is not a report_wide column", m.legacy);
            }
        }
        let t = |inner: &str, f: Flagged| template(inner, f).unwrap().unwrap();
        assert!(t("era_measure l.row_id", Flagged::LeaveOut).contains("WHEN l.row_id = 'review' THEN 'review_total'"));
        assert_eq!(t("era_legacy_flagged l.row_id e.cells", Flagged::Include), "FALSE");
        assert!(
            t("era_legacy_flagged l.row_id e.cells", Flagged::LeaveOut)
                .contains("e.cells LIKE '%|legacy.review.year|%'")
        );
        let current = t("era_current", Flagged::LeaveOut);
        assert_eq!(current.matches("UNION ALL").count(), LEGACY_MAPPING.len() - 1);
        assert!(current.contains("COALESCE(litigation_direct_total, 0) + COALESCE(litigation_after_review_total, 0)"));
        assert!(t("era_current", Flagged::Include).contains("CASE WHEN TRUE THEN 0"));
        // The one-pass sums name every measure's cells and test, and the unpivot gives each
        // measure its row from its own columns.
        let sums = t("era_current_sums", Flagged::LeaveOut);
        let unpivot = t("era_current_unpivot s", Flagged::LeaveOut);
        for (k, m) in LEGACY_MAPPING.iter().enumerate() {
            let (value, ok) = value_and_ok(m, Flagged::LeaveOut).unwrap();
            assert!(sums.contains(&format!("SUM(CASE WHEN {ok} THEN {value} END) AS value_{k}")), "{}", m.measure);
            assert!(unpivot.contains(&format!("WHEN m.measure = '{}' THEN s.value_{k}", m.measure)));
        }
        assert_eq!(unpivot.matches("FROM s").count(), 1);
        assert!(template("era_current_unpivot", Flagged::LeaveOut).unwrap().is_err());
        assert!(template("era_label", Flagged::LeaveOut).unwrap().is_err());
        assert!(template("rate disclosure_rate", Flagged::LeaveOut).is_none());
    }
}
