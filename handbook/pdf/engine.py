"""The PDF engine every PDF of the handbook stands on: page geometry, WeasyPrint with local files only, the
written file's /ID, tagging on write, fewer full garbage collections, and the code that renders.

The bottom of handbook/pdf/ with fonts.py and access.py: the book, its pieces, the case PDFs and the pack
PDFs all import from here, and this imports none of them. So a pack PDF lays out its pages exactly as the
book does (the same type area, a whole number of characters wide, the same fetcher, the same writing).
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import math
from contextlib import contextmanager
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote

from .. import report
from ..config import Settings
from ..outputs.atomic import atomic_path
from .access import PDF_VARIANT, furniture_as_artifacts


# page geometry per size: (width mm, height mm, top, bottom, inner, outer, body pt)
PAGE_GEOMETRY = {
    "A4": (210, 297, 24, 24, 25, 21, 10.5),
    "B5": (176, 250, 21, 21, 21, 17, 10),
    "A5": (148, 210, 16, 17, 17, 13, 9.5),
}


def asset_roots(settings: Settings) -> tuple[Path, ...]:
    return tuple(p.resolve() for p in (settings.cases_dir, settings.content_dir, settings.templates_dir,
                                       settings.cache_dir / "images"))


ASSET_SCHEME = "hbfile:"


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def asset_uri(roots: tuple[Path, ...], target: Path) -> str | None:
    """`hbfile:<n>/<path>`: a file under the nth of roots, named apart from the folder the project lies in.
    A piece's HTML is its cache key, and WeasyPrint names an image by the MD5 of its address (which orders the
    image objects): with file: URIs a project moved or copied elsewhere laid its 8-screenshot appendix out
    again (3 s) and wrote the same book with other bytes. None for a file under none of the roots."""
    for n, root in enumerate(roots):
        if _within(target, root):
            return f"{ASSET_SCHEME}{n}/{quote(target.relative_to(root).as_posix())}"
    return None


def asset_path(roots: tuple[Path, ...], uri: str) -> Path | None:
    """The file an `hbfile:` URI names, if it stays inside its root (None otherwise)."""
    number, _, rest = uri.removeprefix(ASSET_SCHEME).split("?")[0].split("#")[0].partition("/")
    if not number.isdigit() or int(number) >= len(roots):
        return None
    root = roots[int(number)]
    path = (root / unquote(rest)).resolve()
    return path if _within(path, root) else None


def text_margins(size: str) -> tuple[float, float]:
    """(inner, outer) margins in mm that make the type area a whole number of body characters wide (clreq):
    a line of Han characters then fills it exactly, so pure-Han lines end flush without justification
    (WeasyPrint justifies only at spaces, which Chinese text has none of). The outer margin gives way,
    rounded down to 0.001 mm so that rounding can never leave the last character of a full line without room."""
    w, _, _, _, inner, outer, pt = PAGE_GEOMETRY[size]
    em = pt * 25.4 / 72
    chars = int((w - inner - outer) / em + 1e-9)
    return inner, math.floor((w - inner - chars * em) * 1000) / 1000


def w3c_date(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def url_fetcher(roots: tuple[Path, ...]):
    """WeasyPrint's URL fetcher, limited to data: URLs and the files under roots."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """Serves data: URLs and files under the project's own folders (file: or hbfile:); refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(ASSET_SCHEME) and (path := asset_path(roots, url)) is not None:
                return super().fetch(path.as_uri(), headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname
                path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:"))).resolve()
                if any(_within(path, r) for r in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"not fetched (the PDF uses local files only): {url}")

    return LocalFetcher(allowed_protocols={"file", "data"})


class _PageCounter(logging.Handler):
    """Counts WeasyPrint's "Step 5 - Creating layout - Page N" progress messages."""

    def __init__(self, advance):
        super().__init__(logging.INFO)
        self.advance, self.done = advance, 0

    def emit(self, record):
        # pages laid out again (a page number resolved late) count once
        if str(record.msg).startswith("Step 5 - Creating layout - Page") and record.args:
            page = int(record.args[0])
            if page > self.done:
                self.advance(page - self.done)
                self.done = page


@contextmanager
def pages_progress(label: str):
    """Pages laid out so far, on the terminal's progress display (report.task); nothing without one."""
    if not report.showing_progress():
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    level, propagate = logger.level, logger.propagate
    with report.task(label, None) as advance:
        handler = _PageCounter(advance)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        try:
            yield
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


def pdf_identifier(settings: Settings, selection: str | None) -> bytes:
    """The permanent half of the PDF /ID: the same book (title, selection) keeps it across editions."""
    return hashlib.md5(f"{settings.title}\0{selection or ''}".encode()).hexdigest().encode()


def write_document(document, settings: Settings, out_path: Path, selection: str | None = None, *,
                   tagged: bool = True, verify: Callable[[Path], None] | None = None) -> None:
    """Write a rendered book to out_path through outputs.atomic (a reader never sees half a file).

    tagged: a tagged PDF/UA-1 file (handbook/pdf/access.py); False only to measure what tagging costs.
    verify: called with the finished file before it replaces out_path; what it raises keeps the old file."""
    from .fonts import quick_subsets

    options = {"pdf_variant": PDF_VARIANT} if tagged else {}
    with atomic_path(Path(out_path)) as tmp:
        with open(tmp, "wb") as handle, furniture_as_artifacts(), quick_subsets():
            document.write_pdf(handle, pdf_identifier=pdf_identifier(settings, selection), **options)
        if verify is not None:
            verify(tmp)


@contextmanager
def fewer_full_collections(threshold: int = 1000):
    """WeasyPrint builds millions of objects that live until the book is written, and each of CPython's full
    (oldest-generation) garbage collections walks all of them again. Running those 100x less often took a
    200-case book from 36 to 30 s for ~45 MB more memory; the output is byte-identical."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], max(before[2], threshold))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def weasyprint_version() -> str:
    """WeasyPrint's version, read without importing it (half a second) when nothing is to be laid out."""
    from importlib.metadata import version

    return version("weasyprint")


def files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def page_context(settings: Settings) -> dict:
    """The page the templates lay out on (templates/pdf/book.css): size, margins, body size. The type area is a
    whole number of body characters wide (text_margins), for the book and for every pack alike."""
    w, h, top, bottom, _, _, size = PAGE_GEOMETRY[settings.page_size]
    inner, outer = text_margins(settings.page_size)
    return {"size": settings.page_size, "width": w, "height": h, "top": top, "bottom": bottom,
            "inner": inner, "outer": outer, "font_pt": size}


def lay_out_html(html: str, settings: Settings):
    """One HTML document laid out by WeasyPrint with the project's own files only: a weasyprint.Document."""
    from weasyprint import HTML

    base = settings.root.resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=url_fetcher(asset_roots(settings))).render()
