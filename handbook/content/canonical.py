"""The canonical text of a case file: one way to write a case's fields, body and teaching note.

Every tool that writes a case file (the Word importer, the browser editor, `build.py new`)
writes it through this module, so that the same case always gives the same bytes and a
round trip (Word → Markdown → Word → Markdown) changes nothing. The form is the one the
shipped cases in cases/*.md use:

    ---
    title: 标题照写，不加引号            # plain scalars wherever YAML reads them back as the same text
    year: 2021
    problem_types:                       # lists as block sequences, two-space indent
      - 加装电梯
    sources:
      - title: 报道标题                  # source keys in SOURCE_FIELDS order
        publisher: 发布单位
        date: "2021-07-05"               # dates always in double quotes
    status: published
    ---

    ## 背景
    ...

    ## 教学说明

    ...

Fields come in FIELDS order and empty values (None, "", []) are left out; the writer is
driven by the value's type and the field's kind, so a new optional field in
handbook/schema.py FIELDS needs no change here. A text that YAML would read as something
else (a number, a date, "yes", text with ": " or a leading quote) is written in double
quotes, escaped by PyYAML's own emitter, which also decides what may stay plain.

Public API (stable; the browser editor depends on it):

    case_text(values: Mapping[str, Any], body: str, teaching_note: str | None = None) -> str
        The canonical file text. values: field name → str | int | list[str] | list of
        source mappings (or schema.Source); body: the public Markdown; teaching_note:
        the text of the `## 教学说明` section without its heading (None: no note).
        Raises ValueError for an unknown field or a value of a type no case holds.

    parse_case_text(text: str) -> tuple[dict, str, str | None]
        (values, body, teaching_note) as case_text takes them: the front matter as YAML
        gives it (no checks; `check` does those), the public body, the note. For a
        canonical text t, case_text(*parse_case_text(t)) == t.

    scalar(value: str) -> str
        One text value as it is written after "key: " or "- ".
"""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from . import yamlfm
from .schema import FIELDS, SOURCE_FIELDS, TEACHING_NOTE

__all__ = ["case_text", "parse_case_text", "scalar", "is_empty"]

_INDENT = "  "


def is_empty(value: Any) -> bool:
    """What a case file leaves out: no value, empty text, an empty list."""
    return value is None or (isinstance(value, (str, list, tuple)) and len(value) == 0)


def scalar(value: str, quoted: bool = False) -> str:
    """A text value for "key: " or "- ": plain when YAML reads it back unchanged, else in double quotes."""
    if not isinstance(value, str):
        raise ValueError(f"not a text value: {value!r}")
    if not quoted:
        plain = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_flow_style=False)
        plain = plain.removesuffix("\n...\n").removesuffix("\n")
        if plain == value and "\n" not in plain and _reads_back(plain, value):
            return plain
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style='"')
    return text.removesuffix("\n...\n").removesuffix("\n")


def _reads_back(written: str, value: str) -> bool:
    """The project's own loader (dates stay text) reads the written value back as the same text."""
    try:
        data, _ = yamlfm.parse(f"k: {written}\n")
    except Exception:  # noqa: BLE001 - anything YAML refuses is not plain
        return False
    return isinstance(data, dict) and data.get("k") == value


def _source_lines(source: Any) -> list[str]:
    if is_dataclass(source):
        source = asdict(source)
    if not isinstance(source, Mapping):
        raise ValueError(f"a source must be a mapping, not {source!r}")
    unknown = [k for k in source if k not in SOURCE_FIELDS]
    if unknown:
        raise ValueError(f"unknown source field {unknown[0]!r}")
    lines = []
    for key in SOURCE_FIELDS:
        value = source.get(key)
        if is_empty(value):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a year given as a number is still a date
        lines.append(f"{key}: {scalar(value, quoted=key == 'date')}")
    if not lines:
        raise ValueError("an empty source")
    return [f"{_INDENT}- {lines[0]}"] + [f"{_INDENT}  {line}" for line in lines[1:]]


def _field_lines(name: str, value: Any) -> list[str]:
    spec = FIELDS[name]
    if isinstance(value, bool):
        raise ValueError(f"{name}: true/false is no case value")
    if isinstance(value, int):
        return [f"{name}: {value}"]
    if isinstance(value, str):
        return [f"{name}: {scalar(value, quoted=spec.kind == 'date')}"]
    if isinstance(value, (list, tuple)):
        lines = [f"{name}:"]
        for item in value:
            if isinstance(item, str):
                lines.append(f"{_INDENT}- {scalar(item)}")
            elif isinstance(item, Mapping) or is_dataclass(item):
                lines += _source_lines(item)
            else:
                raise ValueError(f"{name}: list item {item!r} is neither text nor a mapping")
        return lines
    raise ValueError(f"{name}: a value of type {type(value).__name__} is no case value")


def front_matter(values: Mapping[str, Any]) -> str:
    """The YAML between the --- lines, each line ending in a newline."""
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    lines: list[str] = []
    for name in FIELDS:
        if name in values and not is_empty(values[name]):
            lines += _field_lines(name, values[name])
    return "".join(line + "\n" for line in lines)


def case_text(values: Mapping[str, Any], body: str, teaching_note: str | None = None) -> str:
    """The canonical file text of a case (see the module docstring)."""
    parts = []
    if body.strip():
        parts.append(body.strip("\n"))
    if teaching_note is not None:
        note = teaching_note.strip("\n")
        parts.append(f"## {TEACHING_NOTE}" + (f"\n\n{note}" if note else ""))
    return "---\n" + front_matter(values) + "---\n" + "".join(f"\n{part}\n" for part in parts)


def parse_case_text(text: str) -> tuple[dict, str, str | None]:
    """(values, public body, teaching note) of a case file's text; ValueError when it has no front matter."""
    from .cases import _split, split_teaching_note

    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    parsed = _split(Path("case.md"), text)
    if not isinstance(parsed, tuple):
        raise ValueError(parsed.message if hasattr(parsed, "message") else "no front matter")
    front, body, body_line = parsed
    values, _ = yamlfm.parse(front)
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ValueError("the front matter is not a mapping")
    public, note, _, _ = split_teaching_note(Path("case.md"), body, body_line)
    if not public.strip():
        public = ""
    return values, public, note
