-- title: 理由结构（不予公开、无法提供、不予处理）
-- about: Applications per reason of the three reason categories (refused, unavailable, not_processed) per year, pooled, with the share of the reason in its category (reason_share) and in 办理结果总计 (share_of_processed).
WITH counts AS (
  SELECT r.year, l.category, c.row_id, l.label, l.ord, SUM(c.value) AS applications
  FROM requests_cells c
  JOIN reports r ON c.report_id = r.report_id
  JOIN labels l ON l.id = c.row_id
  WHERE c.col_id = 'total' AND l.category IN ('refused', 'unavailable', 'not_processed')
  GROUP BY r.year, l.category, c.row_id, l.label, l.ord
), processed AS (
  SELECT year, SUM(processed_total) AS processed FROM report_wide GROUP BY year
)
SELECT k.year, k.category, k.row_id AS reason, k.label AS reason_label, k.ord, k.applications,
  CASE WHEN SUM(k.applications) OVER (PARTITION BY k.year, k.category) > 0
       THEN k.applications / SUM(k.applications) OVER (PARTITION BY k.year, k.category) END AS reason_share,
  CASE WHEN p.processed > 0 THEN k.applications / p.processed END AS share_of_processed
FROM counts k
JOIN processed p ON k.year = p.year
