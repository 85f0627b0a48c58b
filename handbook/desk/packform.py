"""A course pack as a form and back: packs/<id>.yml written field by field in PACK_FIELDS order.

The form is made from the pack tables (packs.PACK_FIELDS, SESSION_FIELDS); a session's cases are an
ordered list the instructor drags into order (SortableJS) and picks from the published cases. The text is
checked by packs.load_pack and packs.validate_packs, the functions `check` runs, and each message is
placed by the line it names: the pack's field, or a session's field.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..content import yamlfm
from ..content.packs import PACK_FIELDS, SESSION_FIELDS, load_pack, validate_packs
from .canonical_bridge import scalar as _scalar
from .checks import GENERAL, Message


@dataclass
class SessionForm:
    title: str = ""
    cases: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class PackForm:
    values: dict[str, str]
    sessions: list[SessionForm]

    def text(self) -> str:
        lines = []
        for name in PACK_FIELDS:
            if name == "sessions":
                lines.append("sessions:")
                for s in self.sessions:
                    lines.append(f"  - title: {_scalar(s.title)}")
                    lines.append(f"    cases: [{', '.join(_scalar(c) for c in s.cases)}]")
                    if s.questions:
                        lines.append("    questions:")
                        lines += [f"      - {_scalar(q)}" for q in s.questions]
                    if s.note.strip():
                        lines.append(f"    note: {_scalar(s.note.strip())}")
            elif self.values.get(name, "").strip():
                lines.append(f"{name}: {_scalar(self.values[name].strip())}")
        return "\n".join(lines) + "\n"


def empty_pack() -> PackForm:
    return PackForm({"status": "published"}, [SessionForm(title="第一讲　")])


def from_form(form) -> PackForm:
    values = {name: str(form.get(f"field.{name}", "")) for name in PACK_FIELDS if name != "sessions"}
    sessions = []
    for i in range(int(form.get("session_count", "0") or 0)):
        prefix = f"session.{i}."
        if prefix + "title" not in form:  # a session removed on the page leaves a gap in the numbers
            continue
        sessions.append(SessionForm(
            title=str(form.get(prefix + "title", "")).strip(),
            cases=[c.strip() for c in form.getlist(prefix + "cases") if c.strip()],
            questions=[q.strip() for q in str(form.get(prefix + "questions", "")).replace("\r", "").split("\n")
                       if q.strip()],
            note=str(form.get(prefix + "note", "")).replace("\r\n", "\n")))
    return PackForm(values, sessions)


def from_text(text: str) -> PackForm:
    data, _ = yamlfm.parse(text)
    data = data if isinstance(data, dict) else {}
    values = {name: "" if data.get(name) is None else str(data.get(name)) for name in PACK_FIELDS if name != "sessions"}
    sessions = []
    for item in data.get("sessions") or []:
        if isinstance(item, dict):
            sessions.append(SessionForm(str(item.get("title") or ""), [str(c) for c in item.get("cases") or []],
                                        [str(q) for q in item.get("questions") or []], str(item.get("note") or "")))
    return PackForm(values, sessions)


def check_pack_text(pack_id: str, text: str, cases) -> list[Message]:
    with tempfile.TemporaryDirectory(prefix="desk-pack-") as tmp:
        path = Path(tmp) / f"{pack_id}.yml"
        path.write_text(text, encoding="utf-8")
        pack, problems = load_pack(path)
        if pack is not None:
            problems += validate_packs([pack], cases)
    try:
        _, lines = yamlfm.parse(text)
    except Exception:
        lines = {}
    places: dict[int, str] = {}
    for key, line in lines.items():
        if key and key[0] == "sessions" and len(key) >= 3 and key[2] in SESSION_FIELDS:
            places.setdefault(line + 1, f"session.{key[1]}.{key[2]}")
        elif key and key[0] == "sessions" and len(key) == 2:
            places.setdefault(line + 1, f"session.{key[1]}.title")
        elif key and str(key[0]) in PACK_FIELDS:
            places.setdefault(line + 1, str(key[0]))
    out = []
    for p in problems:
        place = places.get(p.line, GENERAL)
        if p.code == "missing-field" and p.params.get("field") in PACK_FIELDS and p.line == 1:
            place = str(p.params["field"])
        out.append(Message(place, p.severity, p.text, p.line))
    return out
