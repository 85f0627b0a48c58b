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

import hashlib
import os
import shutil
from pathlib import Path

from . import book as pdf
from ..config import EDITION_MARK, Settings
from ..library import Library
from ..outputs.claims import Claim
from ..content.packs import Pack, pack_sources
from ..outputs.render import jinja_env
from ..outputs.urls import url_for
from ..outputs.writer import Writer

TEMPLATE = "pdf/pack.html"


def pack_context(pack: Pack, library: Library, settings: Settings, edition: str) -> dict:
    instructor = edition == "instructor"
    sessions, n = [], 0
    for i, session in enumerate(pack.sessions, start=1):
        items = []
        for cid in session.cases:
            e = library.get(cid)
            if e is None:
                continue
            n += 1
            items.append({"e": e, "n": n, "anchor": f"s{i}-case-{cid}",
                          "body": pdf.book_case_html(e, library, settings),
                          "note": pdf.book_case_html(e, library, settings, e.case.teaching_note)
                          if instructor and e.case.teaching_note else None})
        sessions.append({"session": session, "number": pdf.chinese_number(i), "anchor": f"session-{i}",
                         "cases": items})
    when = library.edition_date()
    w, h, top, bottom, inner, outer, size = pdf.PAGE_GEOMETRY[settings.page_size]
    return {
        "settings": settings, "library": library, "pack": pack, "sessions": sessions,
        "sources": pack_sources(pack, library), "numbers": {},
        "mark": EDITION_MARK if instructor else "",
        "date_w3c": pdf._w3c(when) if when else None,
        "page": {"size": settings.page_size, "width": w, "height": h, "top": top, "bottom": bottom,
                 "inner": inner, "outer": outer, "font_pt": size},
    }


def pack_html(pack: Pack, library: Library, settings: Settings, edition: str) -> str:
    env = jinja_env(settings.templates_dir)
    context = pack_context(pack, library, settings, edition)
    css = env.get_template(pdf.STYLESHEET).render(**context) + PACK_CSS
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
        from weasyprint import HTML

        html = pack_html(pack, library, self.settings, self.edition)
        key = hashlib.sha256("\0".join([html, pdf.pdf_inputs_hash(library, self.settings, f"pack:{pack.id}",
                                                                  self.edition)]).encode()).hexdigest()
        cache = self.settings.cache_dir / "packs"
        cached = cache / f"{key}.pdf"
        if cached.exists():
            os.utime(cached)
            return cached
        cache.mkdir(parents=True, exist_ok=True)
        base = self.settings.root.resolve().as_uri() + "/"
        with pdf.fewer_full_collections():
            document = HTML(string=html, base_url=base, url_fetcher=pdf.url_fetcher(pdf._roots(self.settings))).render()
            pdf.write_document(document, self.settings, cached, f"pack:{pack.id}")
        keep = 2 * max(1, len(library.packs)) + 2
        for old in sorted(cache.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)[keep:]:
            old.unlink(missing_ok=True)
        return cached
