-- title: 办结与结转（按年）
-- about: Intake, concluded and carried-forward applications per year, pooled, with the completion rate T ÷ (N + C) and the carry-over rate F ÷ (N + C). The template has no timeliness data: carry-over is the backlog proxy. A report whose error findings name N, C, T or F is left out of the whole row.
-- params: from, to, agency, level
-- metrics: completion_rate, carryover_rate
SELECT year, COUNT(*) AS reports,
  SUM(new_received) AS new_received,
  SUM(carried_over) AS carried_over,
  SUM(processed_total) AS processed,
  SUM(carried_forward) AS carried_forward,
  {{rate completion_rate}} AS completion_rate,
  {{rate carryover_rate}} AS carryover_rate
FROM report_wide
WHERE {{ok completion_rate carryover_rate}}
GROUP BY year
ORDER BY year
