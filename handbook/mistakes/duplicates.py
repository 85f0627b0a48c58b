"""The same case copied under a second id is a warning, at the copy.

A case copied to a new file name (to start a similar one, or saved twice) was published
twice without a word. Two cases are taken as the same when their titles match once
spaces and punctuation are set aside, or when they cite the same sources and tell
nearly the same story in the same place under a similar title (same district, summaries
at least 70% and titles at least 50% alike, difflib): one report often
describes several communities (in the library 30 cases share their sources with
another), so the same sources alone are not a copy. A warning and not an error: two real cases can share a title. The first file
with the shorter name (then in name order) is the original; the message names it at the copy's line.
"""
from __future__ import annotations

import difflib
import re

from ..content.problems import Problem, warning

_NOISE = re.compile(r"[\s\u3000“”\"'‘’「」《》〈〉()（）,，。.、:：;；!！?？·—\-]+")


def _title_key(title: str) -> str:
    return _NOISE.sub("", title or "")


def _sources_key(case) -> frozenset | None:
    keys = frozenset((s.url or "") + "\0" + _title_key(s.title) + "\0" + s.publisher + "\0" + s.date
                     for s in case.sources)
    return keys or None


def _alike(a, b) -> bool:
    def ratio(x: str, y: str) -> float:
        return difflib.SequenceMatcher(None, _title_key(x), _title_key(y)).ratio()

    return (a.city, a.district) == (b.city, b.district) and ratio(a.summary, b.summary) >= 0.7 \
        and ratio(a.title, b.title) >= 0.5


def duplicate_problems(cases) -> list[Problem]:
    problems = []
    by_title: dict[str, object] = {}
    by_sources: dict[frozenset, list] = {}
    for case in sorted(cases, key=lambda c: (len(c.path.name), c.path.name)):  # the copy has the longer name
        title = _title_key(case.title)
        sources = _sources_key(case)
        if title and title in by_title:
            first = by_title[title]
            problems.append(warning(case.path, case.line_of("title"), "duplicate-title", other=first.path.name))
        elif sources is not None and (first := next((c for c in by_sources.get(sources, []) if _alike(c, case)), None)):
            problems.append(warning(case.path, case.line_of("sources"), "duplicate-sources", other=first.path.name))
        by_title.setdefault(title, case)
        if sources is not None:
            by_sources.setdefault(sources, []).append(case)
    return problems
