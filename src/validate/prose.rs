//! Prose ↔ table checks P1–P8 (format-spec §5.4), all warnings: authors quote one column, count
//! only direct suits, or round. A prose figure that equals a single applicant column is still a
//! warning, and the message says so.

use crate::model::{APPLICANT_COLUMNS, Finding, TOTAL_COLUMN};
use crate::normalize::{ProseFact, Report};

const T: crate::model::Table = crate::model::Table::Requests;

/// The table value for a prose key in one column, with the cells it is made of.
fn table_value(report: &Report, key: &str, col: &str) -> Option<(f64, Vec<String>)> {
    // A prose key names a measure of section 三 (model::derived), two under other names.
    let column = match key {
        "requests_received" => "new_received",
        "requests_processed" => "processed_total",
        other => other,
    };
    let measure = crate::model::derived::measure(column)?;
    let rows = measure.rows(|row| report.facts.iter().any(|f| f.table == T && f.row == row));
    // A blank 总计 is read as the sum of the row's printed applicant columns (format-spec §6).
    let cell = |row: &str| {
        report.value(T, row, col).or_else(|| {
            let parts: Vec<f64> = APPLICANT_COLUMNS[..6].iter().filter_map(|c| report.value(T, row, c)).collect();
            (col == TOTAL_COLUMN && !parts.is_empty()).then(|| parts.iter().sum())
        })
    };
    let values: Vec<Option<f64>> = rows.iter().map(|r| cell(r)).collect();
    values
        .iter()
        .any(Option::is_some)
        .then(|| (values.iter().flatten().sum(), rows.iter().map(|r| format!("{T}.{r}.{col}")).collect()))
}

fn warn(rule: &str, fact: &ProseFact, cells: Vec<String>, expected: f64, note: &str) -> Finding {
    Finding::new(
        rule,
        format!("line {}: prose says '{}' but the table gives {expected}{note}", fact.line, fact.snippet),
    )
    .cells(cells)
    .values(Some(expected), Some(fact.value))
}

/// A note naming the applicant column the prose figure equals, if one does.
fn single_column_note(report: &Report, key: &str, value: f64) -> String {
    APPLICANT_COLUMNS[..6]
        .iter()
        .find(|c| table_value(report, key, c).is_some_and(|(v, _)| v == value))
        .map(|c| format!(" (the figure equals the {c} column)"))
        .unwrap_or_default()
}

/// P1–P8: every prose figure against its table cell.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    for fact in &report.prose {
        match fact.key {
            "requests_received" => {
                // P1: 收到/受理 N 件 = new_received (or new_received + carried_over: many authors count both).
                let Some((n, cells)) = table_value(report, fact.key, TOTAL_COLUMN) else { continue };
                let c = report.value(T, "carried_over", TOTAL_COLUMN).unwrap_or(0.0);
                if fact.value != n && fact.value != n + c {
                    let note = single_column_note(report, fact.key, fact.value);
                    out.push(warn("prose.requests_received", fact, cells, n, &note));
                }
            }
            "requests_processed"
            | "carried_forward"
            | "granted"
            | "partially_granted"
            | "disclosed_total"
            | "refused_total"
            | "unavailable_total"
            | "not_processed_total"
            | "other_total" => {
                let Some((v, cells)) = table_value(report, fact.key, TOTAL_COLUMN) else { continue };
                if fact.value != v {
                    let note = single_column_note(report, fact.key, fact.value);
                    out.push(warn(&format!("prose.{}", fact.key), fact, cells.clone(), v, &note));
                }
                // P4: a printed share recomputed against 总计 (±0.1 percentage point).
                if let (Some(pct), Some(total)) = (fact.pct, report.value(T, "processed_total", TOTAL_COLUMN))
                    && total > 0.0
                {
                    let share = v / total * 100.0;
                    if (share - pct).abs() > 0.1 {
                        out.push(
                            Finding::new(
                                "prose.outcome_share",
                                format!(
                                    "line {}: prose gives {pct}% for '{}' but the table gives {:.2}%",
                                    fact.line, fact.snippet, share
                                ),
                            )
                            .cells(cells)
                            .values(Some(share), Some(pct)),
                        );
                    }
                }
            }
            "review_total" => {
                // P6: 行政复议 N 件 = review_total.
                let Some(v) = report.value(crate::model::Table::Appeals, "review_total", "") else { continue };
                if fact.value != v {
                    out.push(warn("prose.review_total", fact, vec!["appeals.review_total".into()], v, ""));
                }
            }
            "litigation_total" => {
                // P7: 行政诉讼 N 件 = direct + after review (or direct suits only).
                let direct = report.value(crate::model::Table::Appeals, "litigation_direct_total", "");
                let after = report.value(crate::model::Table::Appeals, "litigation_after_review_total", "");
                if direct.is_none() && after.is_none() {
                    continue;
                }
                let both = direct.unwrap_or(0.0) + after.unwrap_or(0.0);
                if fact.value != both && Some(fact.value) != direct {
                    let cells =
                        vec!["appeals.litigation_direct_total".into(), "appeals.litigation_after_review_total".into()];
                    out.push(warn("prose.litigation_total", fact, cells, both, ""));
                }
            }
            "review_zero_corrected" | "litigation_zero_lost" => {
                // P8: 未被纠错 / 零败诉 ⇒ the corrected cells are 0.
                let cells: &[&str] = if fact.key == "review_zero_corrected" {
                    &["review_corrected"]
                } else {
                    &["litigation_direct_corrected", "litigation_after_review_corrected"]
                };
                let corrected: f64 =
                    cells.iter().filter_map(|c| report.value(crate::model::Table::Appeals, c, "")).sum();
                if corrected != 0.0 {
                    let names = cells.iter().map(|c| format!("appeals.{c}")).collect();
                    out.push(warn(&format!("prose.{}", fact.key), fact, names, corrected, ""));
                }
            }
            _ => {}
        }
    }
    out
}
