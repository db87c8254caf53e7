#!/usr/bin/env python3
"""Runs xxgk's canned queries in DuckDB over the same Parquet files, for the benchmark harness
(examples/bench.rs). Input: a JSON file

    {"tables": {"report_wide": ["/abs/file.parquet", ...], ...},
     "views":  [["reason_shares", "SELECT ..."], ...],
     "queries": [["disclosure_rate_by_year", "SELECT ..."], ...],
     "runs": 3}

Each table becomes a DuckDB view over read_parquet of its committed files (the manifest's list,
hive partitioning off: the year is a column of every file); the views are created in order; each
query runs `runs` times and the median wall time (execute + fetch all rows) is printed as JSON:

    {"disclosure_rate_by_year": {"ms": 12.3, "rows": 7}, "x": {"error": "..."}, "_version": "2.0.1"}
"""
import json
import statistics
import sys
import time

import duckdb

spec = json.load(open(sys.argv[1], encoding="utf-8"))
con = duckdb.connect()
for name, files in spec["tables"].items():
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{listed}], hive_partitioning = false)')
for name, sql in spec["views"]:
    con.execute(f'CREATE VIEW "{name}" AS {sql}')
out = {"_version": duckdb.__version__}
for name, sql in spec["queries"]:
    times = []
    try:
        for _ in range(spec.get("runs", 3)):
            t = time.perf_counter()
            rows = con.execute(sql).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        out[name] = {"ms": statistics.median(times), "rows": len(rows)}
    except Exception as e:  # a query DuckDB's dialect does not take: reported, not fatal
        out[name] = {"error": str(e).splitlines()[0][:200]}
print(json.dumps(out))
