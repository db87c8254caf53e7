-- title: 理由结构（不予公开、无法提供、不予处理）
-- about: Applications per reason of the three reason categories (refused, unavailable, not_processed) per year, pooled, with the share of the reason in its category (reason_share) and in 办理结果总计 (share_of_processed). Reads the stored report_wide table (one row per report), so it stays fast on large warehouses. A report whose error findings name a cell of section 三's reason rows or totals is left out (--include-flagged keeps it).
WITH clean AS (
  SELECT * FROM report_wide WHERE {{ok reason_share}}
), sums AS (
  SELECT year, SUM(processed_total) AS processed,
    {{reason_sums}}
  FROM clean
  GROUP BY year
), counts AS (
  {{reason_counts sums}}
)
SELECT k.year, l.category, k.row_id AS reason, l.label AS reason_label, l.ord, k.applications,
  CASE WHEN SUM(k.applications) OVER (PARTITION BY k.year, l.category) > 0
       THEN k.applications / SUM(k.applications) OVER (PARTITION BY k.year, l.category) END AS reason_share,
  CASE WHEN k.processed > 0 THEN k.applications / k.processed END AS share_of_processed
FROM counts k
JOIN labels l ON l.id = k.row_id
