"""The site writer: Library → generated pages → mkdocs-material → Pagefind index.

This is the only module that knows MkDocs. Pages are rendered by our own Jinja2
templates into a throwaway docs_dir (case pages stay out of the navigation: the
theme renders the whole navigation into every page), then built by mkdocs.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import threading
from html import escape as html_escape
from pathlib import Path
from typing import Callable

from . import search
from .cite import citation, scholar_meta
from .config import CHAPTERS, EDITION_MARK, Settings
from .data import CSV_FILE, JSON_FILE, codebook
from .errors import OutputError
from .library import Entry, Library
from .outputs import Claim, swap_into
from .render import MARKDOWN_CONFIG, MARKDOWN_EXTENSIONS, jinja_env, markdown_to_html, point_links, split_title
from .scratch import move_tree, scratch_dir
from .urls import absolute, url_for
from .writer import Writer

LIST_STEP = 100  # cases a page in the finder's list for readers without JavaScript


class SiteError(OutputError):
    """The site engine failed for a reason that is not a case's fault."""


def _page(meta: dict, html: str) -> str:
    # the theme prints title and description unescaped (its templates do not autoescape),
    # so they are escaped here, where untrusted case text enters the theme
    meta = {k: html_escape(v, quote=True) if isinstance(v, str) else v for k, v in meta.items()}
    meta["prerendered"] = True  # see mkdocs_hooks.py
    front = json.dumps(meta, ensure_ascii=False, sort_keys=True)  # JSON is YAML, and 20x faster to write
    return f"---\n{front}\n---\n\n{html.strip()}\n"


def site_links(html: str, root: str) -> str:
    """A case body's links to other cases and its images, pointed at their pages in the site."""
    return point_links(html, lambda cid: root + url_for("case", cid), lambda src: root + url_for("image", src))


PARALLEL_FROM = 200  # below this many cases a second process costs more than it saves
_ENTRIES: list[Entry] = []  # what the forked workers of convert_bodies read, instead of pickling entries
_WITH_NOTES = False
_SYNONYMS_KEY: tuple = ()
_SYNONYMS = None  # the library's synonym table while convert_bodies runs (read by the forked workers too)
# body key → (public HTML, public search text) of the last library converted in this process: a second
# edition built in the same process (`build --edition both`, the benchmark) converts only the notes
_SHARED: dict[tuple, tuple[str, str]] = {}


def _convert(i: int) -> tuple[str, str, str | None, str]:
    """(public HTML, public search text, note HTML or None, note search text) of one case."""
    e = _ENTRIES[i]
    shared = _SHARED.get(_body_key(e))
    if shared is None:
        html = markdown_to_html(e.case.body)
        shared = html, search.indexed_text(e, html, _SYNONYMS)
    note = markdown_to_html(e.case.teaching_note) if _WITH_NOTES and e.case.teaching_note else None
    return (*shared, note, search.indexed_note(note, _SYNONYMS) if note else "")


def _body_key(e: Entry) -> tuple:
    """Everything a body's public HTML and search text depend on (never the edition)."""
    return repr(e.case), e.district.label, tuple(p.name for p in e.problem_types), _SYNONYMS_KEY


def convert_bodies(entries: list[Entry], with_notes: bool, cache: dict | None = None,
                   synonyms=None) -> list[tuple[str, str | None, dict]]:
    """Each body (and, with_notes, teaching note) as HTML and as a search record, on every core for a large
    library (the build's biggest cost). The public part is shared with the other edition built in the same
    process, so the second edition converts only the teaching notes.

    With a cache (kept by a long-lived writer between builds), only new or changed cases are converted.
    """
    global _ENTRIES, _WITH_NOTES, _SYNONYMS, _SYNONYMS_KEY
    _SYNONYMS, _SYNONYMS_KEY = synonyms, synonyms.key if synonyms is not None else ()
    keys = [(_body_key(e), with_notes) for e in entries]
    todo = [i for i in range(len(entries)) if cache is None or keys[i] not in cache]
    work = sum(_body_key(entries[i]) not in _SHARED for i in todo)
    if with_notes:  # a note costs about half a body
        work += sum(1 for i in todo if entries[i].case.teaching_note) // 2
    workers = min(os.cpu_count() or 1, 4)
    _ENTRIES, _WITH_NOTES = entries, with_notes
    try:
        if work < PARALLEL_FROM or workers < 2:
            done = [_convert(i) for i in todo]
        else:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.map(_convert, todo, chunksize=max(1, len(todo) // (workers * 4)))
    finally:
        _ENTRIES, _WITH_NOTES = [], False
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
    return markdown_to_html(split_title(path.read_text(encoding="utf-8-sig"))[1])


def labels(library: Library) -> dict:
    """Filter values → names shown in the finder."""
    types, districts = library.taxonomy.problem_types, library.taxonomy.districts()
    return {
        "type": {p.slug: p.name for p in types},
        "district": {d.key: d.label for d in districts},
        "order": {"type": [p.slug for p in types], "district": [d.key for d in districts]},
    }


def _root(rel: str) -> str:
    """The relative path from a generated page (docs-relative .md name) to the site root."""
    return "../" * (rel.count("/") + (0 if rel.endswith("index.md") else 1))


def output_of(rel: str) -> str:
    """What mkdocs makes of a docs file (directory URLs): x/index.md → x/index.html, x/y.md → x/y/index.html."""
    if rel.endswith("index.md"):
        return rel[:-3] + ".html"
    if rel.endswith(".md"):
        return rel[:-3] + "/index.html"
    return rel


def list_steps(library: Library) -> list[list[Entry]]:
    """The no-JavaScript list of every case, LIST_STEP a page: the finder itself stays light however many cases."""
    return [library.entries[i:i + LIST_STEP] for i in range(0, library.count, LIST_STEP)] or [[]]


def write_docs(library: Library, settings: Settings, docs: Path | DocsWriter, cache: dict | None = None,
               on_records: Callable[[list[dict]], None] | None = None, edition: str = "trainee",
               with_pdfs: bool = True) -> list[dict]:
    """Write every page into docs; return the search records (given to on_records as soon as they exist)."""
    env = jinja_env(settings.templates_dir)
    out = docs if isinstance(docs, DocsWriter) else DocsWriter(docs)
    out.docs.mkdir(parents=True, exist_ok=True)
    with_notes = edition == "instructor"

    def write(rel: str, meta: dict, template: str, **context):
        html = env.get_template(template).render(root=_root(rel), library=library, settings=settings,
                                                 edition=edition, **context)
        out.write(rel, _page(meta, html))

    case_tpl = env.get_template("site/case.html")
    converted_bodies = convert_bodies(library.entries, with_notes, cache, library.synonyms)
    records = [record for _, _, record in converted_bodies]
    if on_records is not None:
        on_records(records)
    day = library.edition_date()  # the citations' date, the same for every case (cite.py)
    for e, (converted, note, _) in zip(library.entries, converted_bodies):
        rel = f"cases/{e.id}.md"
        html = case_tpl.render(e=e, body=site_links(converted, _root(rel)),
                               note=site_links(note, _root(rel)) if note else None, root=_root(rel), edition=edition,
                               packs=library.packs_of.get(e.id, []), citation=citation(e, settings, day),
                               with_pdf=with_pdfs)
        pdf_url = absolute(settings.site_url, url_for("case_pdf", e)) if with_pdfs else None
        out.write(rel, _page({"title": e.case.title, "description": e.case.summary, "hide": ["toc"],
                              "citation": scholar_meta(e, settings, day, pdf_url=pdf_url)}, html))
    write("index.md", {"title": "首页", "hide": ["toc"]}, "site/home.html")
    steps = list_steps(library)
    write("cases/index.md", {"title": "案例检索", "hide": ["toc"]}, "site/finder.html", labels=labels(library),
          listing=steps[0], step=1, steps=len(steps))
    for k, listing in enumerate(steps[1:], start=2):
        write(f"cases/list/{k}.md", {"title": f"全部案例（第 {k} 页）", "hide": ["toc"]}, "site/case_list.html",
              listing=listing, step=k, steps=len(steps))
    write("problems/index.md", {"title": "问题类型"}, "site/problems_index.html")
    write("offline/index.md", {"title": "没有网络", "hide": ["toc"]}, "site/offline.html")
    write("packs/index.md", {"title": "课程包"}, "site/packs_index.html")
    for pack in library.packs:
        write(f"packs/{pack.id}.md", {"title": pack.title, "hide": ["toc"]}, "site/pack.html", pack=pack,
              entries_of=lambda session: [library.get(cid) for cid in session.cases if library.get(cid)],
              with_pdf=with_pdfs)
    write("districts/index.md", {"title": "地区"}, "site/districts_index.html")
    write("data/index.md", {"title": "数据下载"}, "site/data.html", fields=codebook(library, edition),
          files={"json": JSON_FILE, "csv": CSV_FILE})
    for p in library.types_in_use():
        write(f"problems/{p.slug}.md", {"title": p.name, "hide": ["toc"]}, "site/problem.html",
              ptype=p, entries=library.by_type[p.slug], overview=overview_html(settings, p.slug))
    for d in library.districts_in_use():
        write(f"districts/{d.city_slug}/{d.slug}.md", {"title": d.label, "hide": ["toc"]}, "site/district.html",
              district=d, entries=library.by_district[d.key])
    for chapter in CHAPTERS:
        source = settings.content_dir / chapter.file
        if source.exists():
            out.copy(chapter.file, source)
    out.copy_tree("assets", settings.templates_dir / "site" / "assets")
    images = settings.cases_dir / "images"
    if images.is_dir():
        out.copy_tree("cases/images", images)
    return records


def run_mkdocs(settings: Settings, docs: Path, out: Path, dirty: bool = False, edition: str = "trainee") -> None:
    """Build docs into out; dirty (for `serve`) renders only pages whose source is newer than their output.

    A dirty build is not strict: mkdocs warns that it is dirty. Every page was built strictly once before.
    The navigation is made here from the chapter table (config.CHAPTERS), not kept in mkdocs.yml.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.ERROR if dirty else logging.WARNING)
    try:
        config = load_config(config_file=str(settings.mkdocs_file), docs_dir=str(docs), site_dir=str(out),
                             strict=not dirty, **mkdocs_overrides(settings, edition))
        build(config, dirty=dirty)
    except (MkDocsException, SystemExit) as exc:
        raise SiteError(f"mkdocs: {exc}") from None


def mkdocs_overrides(settings: Settings, edition: str) -> dict:
    """What the build sets in the engine's configuration: the navigation, the edition (shown on every page)."""
    nav = [{"首页": "index.md"}, {"案例检索": "cases/index.md"}, {"问题类型": "problems/index.md"},
           {"地区": "districts/index.md"}, {"课程包": "packs/index.md"}, *({c.title: c.file} for c in CHAPTERS),
           {"数据下载": "data/index.md"}]
    extra = {"edition": edition, "edition_label": EDITION_MARK if edition == "instructor" else ""}
    extensions = [{name: MARKDOWN_CONFIG[name]} if name in MARKDOWN_CONFIG else name for name in MARKDOWN_EXTENSIONS]
    overrides = {"nav": nav, "extra": extra, "markdown_extensions": extensions}
    site_url = settings.site_url
    if site_url:
        overrides["site_url"] = site_url
    if edition == "instructor":
        overrides["site_name"] = f"{settings.title}（教师版）"
    return overrides


class SiteWriter(Writer):
    """The website: generated pages → mkdocs-material → Pagefind index, for one edition.

    Long-lived (keep_state, for `serve`): it keeps the generated docs and each body's HTML and search
    text between builds, so that an update writes only changed pages and mkdocs' dirty mode renders
    only those; the search index is then rebuilt in the background and swapped in when ready. A change
    to the theme or the configuration files, or a failed step, makes the next build a full one.
    """

    name = "site"

    def __init__(self, settings: Settings, edition: str = "trainee", state_dir: Path | None = None,
                 with_pdfs: bool = False):
        self.settings, self.edition, self.state_dir = settings, edition, state_dir
        self.with_pdfs = with_pdfs  # link case and pack pages to their PDFs (written by the PDF writers)
        self._bodies: dict | None = {} if state_dir else None
        self._docs: DocsWriter | None = None
        self._theme_key: str | None = None
        self._indexer: search.Indexer | None = None
        self._index_lock = threading.Lock()
        self._round = 0

    # ---------------------------------------------------------- what it will write

    def claims(self, library: Library) -> list[Claim]:
        site = lambda path, zh, en: Claim(path, zh, en)  # noqa: E731
        claims = [
            site("index.html", "首页", "the home page"), site("404.html", "404 页面", "the 404 page"),
            site("sitemap.xml", "站点地图", "the sitemap"), site("sitemap.xml.gz", "站点地图", "the sitemap"),
            site("assets/", "网站的样式和脚本", "the site's assets"), site("pagefind/", "搜索索引", "the search index"),
            site("search/", "搜索", "search"),
            site("cases/index.html", "案例检索页", "the case finder"),
            site("cases/list/", "不用 JavaScript 的案例列表", "the list of all cases"),
            site("cases/images/", "案例图片", "the case images"),
            site("problems/index.html", "问题类型索引", "the problem-type index"),
            site("districts/index.html", "地区索引", "the district index"),
            site("data/index.html", "数据下载页", "the data download page"),
            site("packs/index.html", "课程包索引", "the course-pack index"),
            site("offline/index.html", "离线提示页", "the offline page"),
        ]
        claims += [site(output_of(f"problems/{p.slug}.md"), f"问题类型“{p.name}”", f"problem type {p.slug}")
                   for p in library.types_in_use()]
        claims += [site(output_of(f"districts/{d.city_slug}/{d.slug}.md"), f"地区“{d.label}”", f"district {d.key}")
                   for d in library.districts_in_use()]
        claims += [site(output_of(c.file), f"章节“{c.title}”", f"the chapter {c.file}") for c in CHAPTERS]
        claims += [Claim(output_of(f"cases/{e.id}.md"), f"案例 {e.id}", f"case {e.id}", e.case.path)
                   for e in library.entries]
        claims += [Claim(output_of(f"packs/{p.id}.md"), f"课程包 {p.id}", f"pack {p.id}", p.path)
                   for p in library.packs]
        return claims

    # ---------------------------------------------------------- writing

    def can_update(self, out: Path) -> bool:
        return (self._docs is not None and self._theme_key == self._theme_fingerprint()
                and (out / "index.html").exists())

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        self._cancel_index()
        theme_key = self._theme_fingerprint()
        self._theme_key = None  # set again only when this build succeeds
        try:
            if incremental:
                self._update(library, out)
            else:
                self._full(library, out)
        except BaseException:
            self._docs = None
            raise
        self._theme_key = theme_key

    def close(self) -> None:
        self._cancel_index()

    def _docs_writer(self, tmp: Path) -> DocsWriter:
        if self.state_dir is None:
            return DocsWriter(tmp / "docs")
        shutil.rmtree(self.state_dir / "docs", ignore_errors=True)
        return DocsWriter(self.state_dir / "docs")

    def _full(self, library: Library, out: Path) -> None:
        """The whole site into out (a fresh folder). Pagefind indexes its own pages (not mkdocs' output),
        so it starts as soon as the records exist and runs beside mkdocs, on the other core."""
        with scratch_dir(self.settings.root, out.parent, library.count) as tmp:
            docs = self._docs_writer(tmp)
            started: list[search.Indexer] = []
            try:
                write_docs(library, self.settings, docs, self._bodies,
                           on_records=lambda records: started.append(search.start_index(records, tmp)),
                           edition=self.edition, with_pdfs=self.with_pdfs)
                with _edition_epoch(library):
                    run_mkdocs(self.settings, docs.docs, tmp / "site", edition=self.edition)
                move_tree(tmp / "site", out)  # while Pagefind finishes
                started[0].finish(out)
            finally:
                for indexer in started:
                    indexer.cancel()
            docs.finish()
            self._docs = docs if self.state_dir is not None else None

    def _update(self, library: Library, out: Path) -> None:
        """Only what changed: pages not written again keep their time, and mkdocs' dirty mode skips them."""
        docs = self._docs
        records = write_docs(library, self.settings, docs, self._bodies, edition=self.edition,
                             with_pdfs=self.with_pdfs)
        for rel in docs.finish():  # a page that is gone: remove what mkdocs made of it
            gone = out / output_of(rel)
            target = gone.parent if gone.name == "index.html" and rel.endswith(".md") and \
                not rel.endswith("index.md") else gone
            if target.resolve() == out.resolve():
                continue
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            elif target.exists():
                target.unlink()
        with _edition_epoch(library):
            run_mkdocs(self.settings, docs.docs, out, dirty=True, edition=self.edition)
        self._index_in_background(records, out)

    def _index_in_background(self, records: list[dict], out: Path) -> None:
        """The new index replaces the served one when Pagefind is done (a few seconds after the pages)."""
        self._round += 1
        work = self.state_dir / f".build-index-{self._round}"
        shutil.rmtree(work, ignore_errors=True)
        indexer = search.start_index(records, work)
        with self._index_lock:
            self._indexer = indexer

        def finish():
            try:
                new = work / "site"
                new.mkdir(parents=True, exist_ok=True)
                indexer.finish(new)
                with self._index_lock:
                    if self._indexer is indexer:  # not replaced by a newer build meanwhile
                        swap_into(new / "pagefind", out / "pagefind")
                        self._indexer = None
            except (search.SearchIndexError, OSError):
                pass  # cancelled, or the next build indexes again
            finally:
                shutil.rmtree(work, ignore_errors=True)

        threading.Thread(target=finish, daemon=True).start()

    def _cancel_index(self) -> None:
        with self._index_lock:
            indexer, self._indexer = self._indexer, None
        if indexer is not None:
            indexer.cancel()

    def _theme_fingerprint(self) -> str:
        """What changes every page without changing the generated docs: the theme overrides and the config."""
        s = self.settings
        paths = [s.mkdocs_file, s.root / "handbook.yml"]
        theme = s.templates_dir / "theme"
        if theme.is_dir():
            paths += sorted(p for p in theme.rglob("*") if p.is_file())
        digest = hashlib.sha256()
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
        return digest.hexdigest()


class _edition_epoch:
    """SOURCE_DATE_EPOCH set from the cases while mkdocs runs: the sitemap's dates follow the cases, not the clock."""

    def __init__(self, library: Library):
        self.edition = library.edition_date()

    def __enter__(self):
        self.previous = os.environ.get("SOURCE_DATE_EPOCH")
        if self.edition is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(int(self.edition.timestamp()))

    def __exit__(self, *exc):
        if self.previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self.previous
