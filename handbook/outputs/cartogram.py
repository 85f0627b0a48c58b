"""A schematic map of the home city's cases: one labelled tile per district, as inline SVG made at build time.

Why tiles and not the districts' real outlines: a public map that shows administrative boundaries needs the map
review number (审图号) under 《地图管理条例》 art. 15, and the ECharts maintainers stopped shipping China's
boundary data for that reason (apache/echarts #19858). The boundary data one could install (e.g. the Python
package cnmaps) comes from a commercial map provider under an unclear licence. A tile-grid cartogram shows what a
trainee needs, which district has how many cases, without drawing any boundary, and it says so (示意图).

Why our own SVG and not a charting library: twenty tiles are a few lines of markup; the site requests nothing
from any other host and ships no map tiles; the same markup goes into the PDF, which WeasyPrint draws as vectors
(its text stays text for pdftotext). Each tile is a link to the finder filtered to its district; a table of the
same counts follows for readers who do not see the picture, and the cases from other cities are listed beside it.
"""
from __future__ import annotations

from html import escape

from markupsafe import Markup

from ..content.taxonomy import CITYWIDE
from .urls import url_for
from ..places.order import CITYWIDE_GROUP, ELSEWHERE, HOME

# (column, row) of each district of Wuhan, north up, roughly where it lies: Hankou's three districts north of the
# Han, Hanyang south of it, the Yangtze (the empty column) between them and Wuchang, the outer districts around.
TILES: dict[str, tuple[int, int]] = {
    "东西湖区": (1, 0), "黄陂区": (2, 0), "长江新区": (3, 0), "新洲区": (4, 0),
    "硚口区": (1, 1), "江汉区": (2, 1), "江岸区": (3, 1), "青山区": (4, 1),
    "蔡甸区": (0, 2), "汉阳区": (1, 2), "武昌区": (3, 2), "东湖生态旅游风景区": (4, 2),
    "汉南区": (0, 3), "武汉经济技术开发区": (1, 3), "洪山区": (3, 3), "东湖新技术开发区": (4, 3),
    "江夏区": (3, 4),
}
SHORT = {"长江新区": "长江新区", "东湖新技术开发区": "东湖高新", "武汉经济技术开发区": "经开区", "东湖生态旅游风景区": "东湖风景区"}
TILE_W, TILE_H, GAP, TOP = 66, 50, 6, 8
# shade by case count: (lowest count, fill, text colour); every pair has a contrast of at least 4.5:1
SHADES = ((0, "#eeeeee", "#3c4043"), (1, "#fbe3df", "#202124"), (2, "#f3b3aa", "#202124"),
          (3, "#e57368", "#202124"), (5, "#b71c1c", "#ffffff"))


def shade(n: int) -> tuple[str, str]:
    fill, ink = SHADES[0][1:]
    for low, f, i in SHADES:
        if n >= low:
            fill, ink = f, i
    return fill, ink


def short_name(name: str) -> str:
    if name in SHORT:
        return SHORT[name]
    return name[:-1] if name.endswith("区") and len(name) > 2 else name


def _svg(tiles, city: str, root: str | None, link) -> str:
    cols = max(c for _, (c, _), _ in tiles) + 1 if tiles else 1
    rows = max(r for _, (_, r), _ in tiles) + 1 if tiles else 1
    width, height = cols * (TILE_W + GAP) - GAP, TOP + rows * (TILE_H + GAP) - GAP
    out = [f'<svg class="hb-map__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="group" aria-label="{escape(city)}各区案例数（示意图）">']
    for d, (c, r), n in tiles:
        x, y = c * (TILE_W + GAP), TOP + r * (TILE_H + GAP)
        fill, ink = shade(n)
        name = escape(d.name)
        count = f"{n} 个案例" if n else "暂无案例"
        label = short_name(d.name)
        # one text, two lines: a reader of the tile's text hears "江岸 2 例", the visible words, in order
        body = (f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="4" fill="{fill}" stroke="#9e9e9e" '
                f'stroke-width="0.6"/>'
                f'<text fill="{ink}" text-anchor="middle">'
                f'<tspan x="{x + TILE_W / 2:g}" y="{y + 21}" font-size="{13 if len(label) < 5 else 11}" '
                f'font-weight="700">{escape(label)}</tspan> '
                f'<tspan x="{x + TILE_W / 2:g}" y="{y + 39}" font-size="11">{f"{n} 例" if n else "—"}</tspan></text>')
        if n and root is not None:
            # named by its <title> (SVG's way) and its text; no aria-label that could differ from what is seen
            out.append(f'<a class="hb-map__tile" href="{escape(link(d))}"><title>{name}：{count}，在案例检索中查看'
                       f'</title>{body}</a>')
        else:
            out.append(f'<g class="hb-map__tile" role="img" aria-label="{name}：{count}">'
                       f'<title>{name}：{count}</title>{body}</g>')
    out.append("</svg>")
    return "".join(out)


def place_map(library, root: str | None = "", level: int = 2) -> Markup:
    """The map block: the tiles, a legend, the 全市 line, the table alternative and the other cities' cases.

    root: the page's way to the site root (links to the finder); None for print (no links, the table plain).
    level: the heading level of the block's own headings.
    """
    groups = {g.kind: g for g in library.place_groups(with_empty=True)}
    home = groups.get(HOME)
    if home is None:
        return Markup("")
    count = lambda d: len(library.by_district.get(d.key, []))  # noqa: E731
    site = root is not None
    link = lambda d: f"{root}{url_for('finder')}?district={d.key}"  # noqa: E731
    tiles = [(d, TILES[d.name], count(d)) for d in home.districts if d.name in TILES]
    citywide = groups.get(CITYWIDE_GROUP)
    h = f"h{level}"
    legend = "".join(
        f'<span class="hb-map__key"><span class="hb-map__swatch" style="background:{fill}"></span>{text}</span>'
        for (_, fill, _), text in zip(SHADES, ("0", "1", "2", "3–4", "5 个及以上")))
    out = ['<div class="hb-map">', '<div class="hb-map__main">', '<figure class="hb-map__figure">',
           _svg(tiles, home.title, root, link),
           f'<figcaption class="hb-map__caption"><p><strong>示意图</strong>：每个方块代表{escape(home.title)}的一个区或'
           '功能区，位置大致对应其方位，不表示实际边界和面积；颜色越深案例越多'
           + ('，点击方块可查看该区的案例' if site else '') + '。</p>'
           f'<p class="hb-map__legend">图例（案例数）：{legend}</p></figcaption>', '</figure>']
    if citywide:
        n = sum(count(d) for d in citywide.districts)
        text = f"全市范围的做法：{n} 个案例"
        d = citywide.districts[0]
        out.append(f'<p class="hb-map__citywide">'
                   + (f'<a href="{escape(link(d))}">{text}</a>' if site and n else text) + '</p>')
    out.append("</div>")
    out.append(_elsewhere(library, groups.get(ELSEWHERE), root, h))
    out.append(_table(home.districts + (citywide.districts if citywide else []), count, link, site,
                      home.title))
    out.append("</div>")
    return Markup("\n".join(x for x in out if x))  # every text in it escaped above


def _elsewhere(library, group, root, h) -> str:
    """The other cities' cases, city by city (外地 in reading order), each with its place."""
    entries = [e for d in (group.districts if group else []) for e in library.by_district.get(d.key, [])]
    if not entries:
        return ""
    out = ['<div class="hb-map__elsewhere">', f'<{h} class="hb-map__title">外地案例（{len(entries)} 个）</{h}>', '<ul>']
    for e in entries:
        title = escape(e.case.title)
        if root is not None:
            title = f'<a href="{root}{url_for("case", e)}">{title}</a>'
        else:
            title = f'{title}（案例 {library.numbers.get(e.id, "")}）'
        out.append(f'<li><span class="hb-map__place">{escape(e.district.label)}</span>{title}</li>')
    out.append("</ul></div>")
    return "\n".join(out)


def _table(districts, count, link, site: bool, city: str) -> str:
    rows = []
    for d in districts:
        n = count(d)
        name = escape(f"{d.city_name}{CITYWIDE}（全市范围的做法）" if d.name == CITYWIDE else d.name)
        cell = f'<a href="{escape(link(d))}">{n}</a>' if site and n else str(n)
        rows.append(f'<tr><th scope="row">{name}</th><td>{cell}</td></tr>')
    table = (f'<table class="hb-map__table"><caption>{escape(city)}各区案例数</caption>'
             '<thead><tr><th scope="col">区或功能区</th><th scope="col">案例数</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>')
    if site:
        return f'<details class="hb-map__details"><summary>以表格查看各区案例数</summary>{table}</details>'
    return table
