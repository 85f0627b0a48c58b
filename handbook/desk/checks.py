"""The checks of `build.py check`, run on the text the desk is about to save, each message placed by its field.

The text goes through the very functions `check` uses (cases.load_case on the bytes, then
validate.validate_case against the taxonomy and the other cases), so the desk says exactly what `check`
would say, in the same words (problems.MESSAGES). Where a message belongs is read from the loader's own
line table: the line a problem names is the line of a field, of a list entry, of a source or of a body
section; what has no place (a missing required field names line 1) is placed by the field it names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..content.cases import case_files, load_case
from ..config import Settings
from ..content.problems import ERROR, Problem
from ..content.schema import FIELDS, SECTIONS, TEACHING_NOTE
from ..content.taxonomy import Taxonomy, load_taxonomy
from ..content.validate import HEADING_RE, validate_case

GENERAL = "general"
_FIELD_RE = re.compile(r"^([a-z_]+)")


@dataclass(frozen=True)
class Message:
    place: str  # a field name, "section.<n>", "note", "extra", or GENERAL
    severity: str
    text: str  # Problem.text: the words of `check`
    line: int

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check_case_text(settings: Settings, case_id: str, text: str, taxonomy: Taxonomy | None = None
                    ) -> list[Message]:
    path = settings.cases_dir / f"{case_id}.md"
    case, problems = load_case(path, text.encode("utf-8"))
    if taxonomy is None:
        taxonomy, found = load_taxonomy(settings.taxonomy_file)
        problems += found
    if case is not None and taxonomy is not None:
        ids = {p.name[:-3] for p in case_files(settings.cases_dir)} | {case_id}
        problems += validate_case(case, taxonomy, ids, settings.cases_dir)
    places = _places(case, text) if case is not None else {}
    return [Message(_place(p, places), p.severity, p.text, p.line) for p in problems]


def has_errors(messages: list[Message]) -> bool:
    return any(m.is_error for m in messages)


def _places(case, text: str) -> dict[int, str]:
    """Every line of the file → the place on the form it belongs to."""
    places: dict[int, str] = {}
    for key, line in case.lines.items():
        if key and str(key[0]) in FIELDS:
            places.setdefault(line, str(key[0]))
    lines = text.split("\n")
    current = "intro"
    for number in range(case.body_line, len(lines) + 1):
        m = HEADING_RE.match(lines[number - 1])
        if m and lines[number - 1].startswith("## "):
            name = m.group(1)
            current = f"section.{SECTIONS.index(name)}" if name in SECTIONS else (
                "note" if name == TEACHING_NOTE else "extra")
        places[number] = current
    return places


def _place(problem: Problem, places: dict[int, str]) -> str:
    if problem.code == "missing-section":
        return f"section.{SECTIONS.index(problem.params['section'])}"
    if problem.code in ("source-missing", "source-unknown"):
        return "sources"
    if problem.code == "unknown-field":
        return "extra_meta"
    named = _FIELD_RE.match(str(problem.params.get("field", "")))
    if named and named.group(1) in FIELDS and (problem.line == 1 or problem.line not in places):
        return named.group(1)
    return places.get(problem.line, GENERAL)


def messages_by_place(messages: list[Message]) -> dict[str, list[Message]]:
    out: dict[str, list[Message]] = {}
    for m in messages:
        out.setdefault(m.place, []).append(m)
    return out


def relative(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.root).as_posix()
