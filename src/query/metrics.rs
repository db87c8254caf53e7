//! The metric registry (`docs/METRICS.md`): every published indicator's key, name,
//! formula and caveat (口径), in one place. Query files use a metric through a template —
//! `{{rate KEY}}` (pooled Σnumerator ÷ Σdenominator, NA on a zero denominator), `{{num KEY}}`,
//! `{{den KEY}}`, `{{value KEY}}` — so a formula is written once, here.
//!
//! Numerators and denominators are SQL expressions over the `report_wide` view. Metrics whose
//! arithmetic depends on a grouping (shares within a year, cross-year gaps) have no template
//! expression; the query that computes them names the key in its header.

/// How a metric aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Σ numerator ÷ Σ denominator; NA when Σ denominator is 0.
    Rate,
    /// Σ numerator (an amount or a net count).
    Value,
}

/// One indicator.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    pub key: &'static str,
    pub name: &'static str,
    pub formula: &'static str,
    pub kind: Kind,
    /// SQL over `report_wide`; empty when the metric has no template form.
    pub numerator: &'static str,
    pub denominator: &'static str,
    pub note: &'static str,
    /// The `report_wide` columns a metric without template expressions reads (its query leaves
    /// flagged reports out with `{{ok KEY}}`); empty when the expressions say it.
    pub inputs: &'static str,
}

const fn rate(
    key: &'static str,
    name: &'static str,
    formula: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    note: &'static str,
) -> Metric {
    Metric { key, name, formula, kind: Kind::Rate, numerator, denominator, note, inputs: "" }
}

/// Smallest denominator for a unit to be ranked (units below it are shown as 'observe').
pub const MIN_N: u32 = 30;

/// All indicators of METRICS.md, in its order.
pub const METRICS: &[Metric] = &[
    rate(
        "disclosure_rate",
        "实质公开率",
        "(G + P) ÷ T",
        "granted + partially_granted",
        "processed_total",
        "the most quoted rate (公开率)",
    ),
    rate("full_disclosure_rate", "予以公开率", "G ÷ T", "granted", "processed_total", ""),
    rate(
        "determination_release_rate",
        "决定口径公开率",
        "(G + P) ÷ (G + P + R)",
        "granted + partially_granted",
        "granted + partially_granted + refused_total",
        "analogue of the US release rate and the UK 'resolvable' base",
    ),
    rate("refusal_rate", "不予公开率", "R ÷ T", "refused_total", "processed_total", ""),
    rate("unavailable_rate", "无法提供率", "U ÷ T", "unavailable_total", "processed_total", ""),
    rate("not_processed_rate", "不予处理率", "X ÷ T", "not_processed_total", "processed_total", ""),
    rate(
        "other_rate",
        "其他处理率",
        "O ÷ T",
        "other_total",
        "processed_total",
        "2021 other_* sub-rows summed; 2019 single row",
    ),
    rate(
        "reason_share",
        "理由结构",
        "leaf ÷ its category total (R, U or X); also leaf ÷ T",
        "",
        "",
        "computed within each year by the *_reasons_by_year queries",
    )
    .reading("refused_total unavailable_total not_processed_total processed_total"),
    rate(
        "not_held_rate",
        "本机关不掌握率",
        "unavailable_not_held ÷ T",
        "unavailable_not_held",
        "processed_total",
        "watched like the US 'no records' share",
    ),
    rate("completion_rate", "办结率", "T ÷ (N + C)", "processed_total", "new_received + carried_over", ""),
    rate(
        "carryover_rate",
        "结转率",
        "F ÷ (N + C)",
        "carried_forward",
        "new_received + carried_over",
        "backlog proxy: the template has no timeliness data",
    ),
    rate(
        "applicant_mix",
        "申请人结构",
        "new_received[col] ÷ new_received[total]",
        "",
        "",
        "per applicant column; applicant_mix_by_year",
    )
    .reading("new_received"),
    rate("org_applicant_share", "法人申请占比", "(N − N[natural_person]) ÷ N", "", "", "applicant_mix_by_year")
        .reading("new_received"),
    rate(
        "review_correction_rate",
        "复议纠错率（审结口径）",
        "K ÷ (M + K + E), review block",
        "review_corrected",
        "review_upheld + review_corrected + review_other",
        "primary: pending cases have no outcome yet",
    ),
    rate(
        "review_correction_rate_all",
        "复议纠错率（含未审结）",
        "K ÷ S, review block",
        "review_corrected",
        "review_total",
        "the variant many reports use",
    ),
    rate(
        "review_upheld_rate",
        "复议维持率",
        "M ÷ (M + K + E)",
        "review_upheld",
        "review_upheld + review_corrected + review_other",
        "",
    ),
    rate(
        "litigation_correction_rate",
        "诉讼纠错率",
        "(K_direct + K_after) ÷ Σ(M + K + E) over both litigation blocks",
        "litigation_direct_corrected + litigation_after_review_corrected",
        "litigation_direct_upheld + litigation_direct_corrected + litigation_direct_other + litigation_after_review_upheld + litigation_after_review_corrected + litigation_after_review_other",
        "also per block",
    ),
    rate(
        "dispute_rate",
        "争议率",
        "(S_review + S_direct) ÷ N",
        "review_total + litigation_direct_total",
        "new_received",
        "review-then-court cases counted once",
    ),
    rate(
        "combined_correction_rate",
        "综合纠错率",
        "(K_review + K_direct + K_after) ÷ (S_review + S_direct + S_after)",
        "review_corrected + litigation_direct_corrected + litigation_after_review_corrected",
        "review_total + litigation_direct_total + litigation_after_review_total",
        "double-counts review → court; shown only labelled",
    ),
    Metric {
        key: "regulation_net_change",
        name: "规范性文件净增",
        formula: "issued_count − repealed_count (normative_docs)",
        kind: Kind::Value,
        numerator: "normative_docs_issued - normative_docs_repealed",
        denominator: "",
        note: "std_2021 (2019 reports have no repealed count)",
        inputs: "",
    },
    Metric {
        key: "in_force_continuity_gap",
        name: "现行有效连续性差",
        formula: "in_force(Y) − (in_force(Y−1) + issued(Y) − repealed(Y))",
        kind: Kind::Value,
        numerator: "",
        denominator: "",
        note: "a check as much as a metric; checked across years as cross_year.in_force_chain (I2.2) after every ingest",
        inputs: "normative_docs_issued normative_docs_repealed normative_docs_in_force",
    },
    rate(
        "licensing_to_penalty_ratio",
        "许可/处罚比",
        "admin_licensing.decision_count ÷ admin_penalty.decision_count",
        "licensing_decisions",
        "penalty_decisions",
        "proxy only",
    ),
    Metric {
        key: "fee_amount_wan_yuan",
        name: "行政事业性收费",
        formula: "admin_fees.fee_amount",
        kind: Kind::Value,
        numerator: "CASE WHEN era = 'std_2021' THEN fee_amount_wan_yuan END",
        denominator: "",
        note: "万元; std_2021 only",
        inputs: "",
    },
];

impl Metric {
    const fn reading(mut self, inputs: &'static str) -> Metric {
        self.inputs = inputs;
        self
    }

    /// The `report_wide` columns the metric reads (from its expressions, else `inputs`).
    pub fn input_columns(&self) -> Vec<&'static str> {
        let text = [self.numerator, self.denominator, self.inputs];
        let mut out: Vec<&'static str> = Vec::new();
        for word in text.iter().flat_map(|t| t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))) {
            if !word.is_empty() && crate::store::wide::inputs(word).is_some() && !out.contains(&word) {
                out.push(word);
            }
        }
        out
    }
}

/// Whether pooled figures keep reports whose error findings name a metric's inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Flagged {
    /// Leave them out (the default): a report whose own figures break an identity on a metric's
    /// inputs would otherwise drive a pooled rate.
    #[default]
    LeaveOut,
    /// Keep them (`--include-flagged`).
    Include,
}

/// The SQL condition that a row's report has no error finding on any of `columns` (columns of
/// `report_wide` / `requests_wide`; see [`crate::store::wide::inputs`]): no bit of their inputs is set in
/// the row's `flagged_mask`. `TRUE` when flagged reports are kept.
pub fn ok_condition(columns: &[&str], flagged: Flagged) -> Result<String, String> {
    if flagged == Flagged::Include || columns.is_empty() {
        return Ok("TRUE".to_string());
    }
    Ok(format!("(flagged_mask & {}) = 0", crate::store::wide::mask_of(columns)?))
}

/// Looks a metric up by key.
pub fn metric(key: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.key == key)
}

/// Expands the templates of a query's SQL: `{{rate KEY}}` (Σ numerator ÷ Σ denominator, NA
/// when Σ denominator is 0), `{{num KEY}}`, `{{den KEY}}`, `{{value KEY}}` (the sums), each over
/// the rows whose report has no error finding on the metric's inputs (unless `flagged` keeps
/// them); `{{ok KEY|COLUMN …}}` (that condition for the inputs of every metric key and column
/// named: a query whose figures must add up, such as an outcome structure, leaves a report out
/// of all of them at once); `{{min_n}}` ([`MIN_N`]); and the generated parts of the stored views
/// (`{{requests_measures}}`, … : [`crate::store::wide::view_sql`]) and of the cross-era series
/// (`{{era_measure …}}`, … : [`super::eras::template`]) and of the reasons (`{{reason_sums}}`,
/// `{{reason_counts …}}`: [`super::reasons::template`]).
pub fn expand(sql: &str, flagged: Flagged) -> Result<String, String> {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").ok_or_else(|| "unclosed '{{' in query".to_string())? + start;
        let inner = rest[start + 2..end].trim();
        if inner == "min_n" {
            out.push_str(&MIN_N.to_string());
            rest = &rest[end + 2..];
            continue;
        }
        if let Some(sql) = super::reasons::template(inner) {
            out.push_str(&sql?);
            rest = &rest[end + 2..];
            continue;
        }
        if let Some(sql) = super::eras::template(inner, flagged) {
            out.push_str(&sql?);
            rest = &rest[end + 2..];
            continue;
        }
        if let Some(sql) = crate::store::wide::view_sql(inner) {
            out.push_str(&sql);
            rest = &rest[end + 2..];
            continue;
        }
        let (op, key) = inner
            .split_once(' ')
            .ok_or_else(|| format!("template '{{{{{inner}}}}}' needs an operation and a metric key"))?;
        let key = key.trim();
        if op == "mask" {
            out.push_str(&crate::store::wide::mask_sql(key));
            rest = &rest[end + 2..];
            continue;
        }
        if op == "ok" {
            // Metric keys (their inputs) and report_wide columns, in any mix.
            let mut columns: Vec<&str> = Vec::new();
            for token in key.split_whitespace() {
                match metric(token) {
                    Some(m) => columns.extend(m.input_columns()),
                    None => columns.push(token),
                }
            }
            out.push_str(&format!("({})", ok_condition(&columns, flagged)?));
            rest = &rest[end + 2..];
            continue;
        }
        let m = metric(key).ok_or_else(|| format!("unknown metric '{key}' (see `xxgk metrics`)"))?;
        let need = |expr: &'static str, what: &str| {
            if expr.is_empty() { Err(format!("metric {} has no {what} expression", m.key)) } else { Ok(expr) }
        };
        let ok = ok_condition(&m.input_columns(), flagged)?;
        let sum = |expr: &str| {
            if ok == "TRUE" { format!("SUM({expr})") } else { format!("SUM(CASE WHEN {ok} THEN {expr} END)") }
        };
        let text = match op {
            "num" => sum(need(m.numerator, "numerator")?),
            "den" => sum(need(m.denominator, "denominator")?),
            "value" => sum(need(m.numerator, "value")?),
            "rate" => {
                let (n, d) = (sum(need(m.numerator, "numerator")?), sum(need(m.denominator, "denominator")?));
                format!("(CASE WHEN {d} > 0 THEN CAST({n} AS DOUBLE) / {d} END)")
            }
            other => return Err(format!("unknown template operation '{other}' (rate, num, den, value, ok)")),
        };
        out.push_str(&text);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_pooled_rate_with_na_on_zero_denominator() {
        let sql = expand("SELECT {{rate disclosure_rate}} AS r", Flagged::Include).unwrap();
        assert_eq!(
            sql,
            "SELECT (CASE WHEN SUM(processed_total) > 0 THEN CAST(SUM(granted + partially_granted) AS DOUBLE) / SUM(processed_total) END) AS r"
        );
        assert!(expand("{{rate no_such_metric}}", Flagged::Include).unwrap_err().contains("unknown metric"));
        assert!(expand("{{rate reason_share}}", Flagged::Include).unwrap_err().contains("no numerator"));
        assert_eq!(expand("WHERE n >= {{min_n}}", Flagged::LeaveOut).unwrap(), "WHERE n >= 30");
    }

    #[test]
    fn leaves_out_reports_flagged_on_the_inputs_of_a_metric() {
        use crate::store::wide::{flagged_mask, mask_of};
        let sql = expand("{{num disclosure_rate}}", Flagged::LeaveOut).unwrap();
        let mask = mask_of(&["granted", "partially_granted", "processed_total"]).unwrap();
        assert_eq!(sql, format!("SUM(CASE WHEN (flagged_mask & {mask}) = 0 THEN granted + partially_granted END)"));
        // A finding on a granted cell, on the whole table, or on a review cell.
        let ok = |cells: &str, columns: &[&str]| flagged_mask(cells) & mask_of(columns).unwrap() == 0;
        assert!(!ok("|requests.granted.natural_person|", &["granted", "processed_total"]));
        assert!(!ok("|requests|", &["processed_total"]));
        assert!(ok("|appeals.review_total|appeals.review_upheld|", &["granted", "processed_total"]));
        assert!(!ok("|appeals.review_total|", &["review_corrected", "review_total"]));
        assert!(ok("|appeals.review_total|", &["review_corrected"]));
        // An outcome group is one prefix: any refusal leaf flags refused_total.
        assert!(!ok("|requests.refused_process_info.total|", &["refused_total"]));
        assert!(ok("|requests.refused_process_info.total|", &["unavailable_total"]));
        assert_eq!(expand("{{ok disclosure_rate}}", Flagged::Include).unwrap(), "(TRUE)");
        assert!(expand("{{ok no_such_column}}", Flagged::LeaveOut).is_err());
    }

    #[test]
    fn registry_holds_every_metrics_md_key() {
        let keys = [
            "disclosure_rate",
            "full_disclosure_rate",
            "determination_release_rate",
            "refusal_rate",
            "unavailable_rate",
            "not_processed_rate",
            "other_rate",
            "reason_share",
            "not_held_rate",
            "completion_rate",
            "carryover_rate",
            "applicant_mix",
            "org_applicant_share",
            "review_correction_rate",
            "review_correction_rate_all",
            "review_upheld_rate",
            "litigation_correction_rate",
            "dispute_rate",
            "combined_correction_rate",
            "regulation_net_change",
            "in_force_continuity_gap",
            "licensing_to_penalty_ratio",
            "fee_amount_wan_yuan",
        ];
        assert_eq!(METRICS.iter().map(|m| m.key).collect::<Vec<_>>(), keys);
    }
}
