"""Turns problems into the lines an instructor reads: the one place that prints them, and the progress of a build.

Progress. A long build (a PDF of hundreds of cases takes minutes) shows on a terminal which stage
runs and, for the PDF, how many of its pieces are done out of how many (rich's live display on
stderr, redrawn in place). Nothing of it is written when stderr is not a terminal (CI, a log file,
a pipe) or with `--quiet`: there only the problems and the one-line result are printed. The
writers do not know the reporter: they report through `task()`, which does nothing unless a
Reporter showing progress is active in this process.
"""
from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from .content.problems import ERROR, WARNING, Problem

_COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m"}
_RESET = "\033[0m"

_active: "Reporter | None" = None  # the reporter whose progress display tasks go to
_lock = threading.Lock()


# what each writer's stage is called on the terminal and on the desk's publish page (Writer.name → label)
STAGES = {"site": "生成网站 / building the site", "data": "生成数据文件 / writing the data files",
          "pdf": "生成 PDF / building the PDF", "case-pdfs": "生成每个案例的 PDF / cutting a PDF for every case",
          "packs": "生成课程包 PDF / building the course-pack PDFs",
          "word-template": "生成 Word 案例模板 / writing the Word case template",
          "slides": "生成课程包幻灯片 / writing the course-pack slide decks",
          "reading": "生成课前阅读 / writing the pre-class readings",
          "worksheet": "生成学员练习册 / writing the worksheets",
          "offline": "生成离线版 / writing the offline site"}


class Reporter:
    def __init__(self, root: Path, stream=None, colour: bool | None = None, quiet: bool = False):
        global _active
        self.root = root
        self.stream = stream or sys.stderr
        tty = _isatty(self.stream)
        self.colour = tty if colour is None else colour
        self.show_progress = tty and not quiet
        self._progress = None  # rich.progress.Progress while a display is live
        self._stage_task = None
        _active = self if self.show_progress else None  # the newest reporter of the process decides

    # ------------------------------------------------------------ problems and results

    def problems(self, problems: list[Problem]) -> None:
        self.finish()
        for p in problems:
            line = p.format(self.root)
            if self.colour:
                head, sev, rest = line.partition(f" {p.severity}:")
                line = f"{head} {_COLOURS[p.severity]}{p.severity}:{_RESET}{rest}"
            print(line, file=self.stream)

    def summary(self, cases: int, problems: list[Problem], strict: bool = False) -> None:
        errors = sum(p.severity == ERROR for p in problems)
        warnings = sum(p.severity == WARNING for p in problems)
        text = f"{cases} 个案例，{errors} 个错误，{warnings} 个警告（{cases} cases, {errors} errors, {warnings} warnings）"
        if strict and warnings:
            text += "；--strict：警告也视为错误（--strict: warnings count as errors）"
        self.say(text)

    def say(self, text: str) -> None:
        self.finish()
        print(text, file=self.stream)

    # ------------------------------------------------------------ progress

    def stage(self, text: str) -> None:
        """A stage of a long build begins (the previous one is done): shown only on a terminal, not with --quiet."""
        if not self.show_progress:
            return
        progress = self._start()
        with _lock:
            if self._stage_task is not None:
                progress.update(self._stage_task, completed=1, total=1)
            self._stage_task = progress.add_task(text, total=None)

    def task(self, text: str, total: int | None):
        """A counted task inside the current stage (e.g. the PDF's pieces): returns (advance(n=1), done())."""
        progress = self._start()
        with _lock:
            task_id = progress.add_task(f"  {text}", total=total)

        def advance(n: int = 1) -> None:
            with _lock:
                progress.advance(task_id, n)

        def done() -> None:
            with _lock:
                task = next((t for t in progress.tasks if t.id == task_id), None)
                if task is not None:
                    progress.update(task_id, total=task.total or max(task.completed, 1),
                                    completed=task.total or max(task.completed, 1))
        return advance, done

    def finish(self) -> None:
        """Stop the live display (the last stage is done), so that what follows prints below it."""
        with _lock:
            progress, self._progress = self._progress, None
            if progress is None:
                return
            if self._stage_task is not None:
                progress.update(self._stage_task, completed=1, total=1)
            self._stage_task = None
        progress.stop()

    def _start(self):
        with _lock:
            if self._progress is None:
                from rich.console import Console
                from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, \
                    TimeElapsedColumn
                from rich.text import Text

                class Count(ProgressColumn):
                    """"12/40" for a counted task, "12" when the total is not known, nothing for a stage."""

                    def render(self, task):
                        if task.total is None:
                            return Text(str(int(task.completed)) if task.completed else "")
                        return Text("" if task.total == 1 and task.description[:1] != " " else
                                    f"{int(task.completed)}/{int(task.total)}")

                console = Console(file=self.stream, force_terminal=True, highlight=False)
                self._progress = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"),
                                          BarColumn(bar_width=20), Count(), TimeElapsedColumn(),
                                          console=console, transient=False, refresh_per_second=4)
                self._progress.start()
            return self._progress


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def showing_progress() -> bool:
    """Whether a progress display is on in this process (a Reporter on a terminal, not --quiet)."""
    return _active is not None and _active.show_progress


@contextmanager
def task(text: str, total: int | None):
    """Counted progress for whatever runs inside (yields advance(n=1)); silent without a terminal reporter."""
    reporter = _active
    if reporter is None or not reporter.show_progress:
        yield lambda n=1: None
        return
    advance, done = reporter.task(text, total)
    try:
        yield advance
    finally:
        done()
