-- title: 机关排名（实质公开率）
-- about: Each agency's disclosure rate in its year, ranked within its level and year (1 = highest) with a percentile (1 = top). Agencies with fewer than 30 concluded applications are shown as 'observe' and not ranked (min-N guard).
-- params: from, to, agency, level
-- metrics: disclosure_rate
WITH rates AS (
  SELECT agency, COALESCE(level, 'unknown') AS level, year,
    {{den disclosure_rate}} AS processed,
    {{rate disclosure_rate}} AS disclosure_rate
  FROM report_wide
  GROUP BY agency, level, year
), eligible AS (
  SELECT agency, level, year, disclosure_rate,
    RANK() OVER (PARTITION BY level, year ORDER BY disclosure_rate DESC) AS rank,
    COUNT(*) OVER (PARTITION BY level, year) AS peers
  FROM rates
  WHERE processed >= 30 AND disclosure_rate IS NOT NULL
)
SELECT r.agency, r.level, r.year, r.processed, r.disclosure_rate,
  CASE WHEN e.rank IS NULL THEN 'observe' ELSE 'ranked' END AS status,
  e.rank, e.peers,
  CASE WHEN e.peers = 1 THEN 1.0 WHEN e.peers > 1 THEN 1.0 - (e.rank - 1) * 1.0 / (e.peers - 1) END AS percentile
FROM rates r
LEFT JOIN eligible e ON r.agency = e.agency AND r.level = e.level AND r.year = e.year
ORDER BY r.year, r.level, e.rank, r.agency
