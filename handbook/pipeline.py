"""The stages in order: load → validate → Library → writers, with an atomic swap into site/.

Writers build into a temporary directory beside site/; only when everything
succeeded is it swapped in, so a failed or interrupted build leaves the last
good site and PDF as they were.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .cases import case_files, load_cases
from .config import Settings
from .library import Library, build_library
from .problems import Problem, has_errors
from .taxonomy import load_taxonomy
from .validate import validate_cases


class BuildLocked(Exception):
    """Another build of this project is running."""


@dataclass
class CheckResult:
    problems: list[Problem]
    library: Library | None
    case_count: int = 0
    cases: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def check(settings: Settings, include_drafts: bool = False, cache: dict | None = None) -> CheckResult:
    taxonomy, problems = load_taxonomy(settings.taxonomy_file)
    cases, found = load_cases(settings.cases_dir, cache)
    problems += found
    if taxonomy is not None:
        problems += validate_cases(cases, taxonomy, settings.cases_dir)
    problems.sort(key=lambda p: (str(p.path), p.line))
    library = None
    if taxonomy is not None and not has_errors(problems):
        library = build_library(cases, taxonomy, include_drafts=include_drafts)
    return CheckResult(problems, library, len(case_files(settings.cases_dir)), cases)


@contextmanager
def build_lock(settings: Settings, name: str = "build.lock"):
    settings.root.joinpath(".cache").mkdir(exist_ok=True)
    handle = open(settings.root / ".cache" / name, "w")
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


def swap_into(new: Path, target: Path) -> None:
    """Replace target by new with renames only: target is never half-written."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def build_all(settings: Settings, library: Library, steps: list[Callable[[Library, Path, Path], None]],
              progress: Callable[[str], None] = lambda s: None) -> None:
    """Run the writers into a fresh directory and swap it into site/."""
    for stale in [*settings.root.glob(".build-*"), *settings.root.glob(".site.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a killed build; we hold the lock
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=settings.root))
    try:
        out = work / "site"
        for step in steps:
            step(library, work, out)
        swap_into(out, settings.site_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
