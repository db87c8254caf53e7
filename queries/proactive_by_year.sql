-- title: 主动公开（按年）
-- about: Section 二 per year, pooled: normative documents issued (2021: 本年制发; 2019: 本年新制作, not strictly comparable), repealed and in force (2021 only), licensing, penalty and coercion decisions, the licensing-to-penalty ratio and fees (万元, 2021 format only).
-- params: from, to, agency, level
-- metrics: regulation_net_change, licensing_to_penalty_ratio, fee_amount_wan_yuan
SELECT year, COUNT(*) AS reports,
  SUM(COALESCE(normative_docs_issued, normative_docs_new_made)) AS normative_docs_issued,
  SUM(normative_docs_repealed) AS normative_docs_repealed,
  SUM(normative_docs_in_force) AS normative_docs_in_force,
  {{value regulation_net_change}} AS regulation_net_change,
  SUM(licensing_decisions) AS licensing_decisions,
  SUM(penalty_decisions) AS penalty_decisions,
  SUM(coercion_decisions) AS coercion_decisions,
  {{rate licensing_to_penalty_ratio}} AS licensing_to_penalty_ratio,
  {{value fee_amount_wan_yuan}} AS fee_amount_wan_yuan
FROM report_wide
GROUP BY year
ORDER BY year
