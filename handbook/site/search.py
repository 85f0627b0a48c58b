"""Search records for Pagefind, with Chinese indexed as overlapping character pairs.

Pagefind's own Chinese segmentation splits differently at index time and at query
time, so 加装电梯 misses most pages that contain it. Indexing every pair of adjacent
characters (老旧小区 → 老旧 旧小 小区 区) and turning the query into pairs the same
way in the browser (assets/search.js, `toPairs`) finds every page that contains
the query. Pagefind's indexer splits Chinese text into single characters on its own, so each
pair is written as an ASCII token that it keeps whole: "h" and three base-36 digits per
character (邻里 → hi9nih8; see `char_code`); a single character (hi9n) still prefix-matches
every pair that starts with it. The two implementations (Python here, JavaScript in the
browser) are kept equal by tests/test_search.py and tests/browser/test_search_js.py.

Each word is indexed once per page (and once only in the most heavily weighted part: title,
then summary, then the rest). Pagefind's time and memory grow with the words it stores; a
repeated word changes which pages match nothing, and the ranking keeps its strongest signal,
where on the page the word is.
"""
from __future__ import annotations

import html
import re
import subprocess
import threading
from pathlib import Path

import nh3

from ..errors import OutputError
from ..content.schema import CASE_KINDS
from ..outputs.scratch import move_tree

# the index language: one whose query handling splits on spaces only, so the
# browser does not re-segment the pairs (see assets/search.js)
INDEX_LANGUAGE = "unknown"
_RUN_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9A-Za-z\u00c0-\u024f]+)")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TITLE_WEIGHT = 10
SUMMARY_WEIGHT = 3
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# the three Chinese blocks of _RUN_RE, numbered one after another: 28,096 characters < 36**3
_BLOCKS = ((0x3400, 0x4DC0, 0), (0x4E00, 0xA000, 0x4DC0 - 0x3400), (0xF900, 0xFB00, 0x4DC0 - 0x3400 + 0xA000 - 0x4E00))


def char_code(ch: str) -> str:
    """Three base-36 digits for a character of the Chinese blocks."""
    o = ord(ch)
    for start, end, offset in _BLOCKS:
        if start <= o < end:
            n = o - start + offset
            return _DIGITS[n // 1296] + _DIGITS[n // 36 % 36] + _DIGITS[n % 36]
    raise ValueError(f"not a character of the indexed blocks: {ch!r}")


_CODES: dict[str, str] = {}


def _code(ch: str) -> str:
    code = _CODES.get(ch)
    if code is None:
        code = _CODES[ch] = char_code(ch)
    return code


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
    if _HAN_RE.fullmatch(word):
        return "h" + "".join(_code(ch) for ch in word)
    return word.lower()


def index_text(text: str, seen: set[str] | None = None) -> str:
    """to_pairs + token in one pass, each token once: those in seen are left out, and seen is updated."""
    seen = set() if seen is None else seen
    words: list[str] = []
    for han, other in _RUN_RE.findall(text):
        if han:
            codes = [_code(ch) for ch in han]
            run = ["h" + codes[i] + codes[i + 1] for i in range(len(codes) - 1)]
            run.append("h" + codes[-1])
        else:
            run = [other.lower()]
        for word in run:
            if word not in seen:
                seen.add(word)
                words.append(word)
    return " ".join(words)


def html_text(fragment: str) -> str:
    return html.unescape(nh3.clean(fragment, tags=set()))


def _with_aliases(text: str, synonyms) -> str:
    """text and the words synonyms add for it (handbook/content/synonyms.py), for the indexing copy only."""
    extra = synonyms.aliases(text) if synonyms is not None else ""
    return f"{text} {extra}" if extra else text


def indexed_text(entry, body_html: str, synonyms=None) -> str:
    """The case's public words as tokens, title first (the costly part of a record: worth keeping between builds).
    Each part gets its synonyms' words beside it, so an alias ranks where its long form stands."""
    c = entry.case
    lead = [c.summary, " ".join(p.name for p in entry.problem_types), " ".join(c.mechanisms)]
    parts = [c.community or "", c.street or "", entry.district.name, entry.district.city_name,
             " ".join(c.actors), html_text(body_html), " ".join(c.outcomes), " ".join(c.discussion_questions),
             " ".join(c.open_questions), " ".join(f"{s.title} {s.publisher}" for s in c.sources)]
    seen: set[str] = set()
    return (f'<h1 data-pagefind-weight="{TITLE_WEIGHT}">{index_text(_with_aliases(c.title, synonyms), seen)}</h1>'
            f'<p data-pagefind-weight="{SUMMARY_WEIGHT}">{index_text(_with_aliases(" ".join(lead), synonyms), seen)}</p>'
            f'<p>{index_text(_with_aliases(" ".join(parts), synonyms), seen)}</p>')


def indexed_note(note_html: str, synonyms=None) -> str:
    """A teaching note's words as tokens, for the instructor edition's records only (appended to the public
    text): the trainee edition's records are made without this, so its index cannot hold a word of a note."""
    return f"<p>{index_text(_with_aliases(html_text(note_html), synonyms))}</p>"


def record_page(entry, url: str, text: str) -> dict:
    """An indexing page for one case: its indexed_text, the real values as Pagefind meta and filters."""
    c = entry.case
    meta = {"title": c.title, "summary": c.summary, "place": entry.district.label,
            "year": str(c.year or ""), "types": "、".join(p.name for p in entry.problem_types)}
    filters = [("type", p.slug) for p in entry.problem_types] + [("district", entry.district.key)]
    if c.year:
        filters.append(("year", str(c.year)))
    if c.case_kind:
        filters.append(("kind", CASE_KINDS[c.case_kind]))
    esc = lambda v: html.escape(v, quote=True)  # noqa: E731
    head = "".join(f'<meta data-pagefind-filter="{k}[content]" content="{esc(v)}">' for k, v in filters)
    head += f'<meta data-pagefind-sort="order[content]" content="{entry.order:06d}">'
    names = ", ".join(f"{k}[data-{k}]" for k in meta)
    attrs = " ".join(f'data-{k}="{esc(v)}"' for k, v in meta.items())
    page = (f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><head>{head}</head><body data-pagefind-body>'
            f'<div data-pagefind-meta="{names}" {attrs}></div>{text}</body></html>')
    return {"url": url, "content": page}


class SearchIndexError(OutputError):
    """Pagefind failed; its own message is attached."""


class Indexer:
    """A running Pagefind process that writes the index into work/pagefind.

    finish() may wait for it on a thread of its own (the preview's index, handbook/site/writer.py) while a newer
    build (or closing the preview) cancels it; one thread at a time reads its output. When both read, they read
    each other's pipes: closing the desk's preview right after a rebuild failed with "Bad file descriptor" (2 of 2
    times, measured), and a rebuild that cancels the previous index could fail the same way."""

    def __init__(self, process: subprocess.Popen, output: Path):
        self.process, self.output = process, output
        self._reading = threading.Lock()

    def finish(self, site_dir: Path) -> None:
        """Wait for Pagefind and move its index to site_dir/pagefind."""
        with self._reading:
            stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            raise SearchIndexError(f"pagefind: {stderr.strip() or stdout.strip()}")
        move_tree(self.output, site_dir / "pagefind")

    def cancel(self) -> None:
        """Stop Pagefind if it still runs, and reap it unless finish() has."""
        if self.process.poll() is None:
            self.process.kill()
        with self._reading:
            if not self.process.stdout.closed:
                self.process.communicate()


def start_index(records: list[dict], work: Path) -> Indexer:
    """Write the indexing pages under work/ and start the Pagefind binary over them.

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
    output = work / "pagefind"
    process = subprocess.Popen([str(binary), "--site", str(pages), "--output-path", str(output), "--silent"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return Indexer(process, output)
