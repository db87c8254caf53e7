#!/usr/bin/env python3
"""Documented check: DuckDB, reading the warehouse's Parquet files with plain SQL written from the
SCHEMA.md ids and METRICS.md formulas, gives the same disclosure_rate_by_year as xxgk.

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
), per_report AS (
  SELECT r.year,
         SUM(CASE WHEN t.row_id IN ('granted', 'partially_granted') THEN t.value ELSE 0 END) AS disclosed,
         SUM(CASE WHEN t.row_id = 'processed_total' THEN t.value ELSE 0 END) AS processed
  FROM totals t JOIN read_parquet('{wh}/reports/*.parquet') r USING (report_id)
  GROUP BY r.report_id, r.year
)
SELECT year, COUNT(*) AS reports, SUM(disclosed) AS disclosed, SUM(processed) AS processed,
       CASE WHEN SUM(processed) > 0 THEN SUM(disclosed) / SUM(processed) END AS disclosure_rate
FROM per_report GROUP BY year ORDER BY year
"""
duck = duckdb.sql(sql).fetchall()
with open(xxgk_csv, encoding="utf-8") as f:
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
