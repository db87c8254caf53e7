-- title: 跨时期序列：2008–2018 年统计表
-- about: The legacy side of era_series: one row per report and mapped legacy row, the 本年度 figure of the legacy statistics table (2008–2018) as the 2019+ measure it maps onto, with the report's year (era_series adds the agency from reports; the trend query needs none, and reads no reports); flagged is 1 when the report's error findings name the figure's cell (legacy.<id> or legacy.<id>.year), 0 for all with --include-flagged. Every id of the mapping is generated from its one declaration (src/model/legacy.rs, LEGACY_MAPPING).
WITH errors AS (
  SELECT report_id, CONCAT('|', REPLACE(cells, ', ', '|'), '|') AS cells
  FROM findings
  WHERE severity = 'error' AND cells <> '' AND report_id IN (SELECT report_id FROM legacy)
), legacy_facts AS (
  SELECT l.report_id, l.row_id, MAX(l.year) AS year, MAX(l.year_value) AS value,
    MAX(CASE WHEN {{era_legacy_flagged l.row_id e.cells}} THEN 1 ELSE 0 END) AS flagged
  FROM legacy l
  LEFT JOIN errors e ON l.report_id = e.report_id
  WHERE l.row_id IN ({{era_legacy_ids}})
  GROUP BY l.report_id, l.row_id
)
SELECT l.report_id, l.year, {{era_measure l.row_id}} AS measure, l.value, l.flagged
FROM legacy_facts l
