-- title: 实质公开率（按机关、年度）
-- about: Disclosure rate of each agency in each year, with its denominator so small bases are visible.
-- params: from, to, agency, level
-- metrics: disclosure_rate, full_disclosure_rate
SELECT agency_name AS agency, agency_key, level, year, COUNT(*) AS reports,
  {{num disclosure_rate}} AS disclosed,
  {{den disclosure_rate}} AS processed,
  {{rate disclosure_rate}} AS disclosure_rate,
  {{rate full_disclosure_rate}} AS full_disclosure_rate
FROM report_wide
GROUP BY agency_key, agency_name, level, year
ORDER BY year, agency
