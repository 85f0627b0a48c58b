"""Case bodies (and the teaching notes a Library holds) converted to HTML and search text, on every core
for a large library: the site build's biggest cost.

Apart from the pages because it is the one piece of the site that shares work: the public part of each
body is kept per process, so the second edition of `build --edition both` converts only the notes.
"""
from __future__ import annotations

import os
from dataclasses import replace

from . import search
from ..library import Entry
from ..outputs.render import markdown_to_html
from ..outputs.urls import url_for


PARALLEL_FROM = 200  # below this many cases a second process costs more than it saves


_ENTRIES: list[Entry] = []  # what the forked workers of convert_bodies read, instead of pickling entries


# body key → (public HTML, public search text) of the last library converted in this process: a second
# edition built in the same process (`build --edition both`, the benchmark) converts only the notes
_SHARED: dict[tuple, tuple[str, str]] = {}
_SYNONYMS_KEY: tuple = ()
_SYNONYMS = None  # the library's synonym table while convert_bodies runs (read by the forked workers too)


def _convert(i: int) -> tuple[str, str, str | None, str]:
    """(public HTML, public search text, note HTML or None, note search text) of one case."""
    e = _ENTRIES[i]
    shared = _SHARED.get(_body_key(e))
    if shared is None:
        html = markdown_to_html(e.case.body)
        shared = html, search.indexed_text(e, html, _SYNONYMS)
    note = markdown_to_html(e.case.teaching_note) if e.case.teaching_note else None
    return (*shared, note, search.indexed_note(note, _SYNONYMS) if note else "")


def _body_key(e: Entry) -> tuple:
    """Everything a body's public HTML and search text depend on (never the edition, nor the teaching note,
    which the trainee Library does not hold)."""
    return repr(replace(e.case, teaching_note=None, teaching_note_line=0)), e.district.label, \
        tuple(p.name for p in e.problem_types), _SYNONYMS_KEY


def convert_bodies(entries: list[Entry], cache: dict | None = None,
                   synonyms=None) -> list[tuple[str, str | None, dict]]:
    """Each body (and teaching note, where the Library holds one) as HTML and as a search record, on every core for a large
    library (the build's biggest cost). The public part is shared with the other edition built in the same
    process, so the second edition converts only the teaching notes.

    With a cache (kept by a long-lived writer between builds), only new or changed cases are converted.
    """
    global _ENTRIES, _SYNONYMS, _SYNONYMS_KEY
    _SYNONYMS, _SYNONYMS_KEY = synonyms, synonyms.key if synonyms is not None else ()
    keys = [(_body_key(e), e.case.teaching_note) for e in entries]
    todo = [i for i in range(len(entries)) if cache is None or keys[i] not in cache]
    work = sum(_body_key(entries[i]) not in _SHARED for i in todo)
    work += sum(1 for i in todo if entries[i].case.teaching_note) // 2  # a note costs about half a body
    workers = min(os.cpu_count() or 1, 4)
    _ENTRIES = entries
    try:
        if work < PARALLEL_FROM or workers < 2:
            done = [_convert(i) for i in todo]
        else:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.map(_convert, todo, chunksize=max(1, len(todo) // (workers * 4)))
    finally:
        _ENTRIES = []
    if cache is None:
        converted = done
    else:
        fresh = {keys[i]: result for i, result in zip(todo, done)}
        converted = [fresh.get(k) or cache[k] for k in keys]
        cache.clear()
        cache.update(zip(keys, converted))
    _SHARED.clear()
    _SHARED.update((key[0], (html, text)) for key, (html, text, _, _) in zip(keys, converted))
    return [(html, note, search.record_page(e, url_for("case", e), text + note_text))
            for e, (html, text, note, note_text) in zip(entries, converted)]
