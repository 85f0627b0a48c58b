"""The desk's preview: both editions, built incrementally after every save, and a case's PDF on request.

The pages come from handbook/preview.py, the same long-lived pipeline `serve` runs (drafts included, only
what changed, into .cache/preview/<edition>/site), so a save shows on the preview in about the time
`serve` takes. Rebuilds run on one background thread; a save made while one runs asks for one more.
A case's PDF is the PDF writer of a build on that case alone, into .cache/desk/pdf/ (never site/).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from ..config import EDITIONS, Settings
from ..errors import HandbookError
from ..pipeline import build_file
from ..content.problems import has_errors


class Previews:
    def __init__(self, settings: Settings):
        from ..commands.preview import Preview

        self.settings = settings
        self.editions = {edition: Preview(settings, edition) for edition in EDITIONS}
        self.generation = 0  # how many rebuilds have finished
        self.requested = 0
        self.last_error = ""
        self.last_seconds = 0.0
        self._wanted = threading.Condition()
        self._lock = threading.Lock()  # one build of the preview at a time
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="desk-preview", daemon=True)

    def site_dir(self, edition: str) -> Path:
        return self.editions[edition].site_dir

    def start(self) -> None:
        """Build now, and again whenever a source changes on disk (a hand edit, a `git pull`), as `serve` does."""
        from watchdog.observers import Observer

        from ..commands.serve import _Watch

        self._thread.start()
        self.request()
        root = self.settings.root
        folders = tuple(root / name for name in ("cases", "packs", "content", "templates") if (root / name).is_dir())
        watch = _Watch(self, folders, (root / "mkdocs.yml", root / "handbook.yml"))
        self._observer = Observer()
        for folder in folders:
            self._observer.schedule(watch, str(folder), recursive=True)
        self._observer.schedule(watch, str(root), recursive=False)
        self._observer.start()

    @property
    def dirty(self):
        """What serve's watcher sets when a file changes: here, a request for a rebuild."""
        return self

    def set(self) -> None:
        self.request()

    def request(self) -> int:
        """Ask for a rebuild; the answer is the generation that will include every save made so far."""
        with self._wanted:
            self.requested += 1
            self._wanted.notify()
            return self.requested

    def rebuild_now(self) -> None:
        """One rebuild of both editions, on the calling thread (the benchmark and the background loop)."""
        with self._lock:
            started = time.perf_counter()
            errors = []
            for preview in self.editions.values():
                result = preview.check()
                if not result.ok or result.library is None:
                    errors = [p for p in result.problems if p.severity == "error"]
                    break
                try:
                    preview.build(result.library)
                except HandbookError as exc:
                    errors = [exc.line()]
                    break
            self.last_error = f"{len(errors)} 处错误，预览停在上一次成功的版本" if errors else ""
            self.last_seconds = time.perf_counter() - started

    def _run(self) -> None:
        done = 0
        while True:
            with self._wanted:
                while self.requested == done and not self._stop:
                    self._wanted.wait()
                if self._stop:
                    return
                target = self.requested
            try:
                self.rebuild_now()
            except Exception as exc:  # the preview never stops the desk; the status line says what happened
                self.last_error = f"预览生成失败 (preview failed: {exc})"
            done = target
            self.generation = target

    def close(self) -> None:
        if getattr(self, "_observer", None) is not None:
            self._observer.stop()
        with self._wanted:
            self._stop = True
            self._wanted.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        for preview in self.editions.values():
            preview.close()

    def case_pdf(self, case_id: str, edition: str) -> Path:
        """A PDF of one case (drafts too), built now; raises HandbookError with the problems' words. It is the
        handout `build.py pdf --case` makes (handbook/pdf/handout.py): the case with its chapter head, contents and
        index, without the book's preface and guide, which made a one-case book 59 pages long (the guide alone 45),
        and took 3 s of layout per edition that the reader then had to page past."""
        from ..pdf.book import PdfWriter
        from ..pdf.handout import handout

        preview = self.editions[edition]
        result = preview.check()
        if result.library is None or has_errors(result.problems):
            raise HandbookError("内容有错误，无法生成 PDF，请先改正 (content errors: no PDF)")
        entry = result.library.get(case_id)
        if entry is None:
            raise HandbookError(f"找不到案例 {case_id} (no such case)")
        library = handout(result.library, [entry], None)
        target = self.settings.cache_dir / "desk" / "pdf" / edition / f"{case_id}.pdf"
        with self._lock:
            build_file(self.settings, library, PdfWriter(self.settings, edition, f"案例：{entry.case.title}"), target)
        return target
