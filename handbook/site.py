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

from . import search
from .config import Settings
from .library import Entry, Library
from .render import jinja_env, markdown_to_html, point_links, strip_title

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


def _convert(i: int) -> tuple[str, dict]:
    e = _ENTRIES[i]
    html = markdown_to_html(e.case.body)
    return html, search.record_for(e, html, f"cases/{e.id}/")


def convert_bodies(entries: list[Entry]) -> list[tuple[str, dict]]:
    """Each body as HTML and as a search record, on every core for a large library (the build's biggest cost)."""
    global _ENTRIES
    workers = min(os.cpu_count() or 1, 4)
    _ENTRIES = entries
    try:
        if len(entries) < PARALLEL_FROM or workers < 2:
            return [_convert(i) for i in range(len(entries))]
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_convert, range(len(entries)), chunksize=max(1, len(entries) // (workers * 4)))
    finally:
        _ENTRIES = []


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


def write_docs(library: Library, settings: Settings, docs: Path) -> list[dict]:
    """Write every page into docs; return the search records."""
    env = jinja_env(settings.templates_dir)
    docs.mkdir(parents=True, exist_ok=True)

    def write(rel: str, meta: dict, template: str, **context):
        depth = rel.count("/") + (0 if rel.endswith("index.md") else 1)
        root = "../" * depth
        html = env.get_template(template).render(root=root, library=library, settings=settings, **context)
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_page(meta, html), encoding="utf-8")

    records = []
    case_tpl = env.get_template("site/case.html")
    (docs / "cases").mkdir(parents=True, exist_ok=True)
    for e, (converted, record) in zip(library.entries, convert_bodies(library.entries)):
        body = case_body_html(e, "../../", converted)
        html = case_tpl.render(e=e, body=body, root="../../")
        (docs / "cases" / f"{e.id}.md").write_text(
            _page({"title": e.case.title, "description": e.case.summary, "hide": ["toc"]}, html), encoding="utf-8")
        records.append(record)
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
            shutil.copyfile(source, docs / name)
    shutil.copytree(settings.templates_dir / "site" / "assets", docs / "assets", dirs_exist_ok=True)
    images = settings.cases_dir / "images"
    if images.is_dir():
        shutil.copytree(images, docs / "cases" / "images", dirs_exist_ok=True)
    return records


def run_mkdocs(settings: Settings, docs: Path, out: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(config_file=str(settings.mkdocs_file), docs_dir=str(docs), site_dir=str(out),
                             strict=True)
        build(config)
    except (MkDocsException, SystemExit) as exc:
        raise SiteError(f"mkdocs: {exc}") from None


def build_site(library: Library, settings: Settings, work: Path, out: Path) -> None:
    """Build the whole site into out (a fresh directory); work holds the generated docs.

    Pagefind indexes its own pages (not mkdocs' output), so it runs beside mkdocs, on the other core.
    """
    docs = work / "docs"
    records = write_docs(library, settings, docs)
    edition = library.edition_date()
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if edition is not None:  # the sitemap's dates follow the cases, not the clock
        os.environ["SOURCE_DATE_EPOCH"] = str(int(edition.timestamp()))
    try:
        indexer = search.start_index(records, work)
    except search.SearchIndexError as exc:
        raise SiteError(str(exc)) from None
    try:
        run_mkdocs(settings, docs, out)
    except BaseException:
        indexer.cancel()
        raise
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    try:
        indexer.finish(out)
    except search.SearchIndexError as exc:
        raise SiteError(str(exc)) from None
