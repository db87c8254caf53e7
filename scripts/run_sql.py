#!/usr/bin/env python3
"""Runs SQL scripts written by `xxgk query NAME --emit-sql duckdb|spark` and writes the result of
each script's last statement as JSON, for tests/it/spark.rs:

    run_sql.py duckdb|spark OUT.json SCRIPT.sql...

Every script runs in one session (Spark: one local-mode session for all of them, so the JVM
starts once), statement by statement (split at `;` outside quotes and comments); a CREATE OR
REPLACE or SET statement an earlier script ran already is not run again. OUT.json:

    {"_version": "4.3.0", "disclosure_rate_by_year": {"columns": [...], "rows": [[...], ...]},
     "x": {"error": "..."}}

keyed by each script's file name without `.sql`. Decimals become floats, dates and times strings.
"""
import datetime
import decimal
import json
import os
import sys


def statements(text):
    """The statements of a script: split at `;` outside '…' strings, "…" names and -- comments."""
    out, current, i, quote = [], [], 0, None
    while i < len(text):
        c = text[i]
        if quote:
            current.append(c)
            if c == "\\" and quote == "'" and engine == "spark" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"`":
            quote = c
            current.append(c)
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif c == ";":
            out.append("".join(current).strip())
            current = []
        else:
            current.append(c)
        i += 1
    out.append("".join(current).strip())
    return [s for s in out if s]


def plain(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


engine, out_path, scripts = sys.argv[1], sys.argv[2], sys.argv[3:]
if engine == "spark":
    from pyspark.sql import SparkSession
    import pyspark

    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    version = pyspark.__version__

    def run(sql):
        df = session.sql(sql)
        return df.columns, [list(r) for r in df.collect()]
else:
    import duckdb

    con = duckdb.connect()
    version = duckdb.__version__

    def run(sql):
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, [list(r) for r in cur.fetchall()]

results = {"_version": version}
done = set()
for path in scripts:
    name = os.path.basename(path)[: -len(".sql")]
    try:
        columns, rows = [], []
        for sql in statements(open(path, encoding="utf-8").read()):
            # The scripts share their setup: a view made by the same statement is there already.
            if sql.upper().startswith(("CREATE OR REPLACE", "SET ")) and sql in done:
                continue
            done.add(sql)
            columns, rows = run(sql)
        results[name] = {"columns": columns, "rows": [[plain(v) for v in r] for r in rows]}
    except Exception as e:  # a statement the engine refuses: reported for this script, not fatal
        # Py4J puts the Java exception on the lines after its own; leave out the stack.
        lines = [l.strip() for l in str(e).splitlines() if l.strip() and not l.strip().startswith("at ")]
        results[name] = {"error": " ".join(lines[:2])[:600]}
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(results, f, ensure_ascii=False)
