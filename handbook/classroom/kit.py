"""The kit's writers in the order a build runs them, and the pack page's download list with sizes.

The pack page (written by the site writer, before the file writers run) links the deck, the
reading, the worksheet and the pack PDF with their sizes. Each file is made through its writer's
cache (cache.py), so asking for its size here makes it once; the writers then copy the same file.
"""
from __future__ import annotations

from ..config import Settings
from ..library import Library
from ..pdf.packs import PackPdfWriter
from ..outputs.urls import url_for
from .reading import ReadingWriter
from .slides import DeckWriter
from .worksheet import WorksheetWriter


def kit_writers(settings: Settings, edition: str) -> list:
    return [DeckWriter(settings, edition), ReadingWriter(settings, edition), WorksheetWriter(settings, edition)]


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"


DOWNLOADS = (  # (url kind, label, what it is for, the writer that makes it)
    ("pack_deck", "幻灯片（PPTX）", "上课投影，PowerPoint、WPS 演示、LibreOffice 都能打开", DeckWriter),
    ("pack_reading", "课前阅读（PDF）", "课前发给学员：只有各案例的背景", ReadingWriter),
    ("pack_worksheet", "学员练习册（PDF）", "课上发给学员：签到表、讨论题和书写格、小组讨论记录", WorksheetWriter),
    ("pack_pdf", "课程包（PDF）", "全部案例的完整文本和讨论题", PackPdfWriter),
)


def downloads(library: Library, settings: Settings, edition: str) -> dict[str, list[dict]]:
    """pack id → its files: label, address, size, use."""
    writers = {cls: cls(settings, edition) for *_, cls in DOWNLOADS}
    pdf_library = library  # the pack PDF writer takes the full Library and the edition, as in the build
    library = library.for_edition(edition)
    out = {}
    for pack in library.packs:
        full = next(p for p in pdf_library.packs if p.id == pack.id)
        files = []
        for kind, label, use, cls in DOWNLOADS:
            path = writers[cls].cached(full, pdf_library) if cls is PackPdfWriter else writers[cls].cached(pack, library)
            files.append({"label": label, "url": url_for(kind, pack), "size": human_size(path.stat().st_size),
                          "use": use, "kind": kind})
        out[pack.id] = files
    return out
