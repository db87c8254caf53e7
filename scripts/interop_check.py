"""Reads an xxgk warehouse and output files the way an analyst would, and prints what it saw.

Usage: interop_check.py WAREHOUSE [CSV_FILE ...]

For every table folder named in manifest.json: pandas.read_parquet(folder) and
polars.read_parquet(folder/**/*.parquet) must give the manifest's row count, and `year` (where
the table has one) must come out as an integer column. Every CSV file must open in pandas and
polars with its first header intact (a UTF-8 BOM is not part of the name). Prints one JSON object;
exits 1 on any failure.
"""

import json
import pathlib
import sys

import pandas
import polars


def main() -> int:
    wh = pathlib.Path(sys.argv[1])
    manifest = json.loads((wh / "manifest.json").read_text(encoding="utf-8"))
    rows: dict[str, int] = {}
    for entry in manifest["files"]:
        rows[entry["table"]] = rows.get(entry["table"], 0) + entry["rows"]
    report = {"versions": {"pandas": pandas.__version__, "polars": polars.__version__}, "tables": {}, "csv": {}}
    failures = []
    for table, expected in sorted(rows.items()):
        folder = wh / table
        seen = {}
        try:
            pdf = pandas.read_parquet(folder)
            seen["pandas_rows"] = len(pdf)
            if "year" in pdf.columns:
                seen["pandas_year"] = str(pdf["year"].dtype)
                if not pandas.api.types.is_integer_dtype(pdf["year"].dtype):
                    failures.append(f"{table}: pandas reads year as {pdf['year'].dtype}")
        except Exception as e:  # noqa: BLE001 - reported, not hidden
            failures.append(f"{table}: pandas.read_parquet failed: {e}")
        try:
            pl = polars.read_parquet(str(folder / "**" / "*.parquet"))
            seen["polars_rows"] = pl.height
            if "year" in pl.columns:
                seen["polars_year"] = str(pl["year"].dtype)
                if not pl["year"].dtype.is_integer():
                    failures.append(f"{table}: polars reads year as {pl['year'].dtype}")
        except Exception as e:  # noqa: BLE001
            failures.append(f"{table}: polars.read_parquet failed: {e}")
        for reader in ("pandas_rows", "polars_rows"):
            if reader in seen and seen[reader] != expected:
                failures.append(f"{table}: {reader} {seen[reader]} != manifest {expected}")
        report["tables"][table] = seen
    for csv in sys.argv[2:]:
        pdf = pandas.read_csv(csv)
        pl = polars.read_csv(csv)
        first = (str(pdf.columns[0]), pl.columns[0])
        report["csv"][pathlib.Path(csv).name] = first
        if any(name.startswith("\ufeff") for name in first):
            failures.append(f"{csv}: the BOM is read as part of the first header {first!r}")
    report["failures"] = failures
    print(json.dumps(report, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
