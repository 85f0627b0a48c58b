"""Search records for Pagefind, with Chinese indexed as overlapping character pairs.

Pagefind's own Chinese segmentation splits differently at index time and at query
time, so 加装电梯 misses most pages that contain it. Indexing every pair of adjacent
characters (老旧小区 → 老旧 旧小 小区 区) and turning the query into pairs the same
way in the browser (assets/search.js, `toPairs`) finds every page that contains
the query. Pagefind's indexer splits Chinese text into single characters on its own, so each
pair is written as an ASCII token (邻里 → h090bb091cc) that it keeps whole; a single character
(h090bb) still prefix-matches every pair that starts with it. The two implementations
(Python here, JavaScript in the browser) are kept equal by tests/test_search.py.
"""
from __future__ import annotations

import subprocess
import html
import re
from pathlib import Path

import nh3

# the index language: one whose query handling splits on spaces only, so the
# browser does not re-segment the pairs (see assets/search.js)
INDEX_LANGUAGE = "unknown"
_RUN_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9A-Za-z\u00c0-\u024f]+)")
TITLE_WEIGHT = 10


def to_pairs(text: str) -> list[str]:
    words: list[str] = []
    for han, other in _RUN_RE.findall(text):
        if han:
            words += [han[i:i + 2] for i in range(len(han) - 1)]
            words.append(han[-1])
        else:
            words.append(other.lower())
    return words


def token(word: str) -> str:
    """A pair (or single character) as an opaque ASCII word; other words lower-cased as they are."""
    if _RUN_RE.fullmatch(word) and not word.isascii():
        return "h" + "".join(f"{ord(ch):05x}" for ch in word)
    return word.lower()


def index_text(text: str) -> str:
    """to_pairs + token in one pass: the hex of each character is computed once."""
    words: list[str] = []
    for han, other in _RUN_RE.findall(text):
        if han:
            raw = han.encode("utf-32-be").hex()  # 8 hex digits a character; a code point needs the last 5
            hexes = [raw[i + 3:i + 8] for i in range(0, len(raw), 8)]
            words += ["h" + hexes[i] + hexes[i + 1] for i in range(len(hexes) - 1)]
            words.append("h" + hexes[-1])
        else:
            words.append(other.lower())
    return " ".join(words)


def html_text(fragment: str) -> str:
    return html.unescape(nh3.clean(fragment, tags=set()))


def record_for(entry, body_html: str, url: str) -> dict:
    """An indexing page for one case: its text as pairs, the real values as Pagefind meta and filters."""
    c = entry.case
    parts = [c.summary, c.community or "", c.street or "", entry.district.name, entry.district.city_name,
             " ".join(c.mechanisms), " ".join(c.actors), " ".join(p.name for p in entry.problem_types),
             html_text(body_html), " ".join(c.outcomes), " ".join(c.discussion_questions),
             " ".join(f"{s.title} {s.publisher}" for s in c.sources)]
    meta = {"title": c.title, "summary": c.summary, "place": entry.district.label,
            "year": str(c.year or ""), "types": "、".join(p.name for p in entry.problem_types)}
    filters = [("type", p.slug) for p in entry.problem_types] + [("district", entry.district.key)]
    if c.year:
        filters.append(("year", str(c.year)))
    esc = lambda v: html.escape(v, quote=True)  # noqa: E731
    head = "".join(f'<meta data-pagefind-filter="{k}[content]" content="{esc(v)}">' for k, v in filters)
    head += f'<meta data-pagefind-sort="order[content]" content="{entry.order:06d}">'
    names = ", ".join(f"{k}[data-{k}]" for k in meta)
    attrs = " ".join(f'data-{k}="{esc(v)}"' for k, v in meta.items())
    page = (f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><head>{head}</head><body data-pagefind-body>'
            f'<div data-pagefind-meta="{names}" {attrs}></div>'
            f'<h1 data-pagefind-weight="{TITLE_WEIGHT}">{index_text(c.title)}</h1>'
            f'<p>{index_text(" ".join(parts))}</p></body></html>')
    return {"url": url, "content": page}


class SearchIndexError(Exception):
    """Pagefind failed; its own message is attached."""


def write_index(records: list[dict], site_dir: Path, work: Path) -> None:
    """Write the indexing pages under work/ and run the Pagefind binary once over them.

    (Pagefind's Python API answers one request per 0.1 s poll: 1,000 cases would take 100 s.)
    """
    from pagefind.service import get_executable

    pages = work / "search-pages"
    for record in records:
        target = pages / record["url"] / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record["content"], encoding="utf-8")
    binary = get_executable()
    if binary is None:
        raise SearchIndexError("pagefind binary not found (pip install 'pagefind[bin]')")
    out = subprocess.run([str(binary), "--site", str(pages), "--output-path", str(site_dir / "pagefind"), "--silent"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SearchIndexError(f"pagefind: {out.stderr.strip() or out.stdout.strip()}")
