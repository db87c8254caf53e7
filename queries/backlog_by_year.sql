-- title: 办结与结转（按年）
-- about: Intake, concluded and carried-forward applications per year, pooled, with the completion rate T ÷ (N + C) and the carry-over rate F ÷ (N + C). The template has no timeliness data: carry-over is the backlog proxy.
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
GROUP BY year
ORDER BY year
