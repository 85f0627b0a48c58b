"""The one exception the command line turns into a message.

Content problems are values (problems.py) and never raised. What is raised is a
failure that stops a command for another reason: handbook.yml unusable, a build
already running, the site engine or the search indexer failing, a PDF that fails
its completeness check, a scaffold that cannot be written. Each is a HandbookError
with a message in both languages and the exit status it means; cli.py catches
this type alone, so no traceback reaches an instructor for any of them.
"""
from __future__ import annotations

EXIT_CONTENT, EXIT_USAGE = 1, 2


class HandbookError(Exception):
    """A command cannot go on; str(self) is the message an instructor reads."""

    exit_code = EXIT_CONTENT
    where = ""  # "path:line" when a file is to blame

    def line(self) -> str:
        """The message as printed: `path:line: error: ...`, or `error: ...` when no file is to blame."""
        return f"{self.where}: error: {self}" if self.where else f"error: {self}"


class ConfigError(HandbookError):
    """handbook.yml is unusable; the message says why, in the instructors' words."""

    where = "handbook.yml:1"


class BuildLocked(HandbookError):
    """Another build of the same output is running."""

    def __init__(self, message: str = "另一个生成过程正在运行，请等它结束后再试（another build is running; try again when it ends）"):
        super().__init__(message)


class UsageError(HandbookError):
    """The command itself is wrong (a bad id for a new case, a port in use, ...)."""

    exit_code = EXIT_USAGE


class OutputError(HandbookError):
    """A writer failed for a reason that is not a case's fault (the site engine, Pagefind, WeasyPrint, a check of the output)."""
