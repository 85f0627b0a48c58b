"""The PDF writer: Library → one book HTML (Jinja2, templates/pdf/) → pieces laid out by WeasyPrint → PDF.

The book is laid out with CSS Paged Media (templates/pdf/book.css): named pages for the cover, running
headers from `string-set`, page numbers in the contents and the index from `target-counter` (in pieces:
the numbers handbook/pdf/pieces.py settles), bookmarks from `bookmark-level` (chapters 1, cases 2).

Determinism: the same inputs give a byte-identical PDF. WeasyPrint 70 writes no
date unless the HTML carries `<meta name="dcterms.created|modified">`; we set
both from SOURCE_DATE_EPOCH or else from the newest date in the cases. A piece's
/ID is fixed; the joined book's /ID is derived from its content (qpdf's deterministic
ID). Subset font names are MD5-derived in WeasyPrint and from the glyph set in the
join, and nothing else in the file depends on the clock or on randomness.

Nothing is fetched from the network: the URL fetcher only serves file: and
data: URLs under the project's cases, content and templates folders; fonts come
from the system through fontconfig. Images are named `hbfile:<root>/<path>` (engine.asset_uri), not by
their absolute path, so a book is the same bytes, and its cached pieces are found, wherever the project lies.

Speed: WeasyPrint lays a document out on one core and keeps all of it in memory (the 1,000-case book as
one document: 246.7 s, 3.6 GB). So the book is cut into pieces (front matter, contents, each chapter in runs
of PIECE_CASES cases, "see also" pages, appendix, index), laid out on every core and cached one by one by the
hash of their HTML (handbook/pdf/pieces.py), then joined (handbook/pdf/join.py); build_pdf keeps the
one-document render as the benchmark's reference. Within a piece, what the stylesheet avoids, measured:
auto-width tables (min-content sizing of CJK text, one line per character), "." leaders (one box per dot; "…"
needs a third), auto-width margin boxes (measured on every page), and extra target-counter lists (pages holding
them are laid out three times). PdfWriter also skips unchanged books: it keeps rendered PDFs in .cache/pdf/
under the hash of their inputs (pdf_inputs_hash), so a build whose inputs did not change copies.

Editions: the instructor edition (edition="instructor") adds each case's teaching
note as a section set apart and marks the cover and the running head; the trainee
edition's book HTML is made from cases whose notes were cut out at loading.

Accessibility: the file is a tagged PDF/UA-1 (handbook/pdf/access.py): structure tree, /Lang zh-CN,
the title shown in the title bar, chapters H1 and cases H2 (a case's own "## 背景" sections are moved
one level down, demote_headings), table headers, running heads, folios and rules as artifacts.
On the shipped library tagging costs +11% CPU time and +10% file size (2026-11-30; both under the
15% we allow it; handbook/pdf/access.py, benchmarks/README.md).

Chinese typography (W3C clreq): 10.5 pt body on A4; a type area a whole number of characters wide
(text_margins); 2-em first-line indents; the last two characters of every paragraph kept on one line
(keep_last_characters); Pango's UAX #14 line breaking keeps the line-start and line-end prohibitions.
On the shipped library, single-character last lines went from 22 of 402 paragraph endings (5.5%) to 0;
lines opening with closing punctuation were 0 before and after (tests/test_pdf_typography.py).

Completeness: a book replaces its target only after handbook/pdf/gate.py has found every case of the
selection in the finished file (bookmark, title on its page, contents page number) and, for a book made of
pieces, as many pages as the pieces have; otherwise OutputError and the previous PDF stays.
"""
from __future__ import annotations

import dataclasses
import hashlib
import html as html_lib
import os
import re
from pathlib import Path
from urllib.parse import unquote

from .. import report
from ..config import CHAPTERS, EDITION_MARK, Settings
from ..library import Entry, Library
from ..outputs.claims import Claim
from ..photos import for_print
from ..outputs.atomic import atomic_path, write_atomic
from .gate import check_book
from .pieces import PieceRenderer
from ..outputs.render import jinja_env, markdown_to_html, point_links, split_title
from ..outputs.cache import ContentCache, code_digest, content_key
from ..outputs.writer import Writer
from .engine import (asset_roots, asset_uri, fewer_full_collections, files_under, lay_out_html, page_context,
                     pages_progress, w3c_date, weasyprint_version, write_document)

TEMPLATE = "pdf/book.html"
STYLESHEET = "pdf/book.css"
# bump when the way the book is made changes in a way the inputs hash cannot see
FORMAT_VERSION = "2"
CACHE_KEEP = 6  # rendered PDFs kept in .cache/pdf: both editions, a few class subsets
# a chapter longer than this goes on in another piece (handbook/pdf/pieces.py), on a recto: an edited case then
# lays out again at most this many cases (~70 A4 pages), and a piece's memory stays bounded
PIECE_CASES = 20


_MISSING = "#__hb-missing__"
_MISSING_LINK_RE = re.compile(r'<a [^>]*?href="' + re.escape(_MISSING) + r'"[^>]*>(.*?)</a>', re.S)
_ID_RE = re.compile(r'(<h[2-6] [^>]*?id=")([^"]*)(")')
_LOCAL_HREF_RE = re.compile(r'(<a [^>]*?href="#)(?!case-)([^"]*)(")')
_CASE_ANCHOR_RE = re.compile(r'(href="#case-[a-z0-9-]+)#([^"]*)(")')
_HEADING_RE = re.compile(r"<(/?)h([2-5])(?=[\s>])")
_DIGITS = "零一二三四五六七八九"


# ----------------------------------------------------------------- helpers

def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 105 (chapters never get that far)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _image_uri(base: Path, roots: tuple[Path, ...], src: str) -> str:
    """A relative image path under base as an hbfile: URI (engine.asset_uri), kept only if it stays inside roots."""
    target = (base / unquote(html_lib.unescape(src))).resolve()
    if target.is_file() and roots[0] in target.parents:  # a case image: at print resolution (photos.py)
        target = for_print(target, roots[-1].parent)
    return html_lib.escape(asset_uri(roots, target) or "about:blank", quote=True)


def _fix_links(html: str, library: Library, prefix: str, base: Path, roots: tuple[Path, ...]) -> str:
    """Give the fragment's heading ids a unique prefix and point its links and images into the book."""
    html = _ID_RE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", html)
    html = _LOCAL_HREF_RE.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", html)
    html = point_links(html, lambda cid: f"#case-{cid}" if library.get(cid) else _MISSING,
                       lambda src: _image_uri(base, roots, src))
    html = _CASE_ANCHOR_RE.sub(lambda m: f"{m.group(1)}--{m.group(2)}{m.group(3)}", html)
    # a link to a case that is not in this book (a subset, a draft) keeps its text only
    return _MISSING_LINK_RE.sub(lambda m: m.group(1), html)


def demote_headings(html: str) -> str:
    """h2..h5 → h3..h6: inside a case (the book's H2) its sections are H3 in the tagged PDF's structure."""
    return _HEADING_RE.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def book_case_html(entry: Entry, library: Library, settings: Settings, markdown: str | None = None,
                   bodies: "BodyCache | None" = None) -> str:
    """A case's body (or another Markdown text of it, such as its teaching note) as HTML placed in the book."""
    text = entry.case.body if markdown is None else markdown
    key = bodies.key(entry.id, text) if bodies is not None else None
    if key is not None and (cached := bodies.get(key)) is not None:
        return cached
    html = markdown_to_html(text)
    html = _fix_links(html, library, f"case-{entry.id}--", settings.cases_dir, asset_roots(settings))
    html = keep_last_characters(demote_headings(html))
    if key is not None:
        bodies.put(key, html)
    return html


class BodyCache:
    """Case bodies as book HTML, kept in .cache/pdf/bodies/ by a hash of their Markdown and of what the
    conversion looks at (which cases exist, for links; where the cases are, for images; the code): converting
    the bodies of 1,000 cases took 2.8 s of every build of the book, edited or not."""

    def __init__(self, folder: Path, library: Library, settings: Settings):
        self.cache = ContentCache(folder, ".html")
        self.salt = content_key(FORMAT_VERSION, code_digest(__name__, "handbook.outputs.render"),
                                str(settings.cases_dir.resolve()), "\0".join(sorted(e.id for e in library.entries)))

    def key(self, case_id: str, text: str) -> str:
        return content_key(self.salt, case_id, text)

    def get(self, key: str) -> str | None:
        path = self.cache.hit(key)
        try:
            return None if path is None else path.read_text(encoding="utf-8")
        except OSError:
            return None

    def put(self, key: str, html: str) -> None:
        self.cache.put(key, html)

    def keep_only_used(self, keep: int) -> None:
        """Remove kept bodies beyond `keep` that this build did not use (the oldest first)."""
        self.cache.keep(keep)


def content_html(path: Path, library: Library, settings: Settings, prefix: str) -> tuple[str | None, str]:
    """(leading H1 text, HTML) of a content Markdown file; ("", "") when it does not exist."""
    if not path.is_file():
        return None, ""
    title, text = split_title(path.read_text(encoding="utf-8-sig"))
    html = markdown_to_html(text)
    return title, keep_last_characters(_fix_links(html, library, prefix, path.parent, asset_roots(settings)))


_NOBR_TAIL_RE = re.compile(r"((?:&[#a-zA-Z0-9]+;|[^\s&<>]){2}(?:[%s])*)\Z" % re.escape(
    "，。、；：？！）」』】》〉”’…—.,;:?!)]"))
_PARA_RE = re.compile(r"(<p(?:\s[^>]*)?>)(.*?)(</p>)", re.S)


def keep_last_characters(html: str) -> str:
    """Join each paragraph's last two characters (and the punctuation after them) with a no-break span, so
    that no paragraph ends in a line of one character (孤字, clreq). A paragraph ending in markup (a link,
    an image) or shorter than four characters is left as it is."""
    def one(m: re.Match) -> str:
        body = m.group(2)
        text = body[body.rfind(">") + 1:]
        tail = _NOBR_TAIL_RE.search(text)
        if not tail or len(text) - len(tail.group(1)) < 2:
            return m.group(0)
        cut = len(body) - len(tail.group(1))
        return f'{m.group(1)}{body[:cut]}<span class="nobr">{body[cut:]}</span>{m.group(3)}'
    return _PARA_RE.sub(one, html)


def case_cite(entry: Entry, settings: Settings, edition_date) -> dict:
    """What the book prints after a case: its GB/T 7714-2015 reference and its web address (handbook/data/cite.py).
    edition_date: Library.edition_date(), asked once for the book (it reads every case's dates)."""
    from ..data.cite import case_address, citation

    return {"text": citation(entry, settings, edition_date), "address": case_address(entry, settings)[0]}


# ----------------------------------------------------------------- the book

def book_context(library: Library, settings: Settings, selection: str | None = None,
                 edition: str = "trainee", piece_cases: int = PIECE_CASES, bodies: BodyCache | None = None) -> dict:
    """Everything the book template needs; what the site shows too (numbers, place, index) comes from the Library."""
    library = library.for_edition(edition)
    when = library.edition_date()
    chapters = []
    for i, (p, own, others) in enumerate(library.chapters(), start=1):
        _, overview = (None, "") if library.handout else content_html(
            settings.content_dir / "problems" / f"{p.slug}.md", library, settings, f"chapter-{p.slug}--")
        cases = [{"e": e, "n": library.numbers[e.id], "body": book_case_html(e, library, settings, bodies=bodies),
                       "cite": case_cite(e, settings, when),
                       "note": book_case_html(e, library, settings, e.case.teaching_note, bodies)
                       if e.case.teaching_note else None} for e in own]
        chapters.append({
            "type": p, "number": chinese_number(i), "anchor": f"chapter-{p.slug}", "overview": overview,
            "cases": cases, "others": others,
            "parts": [cases[k:k + piece_cases] for k in range(0, len(cases), piece_cases)] or [[]],
        })
    parts = {}
    for chapter in CHAPTERS:
        if chapter.in_book and not library.handout:  # a handout has no preface and no guide (handout.py)
            prefix = "preface--" if chapter.in_book == "front" else "appendix--"
            parts[chapter.in_book] = content_html(settings.content_dir / chapter.file, library, settings, prefix)
    _, preface = parts.get("front", (None, ""))
    guide_title, guide = parts.get("appendix", (None, ""))
    return {
        "settings": settings, "library": library, "selection": selection, "chapters": chapters,
        "numbers": library.numbers, "preface": preface, "appendix": guide,
        "appendix_title": guide_title or "培训教师指南", "cities": library.district_index(),
        "date_w3c": w3c_date(when) if when else None,
        "edition": f"{when.year} 年 {when.month} 月" if when else "",
        "mark": EDITION_MARK if edition == "instructor" else "",
        "page": page_context(settings),
    }


def book_html(library: Library, settings: Settings, selection: str | None = None, edition: str = "trainee",
              piece_cases: int = PIECE_CASES, bodies: BodyCache | None = None) -> str:
    """The whole book as one HTML document (the stylesheet inline), marked where its pieces begin."""
    env = jinja_env(settings.templates_dir, settings.cache_dir / "jinja")
    context = book_context(library, settings, selection, edition, piece_cases, bodies)
    css = env.get_template(STYLESHEET).render(**context)
    # the stylesheet goes into <style>: nothing in it may close the element
    css = css.replace("</", "<\\/")
    return env.get_template(TEMPLATE).render(css=css, **context)


def render_book(library: Library, settings: Settings, selection: str | None = None, edition: str = "trainee",
                piece_cases: int = PIECE_CASES):
    """Lay the book out as one document: a weasyprint.Document (pages, bookmarks) ready to be written."""
    html = book_html(library, settings, selection, edition, piece_cases)
    with pages_progress("排版 PDF 页面 / laying out pages"):
        return lay_out_html(html, settings)


def build_pdf(library: Library, settings: Settings, out_path: Path, selection: str | None = None,
              edition: str = "trainee", *, tagged: bool = True, piece_cases: int = PIECE_CASES) -> None:
    """Render the handbook as one WeasyPrint document (on one core) to out_path: the reference the benchmark
    measures the pieces against (build_pdf_in_pieces), and what measures the cost of tagging.

    The file replaces out_path only when the completeness gate (handbook/pdf/gate.py) finds every case in it."""
    with fewer_full_collections():
        write_document(render_book(library, settings, selection, edition, piece_cases), settings, out_path, selection,
                       tagged=tagged, verify=lambda path: check_book(path, library))


def pieces_salt() -> str:
    """What goes into every piece besides its HTML: the code that lays it out and WeasyPrint. The files a piece
    draws go into its own key (pieces.PieceRenderer.path)."""
    h = hashlib.sha256(weasyprint_version().encode())
    h.update(code_digest("handbook.pdf.pieces", "handbook.pdf.access", "handbook.pdf.engine").encode())
    return h.hexdigest()


def build_pdf_in_pieces(library: Library, settings: Settings, out_path: Path, selection: str | None = None,
                        edition: str = "trainee", *, jobs: int | None = None, piece_cases: int = PIECE_CASES,
                        keep: int = 400) -> PieceRenderer:
    """Render the handbook to out_path in pieces, on every core, each piece from cache when its HTML is unchanged
    (handbook/pdf/pieces.py), joined by handbook/pdf/join.py and checked by the completeness gate: the file
    replaces out_path only when handbook/pdf/gate.py finds every case in it and the pages of every piece."""
    import json

    from .join import join
    from .pieces import PieceRenderer, lay_out_book, probe_html, split_book

    cache = settings.cache_dir / "pdf"
    renderer = PieceRenderer(cache / "pieces", settings.root.resolve().as_uri() + "/", asset_roots(settings),
                             pieces_salt(), jobs)
    bodies = BodyCache(cache / "bodies", library, settings)
    book = split_book(book_html(library, settings, selection, edition, piece_cases, bodies))
    label = hashlib.sha256(f"{edition}\0{selection or ''}".encode()).hexdigest()[:16]
    guess_file = cache / f"pages-{label}.json"
    try:
        guess = json.loads(guess_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        guess = {}
    probe = probe_html(book)
    unknown = "0" * len(str(6 * max(library.count, 1) + 40))  # as many digits as the book's page count will have
    laid, page_map = lay_out_book(book, renderer, guess, unknown, also=[probe])
    del book  # the book's HTML (~100 MB at 5,000 cases) is not needed to join the pieces
    for item in laid:
        item.piece = dataclasses.replace(item.piece, body="")
    with atomic_path(Path(out_path)) as tmp:
        with report.task("合成 PDF / joining the pieces", None):
            probe_pdf, probe_facts = renderer.facts(probe)
            fonts = {}  # {PDF font name: (the whole font file, face index)}, of every piece and the probe
            for facts in [item.facts for item in laid] + [probe_facts]:
                for name, (file, index) in facts.get("fonts", {}).items():
                    fonts[name] = (renderer.fonts / file, index)
            joined_at = join(laid, probe_pdf, tmp, fonts)
        texts = check_book(tmp, library, pieces_pages=[item.padded + item.facts["pages"] for item in laid],
                           known=renderer.known_texts(laid, joined_at))
    cache.mkdir(parents=True, exist_ok=True)
    write_atomic(guess_file, json.dumps(page_map, ensure_ascii=False, sort_keys=True))
    renderer.remember_texts(laid, texts)
    renderer.keep_only_used(keep)
    bodies.keep_only_used(4 * max(library.count, 100))
    return renderer


# ----------------------------------------------------------------- skipping unchanged builds


def pdf_inputs_hash(library: Library, settings: Settings, selection: str | None = None,
                    edition: str = "trainee") -> str:
    """A content hash of everything that goes into the PDF: equal hashes mean an equal PDF."""
    h = hashlib.sha256()

    def add(*parts):
        for part in parts:
            h.update(part if isinstance(part, bytes) else str(part).encode())
            h.update(b"\0")

    add("format", FORMAT_VERSION, "weasyprint", weasyprint_version())
    add("code", code_digest("handbook.pdf", "handbook.outputs.render", "handbook.data.cite", "handbook.outputs.urls"))
    for folder, label in ((settings.templates_dir / "shared", "shared-template"),):
        for p in files_under(folder):
            add(label, p.relative_to(folder).as_posix(), p.read_bytes())
    add("settings", settings.title, settings.subtitle, settings.academy, settings.page_size,
        getattr(settings, "site_url", None) or "")
    add("selection", selection or "", "edition", edition, "handout", library.handout)
    add("epoch", os.environ.get("SOURCE_DATE_EPOCH", "").strip())
    if settings.taxonomy_file.is_file():
        add("taxonomy", settings.taxonomy_file.read_bytes())
    for e in library.entries:
        path = e.case.path
        data = path.read_bytes() if path and Path(path).is_file() else b""
        add("case", e.id, e.case.status, data, e.case.body)
    for folder, label in ((settings.cases_dir / "images", "image"), (settings.content_dir, "content"),
                          (settings.templates_dir / "pdf", "template")):
        for p in files_under(folder):
            add(label, p.relative_to(folder).as_posix(), p.read_bytes())
    return h.hexdigest()


class PdfWriter(Writer):
    """The PDF handbook (or a class subset of it), in one edition, rendered again only when its inputs change."""

    name = "pdf"

    def __init__(self, settings: Settings, edition: str = "trainee", selection: str | None = None,
                 filename: str = "handbook.pdf"):
        self.settings, self.edition, self.selection, self.filename = settings, edition, selection, filename

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(self.filename, "PDF 手册", "the PDF handbook")]

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        cached = self.cached(library)
        target = out / self.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        import shutil

        shutil.copyfile(cached, target)

    def cached(self, library: Library) -> Path:
        """The rendered PDF in .cache/pdf/, rendered now if its inputs changed; older ones beyond CACHE_KEEP go."""
        cache = ContentCache(self.settings.cache_dir / "pdf", ".pdf")
        key = pdf_inputs_hash(library, self.settings, self.selection, self.edition)
        cached = cache.hit(key)  # recently used: kept longest
        if cached is not None:
            return cached
        cached = cache.path(key)
        cache.folder.mkdir(parents=True, exist_ok=True)
        build_pdf_in_pieces(library, self.settings, cached, self.selection, self.edition)
        cache.use(cached)
        cache.keep(CACHE_KEEP)
        return cached
