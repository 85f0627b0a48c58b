"""The one orchestrator: load → validate → Library, then the writers into a fresh folder, swapped in.

check() reads and validates; build() runs writers. build() is the only place that
locks an output, checks the writers' path claims, makes the work folder, runs the
writers and swaps the result into place (outputs.swap_into), so a failed or
interrupted build leaves the last good site and PDF as they were. The command line,
`serve` (long-lived writers into .cache/preview/, updated in place) and the
benchmark all call it.
"""
from __future__ import annotations

import fcntl
import hashlib
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .content.cases import case_files, load_cases
from .config import Settings
from .errors import BuildLocked
from .library import Library, build_library
from .content.packs import load_packs, validate_packs
from .outputs.claims import Claim, check_claims, claim_problems
from .outputs.atomic import remove_stale, swap_into
from .content.problems import Problem, has_errors
from .outputs.scratch import remove_stale_scratch
from .content.taxonomy import load_taxonomy
from .content.validate import validate_cases
from .outputs.writer import Writer
from .mistakes.stray import stray_problems
from .places.check import place_problems
from .content.synonyms import FILE_NAME as SYNONYMS_FILE, load_synonyms


@dataclass
class CheckResult:
    problems: list[Problem]
    library: Library | None
    case_count: int = 0
    pack_count: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def check(settings: Settings, include_drafts: bool = False, cache: dict | None = None,
          writers: list[Writer] | None = None, edition: str = "trainee") -> CheckResult:
    """Load and validate everything; the Library when there is no error.

    writers: the outputs the library is meant for; a case whose page would land on a path one of them
    generates (cases/index.md and the finder) is a located error here, before anything is built.
    """
    taxonomy, problems = load_taxonomy(settings.taxonomy_file)
    synonyms, found = load_synonyms(settings.content_dir / SYNONYMS_FILE)
    problems += found
    cases, found = load_cases(settings.cases_dir, cache)
    problems += found + stray_problems(settings.cases_dir)
    if taxonomy is not None:
        problems += validate_cases(cases, taxonomy, settings.cases_dir, edition=edition)
        problems += place_problems(settings.content_dir, cases, taxonomy)
    packs, found = load_packs(settings.packs_dir)
    broken = {p.name[:-3] for p in case_files(settings.cases_dir)} - {c.id for c in cases}
    problems += found + validate_packs(packs, cases, broken)
    library = None
    if taxonomy is not None and not has_errors(problems):
        library = build_library(cases, taxonomy, include_drafts=include_drafts, packs=packs)
        library.synonyms = synonyms
        problems += claim_problems(all_claims(library, writers or default_writers(settings, edition)))
    problems.sort(key=lambda p: (str(p.path), p.line))
    if has_errors(problems):
        library = None
    return CheckResult(problems, library, len(case_files(settings.cases_dir)), len(packs))


def default_writers(settings: Settings, edition: str = "trainee", with_pdf: bool = True) -> list[Writer]:
    """The writers of a full build of one edition (each with the edition's own site_url, Settings.for_edition)."""
    from .classroom.kit import kit_writers
    from .data.tables import DataWriter
    from .pdf.packs import PackPdfWriter
    from .pdf.book import PdfWriter
    from .pdf.cases import CasePdfWriter
    from .site.writer import SiteWriter
    from .offline.writer import OfflineWriter
    from .word.template import TemplateWriter

    settings = settings.for_edition(edition)
    return [SiteWriter(settings, edition, with_pdfs=with_pdf), DataWriter(settings, edition), TemplateWriter()] + (
        [PdfWriter(settings, edition), CasePdfWriter(settings, edition), PackPdfWriter(settings, edition),
         *kit_writers(settings, edition)]
        if with_pdf else []) + [OfflineWriter(settings, edition)]  # last: it versions the finished site


def all_claims(library: Library, writers: list[Writer]) -> list[Claim]:
    return [claim for w in writers for claim in w.claims(library.for_edition(w.edition))]


@contextmanager
def build_lock(settings: Settings, name: str = "build.lock"):
    settings.cache_dir.mkdir(exist_ok=True)
    handle = open(settings.cache_dir / name, "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BuildLocked() from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _lock_name(settings: Settings, target: Path) -> str:
    if target == settings.site_dir:
        return "build.lock"
    return "build-" + hashlib.sha256(str(target).encode()).hexdigest()[:12] + ".lock"


def build(settings: Settings, library: Library, writers: list[Writer], target: Path | None = None, *,
          incremental: bool = False, stage: Callable[[str], None] = lambda text: None) -> None:
    """Run the writers into a fresh folder and swap it in as target (default site/).

    incremental: when every writer still holds its last output in target (a long-lived writer of
    `serve`), they update it in place instead; otherwise this is a full build like any other.
    """
    target = (target or settings.site_dir).resolve()
    check_claims(all_claims(library, writers))
    with build_lock(settings, _lock_name(settings, target)):
        if incremental and target.is_dir() and all(w.can_update(target) for w in writers):
            for w in writers:
                stage(w.name)
                w.write(library.for_edition(w.edition), target, incremental=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target.parent)
        remove_stale_scratch(settings.root)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
        try:
            out = work / target.name
            out.mkdir()
            for w in writers:
                stage(w.name)
                w.write(library.for_edition(w.edition), out)
            swap_into(out, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def build_file(settings: Settings, library: Library, writer: Writer, target: Path,
               stage: Callable[[str], None] = lambda text: None) -> None:
    """One writer's single file (a class PDF) to a path of the instructor's choice, through the same pipeline."""
    target = target.resolve()
    library = library.for_edition(writer.edition)
    check_claims(writer.claims(library))
    with build_lock(settings, _lock_name(settings, target)):
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
        try:
            stage(writer.name)
            writer.write(library, work)
            (only,) = [c.path for c in writer.claims(library)]
            swap_into(work / only, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
