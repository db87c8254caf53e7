#!/usr/bin/env python3
"""Runs xxgk's canned queries in DuckDB over the same Parquet files, for the benchmark harness
(examples/bench.rs). Input: a JSON file

    {"setup": ["CREATE OR REPLACE TEMPORARY VIEW ...", ...],
     "queries": [["disclosure_rate_by_year", "SELECT ..."], ...],
     "runs": 3}

The setup and the queries are those of `xxgk query NAME --emit-sql duckdb` (src/query/emit.rs):
a view per table over read_parquet of its committed files, then the views xxgk presents; each
query in DuckDB's dialect. Each query runs `runs` times and the median wall time (execute +
fetch all rows) is printed as JSON:

    {"disclosure_rate_by_year": {"ms": 12.3, "rows": 7}, "x": {"error": "..."}, "_version": "2.0.1"}
"""
import json
import statistics
import sys
import time

import duckdb

spec = json.load(open(sys.argv[1], encoding="utf-8"))
con = duckdb.connect()
for sql in spec["setup"]:
    con.execute(sql)
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
