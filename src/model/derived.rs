//! The derived quantities of section 三, declared once: which rows make `disclosed_total`, each
//! outcome group's total and the （六） rule of `other_total`. The stored views (their SQL and
//! their Rust computation, `store::wide`), the prose checks (`validate::prose`) and through the
//! views the metric registry all read this declaration.

use super::{REQUEST_ROWS, RowRole};

/// The section 三 rows of an outcome group (`refused`, …), in printed order, from the model.
pub fn group(name: &str) -> Vec<&'static str> {
    REQUEST_ROWS.iter().filter(|r| r.group == Some(name)).map(|r| r.id).collect()
}

/// The three 2021 sub-rows of （六）其他处理.
pub fn other_parts() -> Vec<&'static str> {
    REQUEST_ROWS.iter().filter(|r| r.role == RowRole::OtherSplit).map(|r| r.id).collect()
}

/// A value column of `requests_wide`: the sum of some rows, or the （六） rule (the three
/// sub-rows when any is printed, else the single 其他处理 row).
pub enum Measure {
    Rows(Vec<&'static str>),
    /// The three sub-rows.
    Other(Vec<&'static str>),
}

/// The value columns of `requests_wide`, in the order of its SELECT: each section 三 row, and
/// the derived groups `disclosed_total`, `refused_total`, `unavailable_total`,
/// `not_processed_total` and `other_total`.
pub fn requests_measures() -> Vec<(&'static str, Measure)> {
    let one = |id: &'static str| (id, Measure::Rows(vec![id]));
    let mut m = vec![
        one("new_received"),
        one("carried_over"),
        one("granted"),
        one("partially_granted"),
        ("disclosed_total", Measure::Rows(vec!["granted", "partially_granted"])),
    ];
    for (name, total) in
        [("refused", "refused_total"), ("unavailable", "unavailable_total"), ("not_processed", "not_processed_total")]
    {
        let rows = group(name);
        m.extend(rows.iter().map(|r| one(r)));
        m.push((total, Measure::Rows(rows)));
    }
    m.extend(other_parts().into_iter().map(one));
    m.extend([("other_total", Measure::Other(other_parts())), one("processed_total"), one("carried_forward")]);
    m
}

impl Measure {
    /// The rows a measure adds up in one column, given which rows are printed (`printed(row)`):
    /// for `other_total`, the three sub-rows when any is printed, else the single row.
    pub fn rows(&self, printed: impl Fn(&str) -> bool) -> &[&'static str] {
        match self {
            Measure::Rows(rows) => rows,
            Measure::Other(parts) if parts.iter().any(|r| printed(r)) => parts,
            Measure::Other(_) => &["other_total"],
        }
    }
}

/// The declaration of the measure `column` (a section 三 row or a derived group).
pub fn measure(column: &str) -> Option<Measure> {
    requests_measures().into_iter().find(|(c, _)| *c == column).map(|(_, m)| m)
}
