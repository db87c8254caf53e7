//! The metric registry (`../shared/spec/METRICS.md`): every published indicator's key, name,
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
}

const fn rate(
    key: &'static str,
    name: &'static str,
    formula: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    note: &'static str,
) -> Metric {
    Metric { key, name, formula, kind: Kind::Rate, numerator, denominator, note }
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
    ),
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
    ),
    rate("org_applicant_share", "法人申请占比", "(N − N[natural_person]) ÷ N", "", "", "applicant_mix_by_year"),
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
    },
    Metric {
        key: "in_force_continuity_gap",
        name: "现行有效连续性差",
        formula: "in_force(Y) − (in_force(Y−1) + issued(Y) − repealed(Y))",
        kind: Kind::Value,
        numerator: "",
        denominator: "",
        note: "a check as much as a metric; needs the same agency in consecutive years (no canned query yet)",
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
    },
];

/// Looks a metric up by key.
pub fn metric(key: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.key == key)
}

/// Expands `{{rate KEY}}`, `{{num KEY}}`, `{{den KEY}}` and `{{value KEY}}` in a query's SQL.
pub fn expand(sql: &str) -> Result<String, String> {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").ok_or_else(|| "unclosed '{{' in query".to_string())? + start;
        let inner = rest[start + 2..end].trim();
        let (op, key) = inner
            .split_once(' ')
            .ok_or_else(|| format!("template '{{{{{inner}}}}}' needs an operation and a metric key"))?;
        let m = metric(key.trim()).ok_or_else(|| format!("unknown metric '{}' (see `xxgk metrics`)", key.trim()))?;
        let need = |expr: &'static str, what: &str| {
            if expr.is_empty() { Err(format!("metric {} has no {what} expression", m.key)) } else { Ok(expr) }
        };
        let text = match op {
            "num" => format!("SUM({})", need(m.numerator, "numerator")?),
            "den" => format!("SUM({})", need(m.denominator, "denominator")?),
            "value" => format!("SUM({})", need(m.numerator, "value")?),
            "rate" => {
                let (n, d) = (need(m.numerator, "numerator")?, need(m.denominator, "denominator")?);
                format!("(CASE WHEN SUM({d}) > 0 THEN CAST(SUM({n}) AS DOUBLE) / SUM({d}) END)")
            }
            other => return Err(format!("unknown template operation '{other}' (rate, num, den, value)")),
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
        let sql = expand("SELECT {{rate disclosure_rate}} AS r").unwrap();
        assert_eq!(
            sql,
            "SELECT (CASE WHEN SUM(processed_total) > 0 THEN CAST(SUM(granted + partially_granted) AS DOUBLE) / SUM(processed_total) END) AS r"
        );
        assert!(expand("{{rate no_such_metric}}").unwrap_err().contains("unknown metric"));
        assert!(expand("{{rate reason_share}}").unwrap_err().contains("no numerator"));
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
