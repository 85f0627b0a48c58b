"""What `build.py serve` shows: the same pipeline as a build, with a long-lived site writer.

The preview lives in .cache/preview/site (drafts included), never in site/. Its
writer is kept between builds, so a save rebuilds only what it changed (see
SiteWriter); loaded case files are kept too, by file size and time.
"""
from __future__ import annotations

from ..config import Settings
from ..data.tables import DataWriter
from ..library import Library
from ..pipeline import CheckResult, build, check
from ..site.writer import SiteWriter
from ..word.template import TemplateWriter


class Preview:
    def __init__(self, settings: Settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition
        self.dir = settings.cache_dir / "preview" / edition
        self.site_dir = self.dir / "site"
        self._cases: dict = {}
        self.last_problems: list = []  # the last check's errors (or, with --strict, warnings): the browser's banner
        self.writer = SiteWriter(settings.for_edition(edition), edition, state_dir=self.dir)
        # the data page's files (published cases only) and the Word template the home page links to
        self.writers = [self.writer, DataWriter(settings, edition), TemplateWriter()]

    def check(self) -> CheckResult:
        result = check(self.settings, include_drafts=True, cache=self._cases, writers=self.writers,
                       edition=self.edition)
        self.last_problems = [p for p in result.problems if p.severity == "error"] or result.problems
        return result

    def build(self, library: Library) -> bool:
        """Bring the preview up to date; True when it was a full build."""
        full = not self.writer.can_update(self.site_dir)
        build(self.settings, library, self.writers, self.site_dir, incremental=True)
        return full

    def close(self) -> None:
        self.writer.close()
