"""The completeness gate: a PDF is kept only when real tools find in it every case of its selection.

After every render, before the file may replace the last good one, the finished PDF is read back
with pikepdf (qpdf: page count, outline and each bookmark's page) and poppler's pdftotext (the text
of every page, as a reader's tool extracts it) and checked:

- every case of the selection has a bookmark, whose page holds the case's title;
- the contents pages list every case with the number of the page its bookmark points at;
- the page count is the sum of the pieces' pages, when the book was put together from pieces.

Anything missing raises OutputError naming the cases and what is wrong with each, so the build
fails and outputs.swap_into never moves the file into place: the previous PDF stays where it was.
What this guards against is not WeasyPrint's layout (the tests cover that) but what goes wrong
between a layout and a finished file: a piece dropped or cut short when pieces are joined, an
anchor or a page number that points elsewhere, a template that leaves out a case.

Cost: pdftotext spends ~10 ms on every page of these books, whatever its mode (3,138 pages: 33 s), so only
the pages the checks need (contents, each case's first page) are given to it, in a copy made by qpdf, split
between two pdftotext runs; and in a book made of pieces, the pages of a piece taken unchanged from cache and
joined where it was laid out for are not read again: their text, read by the build that laid the piece out, is
kept with it (pieces.PieceRenderer.known_texts). See benchmarks/README.md.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ..errors import OutputError
from ..library import Library

_WS = re.compile(r"\s+")
SHOW = 8  # problems named in the message; the rest are counted


def squash(text: str) -> str:
    return _WS.sub("", text)


def outline_pages(path: Path) -> tuple[int, list[tuple[int, str, int]]]:
    """(page count, [(level, title, 1-based page)] of the outline in order), read with pikepdf."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        index = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        marks: list[tuple[int, str, int]] = []
        with pdf.open_outline() as outline:
            def walk(items, level):
                for item in items:
                    dest = item.destination
                    page = 0
                    if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
                        page = index.get(dest[0].objgen, 0)
                    marks.append((level, str(item.title), page))
                    walk(item.children, level + 1)
            walk(outline.root, 1)
        return len(pdf.pages), marks


def page_texts(path: Path, pages: int, jobs: int | None = None) -> list[str]:
    """The text of every page (index 0 = page 1) by pdftotext in layout mode; pdftotext is single-threaded
    (~10 ms a page for this book), so the pages are split between one run per core."""
    if shutil.which("pdftotext") is None:
        raise OutputError("找不到 pdftotext，无法检查 PDF 是否完整；请运行 make site 安装 poppler-utils "
                          "(pdftotext not found: the PDF cannot be checked; `make site` installs poppler-utils)")
    jobs = max(1, min(jobs or os.cpu_count() or 1, pages // 50 or 1))
    bounds = [round(i * pages / jobs) for i in range(jobs + 1)]
    runs = [subprocess.Popen(["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(a + 1), "-l", str(b), str(path), "-"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for a, b in zip(bounds, bounds[1:]) if b > a]
    texts: list[str] = []
    for run in runs:
        out, err = run.communicate()
        if run.returncode != 0:
            raise OutputError(f"pdftotext 读不了生成的 PDF (pdftotext cannot read the PDF): "
                              f"{err.decode(errors='replace').strip()[:300]}")
        texts += out.decode("utf-8", errors="replace").split("\f")[:-1]  # each page ends in a form feed
    return texts


def contents_numbers(text: str, titles: list[str]) -> list[int | None]:
    """The page number printed after each title in the contents text, in order (None: not found)."""
    found, at = [], 0
    for title in titles:
        chars = squash(title)
        pattern = re.compile(r"\s*".join(map(re.escape, chars)) + r"[\s.…]*?(\d+)(?=\s|$)")
        m = pattern.search(text, at)
        if m is None:
            m = pattern.search(text)  # out of order: still a number, checked below
        if m is None:
            found.append(None)
            continue
        found.append(int(m.group(1)))
        at = m.end()
    return found


def needed_texts(path: Path, pages: list[int], total: int, known: dict[int, str] | None = None) -> dict[int, str]:
    """{page: text} of the given 1-based pages only. pdftotext spends ~10-20 ms on each page of a book (it
    reads the ToUnicode maps of the page's fonts, subset for the whole book, again on every page), so the
    pages wanted (the contents and each case's first page, a third of the book) are copied by qpdf into a
    file of their own first: 400 cases, 1,300 pages: 12.7 s of pdftotext for the whole book."""
    import pikepdf

    wanted = set(pages)
    known = {p: t for p, t in (known or {}).items() if p in wanted}
    pages = sorted(set(p for p in pages if 1 <= p <= total and p not in known))
    if not pages:
        return known
    if len(pages) > total * 0.8:
        texts = page_texts(path, total)
        return {**known, **{p: texts[p - 1] for p in pages if p <= len(texts)}}
    part = path.with_name(f".{path.name}.check-{os.getpid()}.pdf")
    try:
        with pikepdf.open(path) as pdf:
            out = pikepdf.new()
            for p in pages:
                out.pages.append(pdf.pages[p - 1])
            out.save(part, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        texts = page_texts(part, len(pages))
    finally:
        part.unlink(missing_ok=True)
    return {**known, **dict(zip(pages, texts))}


def check_book(path: Path, library: Library, pieces_pages: list[int] | None = None,
               known: dict[int, str] | None = None) -> dict[int, str]:
    """Raise OutputError unless the PDF at path holds every case of library (see the module docstring).

    known: {page: text} read from these very pages before (a piece taken from cache, joined unchanged at the
    place it was laid out for): pdftotext reads only the other pages. Returns {page: text} of the pages read."""
    pages, marks = outline_pages(path)
    problems: list[str] = []
    if pieces_pages is not None and pages != sum(pieces_pages):
        problems.append(f"共 {pages} 页，但各部分合计 {sum(pieces_pages)} 页 "
                        f"({pages} pages, the pieces have {sum(pieces_pages)})")
    by_title: dict[str, list[int]] = {}
    for level, title, page in marks:
        if level >= 2:
            by_title.setdefault(squash(title), []).append(page)
    top = [(title, page) for level, title, page in marks if level == 1]
    toc_start = next((page for title, page in top if title == "目录"), None)
    first_chapter = next((page for title, page in top if title.startswith("第")), None)
    toc_pages = list(range(toc_start, first_chapter)) if toc_start and first_chapter else []
    case_pages = [page for level, _, page in marks if level >= 2]
    texts = needed_texts(path, toc_pages + case_pages, pages, known)
    toc = "\n".join(texts.get(p, "") for p in toc_pages)
    entries = [e for _, own, _ in library.chapters() for e in own]
    printed = contents_numbers(toc, [e.case.title for e in entries]) if toc else [None] * len(entries)
    for e, number in zip(entries, printed):
        title = e.case.title
        starts = by_title.get(squash(title), [])
        if not starts:
            problems.append(f"{e.id}“{title}”没有书签 (no bookmark)")
            continue
        page = starts.pop(0)
        if squash(title) not in squash(texts.get(page, "")):
            problems.append(f"{e.id}“{title}”不在书签指向的第 {page} 页 (not on page {page}, where its bookmark points)")
        if number is None:
            problems.append(f"{e.id}“{title}”不在目录里 (not in the contents)")
        elif number != page:
            problems.append(f"{e.id}“{title}”在目录里是第 {number} 页，实际从第 {page} 页开始 "
                            f"(the contents say page {number}, it starts on page {page})")
    if problems:
        more = f"；另有 {len(problems) - SHOW} 处 (and {len(problems) - SHOW} more)" if len(problems) > SHOW else ""
        raise OutputError(f"生成的 PDF 不完整，未替换原有文件 (the PDF is incomplete; the previous one is kept): "
                          + "；".join(problems[:SHOW]) + more)
    return texts
