-- title: 行政复议、行政诉讼结果（按年）
-- about: Section 四 per year and block (行政复议, 未经复议直接起诉, 复议后起诉), pooled: upheld, corrected, other, pending, total, the correction rate over decided cases K ÷ (M + K + E) (review_correction_rate for 行政复议, litigation_correction_rate per block for the suits) and over all cases K ÷ S (review_correction_rate_all). Each block's sums leave out the reports whose error findings name a cell of the block (--include-flagged keeps them).
-- params: from, to, agency, level
-- metrics: review_correction_rate, review_correction_rate_all, litigation_correction_rate
WITH flags AS (
  SELECT *,
    {{ok review_upheld review_corrected review_other review_pending review_total}} AS review_ok,
    {{ok litigation_direct_upheld litigation_direct_corrected litigation_direct_other litigation_direct_pending litigation_direct_total}} AS litigation_direct_ok,
    {{ok litigation_after_review_upheld litigation_after_review_corrected litigation_after_review_other litigation_after_review_pending litigation_after_review_total}} AS litigation_after_review_ok
  FROM report_wide
), sums AS (
  SELECT year,
    SUM(CASE WHEN review_ok THEN review_upheld END) AS ru,
    SUM(CASE WHEN review_ok THEN review_corrected END) AS rc,
    SUM(CASE WHEN review_ok THEN review_other END) AS ro,
    SUM(CASE WHEN review_ok THEN review_pending END) AS rp,
    SUM(CASE WHEN review_ok THEN review_total END) AS rt,
    SUM(CASE WHEN litigation_direct_ok THEN litigation_direct_upheld END) AS du,
    SUM(CASE WHEN litigation_direct_ok THEN litigation_direct_corrected END) AS dc,
    SUM(CASE WHEN litigation_direct_ok THEN litigation_direct_other END) AS do_,
    SUM(CASE WHEN litigation_direct_ok THEN litigation_direct_pending END) AS dp,
    SUM(CASE WHEN litigation_direct_ok THEN litigation_direct_total END) AS dt,
    SUM(CASE WHEN litigation_after_review_ok THEN litigation_after_review_upheld END) AS au,
    SUM(CASE WHEN litigation_after_review_ok THEN litigation_after_review_corrected END) AS ac,
    SUM(CASE WHEN litigation_after_review_ok THEN litigation_after_review_other END) AS ao,
    SUM(CASE WHEN litigation_after_review_ok THEN litigation_after_review_pending END) AS ap,
    SUM(CASE WHEN litigation_after_review_ok THEN litigation_after_review_total END) AS at_
  FROM flags
  GROUP BY year
), blocks AS (
  SELECT s.year, m.block, m.ord,
    CASE WHEN m.block = 'review' THEN s.ru WHEN m.block = 'litigation_direct' THEN s.du WHEN m.block = 'litigation_after_review' THEN s.au END AS upheld,
    CASE WHEN m.block = 'review' THEN s.rc WHEN m.block = 'litigation_direct' THEN s.dc WHEN m.block = 'litigation_after_review' THEN s.ac END AS corrected,
    CASE WHEN m.block = 'review' THEN s.ro WHEN m.block = 'litigation_direct' THEN s.do_ WHEN m.block = 'litigation_after_review' THEN s.ao END AS other,
    CASE WHEN m.block = 'review' THEN s.rp WHEN m.block = 'litigation_direct' THEN s.dp WHEN m.block = 'litigation_after_review' THEN s.ap END AS pending,
    CASE WHEN m.block = 'review' THEN s.rt WHEN m.block = 'litigation_direct' THEN s.dt WHEN m.block = 'litigation_after_review' THEN s.at_ END AS total
  FROM sums s
  CROSS JOIN (VALUES ('review', 1), ('litigation_direct', 2), ('litigation_after_review', 3)) AS m(block, ord)
)
SELECT b.year, b.block, l.label AS block_label,
  b.upheld, b.corrected, b.other, b.pending, b.total,
  CASE WHEN b.upheld + b.corrected + b.other > 0
       THEN b.corrected / (b.upheld + b.corrected + b.other) END AS correction_rate,
  CASE WHEN b.total > 0 THEN b.corrected / b.total END AS correction_rate_all
FROM blocks b
JOIN labels l ON l.id = b.block
ORDER BY b.year, b.ord

