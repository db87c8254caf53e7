-- title: 勾稽检查明细
-- about: Every finding with its report: agency, year, severity, rule, identity, the cells it names, expected and printed values, and the message. Errors first.
-- params: from, to, agency, level
-- metrics:
SELECT r.agency_name AS agency, r.year, f.severity, f.rule, f.identity, f.cells, f.expected, f.actual, f.message, r.source_path, f.related_report_id
FROM findings f
JOIN reports r ON f.report_id = r.report_id
ORDER BY f.severity, r.year, r.agency_name, f.rule, f.cells, f.message
