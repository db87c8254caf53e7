#!/usr/bin/env python3
"""Documented check: DuckDB, reading the warehouse's Parquet files with plain SQL written from the
SCHEMA.md ids and METRICS.md formulas, gives the same disclosure_rate_by_year as xxgk.

The same rules, written independently here: only current versions count (reports named in
versions/ are superseded), and a report whose error findings name a cell of the rate's inputs
(rows granted, partially_granted, processed_total of section 三, or the whole table) is left out
of the rate (but still counted in `reports`).

    xxgk query disclosure_rate_by_year --warehouse WH --format csv --out xxgk.csv
    python3 scripts/duckdb_check.py WH xxgk.csv

Needs `pip install duckdb`. Exits 1 on any difference.
"""
import csv
import sys

import duckdb

wh, xxgk_csv = sys.argv[1], sys.argv[2]
sql = f"""
WITH totals AS (  -- the 总计 column, or the sum of the applicant columns where 总计 is blank
  SELECT report_id, row_id,
         COALESCE(MAX(CASE WHEN col_id = 'total' THEN value END),
                  SUM(CASE WHEN col_id <> 'total' THEN value END)) AS value
  FROM read_parquet('{wh}/facts/*/*.parquet', hive_partitioning = false)
  WHERE "table" = 'requests'
  GROUP BY report_id, row_id
), superseded AS (
  SELECT report_id FROM read_parquet('{wh}/versions/*.parquet')
), flagged AS (  -- error findings on a cell of rows granted, partially_granted, processed_total
  SELECT DISTINCT report_id
  FROM read_parquet('{wh}/findings/*/*.parquet', hive_partitioning = false),
       unnest(string_split(cells, ', ')) AS c(cell)
  WHERE severity = 'error'
    AND (cell = 'requests' OR split_part(cell, '.', 1) = 'requests'
         AND split_part(cell, '.', 2) IN ('granted', 'partially_granted', 'processed_total'))
), per_report AS (
  SELECT r.year, r.report_id IN (SELECT report_id FROM flagged) AS is_flagged,
         SUM(CASE WHEN t.row_id IN ('granted', 'partially_granted') THEN t.value ELSE 0 END) AS disclosed,
         SUM(CASE WHEN t.row_id = 'processed_total' THEN t.value ELSE 0 END) AS processed
  FROM totals t JOIN read_parquet('{wh}/reports/*.parquet') r USING (report_id)
  WHERE r.report_id NOT IN (SELECT report_id FROM superseded)
  GROUP BY r.report_id, r.year
)
SELECT year, COUNT(*) AS reports,
       SUM(CASE WHEN NOT is_flagged THEN disclosed END) AS disclosed,
       SUM(CASE WHEN NOT is_flagged THEN processed END) AS processed,
       CASE WHEN SUM(CASE WHEN NOT is_flagged THEN processed END) > 0
            THEN SUM(CASE WHEN NOT is_flagged THEN disclosed END) / SUM(CASE WHEN NOT is_flagged THEN processed END) END
            AS disclosure_rate
FROM per_report GROUP BY year ORDER BY year
"""
duck = duckdb.sql(sql).fetchall()
with open(xxgk_csv, encoding="utf-8-sig") as f:
    ours = list(csv.DictReader(f))
problems = []
if len(duck) != len(ours):
    problems.append(f"{len(duck)} years in DuckDB, {len(ours)} in xxgk")
for d, x in zip(duck, ours):
    year, reports, disclosed, processed, rate = d
    if int(x["year"]) != year or int(x["reports"]) != reports:
        problems.append(f"year/reports differ: duckdb {year}/{reports}, xxgk {x['year']}/{x['reports']}")
    if float(x["disclosed"]) != disclosed or float(x["processed"]) != processed:
        problems.append(f"{year}: duckdb {disclosed}/{processed}, xxgk {x['disclosed']}/{x['processed']}")
    ours_rate = float(x["disclosure_rate"]) if x["disclosure_rate"] else None
    if (rate is None) != (ours_rate is None) or (rate is not None and abs(rate - ours_rate) > 1e-12):
        problems.append(f"{year}: disclosure_rate duckdb {rate}, xxgk {ours_rate}")
    print(f"{year}: reports {reports}, disclosed {disclosed:g} / processed {processed:g} = {rate}  (xxgk {x['disclosure_rate']})")
if problems:
    print("DIFFERENT:\n" + "\n".join(problems))
    sys.exit(1)
print(f"same disclosure_rate_by_year in DuckDB {duckdb.__version__} and xxgk ({len(duck)} years)")
