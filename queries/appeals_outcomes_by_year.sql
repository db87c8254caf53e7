-- title: 行政复议、行政诉讼结果（按年）
-- about: Section 四 per year and block (行政复议, 未经复议直接起诉, 复议后起诉), pooled: upheld, corrected, other, pending, total, the correction rate over decided cases K ÷ (M + K + E) (review_correction_rate for 行政复议, litigation_correction_rate per block for the suits) and over all cases K ÷ S (review_correction_rate_all).
-- params: from, to, agency, level
-- metrics: review_correction_rate, review_correction_rate_all, litigation_correction_rate
WITH blocks AS (
  SELECT year, 'review' AS block, 1 AS ord, review_upheld AS upheld, review_corrected AS corrected, review_other AS other, review_pending AS pending, review_total AS total FROM report_wide
  UNION ALL
  SELECT year, 'litigation_direct' AS block, 2 AS ord, litigation_direct_upheld, litigation_direct_corrected, litigation_direct_other, litigation_direct_pending, litigation_direct_total FROM report_wide
  UNION ALL
  SELECT year, 'litigation_after_review' AS block, 3 AS ord, litigation_after_review_upheld, litigation_after_review_corrected, litigation_after_review_other, litigation_after_review_pending, litigation_after_review_total FROM report_wide
)
SELECT b.year, b.block, l.label AS block_label,
  SUM(b.upheld) AS upheld, SUM(b.corrected) AS corrected, SUM(b.other) AS other, SUM(b.pending) AS pending, SUM(b.total) AS total,
  CASE WHEN SUM(b.upheld) + SUM(b.corrected) + SUM(b.other) > 0
       THEN SUM(b.corrected) / (SUM(b.upheld) + SUM(b.corrected) + SUM(b.other)) END AS correction_rate,
  CASE WHEN SUM(b.total) > 0 THEN SUM(b.corrected) / SUM(b.total) END AS correction_rate_all
FROM blocks b
JOIN labels l ON l.id = b.block
GROUP BY b.year, b.block, l.label, b.ord
ORDER BY b.year, b.ord
