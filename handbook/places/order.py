"""The order a reader in the academy's own city looks for places in: our districts, our city, elsewhere.

A Wuhan instructor thinks 江岸 … 新洲, then the functional zones (东湖高新 …), then what the whole city does
(全市), and only then of other cities (外地), each city together. The home city is the taxonomy's first; its
districts keep the taxonomy's order (the 13 districts as the government lists them, then the zones). Other
cities keep the taxonomy's order too, each with its districts and its 全市 last. The Library derives this once
(Library.place_groups); the finder, the district index, the home page and the PDF's index all read it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..content.taxonomy import CITYWIDE, District

HOME, CITYWIDE_GROUP, ELSEWHERE = "home", "citywide", "elsewhere"


@dataclass
class PlaceGroup:
    """One heading of the district lists: 武汉市 (its districts), 全市, or 外地 (other cities' districts)."""

    kind: str
    title: str
    districts: list[District] = field(default_factory=list)

    def short(self, d: District) -> str:
        """A district's name under this group's heading: 江岸区 under 武汉市, 宜昌市·西陵区 under 外地."""
        if self.kind == HOME:
            return d.name
        if self.kind == CITYWIDE_GROUP:
            return f"{d.city_name}{d.name}"
        return d.label

    def cities(self) -> list[tuple[str, list[District]]]:
        """The group's districts city by city (外地 is listed by city)."""
        out: list[tuple[str, list[District]]] = []
        for d in self.districts:
            if not out or out[-1][0] != d.city_name:
                out.append((d.city_name, []))
            out[-1][1].append(d)
        return out


def ordered(districts: list[District]) -> list[District]:
    """Taxonomy districts (in taxonomy order) in reading order: see the module docstring."""
    return [d for g in place_groups(districts) for d in g.districts]


def place_groups(districts: list[District]) -> list[PlaceGroup]:
    """The non-empty groups of the given districts (taxonomy order in, reading order out)."""
    home = PlaceGroup(HOME, "", [])
    citywide = PlaceGroup(CITYWIDE_GROUP, CITYWIDE, [])
    elsewhere = PlaceGroup(ELSEWHERE, "外地", [])
    city_order: list[str] = []
    for d in districts:
        if d.home:
            home.title = d.city_name
            (citywide if d.name == CITYWIDE else home).districts.append(d)
        else:
            if d.city_name not in city_order:
                city_order.append(d.city_name)
            elsewhere.districts.append(d)
    # each other city together, its 全市 after its districts
    elsewhere.districts.sort(key=lambda d: (city_order.index(d.city_name), d.name == CITYWIDE))
    return [g for g in (home, citywide, elsewhere) if g.districts]
