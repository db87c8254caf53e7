-- title: 报告目录
-- about: Every report in the selection: agency, year, level, format era, source file, how many facts were read and how many findings it has.
-- params: from, to, agency, level
-- metrics:
SELECT agency_name AS agency, agency_key, division_code, year, level, era, source_path, source_format, fact_count, error_count, warning_count, report_id, agency AS agency_as_printed
FROM reports
WHERE is_current
ORDER BY year, agency_name, report_id
