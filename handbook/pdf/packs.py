"""The course-pack PDFs: one classroom handout per pack (site/packs/<id>.pdf), in the edition being built.

Each pack is a small book laid out with the handbook's own stylesheet (templates/pdf/book.css)
and case macro, so a case looks the same in the handbook and in a pack: a cover with
the pack's title, audience and date, a contents page with page numbers, each session
as a chapter that opens with its cases (with page numbers) and its own questions, then
holds the cases in full, each with its discussion questions; a lined
"笔记" page after each session for the classroom, and the sources of all its cases.
The instructor edition adds the teaching notes and the session notes.

Packs are small (a few cases each), so each is rendered alone and cached under the
hash of its inputs, like the handbook: an unchanged pack is copied, not rendered.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .book import STYLESHEET, book_case_html, chinese_number, pdf_inputs_hash
from .engine import fewer_full_collections, lay_out_html, page_context, w3c_date, write_document
from ..config import EDITION_MARK, Settings
from ..library import Library
from ..outputs.claims import Claim
from ..content.packs import Pack, pack_sources
from ..outputs.render import jinja_env
from ..outputs.urls import url_for
from ..outputs.cache import ContentCache, content_key
from ..outputs.writer import Writer

TEMPLATE = "pdf/pack.html"


def pack_context(pack: Pack, library: Library, settings: Settings, edition: str) -> dict:
    library = library.for_edition(edition)
    pack = next((p for p in library.packs if p.id == pack.id), pack)  # the edition's copy of the pack
    sessions, n = [], 0
    for i, session in enumerate(pack.sessions, start=1):
        items = []
        for cid in session.cases:
            e = library.get(cid)
            if e is None:
                continue
            n += 1
            items.append({"e": e, "n": n, "anchor": f"s{i}-case-{cid}",
                          "body": book_case_html(e, library, settings),
                          "note": book_case_html(e, library, settings, e.case.teaching_note)
                          if e.case.teaching_note else None})
        sessions.append({"session": session, "number": chinese_number(i), "anchor": f"session-{i}",
                         "cases": items})
    when = library.edition_date()
    return {
        "settings": settings, "library": library, "pack": pack, "sessions": sessions,
        "sources": pack_sources(pack, library), "numbers": {},
        "mark": EDITION_MARK if edition == "instructor" else "",
        "date_w3c": w3c_date(when) if when else None,
        "page": page_context(settings),
    }


def pack_html(pack: Pack, library: Library, settings: Settings, edition: str) -> str:
    env = jinja_env(settings.templates_dir, settings.cache_dir / "jinja")
    context = pack_context(pack, library, settings, edition)
    css = env.get_template(STYLESHEET).render(**context) + PACK_CSS
    return env.get_template(TEMPLATE).render(css=css.replace("</", "<\\/"), **context)


PACK_CSS = """
/* a pack: the lined notes page after each session */
.notes-page { break-before: page; }
.notes-title { margin-bottom: 6mm; }
.notes-line { border-bottom: 0.4pt solid #9a9a9a; height: 9mm; }
.session-intro { margin-top: 8mm; }
.session-intro .toc-list { margin-bottom: 6mm; }
"""


class PackPdfWriter(Writer):
    """packs/<id>.pdf for every pack of the library."""

    name = "packs"

    def __init__(self, settings: Settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(url_for("pack_pdf", p), f"课程包 {p.id} 的 PDF", f"the PDF of pack {p.id}", p.path)
                for p in library.packs]

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        for pack in library.packs:
            target = out / url_for("pack_pdf", pack)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.cached(pack, library), target)

    def cached(self, pack: Pack, library: Library) -> Path:
        html = pack_html(pack, library, self.settings, self.edition)
        key = content_key(html, pdf_inputs_hash(library, self.settings, f"pack:{pack.id}", self.edition))
        cache = ContentCache(self.settings.cache_dir / "packs", ".pdf")
        cached = cache.hit(key)
        if cached is not None:
            return cached
        cached = cache.path(key)
        cache.folder.mkdir(parents=True, exist_ok=True)
        with fewer_full_collections():
            document = lay_out_html(html, self.settings)
            write_document(document, self.settings, cached, f"pack:{pack.id}")
        cache.use(cached)
        cache.keep(2 * max(1, len(library.packs)) + 2)
        return cached
