-- title: 机关目录（机关标识）
-- about: One row per agency key: the canonical name, division code, level and body, how the identity was established (division table, alias, central, name only, ambiguous, --meta), every name the reports print, the years, and the report counts (all versions, and current ones). Reports of the same key and year are versions of one report.
-- params: from, to, agency, level
-- metrics:
SELECT agency_key, MAX(agency_name) AS agency_name, MAX(division_code) AS division_code, MAX(level) AS level,
  MAX(body) AS body, MAX(agency_resolution) AS resolution,
  STRING_AGG(DISTINCT agency, ' | ' ORDER BY agency) AS names_as_printed,
  STRING_AGG(DISTINCT CAST(year AS VARCHAR), ',' ORDER BY CAST(year AS VARCHAR)) AS years,
  COUNT(*) AS reports,
  SUM(CASE WHEN is_current THEN 1 ELSE 0 END) AS current_reports
FROM reports
GROUP BY agency_key
ORDER BY agency_key
