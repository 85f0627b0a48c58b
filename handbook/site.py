"""The site writer: Library → generated pages → mkdocs-material → Pagefind index.

This is the only module that knows MkDocs. Pages are rendered by our own Jinja2
templates into a throwaway docs_dir (case pages stay out of the navigation: the
theme renders the whole navigation into every page), then built by mkdocs.
"""
from __future__ import annotations

import json
import logging
import os
from html import escape as html_escape
import shutil
from pathlib import Path
from typing import Callable

from . import search
from .config import Settings
from .library import Entry, Library
from .render import jinja_env, markdown_to_html, point_links, strip_title
from .scratch import move_tree, scratch_dir

CHAPTERS = ("preface.md", "guide.md", "instructors.md")
LIST_STEP = 100  # cases a page in the finder's list for readers without JavaScript


class SiteError(Exception):
    """The site engine failed for a reason that is not a case's fault."""


def _page(meta: dict, html: str) -> str:
    # the theme prints title and description unescaped (its templates do not autoescape),
    # so they are escaped here, where untrusted case text enters the theme
    meta = {k: html_escape(v, quote=True) if isinstance(v, str) else v for k, v in meta.items()}
    meta["prerendered"] = True  # see mkdocs_hooks.py
    front = json.dumps(meta, ensure_ascii=False, sort_keys=True)  # JSON is YAML, and 20x faster to write
    return f"---\n{front}\n---\n\n{html.strip()}\n"


def case_body_html(entry: Entry, root: str, html: str | None = None) -> str:
    html = markdown_to_html(entry.case.body) if html is None else html
    return point_links(html, lambda cid: f"{root}cases/{cid}/", lambda src: f"{root}cases/{src.lstrip('./')}")


PARALLEL_FROM = 200  # below this many cases a second process costs more than it saves
_ENTRIES: list[Entry] = []  # what the forked workers of convert_bodies read, instead of pickling entries


def _convert(i: int) -> tuple[str, str]:
    e = _ENTRIES[i]
    html = markdown_to_html(e.case.body)
    return html, search.indexed_text(e, html)


def _body_key(e: Entry) -> tuple:
    """Everything the body's HTML and indexed text depend on."""
    return repr(e.case), e.district.label, tuple(p.name for p in e.problem_types)


def convert_bodies(entries: list[Entry], cache: dict | None = None) -> list[tuple[str, dict]]:
    """Each body as HTML and as a search record, on every core for a large library (the build's biggest cost).

    With a cache (kept by `serve` between builds), only new or changed cases are converted.
    """
    global _ENTRIES
    keys = [_body_key(e) for e in entries] if cache is not None else []
    todo = [i for i in range(len(entries)) if cache is None or keys[i] not in cache]
    workers = min(os.cpu_count() or 1, 4)
    _ENTRIES = entries
    try:
        if len(todo) < PARALLEL_FROM or workers < 2:
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
    return [(html, search.record_page(e, f"cases/{e.id}/", text)) for e, (html, text) in zip(entries, converted)]


class DocsWriter:
    """Writes the generated pages into docs and remembers them: a page that did not change is not
    written again, so its file keeps its time and mkdocs' dirty mode leaves its output alone."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.previous: dict[str, object] = {}
        self.current: dict[str, object] = {}

    def write(self, rel: str, text: str) -> None:
        self.current[rel] = text
        if self.previous.get(rel) != text:
            target = self.docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def copy(self, rel: str, source: Path) -> None:
        stat = source.stat()
        key = ("file", stat.st_mtime_ns, stat.st_size)
        self.current[rel] = key
        if self.previous.get(rel) != key:
            target = self.docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    def copy_tree(self, rel: str, source: Path) -> None:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.copy(f"{rel}/{path.relative_to(source).as_posix()}", path)

    def finish(self) -> list[str]:
        """End a round of writes; delete and return the pages of the last round not written in this one."""
        gone = [rel for rel in self.previous if rel not in self.current]
        for rel in gone:
            (self.docs / rel).unlink(missing_ok=True)
        self.previous, self.current = self.current, {}
        return gone


def overview_html(settings: Settings, slug: str) -> str:
    path = settings.content_dir / "problems" / f"{slug}.md"
    if not path.exists():
        return ""
    return markdown_to_html(strip_title(path.read_text(encoding="utf-8-sig")))


def labels(library: Library) -> dict:
    """Filter values → names shown in the finder."""
    types, districts = library.taxonomy.problem_types, library.taxonomy.districts()
    return {
        "type": {p.slug: p.name for p in types},
        "district": {d.key: d.label for d in districts},
        "order": {"type": [p.slug for p in types], "district": [d.key for d in districts]},
    }


def write_docs(library: Library, settings: Settings, docs: Path | DocsWriter, cache: dict | None = None,
               on_records: Callable[[list[dict]], None] | None = None) -> list[dict]:
    """Write every page into docs; return the search records (given to on_records as soon as they exist)."""
    env = jinja_env(settings.templates_dir)
    out = docs if isinstance(docs, DocsWriter) else DocsWriter(docs)
    out.docs.mkdir(parents=True, exist_ok=True)

    def write(rel: str, meta: dict, template: str, **context):
        depth = rel.count("/") + (0 if rel.endswith("index.md") else 1)
        root = "../" * depth
        html = env.get_template(template).render(root=root, library=library, settings=settings, **context)
        out.write(rel, _page(meta, html))

    case_tpl = env.get_template("site/case.html")
    converted_bodies = convert_bodies(library.entries, cache)
    records = [record for _, record in converted_bodies]
    if on_records is not None:
        on_records(records)
    for e, (converted, _) in zip(library.entries, converted_bodies):
        body = case_body_html(e, "../../", converted)
        html = case_tpl.render(e=e, body=body, root="../../")
        out.write(f"cases/{e.id}.md", _page({"title": e.case.title, "description": e.case.summary, "hide": ["toc"]}, html))
    write("index.md", {"title": "首页", "hide": ["toc"]}, "site/home.html")
    # the no-JavaScript list of every case, LIST_STEP a page: the finder itself stays light however many cases
    steps = [library.entries[i:i + LIST_STEP] for i in range(0, library.count, LIST_STEP)] or [[]]
    write("cases/index.md", {"title": "案例检索", "hide": ["toc"]}, "site/finder.html", labels=labels(library),
          listing=steps[0], step=1, steps=len(steps))
    for k, listing in enumerate(steps[1:], start=2):
        write(f"cases/list/{k}.md", {"title": f"全部案例（第 {k} 页）", "hide": ["toc"]}, "site/case_list.html",
              listing=listing, step=k, steps=len(steps))
    write("problems/index.md", {"title": "问题类型"}, "site/problems_index.html")
    write("districts/index.md", {"title": "地区"}, "site/districts_index.html")
    for p in library.types_in_use():
        write(f"problems/{p.slug}.md", {"title": p.name, "hide": ["toc"]}, "site/problem.html",
              ptype=p, entries=library.by_type[p.slug], overview=overview_html(settings, p.slug))
    for d in library.districts_in_use():
        write(f"districts/{d.city_slug}/{d.slug}.md", {"title": d.label, "hide": ["toc"]}, "site/district.html",
              district=d, entries=library.by_district[d.key])
    for name in CHAPTERS:
        source = settings.content_dir / name
        if source.exists():
            out.copy(name, source)
    out.copy_tree("assets", settings.templates_dir / "site" / "assets")
    images = settings.cases_dir / "images"
    if images.is_dir():
        out.copy_tree("cases/images", images)
    return records


def run_mkdocs(settings: Settings, docs: Path, out: Path, dirty: bool = False) -> None:
    """Build docs into out; dirty (for `serve`) renders only pages whose source is newer than their output.

    A dirty build is not strict: mkdocs warns that it is dirty. Every page was built strictly once before.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.ERROR if dirty else logging.WARNING)
    try:
        config = load_config(config_file=str(settings.mkdocs_file), docs_dir=str(docs), site_dir=str(out),
                             strict=not dirty)
        build(config, dirty=dirty)
    except (MkDocsException, SystemExit) as exc:
        raise SiteError(f"mkdocs: {exc}") from None


def build_site(library: Library, settings: Settings, work: Path, out: Path,
               docs_writer: DocsWriter | None = None, cache: dict | None = None) -> None:
    """Build the whole site into out (a fresh directory); the generated pages are kept in scratch space,
    or in docs_writer when the caller keeps them (the preview, with its body cache).

    Pagefind indexes its own pages (not mkdocs' output), so it runs beside mkdocs, on the other core.
    """
    with scratch_dir(settings.root, work, library.count) as tmp:
        docs = docs_writer or DocsWriter(tmp / "docs")
        built = tmp / "site"
        started: list[search.Indexer] = []

        def start_index(records: list[dict]) -> None:  # as soon as the records exist, before the pages
            started.append(search.start_index(records, tmp))

        try:
            write_docs(library, settings, docs, cache, on_records=start_index)
        except search.SearchIndexError as exc:
            raise SiteError(str(exc)) from None
        except BaseException:
            for indexer in started:
                indexer.cancel()
            raise
        indexer = started[0]
        edition = library.edition_date()
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        if edition is not None:  # the sitemap's dates follow the cases, not the clock
            os.environ["SOURCE_DATE_EPOCH"] = str(int(edition.timestamp()))
        try:
            run_mkdocs(settings, docs.docs, built)
        except BaseException:
            indexer.cancel()
            raise
        finally:
            if previous is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous
        try:
            move_tree(built, out)  # while Pagefind finishes
            indexer.finish(out)
        except search.SearchIndexError as exc:
            raise SiteError(str(exc)) from None
        finally:
            indexer.cancel()
