//! Section 四 (appeals): 15 cells in printed order. The values are the number rows that carry no
//! label, read in order: one row of 15 (the template), or three rows of 5 (one table per block).

use super::Fact;
use super::rows;
use crate::ingest::Section;
use crate::model::{Finding, Placement, appeal_cells};

const TABLE: crate::model::Table = crate::model::Table::Appeals;

/// Reads section 四.
pub fn read(section: &Section, findings: &mut Vec<Finding>) -> Vec<Fact> {
    let cells = appeal_cells();
    let mut values: Vec<(usize, String)> = Vec::new();
    let mut rows_used = Vec::new();
    for raw in &section.table.rows {
        let split = rows::split(raw);
        if !split.labels.is_empty() || split.numbers() == 0 {
            continue;
        }
        let row_values = split.window(cells.len()).unwrap_or_else(|| {
            let mut v = split.values.clone();
            while !v.len().is_multiple_of(5) && v.last().is_some_and(|c| c.trim().is_empty()) {
                v.pop();
            }
            v
        });
        rows_used.push(split.line);
        values.extend(row_values.iter().map(|v| (split.line, v.to_string())));
    }
    if values.len() != cells.len() {
        if !values.is_empty() {
            findings.push(
                Finding::new(
                    "appeals.unreadable",
                    format!(
                        "section 四 number rows (lines {}) hold {} cells where 15 are expected; the table is not read",
                        rows_used.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "),
                        values.len()
                    ),
                )
                .cells(cells.iter().map(|c| format!("{TABLE}.{c}"))),
            );
        }
        return Vec::new();
    }
    let no_label: std::sync::Arc<str> = "".into();
    cells
        .iter()
        .zip(values)
        .map(|(cell, (line, raw))| rows::fact(TABLE, cell, "", &raw, &no_label, line, Placement::Label))
        .collect()
}
