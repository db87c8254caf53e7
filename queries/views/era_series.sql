-- title: 跨时期序列（2008–2018 年统计表与 2019 年起的表）
-- about: One row per report and measure across the 2018/2019 break: the 本年度 figures of the legacy statistics table (2008–2018) whose row maps onto a 2019+ quantity (era_legacy), and those quantities in 2019+ reports (report_wide), with the report's agency, year and era. measure is the 2019+ id (new_received, granted, partially_granted, refused_total, review_total, litigation_total = both litigation totals), measure_label its display name, measure_ord its place in the mapping; series_era is 'legacy' or '2019+'; approximate is true for every legacy figure (the mapping is approximate; SCHEMA.md says how for each row); flagged is true when the report's error findings name the figure's cells (legacy.<id>, or the inputs of the 2019+ columns), false for all with --include-flagged. Every id of the mapping is generated from its one declaration (src/model/legacy.rs, LEGACY_MAPPING).
WITH current_facts AS (
  {{era_current}}
), series AS (
  SELECT l.report_id, r.agency, r.agency_key, r.agency_name, r.level, r.year, r.era, l.measure, l.value,
    'legacy' AS series_era, l.flagged
  FROM era_legacy l
  JOIN reports r ON l.report_id = r.report_id
  UNION ALL
  SELECT report_id, agency, agency_key, agency_name, level, year, era, measure, value, '2019+' AS series_era, flagged
  FROM current_facts
)
SELECT report_id, agency, agency_key, agency_name, level, year, era,
  measure, {{era_label measure}} AS measure_label, {{era_order measure}} AS measure_ord,
  value, series_era, series_era = 'legacy' AS approximate, flagged = 1 AS flagged
FROM series
