"""Where output goes: every path claimed once (the atomic swap itself is atomic.py's).

Claims. Every writer says which paths it will produce before anything is written
(as Pelican's writer refuses to overwrite a file it wrote in the same run). A path
ending in "/" claims a whole folder. Two claims on one path are caught before the
build starts: between two writers that is a programming error (OutputError naming
both); when one side is a content file (a case named `index` would get the finder's
page) it is a located content problem, like any other mistake in a case file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..content.problems import Problem, error


@dataclass(frozen=True)
class Claim:
    """A path (relative to the output folder; "x/" = the folder x) that one owner will write."""

    path: str
    owner: str  # what it is, for readers of messages, e.g. "案例检索页"
    owner_en: str = ""  # the same in English, e.g. "the case finder"
    source: Path | None = None  # the content file behind it, for a located message
    line: int = 1

    def covers(self, other: "Claim") -> bool:
        if self.path == other.path:
            return True
        return self.path.endswith("/") and other.path.startswith(self.path)


def conflicts(claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of claims by different owners on one path (or a path inside a claimed folder)."""
    found = []
    by_path: dict[str, Claim] = {}
    folders = [c for c in claims if c.path.endswith("/")]
    for c in claims:
        first = by_path.setdefault(c.path, c)
        if first is not c and first.owner != c.owner:
            found.append((first, c))
    for folder in folders:
        for c in claims:
            if c is not folder and c.owner != folder.owner and c.path != folder.path and folder.covers(c):
                found.append((folder, c))
    return found


def claim_problems(claims: list[Claim]) -> list[Problem]:
    """Conflicts as content problems where a content file is to blame; raise for a conflict between writers."""
    problems = []
    for a, b in conflicts(claims):
        content, generated = (b, a) if b.source is not None else (a, b)
        if content.source is None:
            raise OutputError(f"两个输出都要写 {a.path}：{a.owner} 和 {b.owner} "
                              f"(two writers claim {a.path}: {a.owner_en or a.owner} and {b.owner_en or b.owner})")
        if generated.source is not None:  # two content files: their own id checks report it
            continue
        kind_zh, kind_en = ("课程包", "pack") if "packs" in content.source.parts[-2:-1] else ("案例", "case")
        problems.append(error(content.source, content.line, "reserved-id", kind_zh=kind_zh, kind_en=kind_en,
                              id=content.source.stem, page=generated.path, owner=generated.owner,
                              owner_en=generated.owner_en or generated.owner))
    return problems


def check_claims(claims: list[Claim]) -> None:
    """Raise when claims conflict (content conflicts were reported by check before this)."""
    problems = claim_problems(claims)
    if problems:
        raise OutputError("; ".join(p.text for p in problems))

