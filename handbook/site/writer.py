"""The site writer: Library → generated pages (pages.py) → mkdocs-material → Pagefind index (search.py).

This is the only module that knows MkDocs. Pages are rendered by our own Jinja2
templates into a throwaway docs_dir (case pages stay out of the navigation: the
theme renders the whole navigation into every page), then built by mkdocs.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from pathlib import Path

from . import search
from .pages import DocsWriter, output_of, write_docs
from ..config import CHAPTERS, EDITION_MARK, Settings
from ..errors import OutputError
from ..library import Library
from ..outputs.claims import Claim
from ..outputs.atomic import swap_into
from ..outputs.render import MARKDOWN_CONFIG, MARKDOWN_EXTENSIONS
from ..outputs.scratch import move_tree, scratch_dir
from ..outputs.urls import page_source
from ..outputs.writer import Writer


class SiteError(OutputError):
    """The site engine failed for a reason that is not a case's fault."""


def run_mkdocs(settings: Settings, docs: Path, out: Path, dirty: bool = False, edition: str = "trainee",
               offline: bool = True) -> None:
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
                             strict=not dirty, **mkdocs_overrides(settings, edition, offline))
        build(config, dirty=dirty)
    except (MkDocsException, SystemExit) as exc:
        raise SiteError(f"mkdocs: {exc}") from None


def mkdocs_overrides(settings: Settings, edition: str, offline: bool = True) -> dict:
    """What the build sets in the engine's configuration: the navigation, the edition (shown on every page), and
    whether the pages offer the offline site (not in a preview, which has no service worker)."""
    nav = [{"首页": "index.md"}, {"案例检索": "cases/index.md"}, {"问题类型": "problems/index.md"},
           {"地区": "districts/index.md"}, {"课程包": "packs/index.md"}, *({c.title: c.file} for c in CHAPTERS),
           {"数据下载": "data/index.md"}]
    extra = {"edition": edition, "edition_label": EDITION_MARK if edition == "instructor" else "", "offline": offline}
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
        page = lambda kind, thing=None: output_of(page_source(kind, thing))  # noqa: E731
        claims = [
            site(page("home"), "首页", "the home page"), site("404.html", "404 页面", "the 404 page"),
            site("sitemap.xml", "站点地图", "the sitemap"), site("sitemap.xml.gz", "站点地图", "the sitemap"),
            site("assets/", "网站的样式和脚本", "the site's assets"), site("pagefind/", "搜索索引", "the search index"),
            site("search/", "搜索", "search"), site("robots.txt", "robots.txt", "robots.txt"),
            site(page("finder"), "案例检索页", "the case finder"),
            site("cases/list/", "不用 JavaScript 的案例列表", "the list of all cases"),
            site("cases/images/", "案例图片", "the case images"),
            site(page("types"), "问题类型索引", "the problem-type index"),
            site(page("districts"), "地区索引", "the district index"),
            site(page("data"), "数据下载页", "the data download page"),
            site(page("packs"), "课程包索引", "the course-pack index"),
            site("compare/index.html", "案例比较页", "the comparison page"),
            site("offline/index.html", "离线提示页", "the offline page"),
            site("compare/cases.json", "案例比较数据", "the comparison data"),
        ]
        claims += [site(page("type", p), f"问题类型“{p.name}”", f"problem type {p.slug}")
                   for p in library.types_in_use()]
        claims += [site(page("district", d), f"地区“{d.label}”", f"district {d.key}")
                   for d in library.districts_in_use()]
        claims += [site(page("chapter", c.file), f"章节“{c.title}”", f"the chapter {c.file}") for c in CHAPTERS]
        claims += [Claim(page("case", e), f"案例 {e.id}", f"case {e.id}", e.case.path)
                   for e in library.entries]
        claims += [Claim(page("pack", p), f"课程包 {p.id}", f"pack {p.id}", p.path)
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
                    run_mkdocs(self.settings, docs.docs, tmp / "site", edition=self.edition, offline=self.state_dir is None)
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
            run_mkdocs(self.settings, docs.docs, out, dirty=True, edition=self.edition, offline=self.state_dir is None)
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
