-- title: 申请、答复与复议诉讼跨时期趋势（2018/2019 口径断点）
-- about: Per year and measure, the era_series figures summed over the selected reports: applications (新收; legacy 受理), 予以公开, 部分公开, 不予公开, 行政复议 and 行政诉讼, from the legacy statistics table up to 2018 and the 2019+ tables after. series_era says whose figures a year holds ('legacy', '2019+', or 'mixed'); approximate is true when any of them is a legacy figure, which maps onto the 2019+ quantity only approximately; era_break is true on the first year with 2019+ figures of a measure that has legacy figures in earlier years: the series changes definition there (the chart dashes the line into it). Figures whose cells an error finding names are left out and counted in flagged_left_out (--include-flagged keeps them).
-- params: from, to, agency, level
WITH yearly AS (
  SELECT year, measure, MIN(measure_label) AS measure_label, MIN(measure_ord) AS measure_ord,
    SUM(CASE WHEN flagged THEN 0 ELSE 1 END) AS reports,
    SUM(CASE WHEN flagged THEN NULL ELSE value END) AS value,
    SUM(CASE WHEN approximate AND NOT flagged THEN 1 ELSE 0 END) AS legacy_reports,
    SUM(CASE WHEN flagged THEN 1 ELSE 0 END) AS flagged_left_out
  FROM era_series
  WHERE year IS NOT NULL
  GROUP BY year, measure
), bounds AS (
  SELECT measure,
    MIN(CASE WHEN legacy_reports > 0 THEN year END) AS first_legacy,
    MIN(CASE WHEN reports > legacy_reports THEN year END) AS first_current
  FROM yearly
  GROUP BY measure
)
SELECT y.year, y.measure, y.measure_label, y.value, y.reports,
  CASE WHEN y.reports = 0 THEN NULL
       WHEN y.legacy_reports = y.reports THEN 'legacy'
       WHEN y.legacy_reports = 0 THEN '2019+'
       ELSE 'mixed' END AS series_era,
  y.legacy_reports > 0 AS approximate,
  COALESCE(b.first_legacy < b.first_current AND y.year = b.first_current, FALSE) AS era_break,
  y.flagged_left_out
FROM yearly y
JOIN bounds b ON y.measure = b.measure
ORDER BY y.year, y.measure_ord
