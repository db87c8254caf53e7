-- title: 实质公开率（按年）
-- about: Pooled disclosure rate per year over the selected reports: Σ(予以公开 + 部分公开) ÷ Σ(办理结果总计), and the full-disclosure rate Σ予以公开 ÷ Σ总计. NA (empty) where the denominator is 0.
-- params: from, to, agency, level
-- metrics: disclosure_rate, full_disclosure_rate
SELECT year, COUNT(*) AS reports,
  {{num disclosure_rate}} AS disclosed,
  {{den disclosure_rate}} AS processed,
  {{rate disclosure_rate}} AS disclosure_rate,
  {{rate full_disclosure_rate}} AS full_disclosure_rate
FROM report_wide
GROUP BY year
ORDER BY year
