-- title: 勾稽检查结果（按规则）
-- about: Findings per rule: how many findings and how many reports, by severity. Error rules are identities the template implies (format-spec §5) or unreadable cells; warnings are prose ↔ table checks, plausibility and reader placements.
-- params: from, to, agency, level
-- metrics:
SELECT rule, identity, severity, COUNT(*) AS findings, COUNT(DISTINCT report_id) AS reports
FROM findings
GROUP BY rule, identity, severity
ORDER BY severity, rule
