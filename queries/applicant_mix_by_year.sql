-- title: 申请人结构（按年）
-- about: New applications (本年新收) per applicant type and year, pooled: count, share of all new applications (applicant_mix) and the share filed by 法人或其他组织 (org_applicant_share, the same for every row of a year).
-- params: from, to, agency, level
-- metrics: applicant_mix, org_applicant_share
WITH counts AS (
  SELECT year, col_id, SUM(CASE WHEN {{ok applicant_mix}} THEN new_received END) AS applications
  FROM requests_wide
  GROUP BY year, col_id
), totals AS (
  SELECT year,
    SUM(CASE WHEN col_id = 'total' THEN applications END) AS all_new,
    SUM(CASE WHEN col_id = 'natural_person' THEN applications END) AS natural_new
  FROM counts GROUP BY year
)
SELECT k.year, k.col_id AS applicant, l.label AS applicant_label, k.applications,
  CASE WHEN t.all_new > 0 THEN k.applications / t.all_new END AS applicant_mix,
  CASE WHEN t.all_new > 0 THEN (t.all_new - t.natural_new) / t.all_new END AS org_applicant_share
FROM counts k
JOIN totals t ON k.year = t.year
JOIN labels l ON l.id = k.col_id
WHERE k.col_id <> 'total'
ORDER BY k.year, l.ord
