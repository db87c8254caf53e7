-- title: 机关排名（实质公开率）
-- about: Each agency's disclosure rate in its year (current reports; one row per agency key), ranked among its peers of the same level and year (1 = highest) with a percentile (1 = top). Agencies with fewer concluded applications than min_n (default: the registry's min-N, 30) are shown as 'observe' and not ranked.
-- params: from, to, agency, level, min_n:int={{min_n}}
-- metrics: disclosure_rate
WITH rates AS (
  SELECT agency_key, agency_name AS agency, COALESCE(level, 'unknown') AS level, year,
    {{den disclosure_rate}} AS processed,
    {{rate disclosure_rate}} AS disclosure_rate
  FROM report_wide
  GROUP BY agency_key, agency_name, level, year
), eligible AS (
  SELECT agency_key, level, year, disclosure_rate,
    RANK() OVER (PARTITION BY level, year ORDER BY disclosure_rate DESC) AS rank,
    COUNT(*) OVER (PARTITION BY level, year) AS peers
  FROM rates
  WHERE processed >= {{param min_n}} AND disclosure_rate IS NOT NULL
)
SELECT r.agency, r.agency_key, r.level, r.year, r.processed, r.disclosure_rate,
  CASE WHEN e.rank IS NULL THEN 'observe' ELSE 'ranked' END AS status,
  e.rank, e.peers,
  CASE WHEN e.peers = 1 THEN 1.0 WHEN e.peers > 1 THEN 1.0 - (e.rank - 1) * 1.0 / (e.peers - 1) END AS percentile
FROM rates r
LEFT JOIN eligible e ON r.agency_key = e.agency_key AND r.level = e.level AND r.year = e.year
ORDER BY r.year, r.level, e.rank, r.agency
