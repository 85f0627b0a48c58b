"""The kit's printed handouts (the pre-class reading, the worksheet): WeasyPrint, like the book and the pack PDFs.

They share the book's stylesheet (templates/pdf/book.css, rendered with the same page geometry
and fonts) plus templates/classroom/handout.css, and its tagged-PDF writer (pdf.write_document), so a
handout prints like the rest of the academy's material. A handout writer says which template
it renders and what it shows; this module does the rest, including the cache (cache.py).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ..pdf import engine as pdf
from ..pdf.book import STYLESHEET
from ..config import EDITION_MARK, Settings
from ..library import Library
from ..outputs.claims import Claim
from ..content.packs import Pack
from ..outputs.render import jinja_env
from ..outputs.urls import url_for
from ..outputs.writer import Writer
from .cache import KitCache, inputs_key
from .material import case_material

HANDOUT_CSS = "classroom/handout.css"


def handout_html(template: str, pack: Pack, library: Library, settings: Settings, edition: str, **extra) -> str:
    env = jinja_env(settings.templates_dir, settings.cache_dir / "jinja")
    w, h, top, bottom, inner, outer, size = pdf.PAGE_GEOMETRY[settings.page_size]
    when = library.edition_date()
    context = {
        "settings": settings, "library": library, "pack": pack, "numbers": {},
        "mark": EDITION_MARK if edition == "instructor" else "",
        "date_w3c": pdf.w3c_date(when) if when else None,
        "page": {"size": settings.page_size, "width": w, "height": h, "top": top, "bottom": bottom,
                 "inner": inner, "outer": outer, "font_pt": size},
        "number": {cid: n for n, cid in enumerate((c for c in pack.case_ids if library.get(c)), start=1)},
        "sessions": [{"session": s, "cases": [case_material(library.get(c)) for c in s.cases if library.get(c)]}
                     for s in pack.sessions],
        **extra,
    }
    css = env.get_template(STYLESHEET).render(**context) + env.get_template(HANDOUT_CSS).render(**context)
    return env.get_template(template).render(css=css.replace("</", "<\\/"), **context)


def render_pdf(html: str, settings: Settings, target: Path, selection: str) -> None:
    from weasyprint import HTML

    base = settings.root.resolve().as_uri() + "/"
    with pdf.fewer_full_collections():
        document = HTML(string=html, base_url=base, url_fetcher=pdf.url_fetcher(pdf.asset_roots(settings))).render()
        pdf.write_document(document, settings, target, selection)


class HandoutWriter(Writer):
    """One PDF handout per pack, made from the edition's Library, cached by its inputs."""

    name = "handout"
    kind = ""  # the url kind: pack_reading, pack_worksheet
    template = ""
    label = ""
    extra: dict = {}  # what the template needs besides the pack and its cases

    def __init__(self, settings: Settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition
        self.cache = KitCache(settings, f"{self.name}-{edition}", ".pdf")

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(url_for(self.kind, p), f"课程包 {p.id} 的{self.label}", f"the {self.name} of pack {p.id}", p.path)
                for p in library.packs]

    def cached(self, pack: Pack, library: Library) -> Path:
        html = handout_html(self.template, pack, library, self.settings, self.edition, **self.extra)
        key = inputs_key(self.name, pack, library, self.settings, self.edition, html)
        return self.cache.get(key, pack.id, lambda path: render_pdf(html, self.settings, path,
                                                                    f"{self.name}:{pack.id}"))

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        library = library.for_edition(self.edition)
        used = []
        for pack in library.packs:
            target = out / url_for(self.kind, pack)
            target.parent.mkdir(parents=True, exist_ok=True)
            used.append(self.cached(pack, library))
            shutil.copyfile(used[-1], target)
        self.cache.keep(used, spare=len(used) + 2)
