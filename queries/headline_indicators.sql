-- title: 核心指标（所选范围合计）
-- about: The headline indicators of the briefing, pooled over every selected report and year: coverage, intake, and the registry rates (disclosure, full disclosure, refusal, not-held, completion, carry-over, review and litigation correction).
-- params: from, to, agency, level
-- metrics: disclosure_rate, full_disclosure_rate, refusal_rate, not_held_rate, completion_rate, carryover_rate, review_correction_rate, litigation_correction_rate
SELECT COUNT(*) AS reports,
  COUNT(DISTINCT agency_key) AS agencies,
  MIN(year) AS first_year,
  MAX(year) AS last_year,
  SUM(new_received) AS new_received,
  SUM(processed_total) AS processed,
  {{rate disclosure_rate}} AS disclosure_rate,
  {{rate full_disclosure_rate}} AS full_disclosure_rate,
  {{rate refusal_rate}} AS refusal_rate,
  {{rate not_held_rate}} AS not_held_rate,
  {{rate completion_rate}} AS completion_rate,
  {{rate carryover_rate}} AS carryover_rate,
  {{rate review_correction_rate}} AS review_correction_rate,
  {{rate litigation_correction_rate}} AS litigation_correction_rate
FROM report_wide
