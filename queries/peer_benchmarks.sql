-- title: 同级同年对标（实质公开率）
-- about: Per level and year, the disclosure rate of the agencies ranked among their peers (current reports, at least the registry's min-N of 30 concluded applications): how many, the lowest, the quartiles and the highest, and how many are shown but not ranked ('observe'). Each agency's own rank and percentile are in agency_ranking.
-- params: from, to, agency, level
-- metrics: disclosure_rate
WITH rates AS (
  SELECT agency_key, COALESCE(level, 'unknown') AS level, year,
    {{den disclosure_rate}} AS processed,
    {{rate disclosure_rate}} AS disclosure_rate
  FROM report_wide
  GROUP BY agency_key, level, year
)
SELECT r.level, l.label AS level_label, r.year,
  SUM(CASE WHEN r.processed >= {{min_n}} AND r.disclosure_rate IS NOT NULL THEN 1 ELSE 0 END) AS ranked,
  SUM(CASE WHEN r.processed >= {{min_n}} AND r.disclosure_rate IS NOT NULL THEN 0 ELSE 1 END) AS observe,
  MIN(CASE WHEN r.processed >= {{min_n}} THEN r.disclosure_rate END) AS min_rate,
  QUANTILE_CONT(CASE WHEN r.processed >= {{min_n}} THEN r.disclosure_rate END, 0.25) AS p25_rate,
  MEDIAN(CASE WHEN r.processed >= {{min_n}} THEN r.disclosure_rate END) AS median_rate,
  QUANTILE_CONT(CASE WHEN r.processed >= {{min_n}} THEN r.disclosure_rate END, 0.75) AS p75_rate,
  MAX(CASE WHEN r.processed >= {{min_n}} THEN r.disclosure_rate END) AS max_rate
FROM rates r
JOIN labels l ON l.id = r.level
GROUP BY r.level, l.label, l.ord, r.year
ORDER BY r.year, l.ord
