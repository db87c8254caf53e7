-- title: 跨时期序列：2019 年起（按年）
-- about: The 2019+ side of era_series summed per year and measure in one pass over report_wide (no row per report and measure): reports (those whose error findings name no input of the measure's cells), value (their sum), flagged_left_out (the others; 0 with --include-flagged). The measures and their cells are generated from LEGACY_MAPPING (src/model/legacy.rs), as era_series' are.
WITH sums AS (
  SELECT year, COUNT(*) AS report_rows,
    {{era_current_sums}}
  FROM report_wide
  WHERE year IS NOT NULL
  GROUP BY year
), unpivoted AS (
  {{era_current_unpivot sums}}
)
SELECT year, measure, reports, value, report_rows - reports AS flagged_left_out
FROM unpivoted
