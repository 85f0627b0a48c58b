"""handbook/places/cartogram.py: the schematic tile map, its links, its text alternative, and what it never does."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from handbook.content.cases import load_case
from handbook.library import build_library
from handbook.outputs.cartogram import SHADES, TILES, place_map, shade
from handbook.content.taxonomy import load_taxonomy

from .conftest import ROOT, case_text

SVG = "{http://www.w3.org/2000/svg}"


def library_of(project, *places):
    tax, problems = load_taxonomy(project / "cases" / "taxonomy.yml")
    assert problems == []
    cases = []
    for i, (city, district, title) in enumerate(places):
        case, found = load_case(project / "cases" / f"case-{i}.md",
                                case_text(city=city, district=district, title=title).encode())
        assert found == [], found
        cases.append(case)
    return build_library(cases, tax)


def svg_of(html: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))


def test_tiles_link_to_the_filtered_finder_and_empty_ones_do_not(project):
    library = library_of(project, ("武汉市", "江汉区", "江汉区的一个案例"), ("武汉市", "江汉区", "江汉区另一个案例"),
                         ("武汉市", "全市", "全市范围的一个做法"), ("南京市", "鼓楼区", "南京<script>x</script>案例"))
    html = str(place_map(library, "../"))
    svg = svg_of(html)
    links = svg.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["../cases/?district=wuhan/jianghan"]
    assert links[0].find(f"{SVG}title").text == "江汉区：2 个案例，在案例检索中查看"
    assert "".join(links[0].itertext()).endswith("江汉 2 例")  # what is seen, in the order it is read
    empty = [g.get("aria-label") for g in svg.findall(f"{SVG}g")]
    assert empty == ["武昌区：暂无案例"]
    assert "<strong>示意图</strong>" in html and "不表示实际边界" in html
    assert '<a href="../cases/?district=wuhan/citywide">全市范围的做法：1 个案例</a>' in html
    # the other cities' cases beside it, titles escaped
    assert "外地案例（1 个）" in html
    assert '<span class="hb-map__place">南京市·鼓楼区</span><a href="../cases/case-3/">南京&lt;script&gt;x&lt;/script&gt;案例</a>' in html
    assert "<script>" not in html
    # the table alternative: every district of the home city with its count, linked where there are cases
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table) == [
        ("江汉区", '<a href="../cases/?district=wuhan/jianghan">2</a>'), ("武昌区", "0"),
        ("武汉市全市（全市范围的做法）", '<a href="../cases/?district=wuhan/citywide">1</a>')]


def test_print_has_no_links_and_numbers_the_other_cities_cases(project):
    library = library_of(project, ("武汉市", "江汉区", "江汉区的一个案例"), ("南京市", "鼓楼区", "南京的一个案例"))
    html = str(place_map(library, None))
    assert "<a " not in html and "href" not in html and "<details" not in html
    assert f"南京的一个案例（案例 {library.numbers['case-1']}）" in html


def test_no_request_to_any_host():
    """No tiles, fonts or scripts from anywhere: the only URL in the markup is the SVG namespace."""
    from handbook.config import load_settings
    from handbook.pipeline import check

    html = str(place_map(check(load_settings(ROOT)).library, ""))
    assert re.findall(r"https?://[^\s\"']+", html) == ["http://www.w3.org/2000/svg"]
    assert "<image" not in html and "<script" not in html


def test_every_district_of_wuhan_has_its_own_cell():
    tax, _ = load_taxonomy(ROOT / "cases" / "taxonomy.yml")
    names = [d.name for d in tax.cities[0].districts if d.name != "全市"]
    assert sorted(names) == sorted(TILES)
    assert len(set(TILES.values())) == len(TILES)


def test_shades_darken_with_the_count_and_keep_text_readable():
    def luminance(hex_colour):
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    fills = [luminance(shade(n)[0]) for n in range(0, 8)]
    assert all(a >= b for a, b in zip(fills, fills[1:])) and fills[0] > fills[-1]
    for _, fill, ink in SHADES:
        a, b = sorted((luminance(fill), luminance(ink)), reverse=True)
        assert (a + 0.05) / (b + 0.05) >= 4.5, fill
