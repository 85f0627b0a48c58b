"""cases/taxonomy.yml → Taxonomy: the problem types, cities and districts cases may name.

A new problem type, city or district is an edit of that file alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


from . import yamlfm
from .problems import Problem, error

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITYWIDE = "全市"  # the district of a city-wide programme


@dataclass(frozen=True)
class ProblemType:
    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class District:
    name: str
    slug: str
    city_name: str
    city_slug: str
    home: bool = False  # a district of the academy's own city (the taxonomy's first)
    manages: tuple[str, ...] = ()  # streets a functional zone manages that the division codes list elsewhere

    @property
    def key(self) -> str:
        """Unique across cities: used in URLs and finder filters."""
        return f"{self.city_slug}/{self.slug}"

    @property
    def shown(self) -> bool:
        """Whether readers see the district's name after the city's: not for a county-level city (太仓市, the
        district is the city itself), nor for another city's 全市 (南京市 reads better than 南京市·全市)."""
        return not (self.name == self.city_name or (self.name == CITYWIDE and not self.home))

    @property
    def label(self) -> str:
        return f"{self.city_name}·{self.name}" if self.shown else self.city_name


@dataclass(frozen=True)
class City:
    name: str
    slug: str
    districts: tuple[District, ...] = field(default_factory=tuple)

    def district(self, value: str) -> District | None:
        return next((d for d in self.districts if value in (d.name, d.slug)), None)


@dataclass(frozen=True)
class Taxonomy:
    problem_types: tuple[ProblemType, ...]
    cities: tuple[City, ...]

    def problem_type(self, value: str) -> ProblemType | None:
        return next((p for p in self.problem_types if value in (p.name, p.slug)), None)

    def city(self, value: str) -> City | None:
        return next((c for c in self.cities if value in (c.name, c.slug)), None)

    def districts(self) -> list[District]:
        return [d for c in self.cities for d in c.districts]

    def find_district(self, value: str) -> list[District]:
        return [d for d in self.districts() if value in (d.name, d.slug)]


def load_taxonomy(path: Path) -> tuple[Taxonomy | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [error(path, 1, "taxonomy", detail="文件不存在 / file not found")]
    except UnicodeDecodeError:
        return None, [error(path, 1, "taxonomy", detail="不是 UTF-8 / not UTF-8")]
    try:
        data, lines = yamlfm.parse(text)
    except yamlfm.LOAD_ERRORS as exc:
        line = yamlfm.error_line(exc)
        return None, [error(path, line, "taxonomy", detail=str(getattr(exc, "problem", exc)))]
    problems: list[Problem] = []

    def where(*key):
        return lines.get(key, 0) + 1

    def entries(items, key, label):
        if not isinstance(items, list) or not items:
            problems.append(error(path, where(*key), "taxonomy", detail=f"{label} 必须是非空列表 / must be a non-empty list"))
            return []
        good = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("slug"), str):
                problems.append(error(path, where(*key, i), "taxonomy", detail=f"{label} 的每一项都要有 name 和 slug / every entry needs name and slug"))
            elif not SLUG_RE.match(item["slug"]):
                problems.append(error(path, where(*key, i, "slug"), "taxonomy", detail=f"slug “{item['slug']}” 只能用小写字母、数字和连字符 / bad slug"))
            else:
                good.append((i, item))
        for kind in ("name", "slug"):
            seen = set()
            for i, item in good:
                if item[kind] in seen:
                    problems.append(error(path, where(*key, i, kind), "taxonomy", detail=f"重复的 {kind} “{item[kind]}” / duplicate {kind}"))
                seen.add(item[kind])
        return good

    if not isinstance(data, dict):
        return None, [error(path, 1, "taxonomy", detail="需要 problem_types 和 cities / needs problem_types and cities")]
    types = tuple(ProblemType(it["name"], it["slug"], str(it.get("description") or ""))
                  for _, it in entries(data.get("problem_types"), ("problem_types",), "problem_types"))
    cities = []
    for i, it in entries(data.get("cities"), ("cities",), "cities"):
        home = not cities
        if it.get("county_level") is True:  # 县级市: no district level, the city is its own one district
            if "districts" in it:
                problems.append(error(path, where("cities", i, "districts"), "taxonomy",
                                      detail="县级市（county_level: true）不设区，请删去 districts "
                                             "/ a county-level city has no districts"))
            districts = (District(it["name"], it["slug"], it["name"], it["slug"], home),)
        else:
            districts = tuple(District(d["name"], d["slug"], it["name"], it["slug"], home,
                                       tuple(str(s) for s in d.get("manages") or ()))
                              for _, d in entries(it.get("districts"), ("cities", i, "districts"), "districts"))
        cities.append(City(it["name"], it["slug"], districts))
    if problems:
        return None, problems
    return Taxonomy(types, tuple(cities)), []
