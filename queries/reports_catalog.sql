-- title: 报告目录
-- about: Every report in the selection: agency, year, level, format era, source file, how many facts were read and how many findings it has.
-- params: from, to, agency, level
-- metrics:
SELECT agency, year, level, era, source_path, source_format, fact_count, error_count, warning_count, report_id
FROM reports
ORDER BY year, agency
