-- title: 办理结果结构（按年）
-- about: Every outcome category of section 三 per year, pooled: counts and their shares of 办理结果总计. partial_share (部分公开 ÷ 总计) is disclosure_rate − full_disclosure_rate. A report whose error findings name any outcome cell is left out of the whole row (counts and shares), so the shares add up to 1; --include-flagged keeps it.
-- params: from, to, agency, level
-- metrics: full_disclosure_rate, disclosure_rate, refusal_rate, unavailable_rate, not_processed_rate, other_rate
SELECT year, COUNT(*) AS reports,
  SUM(processed_total) AS processed,
  SUM(granted) AS granted,
  SUM(partially_granted) AS partially_granted,
  SUM(refused_total) AS refused,
  SUM(unavailable_total) AS unavailable,
  SUM(not_processed_total) AS not_processed,
  SUM(other_total) AS other,
  {{rate full_disclosure_rate}} AS full_disclosure_rate,
  {{rate disclosure_rate}} - {{rate full_disclosure_rate}} AS partial_share,
  {{rate refusal_rate}} AS refusal_rate,
  {{rate unavailable_rate}} AS unavailable_rate,
  {{rate not_processed_rate}} AS not_processed_rate,
  {{rate other_rate}} AS other_rate
FROM report_wide
WHERE {{ok full_disclosure_rate disclosure_rate refusal_rate unavailable_rate not_processed_rate other_rate}}
GROUP BY year
ORDER BY year
