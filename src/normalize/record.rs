//! The per-report JSON record of SCHEMA.md (`extract --json`): tables as nested objects of
//! printed cells (blank cells are `null`, unprinted rows are absent) plus the findings.

use serde_json::{Map, Value, json};

use super::Report;
use crate::model::{
    AMOUNT_COLUMNS, APPLICANT_COLUMNS, Finding, PROACTIVE_ROWS, REQUEST_ROWS, SUBTOTAL_ROWS, appeal_cells,
};

fn number(value: Option<f64>) -> Value {
    match value {
        Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => json!(v as i64),
        Some(v) => json!(v),
        None => Value::Null,
    }
}

/// Builds the JSON record of a report with its findings (reader findings and identity checks).
pub fn to_record(report: &Report, findings: &[Finding]) -> Value {
    let mut record = Map::new();
    record.insert("source".into(), json!(report.source));
    record.insert("report_id".into(), json!(report.report_id));
    record.insert("sha256".into(), json!(report.sha256));
    record.insert("agency".into(), json!(report.meta.agency));
    let m = &report.meta;
    if m.agency_key.is_some() {
        record.insert("agency_key".into(), json!(m.agency_key));
        record.insert("agency_name".into(), json!(m.agency_name));
        record.insert("division_code".into(), json!(m.division_code));
        record.insert("body".into(), json!(m.body));
        record.insert("agency_resolution".into(), json!(m.agency_resolution));
    }
    record.insert("year".into(), json!(report.meta.year));
    record.insert("era".into(), json!(report.era.id()));
    if let Some(level) = &report.meta.level {
        record.insert("level".into(), json!(level.id()));
    }
    if let (Some(start), Some(end)) = (&report.meta.period_start, &report.meta.period_end) {
        record.insert("period_start".into(), json!(start));
        record.insert("period_end".into(), json!(end));
    }

    if let Some(date) = &report.meta.published_date {
        record.insert("published_date".into(), json!(date));
    }

    let mut requests = Map::new();
    let subtotal_ids = SUBTOTAL_ROWS.iter().map(|(id, _)| *id);
    for row in REQUEST_ROWS.iter().map(|r| r.id).chain(subtotal_ids) {
        let mut cols = Map::new();
        for col in APPLICANT_COLUMNS {
            if let Some(f) = report.fact(crate::model::Table::Requests, row, col) {
                cols.insert(col.into(), number(f.value));
            }
        }
        if !cols.is_empty() {
            requests.insert(row.into(), Value::Object(cols));
        }
    }
    if !requests.is_empty() {
        record.insert("requests".into(), Value::Object(requests));
    }

    let mut appeals = Map::new();
    for cell in appeal_cells() {
        if let Some(f) = report.fact(crate::model::Table::Appeals, cell, "") {
            appeals.insert(cell.to_string(), number(f.value));
        }
    }
    if !appeals.is_empty() {
        record.insert("appeals".into(), Value::Object(appeals));
    }

    let mut proactive = Map::new();
    for row in PROACTIVE_ROWS {
        let mut cols = Map::new();
        for col in row.std_2021.iter().chain(row.trial_2019.iter()) {
            if cols.contains_key(*col) {
                continue;
            }
            if let Some(f) = report.fact(crate::model::Table::Proactive, row.id, col) {
                cols.insert(col.to_string(), number(f.value));
                if AMOUNT_COLUMNS.contains(col)
                    && *col != "fee_amount"
                    && let Some(unit) = &f.unit
                {
                    cols.insert(format!("{col}_unit"), json!(unit));
                }
            }
        }
        if !cols.is_empty() {
            proactive.insert(row.id.into(), Value::Object(cols));
        }
    }
    if !proactive.is_empty() {
        record.insert("proactive".into(), Value::Object(proactive));
    }
    insert_legacy(&mut record, report);
    record.insert("findings".into(), json!(findings));
    record.insert("inference".into(), json!(report.meta.inference));
    Value::Object(record)
}

/// The legacy statistics table: `legacy` (id → `{year, cumulative}`, in the order of
/// [`crate::model::legacy::LEGACY_ROW_LABELS`]), `legacy_rows_as_printed` (id → label as
/// printed), `legacy_other` (label as printed → `{year, cumulative}` for rows outside the id list)
/// and `fees_unit` (the unit of the fees row). Absent when the report prints no legacy table.
fn insert_legacy(record: &mut Map<String, Value>, report: &Report) {
    if report.legacy.is_empty() {
        return;
    }
    let cells = |row: &super::LegacyRow| json!({"year": number(row.year.value), "cumulative": number(row.cumulative.as_ref().and_then(|c| c.value))});
    let (mut legacy, mut labels, mut other) = (Map::new(), Map::new(), Map::new());
    for id in crate::model::legacy::legacy_ids() {
        if let Some(row) = report.legacy.iter().find(|r| r.id == Some(id)) {
            legacy.insert(id.into(), cells(row));
            labels.insert(id.into(), json!(row.label_raw));
        }
    }
    for row in report.legacy.iter().filter(|r| r.id.is_none()) {
        other.entry(row.label_raw.clone()).or_insert_with(|| cells(row));
    }
    record.insert("legacy".into(), Value::Object(legacy));
    record.insert("legacy_rows_as_printed".into(), Value::Object(labels));
    if !other.is_empty() {
        record.insert("legacy_other".into(), Value::Object(other));
    }
    if let Some(fees) = report.legacy.iter().find(|r| r.id == Some(crate::model::legacy::LEGACY_AMOUNT_ROW)) {
        record.insert("fees_unit".into(), json!(fees.unit));
    }
}
