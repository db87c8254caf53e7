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

/// A section 三 identity that holds in every applicant column: the rows of `left` add up to the
/// rows of `right` (format-spec §5.1). It is checked where every row of `anchors` is printed;
/// another row printed blank (or not printed) counts as 0.
#[derive(Debug, Clone, PartialEq)]
pub struct RowsIdentity {
    /// The rule of the catalogue that checks it (`requests.outcome_sum`).
    pub rule: &'static str,
    pub left: Vec<&'static str>,
    pub right: Vec<&'static str>,
    pub anchors: Vec<&'static str>,
}

/// The column identities of section 三 for a report with or without the single （六） row:
/// I3.2 outcome sum, I3.3 balance, I3.5 the （六） split (2021, when its subtotal is printed)
/// and I3.6 the printed group subtotals.
pub fn request_identities(single_other: bool) -> Vec<RowsIdentity> {
    let processed = "processed_total";
    let mut out = vec![
        RowsIdentity {
            rule: "requests.outcome_sum",
            left: vec![processed],
            right: super::outcome_leaves(single_other),
            anchors: vec![processed],
        },
        RowsIdentity {
            rule: "requests.balance",
            left: vec!["new_received", "carried_over"],
            right: vec![processed, "carried_forward"],
            anchors: vec!["new_received", processed],
        },
    ];
    if !single_other {
        out.push(RowsIdentity {
            rule: "requests.other_split",
            left: vec!["other_total"],
            right: other_parts(),
            anchors: vec!["other_total"],
        });
    }
    for (subtotal, name) in super::SUBTOTAL_ROWS {
        let right = group(name).into_iter().filter(|r| *r != "other_total").collect();
        out.push(RowsIdentity { rule: "requests.subtotal", left: vec![subtotal], right, anchors: vec![subtotal] });
    }
    out
}

/// The declaration of the measure `column` (a section 三 row or a derived group).
pub fn measure(column: &str) -> Option<Measure> {
    requests_measures().into_iter().find(|(c, _)| *c == column).map(|(_, m)| m)
}
