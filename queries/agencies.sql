-- title: 机关目录（机关标识）
-- about: One row per agency key: the canonical name, division code, level and body, how the identity was established (division table, central, name only, ambiguous, --meta), every name its reports print, its years and its reports (current versions: reports of one key and year are versions of one report; the superseded ones are in the versions table).
-- params: from, to, agency, level
-- metrics:
SELECT agency_key, MAX(agency_name) AS agency_name, MAX(division_code) AS division_code, MAX(level) AS level,
  MAX(body) AS body, MAX(agency_resolution) AS resolution,
  STRING_AGG(DISTINCT agency, ' | ' ORDER BY agency) AS names_as_printed,
  STRING_AGG(DISTINCT CAST(year AS VARCHAR), ',' ORDER BY CAST(year AS VARCHAR)) AS years,
  COUNT(*) AS reports
FROM reports
WHERE is_current
GROUP BY agency_key
ORDER BY agency_key
