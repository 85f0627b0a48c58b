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

Cost, measured on the shipped library's book (173 pages): ~0.3 s (one pdftotext run, one qpdf
open); at 1,000 cases (~3,300 pages) see benchmarks/README.md.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from .errors import OutputError
from .library import Library

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


def check_book(path: Path, library: Library, pieces_pages: list[int] | None = None) -> None:
    """Raise OutputError unless the PDF at path holds every case of library (see the module docstring)."""
    pages, marks = outline_pages(path)
    texts = page_texts(path, pages)
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
    toc = "\n".join(texts[toc_start - 1:first_chapter - 1]) if toc_start and first_chapter else ""
    entries = [e for _, own, _ in library.chapters() for e in own]
    printed = contents_numbers(toc, [e.case.title for e in entries]) if toc else [None] * len(entries)
    for e, number in zip(entries, printed):
        title = e.case.title
        starts = by_title.get(squash(title), [])
        if not starts:
            problems.append(f"{e.id}“{title}”没有书签 (no bookmark)")
            continue
        page = starts.pop(0)
        if not 1 <= page <= len(texts) or squash(title) not in squash(texts[page - 1]):
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
