"""The street a case names against the district it says: warnings, each at the case's own line.

A street fixes its district (蔡甸街道 lies in 蔡甸区), so a case that says 全市 while naming a street, or names
a street the division codes put in another district, is almost always a slip. They are warnings, not errors:
the codes lag behind re-zonings by a year, and an instructor must be able to build while asking. A functional
zone (东湖新技术开发区) is right for the streets it manages (taxonomy `manages`), though the codes list them
under the statutory district.
"""
from __future__ import annotations

from pathlib import Path

from ..content.problems import Problem, warning
from ..content.taxonomy import CITYWIDE, Taxonomy
from .table import PlaceTable, load_places, stem


def places_file(content_dir: Path) -> Path:
    return content_dir / "places.yml"


def check_places(cases, taxonomy: Taxonomy, table: PlaceTable) -> list[Problem]:
    problems = []
    for case in cases:
        if case.street and case.city and case.district:
            problems += _check_case(case, taxonomy, table)
    return problems


def _check_case(case, taxonomy: Taxonomy, table: PlaceTable) -> list[Problem]:
    city = taxonomy.city(case.city)
    if city is None or city.district(case.district) is None:
        return []  # an unknown city or district is already an error of its own
    streets = table.city(city.name)
    if streets is None:
        return [warning(case.path, case.line_of("street"), "places-city-missing", city=city.name)]
    official = [d for d, _ in streets.districts_of(case.street)]
    managing = [d.name for d in city.districts if stem(case.street) in {stem(s) for s in d.manages}]
    if not official and not managing:
        return [warning(case.path, case.line_of("street"), "street-unknown", street=case.street, city=city.name)]
    district = city.district(case.district).name
    if district in official or district in managing:
        return []
    where = "或".join(dict.fromkeys(official))
    if managing:
        where += f"（由{'、'.join(managing)}管理）"
    if district == CITYWIDE:
        choices = "或".join(dict.fromkeys(managing + [d for d in official if city.district(d)] or official))
        return [warning(case.path, case.line_of("district"), "street-citywide", street=case.street, where=where,
                        choices=choices)]
    return [warning(case.path, case.line_of("district"), "street-other-district", street=case.street, where=where,
                    district=district)]


def place_problems(content_dir: Path, cases, taxonomy: Taxonomy) -> list[Problem]:
    """What check() adds: the table's own problems, then the cases' (none when the table cannot be read).

    A project without content/places.yml has no street check: the table is the project's choice, not a must.
    """
    path = places_file(content_dir)
    if not path.exists():
        return []
    table, problems = load_places(path)
    return problems if problems else check_places(cases, taxonomy, table)
