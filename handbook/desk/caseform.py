"""A case as a form and back: the fields come from schema.FIELDS, the text is the canonical file.

One FieldView per row of FIELDS, its widget chosen by the row's kind (a new field of a known kind needs no
desk change); city, district and problem types offer the taxonomy's values. The body is shown as the four
recommended sections and 教学说明, one plain <textarea> each; whatever else a file holds (text before the
first section, other sections, front-matter keys the schema does not know) is kept in two more boxes, so a
save through the form loses nothing of a file written by hand.

form → (front matter, body) → canonical text (handbook/canonical.py): the bytes the desk saves, the same as
`new` plus hand editing or the Word importer produce.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content import yamlfm
from ..content.cases import _decode, _split
from ..content.schema import FIELDS, SECTIONS, SOURCE_FIELDS, STATUSES, TEACHING_NOTE, FieldSpec
from ..content.taxonomy import Taxonomy
from . import canonical_bridge as canonical

WIDGETS = {"text": "line", "list": "list", "int": "number", "sources": "sources", "status": "choice", "date": "line"}
LONG_TEXT = 60  # a text field that may be longer than this gets a box rather than a line
_H2 = re.compile(r"^##(?!#)[ \t]*(.*?)[ \t]*#*[ \t]*$")


@dataclass
class FieldView:
    """One front-matter field as the form shows it."""

    spec: FieldSpec
    widget: str
    value: Any
    options: list[str] = field(default_factory=list)
    placeholder: str = ""

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class CaseForm:
    """What the form holds: field values, section texts, and what else the file had."""

    values: dict[str, Any]
    sections: dict[str, str]  # SECTIONS and TEACHING_NOTE → Markdown without the heading
    intro: str = ""  # body text before the first section
    extra: str = ""  # other sections, with their headings
    extra_meta: str = ""  # front-matter keys the schema does not know, as YAML
    hints: dict[str, str] = field(default_factory=dict)  # the template's hint per section (placeholders)

    def front_matter(self) -> dict:
        meta = {name: value for name, value in self.values.items() if value not in (None, "", [])}
        if self.extra_meta.strip():
            try:
                extra = yaml.safe_load(self.extra_meta)
            except yaml.YAMLError:
                extra = None
            if isinstance(extra, dict):
                meta.update({str(k): v for k, v in extra.items() if str(k) not in FIELDS})
        return meta

    def body(self) -> str:
        parts = [self.intro.strip("\n")] if self.intro.strip() else []
        for name in SECTIONS:
            text = self.sections.get(name, "").strip("\n")
            if text.strip():
                parts.append(f"## {name}\n\n{text}")
        if self.extra.strip():
            parts.append(self.extra.strip("\n"))
        return "\n\n".join(parts) + "\n" if parts else ""

    def note(self) -> str | None:
        note = self.sections.get(TEACHING_NOTE, "").strip("\n")
        return note if note.strip() else None

    def text(self) -> str:
        """The canonical file text (the bytes a save writes)."""
        return canonical.case_text(self.front_matter(), self.body(), self.note())


def field_views(form: CaseForm, taxonomy: Taxonomy | None) -> list[FieldView]:
    views = []
    for spec in FIELDS.values():
        widget = WIDGETS.get(spec.kind, "line")
        if widget == "line" and spec.kind == "text" and isinstance(spec.max, int) and spec.max > LONG_TEXT:
            widget = "para"
        views.append(FieldView(spec, widget, form.values.get(spec.name, _empty(widget)), _options(spec, taxonomy),
                               "YYYY-MM-DD" if spec.kind == "date" else ""))
    return views


def _empty(widget: str):
    return [] if widget in ("list", "sources") else ""


def _options(spec: FieldSpec, taxonomy: Taxonomy | None) -> list[str]:
    if spec.kind == "status":
        return list(STATUSES)
    if taxonomy is None:
        return []
    if spec.name == "city":
        return [c.name for c in taxonomy.cities]
    if spec.name == "district":
        return list(dict.fromkeys(d.name for d in taxonomy.districts()))
    if spec.name == "problem_types":
        return [p.name for p in taxonomy.problem_types]
    return []


# ----------------------------------------------------------------- from the browser's form

def from_form(form) -> CaseForm:
    """A CaseForm from the posted fields (a Starlette FormData or any mapping with getlist)."""
    values: dict[str, Any] = {}
    for spec in FIELDS.values():
        key = f"field.{spec.name}"
        if spec.kind == "list":
            values[spec.name] = [v.strip() for v in form.getlist(key) if v.strip()]
        elif spec.kind == "sources":
            columns = {k: form.getlist(f"source.{k}") for k in SOURCE_FIELDS}
            rows = []
            for i in range(max(len(c) for c in columns.values()) if columns else 0):
                row = {k: (columns[k][i].strip() if i < len(columns[k]) else "") for k in SOURCE_FIELDS}
                if any(row.values()):
                    rows.append({k: v for k, v in row.items() if v or k != "url"})
            values[spec.name] = rows
        elif spec.kind == "int":
            raw = str(form.get(key, "")).strip()
            values[spec.name] = int(raw) if re.fullmatch(r"-?\d{1,6}", raw) else raw
        else:
            values[spec.name] = str(form.get(key, "")).strip()
    sections = {name: _text(form.get(f"section.{i}", "")) for i, name in enumerate(SECTIONS)}
    sections[TEACHING_NOTE] = _text(form.get("note", ""))
    return CaseForm(values, sections, _text(form.get("intro", "")), _text(form.get("extra", "")),
                    _text(form.get("extra_meta", "")))


def _text(value) -> str:
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n")


# ----------------------------------------------------------------- from a file on disk

class Unreadable(Exception):
    """The file cannot be shown in the form (no front matter, YAML errors); the problems say why."""


def from_text(path: Path, data: bytes) -> CaseForm:
    text, problem = _decode(path, data)
    if problem:
        raise Unreadable(problem.format())
    parsed = _split(path, text)
    if not isinstance(parsed, tuple):
        raise Unreadable(parsed.format())
    front, body, _ = parsed
    try:
        meta, _ = yamlfm.parse(front)
    except Exception as exc:  # any YAML failure: the file is shown as it is, and check says why
        raise Unreadable(str(exc)) from None
    meta = meta if isinstance(meta, dict) else {}
    values = {name: _shown(spec, meta.get(name)) for name, spec in FIELDS.items()}
    unknown = {str(k): v for k, v in meta.items() if str(k) not in FIELDS}
    extra_meta = yaml.safe_dump(unknown, allow_unicode=True, sort_keys=False) if unknown else ""
    intro, sections, extra = split_body(body)
    return CaseForm(values, sections, intro, extra, extra_meta)


def from_template(path: Path) -> CaseForm:
    """A new case: the template's values, its section hints as placeholders (not as text to delete)."""
    form = from_text(path, path.read_bytes())
    form.hints = {name: text for name, text in form.sections.items()}
    form.sections = {name: "" for name in form.sections}
    return form


def _shown(spec: FieldSpec, value):
    """A value as the form shows it (text in boxes), whatever YAML made of it."""
    if spec.kind == "list":
        items = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        return ["" if v is None else str(v) for v in items]
    if spec.kind == "sources":
        rows = value if isinstance(value, list) else []
        return [{k: "" if r.get(k) is None else str(r.get(k)) for k in SOURCE_FIELDS}
                for r in rows if isinstance(r, dict) and any(r.values())]
    return "" if value is None else str(value)


def split_body(body: str) -> tuple[str, dict[str, str], str]:
    """(text before the first section, the known sections' texts, every other section with its heading)."""
    intro: list[str] = []
    sections: dict[str, str] = {name: "" for name in (*SECTIONS, TEACHING_NOTE)}
    extra: list[str] = []
    found: dict[str, list[str]] = {}
    current = intro
    for line in body.split("\n"):
        m = _H2.match(line)
        if m:
            name = m.group(1)
            if name in sections and name not in found:
                current = found[name] = []
                continue
            current = extra
        current.append(line)
    for name, lines in found.items():
        sections[name] = "\n".join(lines).strip("\n")
    return "\n".join(intro).strip("\n"), sections, "\n".join(extra).strip("\n")


def posted(form: CaseForm) -> list[tuple[str, str]]:
    """The fields as the browser posts the form (the names case.html gives them), in page order."""
    pairs: list[tuple[str, str]] = []
    for spec in FIELDS.values():
        value = form.values.get(spec.name)
        if spec.kind == "list":
            pairs += [(f"field.{spec.name}", str(v)) for v in (value or [""])]
        elif spec.kind == "sources":
            for row in value or [{}]:
                pairs += [(f"source.{k}", str(row.get(k, "") or "")) for k in SOURCE_FIELDS]
        else:
            pairs.append((f"field.{spec.name}", "" if value is None else str(value)))
    if form.extra_meta:
        pairs.append(("extra_meta", form.extra_meta))
    if form.intro:
        pairs.append(("intro", form.intro))
    pairs += [(f"section.{i}", form.sections.get(name, "")) for i, name in enumerate(SECTIONS)]
    pairs += [("extra", form.extra), ("note", form.sections.get(TEACHING_NOTE, ""))]
    return pairs
