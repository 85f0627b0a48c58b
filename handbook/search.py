"""Search records for Pagefind, with Chinese indexed as overlapping character pairs.

Pagefind's own Chinese segmentation splits differently at index time and at query
time, so 加装电梯 misses most pages that contain it. Indexing every pair of adjacent
characters (老旧小区 → 老旧 旧小 小区 区) and turning the query into pairs the same
way in the browser (assets/search.js, `toPairs`) finds every page that contains
the query. The two implementations are kept equal by tests/test_search.py.
"""
from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import nh3

# the index language: one whose query handling splits on spaces only, so the
# browser does not re-segment the pairs (see assets/search.js)
INDEX_LANGUAGE = "en"
_RUN_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9A-Za-z\u00c0-\u024f]+)")
TITLE_WEIGHT = 4


def to_pairs(text: str) -> list[str]:
    words: list[str] = []
    for han, other in _RUN_RE.findall(text):
        if han:
            words += [han[i:i + 2] for i in range(len(han) - 1)]
            words.append(han[-1])
        else:
            words.append(other.lower())
    return words


def html_text(fragment: str) -> str:
    return html.unescape(nh3.clean(fragment, tags=set()))


def record_for(entry, body_html: str, url: str) -> dict:
    c = entry.case
    title_terms = " ".join(to_pairs(c.title))
    parts = [c.summary, c.community or "", c.street or "", entry.district.name, " ".join(c.mechanisms),
             " ".join(c.actors), " ".join(p.name for p in entry.problem_types), html_text(body_html),
             " ".join(c.outcomes), " ".join(c.discussion_questions), entry.district.city_name,
             " ".join(f"{s.title} {s.publisher}" for s in c.sources)]
    content = " ".join([title_terms] * TITLE_WEIGHT + [" ".join(to_pairs(" ".join(parts)))])
    filters = {"type": [p.slug for p in entry.problem_types], "district": [entry.district.key]}
    if c.year:
        filters["year"] = [str(c.year)]
    meta = {"title": c.title, "summary": c.summary, "place": entry.district.label,
            "year": str(c.year or ""), "types": "、".join(p.name for p in entry.problem_types)}
    return {"url": url, "content": content, "language": INDEX_LANGUAGE, "meta": meta, "filters": filters,
            "sort": {"order": f"{entry.order:06d}"}}


def write_index(records: list[dict], site_dir: Path) -> None:
    """Write the Pagefind bundle into site_dir/pagefind."""
    from pagefind.index import PagefindIndex

    async def run():
        config = {"output_path": str(site_dir / "pagefind")}
        async with PagefindIndex(config=config) as index:
            for record in records:
                await index.add_custom_record(**record)

    asyncio.run(run())
