-- title: 不予公开理由结构（按年）
-- about: The reasons of the 不予公开 category per year, pooled over the selected reports: applications per reason, its share of the category (reason_share) and of 办理结果总计.
-- params: from, to, agency, level
-- metrics: reason_share
WITH counts AS (
  SELECT r.year, c.row_id, SUM(c.value) AS applications
  FROM requests_cells c JOIN reports r ON c.report_id = r.report_id
  WHERE c.col_id = 'total' AND c.row_id IN ('refused_state_secret', 'refused_law_prohibited', 'refused_security_stability', 'refused_third_party_rights', 'refused_internal_affairs', 'refused_process_info', 'refused_enforcement_file', 'refused_admin_query')
  GROUP BY r.year, c.row_id
), processed AS (
  SELECT year, SUM(processed_total) AS processed FROM report_wide GROUP BY year
)
SELECT k.year, k.row_id AS reason, l.label AS reason_label, k.applications,
  CASE WHEN SUM(k.applications) OVER (PARTITION BY k.year) > 0
       THEN k.applications / SUM(k.applications) OVER (PARTITION BY k.year) END AS reason_share,
  CASE WHEN p.processed > 0 THEN k.applications / p.processed END AS share_of_processed
FROM counts k
JOIN processed p ON k.year = p.year
JOIN labels l ON l.id = k.row_id
ORDER BY k.year, l.ord
