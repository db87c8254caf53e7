//! The `legacy` table: one row per printed row of a legacy (2008–2018) statistics table —
//! `report_id, year, row_id, label_raw, unit, year_value, year_blank_kind, year_raw, cumulative,
//! cumulative_blank_kind, cumulative_raw, line, locator`. `row_id` is the SCHEMA.md id, empty for
//! a row outside the id list (its `label_raw` names it). `year` is the report's year, as in every
//! partitioned table; `year_value` is the 本年度 cell. A table without a 历年累计 column has a
//! null `cumulative_blank_kind`.

use polars::prelude::*;

use crate::model::Finding;
use crate::normalize::{LegacyCell, LegacyRow, Report};

/// The `legacy` rows of a batch of reports.
pub fn legacy_frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&Report, &LegacyRow)> =
        fresh.iter().flat_map(|(r, _)| r.legacy.iter().map(move |row| (r, row))).collect();
    let s = |f: &dyn for<'a> Fn(&'a Report, &'a LegacyRow) -> &'a str| {
        rows.iter().map(|(r, x)| f(r, x)).collect::<Vec<&str>>()
    };
    let cumulative = |f: &dyn Fn(&LegacyCell) -> Option<String>| {
        rows.iter().map(|(_, x)| x.cumulative.as_ref().and_then(f)).collect::<Vec<Option<String>>>()
    };
    DataFrame::new_infer_height(vec![
        Column::new("report_id".into(), s(&|r, _| &r.report_id)),
        Column::new("year".into(), rows.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>()),
        Column::new("row_id".into(), s(&|_, x| x.id.unwrap_or(""))),
        Column::new("label_raw".into(), s(&|_, x| &x.label_raw)),
        Column::new("unit".into(), s(&|_, x| &x.unit)),
        Column::new("year_value".into(), rows.iter().map(|(_, x)| x.year.value).collect::<Vec<Option<f64>>>()),
        Column::new("year_blank_kind".into(), s(&|_, x| x.year.blank_kind.id())),
        Column::new("year_raw".into(), s(&|_, x| &x.year.raw)),
        Column::new(
            "cumulative".into(),
            rows.iter().map(|(_, x)| x.cumulative.as_ref().and_then(|c| c.value)).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("cumulative_blank_kind".into(), cumulative(&|c| Some(c.blank_kind.id().to_string()))),
        Column::new("cumulative_raw".into(), cumulative(&|c| Some(c.raw.clone()))),
        Column::new("line".into(), rows.iter().map(|(_, x)| x.line as i64).collect::<Vec<i64>>()),
        Column::new("locator".into(), s(&|_, x| &x.locator)),
    ])
}
