-- title: 申请、答复与复议诉讼跨时期趋势（2018/2019 口径断点）
-- about: Per year and measure, the era_series figures summed over the selected reports (the legacy side from era_legacy, the 2019+ side from era_current_by_year, summed per year in one pass): applications (新收; legacy 受理), 予以公开, 部分公开, 不予公开, 行政复议 and 行政诉讼, from the legacy statistics table up to 2018 and the 2019+ tables after. series_era says whose figures a year holds ('legacy', '2019+', or 'mixed'); approximate is true when any of them is a legacy figure, which maps onto the 2019+ quantity only approximately; era_break is true on the first year with 2019+ figures of a measure that has legacy figures in earlier years: the series changes definition there (the chart dashes the line into it). Figures whose cells an error finding names are left out and counted in flagged_left_out (--include-flagged keeps them).
-- params: from, to, agency, level
WITH legacy_yearly AS (
  SELECT year, measure,
    SUM(CASE WHEN flagged = 1 THEN 0 ELSE 1 END) AS reports,
    SUM(CASE WHEN flagged = 1 THEN NULL ELSE value END) AS value,
    SUM(CASE WHEN flagged = 1 THEN 1 ELSE 0 END) AS flagged_left_out
  FROM era_legacy
  WHERE year IS NOT NULL
  GROUP BY year, measure
), both_eras AS (
  -- Every legacy figure counted is a legacy report's.
  SELECT year, measure, reports, value, reports AS legacy_reports, flagged_left_out FROM legacy_yearly
  UNION ALL
  SELECT year, measure, reports, value, 0 AS legacy_reports, flagged_left_out FROM era_current_by_year
), yearly AS (
  SELECT year, measure, {{era_label measure}} AS measure_label, {{era_order measure}} AS measure_ord,
    SUM(reports) AS reports, SUM(value) AS value, SUM(legacy_reports) AS legacy_reports,
    SUM(flagged_left_out) AS flagged_left_out
  FROM both_eras
  GROUP BY year, measure
), marked AS (
  -- The bounds of each measure as window minima over yearly: yearly is computed once (a join
  -- with a grouped copy of it computed it twice).
  SELECT year, measure, measure_label, measure_ord, reports, value, legacy_reports, flagged_left_out,
    MIN(CASE WHEN legacy_reports > 0 THEN year END) OVER (PARTITION BY measure) AS first_legacy,
    MIN(CASE WHEN reports > legacy_reports THEN year END) OVER (PARTITION BY measure) AS first_current
  FROM yearly
)
SELECT y.year, y.measure, y.measure_label, y.value, y.reports,
  CASE WHEN y.reports = 0 THEN NULL
       WHEN y.legacy_reports = y.reports THEN 'legacy'
       WHEN y.legacy_reports = 0 THEN '2019+'
       ELSE 'mixed' END AS series_era,
  y.legacy_reports > 0 AS approximate,
  COALESCE(y.first_legacy < y.first_current AND y.year = y.first_current, FALSE) AS era_break,
  y.flagged_left_out
FROM marked y
ORDER BY y.year, y.measure_ord
