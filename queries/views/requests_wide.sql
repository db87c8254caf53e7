-- title: 申请表宽表（每份报告每个申请人列一行）
-- about: Section 三 pivoted to one row per report × applicant column (col_id), with every row id as a column and the derived groups refused_total, unavailable_total, not_processed_total, other_total (the one （六） row, or the sum of the three 2021 sub-rows) and disclosed_total, the identity of the agency (agency_key, agency_name), and flagged_cells: the cells the report's error findings name, as |cell|cell| ('' when none), and flagged_mask, one bit per input pattern of the metric registry (query::wide::mask_patterns), which the metric templates test to leave flagged reports out of pooled figures. Blank cells count as 0 (format-spec §6).
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
  SUM(CASE WHEN c.row_id = 'new_received' THEN c.value END) AS new_received,
  SUM(CASE WHEN c.row_id = 'carried_over' THEN c.value END) AS carried_over,
  SUM(CASE WHEN c.row_id = 'granted' THEN c.value END) AS granted,
  SUM(CASE WHEN c.row_id = 'partially_granted' THEN c.value END) AS partially_granted,
  SUM(CASE WHEN c.row_id = 'granted' OR c.row_id = 'partially_granted' THEN c.value END) AS disclosed_total,
  SUM(CASE WHEN c.row_id = 'refused_state_secret' THEN c.value END) AS refused_state_secret,
  SUM(CASE WHEN c.row_id = 'refused_law_prohibited' THEN c.value END) AS refused_law_prohibited,
  SUM(CASE WHEN c.row_id = 'refused_security_stability' THEN c.value END) AS refused_security_stability,
  SUM(CASE WHEN c.row_id = 'refused_third_party_rights' THEN c.value END) AS refused_third_party_rights,
  SUM(CASE WHEN c.row_id = 'refused_internal_affairs' THEN c.value END) AS refused_internal_affairs,
  SUM(CASE WHEN c.row_id = 'refused_process_info' THEN c.value END) AS refused_process_info,
  SUM(CASE WHEN c.row_id = 'refused_enforcement_file' THEN c.value END) AS refused_enforcement_file,
  SUM(CASE WHEN c.row_id = 'refused_admin_query' THEN c.value END) AS refused_admin_query,
  SUM(CASE WHEN c.row_id IN ('refused_state_secret', 'refused_law_prohibited', 'refused_security_stability', 'refused_third_party_rights', 'refused_internal_affairs', 'refused_process_info', 'refused_enforcement_file', 'refused_admin_query') THEN c.value END) AS refused_total,
  SUM(CASE WHEN c.row_id = 'unavailable_not_held' THEN c.value END) AS unavailable_not_held,
  SUM(CASE WHEN c.row_id = 'unavailable_needs_creation' THEN c.value END) AS unavailable_needs_creation,
  SUM(CASE WHEN c.row_id = 'unavailable_unclear' THEN c.value END) AS unavailable_unclear,
  SUM(CASE WHEN c.row_id IN ('unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear') THEN c.value END) AS unavailable_total,
  SUM(CASE WHEN c.row_id = 'not_processed_petition' THEN c.value END) AS not_processed_petition,
  SUM(CASE WHEN c.row_id = 'not_processed_duplicate' THEN c.value END) AS not_processed_duplicate,
  SUM(CASE WHEN c.row_id = 'not_processed_publication' THEN c.value END) AS not_processed_publication,
  SUM(CASE WHEN c.row_id = 'not_processed_excessive' THEN c.value END) AS not_processed_excessive,
  SUM(CASE WHEN c.row_id = 'not_processed_confirmation' THEN c.value END) AS not_processed_confirmation,
  SUM(CASE WHEN c.row_id IN ('not_processed_petition', 'not_processed_duplicate', 'not_processed_publication', 'not_processed_excessive', 'not_processed_confirmation') THEN c.value END) AS not_processed_total,
  SUM(CASE WHEN c.row_id = 'other_correction_overdue' THEN c.value END) AS other_correction_overdue,
  SUM(CASE WHEN c.row_id = 'other_fee_unpaid' THEN c.value END) AS other_fee_unpaid,
  SUM(CASE WHEN c.row_id = 'other_misc' THEN c.value END) AS other_misc,
  CASE WHEN COUNT(CASE WHEN c.row_id IN ('other_correction_overdue', 'other_fee_unpaid', 'other_misc') THEN 1 END) > 0
       THEN SUM(CASE WHEN c.row_id IN ('other_correction_overdue', 'other_fee_unpaid', 'other_misc') THEN c.value END)
       ELSE SUM(CASE WHEN c.row_id = 'other_total' THEN c.value END) END AS other_total,
  SUM(CASE WHEN c.row_id = 'processed_total' THEN c.value END) AS processed_total,
  SUM(CASE WHEN c.row_id = 'carried_forward' THEN c.value END) AS carried_forward,
  COALESCE(MAX(fl.flagged_cells), '') AS flagged_cells,
  COALESCE(MAX(fl.flagged_mask), CAST(0 AS BIGINT)) AS flagged_mask
FROM requests_cells c
JOIN reports r ON c.report_id = r.report_id
LEFT JOIN flags fl ON c.report_id = fl.report_id
GROUP BY c.report_id, r.year, r.agency, r.agency_key, r.agency_name, r.level, r.era, c.col_id
