-- title: 行政复议、行政诉讼结果（按年）
-- about: Section 四 per year and block (行政复议, 未经复议直接起诉, 复议后起诉), pooled: upheld, corrected, other, pending, total, the correction rate over decided cases K ÷ (M + K + E) (review_correction_rate for 行政复议, litigation_correction_rate per block for the suits) and over all cases K ÷ S (review_correction_rate_all).
-- params: from, to, agency, level
-- metrics: review_correction_rate, review_correction_rate_all, litigation_correction_rate
WITH sums AS (
  SELECT year,
    SUM(review_upheld) AS ru, SUM(review_corrected) AS rc, SUM(review_other) AS ro, SUM(review_pending) AS rp, SUM(review_total) AS rt,
    SUM(litigation_direct_upheld) AS du, SUM(litigation_direct_corrected) AS dc, SUM(litigation_direct_other) AS do_, SUM(litigation_direct_pending) AS dp, SUM(litigation_direct_total) AS dt,
    SUM(litigation_after_review_upheld) AS au, SUM(litigation_after_review_corrected) AS ac, SUM(litigation_after_review_other) AS ao, SUM(litigation_after_review_pending) AS ap, SUM(litigation_after_review_total) AS at_
  FROM report_wide
  GROUP BY year
), blocks AS (
  SELECT year, 'review' AS block, 1 AS ord, ru AS upheld, rc AS corrected, ro AS other, rp AS pending, rt AS total FROM sums
  UNION ALL
  SELECT year, 'litigation_direct' AS block, 2 AS ord, du, dc, do_, dp, dt FROM sums
  UNION ALL
  SELECT year, 'litigation_after_review' AS block, 3 AS ord, au, ac, ao, ap, at_ FROM sums
)
SELECT b.year, b.block, l.label AS block_label,
  b.upheld, b.corrected, b.other, b.pending, b.total,
  CASE WHEN b.upheld + b.corrected + b.other > 0
       THEN b.corrected / (b.upheld + b.corrected + b.other) END AS correction_rate,
  CASE WHEN b.total > 0 THEN b.corrected / b.total END AS correction_rate_all
FROM blocks b
JOIN labels l ON l.id = b.block
ORDER BY b.year, b.ord
