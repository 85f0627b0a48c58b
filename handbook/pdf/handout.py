"""Class handouts from `build.py pdf`: chosen cases (`--case`), chosen sections (`--sections 背景`).

A handout is for one class, not a book: the one-case handout made with `--district`
was 47 pages, with chapter overviews that speak of cases not in it and the 25-page
编写指南 appendix. So any `pdf` selection is a handout (Library.handout): its cases
with their chapter heads, contents and index, and no preface, overview or appendix
(pdf.book_context). `--sections 背景` keeps only those `## ` sections of each case:
the pre-class reading the pack notes ask for. The bodies are cut here, before the
writers, so the PDF renderer gets an ordinary library.
"""
from __future__ import annotations

import dataclasses
import re

from ..library import Library, build_library
from ..content.schema import SECTIONS, suggest

_H2 = re.compile(r"^##(?!#)[ \t]*(.+?)[ \t]*#*[ \t]*$")


def choose_cases(library: Library, ids: list[str]) -> tuple[list[Library], list[str]]:
    """The entries of the given ids, or messages for ids that are not published cases (with did-you-mean)."""
    problems, chosen = [], []
    known = [e.id for e in library.entries]
    for cid in ids:
        entry = library.get(cid)
        if entry is None:
            near = suggest(cid, known)
            problems.append(f"没有编号为“{cid}”的案例{f'，是否应为 {near}？' if near else ''}（编号就是 cases/ 里的文件名去掉 .md）"
                            f" (no case '{cid}'{f'; did you mean {near}?' if near else ''})")
        else:
            chosen.append(entry)
    return chosen, problems


def cut_body(body: str, sections: list[str]) -> str:
    """Only the `## ` sections named (in the case's own order); text before the first section goes too."""
    keep, out = False, []
    for line in body.split("\n"):
        m = _H2.match(line)
        if m:
            keep = m.group(1) in sections
        if keep:
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def section_problems(sections: list[str]) -> list[str]:
    wrong = [s for s in sections if s not in SECTIONS]
    return [f"没有“{s}”这个小节：可选的是 {'、'.join(SECTIONS)} (no section '{s}': choose from {', '.join(SECTIONS)})"
            for s in wrong]


def handout(library: Library, entries, sections: list[str] | None) -> Library:
    """A Library of the entries, bodies cut to the sections, marked as a handout for the PDF."""
    cases = [e.case if not sections else dataclasses.replace(e.case, body=cut_body(e.case.body, sections))
             for e in entries]
    sub = build_library(cases, library.taxonomy, include_drafts=True)
    sub.handout = True
    return sub
