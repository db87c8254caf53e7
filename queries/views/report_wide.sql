-- title: 报告宽表（每份报告一行）
-- about: One row per report: its section 三 totals (the 总计 column of requests_wide), the 15 section 四 cells the 16 reason rows of 不予公开/无法提供/不予处理, and the section 二 cells used by the metric registry. Blank cells count as 0. The value columns are generated from their one declaration in src/store/wide.rs.
-- stored: yes
WITH appeals AS (
  SELECT report_id,
    {{appeals_measures}}
  FROM facts WHERE "table" = 'appeals' GROUP BY report_id
), proactive AS (
  SELECT report_id,
    {{proactive_measures}}
  FROM facts WHERE "table" = 'proactive' GROUP BY report_id
)
SELECT w.report_id, w.year, w.agency, w.agency_key, w.agency_name, w.level, w.era,
  {{report_columns}},
  w.flagged_cells, w.flagged_mask
FROM requests_wide w
LEFT JOIN appeals a ON w.report_id = a.report_id
LEFT JOIN proactive p ON w.report_id = p.report_id
WHERE w.col_id = 'total'
