-- title: 申请表单元格（总计列补全）
-- about: Section 三 cells, one row per report × row × applicant column. Where a report leaves a row's 总计 blank but prints its applicant columns, the 总计 used here is their sum (is_derived = true, format-spec §6); printed cells stay as printed.
SELECT report_id, row_id, col_id, value, FALSE AS is_derived
FROM facts
WHERE "table" = 'requests' AND col_id <> 'total'
UNION ALL
SELECT report_id, row_id, 'total' AS col_id,
       COALESCE(MAX(CASE WHEN col_id = 'total' THEN value END), SUM(CASE WHEN col_id <> 'total' THEN value END)) AS value,
       MAX(CASE WHEN col_id = 'total' THEN value END) IS NULL AS is_derived
FROM facts
WHERE "table" = 'requests'
GROUP BY report_id, row_id
