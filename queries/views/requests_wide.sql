-- title: 申请表宽表（每份报告每个申请人列一行）
-- about: Section 三 pivoted to one row per report × applicant column (col_id), with every row id as a column and the derived groups refused_total, unavailable_total, not_processed_total, other_total (the one （六） row, or the sum of the three 2021 sub-rows) and disclosed_total, the identity of the agency (agency_key, agency_name), and flagged_cells: the cells the report's error findings name, as |cell|cell| ('' when none), and flagged_mask, one bit per input pattern of the metric registry (query::wide::mask_patterns), which the metric templates test to leave flagged reports out of pooled figures. Blank cells count as 0 (format-spec §6). The value columns are generated from their one declaration in src/store/wide.rs.
-- stored: yes
WITH flagged AS (
  SELECT report_id, CONCAT('|', STRING_AGG(REPLACE(cells, ', ', '|'), '|'), '|') AS flagged_cells
  FROM findings
  WHERE severity = 'error' AND cells <> ''
  GROUP BY report_id
), flags AS (
  SELECT report_id, flagged_cells, {{mask flagged_cells}} AS flagged_mask FROM flagged
)
SELECT c.report_id, r.year, r.agency, r.agency_key, r.agency_name, r.level, r.era, c.col_id,
  {{requests_measures}},
  COALESCE(MAX(fl.flagged_cells), '') AS flagged_cells,
  COALESCE(MAX(fl.flagged_mask), CAST(0 AS BIGINT)) AS flagged_mask
FROM requests_cells c
JOIN reports r ON c.report_id = r.report_id
LEFT JOIN flags fl ON c.report_id = fl.report_id
GROUP BY c.report_id, r.year, r.agency, r.agency_key, r.agency_name, r.level, r.era, c.col_id
