"""The preview that `build.py serve` shows: after the first build, a save rebuilds only what it changed.

Kept between builds: the loaded cases (by file size and time), each body's HTML and
search text, and the generated docs, of which only changed pages are written again;
mkdocs' dirty mode then renders only those. The search index is rebuilt beside the
server and swapped in when ready, a few seconds after the page itself. A change to
the theme or the configuration files, or a failed step, makes the next build a full one.

The preview lives in .cache/preview/ (drafts included), never in site/.
"""
from __future__ import annotations

import hashlib
import shutil
import threading

from . import search
from .config import Settings
from .library import Library
from .pipeline import CheckResult, check, swap_into
from .site import DocsWriter, build_site, run_mkdocs, write_docs


class Preview:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.dir = settings.cache_dir / "preview"
        self.site_dir = self.dir / "site"
        for stale in self.dir.glob("index-work*"):  # left by a preview that was killed
            shutil.rmtree(stale, ignore_errors=True)
        self._cases: dict = {}
        self._bodies: dict = {}
        self._docs: DocsWriter | None = None
        self._theme_key: str | None = None
        self._indexer: search.Indexer | None = None
        self._index_lock = threading.Lock()
        self._round = 0

    def check(self) -> CheckResult:
        return check(self.settings, include_drafts=True, cache=self._cases)

    def build(self, library: Library) -> bool:
        """Bring the preview up to date; True when it was a full build."""
        theme_key = self._theme_fingerprint()
        full = self._docs is None or theme_key != self._theme_key or not (self.site_dir / "index.html").exists()
        self._theme_key = None  # set again only when this build succeeds
        self._cancel_index()
        if full:
            self._full(library)
        else:
            self._incremental(library)
        self._theme_key = theme_key
        return full

    def close(self) -> None:
        self._cancel_index()

    def _full(self, library: Library) -> None:
        shutil.rmtree(self.dir / "docs", ignore_errors=True)
        new = self.dir / "site.new"
        shutil.rmtree(new, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._docs = DocsWriter(self.dir / "docs")
        try:
            build_site(library, self.settings, self.dir, new, self._docs, self._bodies)
            self._docs.finish()
            swap_into(new, self.site_dir)
        except BaseException:
            self._docs = None
            raise

    def _incremental(self, library: Library) -> None:
        docs = self._docs
        try:
            records = write_docs(library, self.settings, docs, self._bodies)
            for rel in docs.finish():  # a page that is gone: remove what mkdocs made of it
                out = self.site_dir / (rel[: -len("index.md")] if rel.endswith("index.md") else
                                       rel[:-3] + "/" if rel.endswith(".md") else rel)
                if out.resolve() == self.site_dir.resolve():
                    continue
                if out.is_dir():
                    shutil.rmtree(out, ignore_errors=True)
                elif out.exists():
                    out.unlink()
            run_mkdocs(self.settings, docs.docs, self.site_dir, dirty=True)
        except BaseException:
            self._docs = None
            raise
        self._start_index(records)

    def _start_index(self, records: list[dict]) -> None:
        """Index in the background; the new index replaces the served one when Pagefind is done."""
        self._round += 1
        work = self.dir / f"index-work-{self._round}"
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
                        swap_into(new / "pagefind", self.site_dir / "pagefind")
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
