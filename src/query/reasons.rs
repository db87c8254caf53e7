//! The reasons of the three reason categories (不予公开, 无法提供, 不予处理): the SQL parts of the
//! view `reason_shares` (`queries/views/reason_shares.sql`), generated from the section 三 rows of
//! the model ([`crate::model::REQUEST_ROWS`], their group; the categories of
//! [`crate::model::SUBTOTAL_ROWS`]) so that the view names no reason itself.
//!
//! - `{{reason_sums}}`: `SUM(ID) AS ID` for every reason, over `report_wide` rows;
//! - `{{reason_counts REL}}`: those sums of `REL` (one row per year, with `processed`) as one row
//!   per year and reason: `year`, `processed`, `row_id`, `applications`.

use crate::model::{REQUEST_ROWS, SUBTOTAL_ROWS};

/// The reason rows, in the model's order: the leaves of the refused, unavailable and
/// not-processed groups.
pub fn reason_ids() -> Vec<&'static str> {
    REQUEST_ROWS
        .iter()
        .filter(|r| r.group.is_some_and(|g| SUBTOTAL_ROWS.iter().any(|(_, group)| *group == g)))
        .map(|r| r.id)
        .collect()
}

/// The SQL of the template `inner` (its text between `{{` and `}}`), or `None` when it is not one
/// of this module's.
pub fn template(inner: &str) -> Option<Result<String, String>> {
    let mut words = inner.split_whitespace();
    let name = words.next()?;
    let ids = reason_ids();
    let sql = match name {
        "reason_sums" => Ok(ids.iter().map(|id| format!("SUM({id}) AS {id}")).collect::<Vec<_>>().join(",\n    ")),
        "reason_counts" => match words.next() {
            Some(rel) => Ok(super::unpivot::unpivot(
                rel,
                &["year", "processed"],
                "row_id",
                &ids,
                &[("applications", ids.iter().map(|id| id.to_string()).collect())],
            )),
            None => Err(format!("template '{{{{{inner}}}}}' needs the relation to unpivot")),
        },
        _ => return None,
    };
    Some(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reasons_are_the_leaves_of_the_three_categories_and_every_one_is_summed_and_counted() {
        let ids = reason_ids();
        assert_eq!(ids.len(), 16);
        assert_eq!((ids[0], ids[15]), ("refused_state_secret", "not_processed_confirmation"));
        let (sums, counts) = (template("reason_sums").unwrap().unwrap(), template("reason_counts s").unwrap().unwrap());
        for id in &ids {
            assert!(crate::store::wide::inputs(id).is_some(), "{id} is not a report_wide column");
            assert!(sums.contains(&format!("SUM({id}) AS {id}")));
            assert!(counts.contains(&format!("WHEN m.row_id = '{id}' THEN s.{id}")));
        }
        assert!(template("reason_counts").unwrap().is_err());
        assert!(template("era_current").is_none());
    }
}
