-- title: 报告宽表（每份报告一行）
-- about: One row per report: its section 三 totals (the 总计 column of requests_wide), the 15 section 四 cells the 16 reason rows of 不予公开/无法提供/不予处理, and the section 二 cells used by the metric registry. Blank cells count as 0.
-- stored: yes
WITH appeals AS (
  SELECT report_id,
    SUM(CASE WHEN row_id = 'review_upheld' THEN value END) AS review_upheld,
    SUM(CASE WHEN row_id = 'review_corrected' THEN value END) AS review_corrected,
    SUM(CASE WHEN row_id = 'review_other' THEN value END) AS review_other,
    SUM(CASE WHEN row_id = 'review_pending' THEN value END) AS review_pending,
    SUM(CASE WHEN row_id = 'review_total' THEN value END) AS review_total,
    SUM(CASE WHEN row_id = 'litigation_direct_upheld' THEN value END) AS litigation_direct_upheld,
    SUM(CASE WHEN row_id = 'litigation_direct_corrected' THEN value END) AS litigation_direct_corrected,
    SUM(CASE WHEN row_id = 'litigation_direct_other' THEN value END) AS litigation_direct_other,
    SUM(CASE WHEN row_id = 'litigation_direct_pending' THEN value END) AS litigation_direct_pending,
    SUM(CASE WHEN row_id = 'litigation_direct_total' THEN value END) AS litigation_direct_total,
    SUM(CASE WHEN row_id = 'litigation_after_review_upheld' THEN value END) AS litigation_after_review_upheld,
    SUM(CASE WHEN row_id = 'litigation_after_review_corrected' THEN value END) AS litigation_after_review_corrected,
    SUM(CASE WHEN row_id = 'litigation_after_review_other' THEN value END) AS litigation_after_review_other,
    SUM(CASE WHEN row_id = 'litigation_after_review_pending' THEN value END) AS litigation_after_review_pending,
    SUM(CASE WHEN row_id = 'litigation_after_review_total' THEN value END) AS litigation_after_review_total
  FROM facts WHERE "table" = 'appeals' GROUP BY report_id
), proactive AS (
  SELECT report_id,
    SUM(CASE WHEN row_id = 'normative_docs' AND col_id = 'issued_count' THEN value END) AS normative_docs_issued,
    SUM(CASE WHEN row_id = 'normative_docs' AND col_id = 'repealed_count' THEN value END) AS normative_docs_repealed,
    SUM(CASE WHEN row_id = 'normative_docs' AND col_id = 'in_force_count' THEN value END) AS normative_docs_in_force,
    SUM(CASE WHEN row_id = 'normative_docs' AND col_id = 'new_made_count' THEN value END) AS normative_docs_new_made,
    SUM(CASE WHEN row_id = 'rules' AND col_id IN ('issued_count', 'new_made_count') THEN value END) AS rules_issued,
    SUM(CASE WHEN row_id = 'rules' AND col_id = 'repealed_count' THEN value END) AS rules_repealed,
    SUM(CASE WHEN row_id = 'rules' AND col_id = 'in_force_count' THEN value END) AS rules_in_force,
    SUM(CASE WHEN row_id = 'admin_licensing' AND col_id = 'decision_count' THEN value END) AS licensing_decisions,
    SUM(CASE WHEN row_id = 'admin_penalty' AND col_id = 'decision_count' THEN value END) AS penalty_decisions,
    SUM(CASE WHEN row_id = 'admin_coercion' AND col_id = 'decision_count' THEN value END) AS coercion_decisions,
    SUM(CASE WHEN row_id = 'admin_fees' AND col_id = 'fee_amount' THEN value END) AS fee_amount_wan_yuan
  FROM facts WHERE "table" = 'proactive' GROUP BY report_id
)
SELECT w.report_id, w.year, w.agency, w.agency_key, w.agency_name, w.level, w.era,
  w.new_received, w.carried_over, w.granted, w.partially_granted, w.disclosed_total, w.refused_total,
  w.unavailable_total, w.not_processed_total, w.other_total, w.processed_total, w.carried_forward,
  w.refused_state_secret, w.refused_law_prohibited, w.refused_security_stability, w.refused_third_party_rights, w.refused_internal_affairs, w.refused_process_info, w.refused_enforcement_file, w.refused_admin_query, w.unavailable_not_held, w.unavailable_needs_creation, w.unavailable_unclear, w.not_processed_petition, w.not_processed_duplicate, w.not_processed_publication, w.not_processed_excessive, w.not_processed_confirmation,
  a.review_upheld, a.review_corrected, a.review_other, a.review_pending, a.review_total,
  a.litigation_direct_upheld, a.litigation_direct_corrected, a.litigation_direct_other, a.litigation_direct_pending, a.litigation_direct_total,
  a.litigation_after_review_upheld, a.litigation_after_review_corrected, a.litigation_after_review_other, a.litigation_after_review_pending, a.litigation_after_review_total,
  p.normative_docs_issued, p.normative_docs_repealed, p.normative_docs_in_force, p.normative_docs_new_made, p.rules_issued, p.rules_repealed, p.rules_in_force,
  p.licensing_decisions, p.penalty_decisions, p.coercion_decisions, p.fee_amount_wan_yuan,
  w.flagged_cells, w.flagged_mask
FROM requests_wide w
LEFT JOIN appeals a ON w.report_id = a.report_id
LEFT JOIN proactive p ON w.report_id = p.report_id
WHERE w.col_id = 'total'
