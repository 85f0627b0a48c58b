"""The case-format contract as one table: each field's name, kind, bounds and label.

Everything that knows about fields reads FIELDS: the Case type (its attributes and
defaults are made from the table), the loader (one processor per kind, as Pelican's
METADATA_PROCESSORS), the scaffold, the data export and the tests that keep the
instructors' guide complete. Adding an optional field is one row here, one line in
cases/_template.md and the guide, and (if readers see it) one row in the shared
metadata macro (templates/shared/case_meta.html).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import Any, Callable

from .problems import Problem, error

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
SECTIONS = ("背景", "做法", "成效", "启示")
TEACHING_NOTE = "教学说明"  # the instructor-only section (case-format.md, "Teaching note")
TEACHING_NOTE_PARTS = ("教学目标", "课前准备", "课堂安排", "分析要点", "后续进展")
STATUSES = ("published", "draft")
CASE_KINDS = {"决策案例": "decision", "经验材料": "briefing"}  # case_kind's values → their finder slugs
NEXT_YEAR = "next-year"  # an upper bound that moves with the calendar


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field of the case-format contract."""

    name: str
    required: bool
    kind: str  # a key of KINDS
    min: int | None = None
    max: int | str | None = None
    doc: str = ""  # the label readers and instructors see
    meaning: str = ""  # one sentence for the codebook

    def upper(self) -> int | None:
        return dt.date.today().year + 1 if self.max == NEXT_YEAR else self.max  # type: ignore[return-value]


FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("title", True, "text", 4, 60, "标题", "案例标题：谁、在哪、解决了什么问题"),
    FieldSpec("summary", True, "text", 10, 200, "摘要", "一段话的概要，显示在卡片、搜索结果和 PDF 中"),
    FieldSpec("city", True, "text", doc="城市", meaning="分类表中的城市"),
    FieldSpec("district", True, "text", doc="区", meaning="该城市在分类表中的区（县级市为城市本身）；全市推行的做法为“全市”"),
    FieldSpec("street", False, "text", doc="街道/乡镇", meaning="街道或乡镇"),
    FieldSpec("community", False, "text", doc="社区/村/小区", meaning="社区、村或小区"),
    FieldSpec("problem_types", True, "list", 1, 4, "问题类型", "1 到 4 个分类表中的问题类型，第一个为主要类型"),
    FieldSpec("mechanisms", False, "list", doc="做法标签", meaning="做法的名称，自由标签"),
    FieldSpec("actors", False, "list", doc="参与主体", meaning="参与的组织和人"),
    FieldSpec("year", False, "int", 1949, NEXT_YEAR, "年份", "做法开始或被报道的年份"),
    FieldSpec("outcomes", False, "list", doc="成效", meaning="成效，尽量带来源中的数字"),
    FieldSpec("sources", True, "sources", 1, None, "来源", "来源文章：标题、发布单位、日期、网址"),
    FieldSpec("discussion_questions", False, "list", doc="讨论题", meaning="课堂讨论题"),
    FieldSpec("open_questions", False, "list", doc="报道未交代",
              meaning="来源没有交代、学员会想知道的事，集中列在启示之后，正文不再逐处说明"),
    FieldSpec("case_kind", False, "case_kind", doc="案例类型",
              meaning="决策案例（有主人公、决策点，背景止于两难）或经验材料（做法简介）"),
    FieldSpec("status", False, "status", doc="状态", meaning="published（发布）或 draft（草稿）"),
    FieldSpec("updated", False, "date", doc="更新日期", meaning="案例最近一次更新的日期"),
)}
SOURCE_FIELDS = ("title", "publisher", "date", "url")


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    date: str
    url: str | None = None


@dataclass(frozen=True)
class Kind:
    """How a kind of field is typed, defaulted, named in messages and checked."""

    python_type: Any
    default: Callable[[FieldSpec], Any]
    name_zh: str
    name_en: str
    process: Callable[["FieldContext", FieldSpec, Any, int], Any]


class FieldContext:
    """What a processor needs besides the value: where the file is, where each key is, where problems go."""

    def __init__(self, path: Path, lines: dict):
        self.path, self.lines = path, lines
        self.problems: list[Problem] = []

    def line(self, *key, default: int = 1) -> int:
        return self.lines.get(key, default)

    def add(self, line: int, code: str, **params) -> None:
        self.problems.append(error(self.path, line, code, **params))

    def wrong_type(self, line: int, name: str, kind: str, value) -> None:
        zh, en = (KINDS[kind].name_zh, KINDS[kind].name_en) if kind in KINDS else TYPE_NAMES[kind]
        azh, aen = actual_type(value)
        self.add(line, "wrong-type", field=name, expected=zh, expected_en=en, actual=azh, actual_en=aen)


INVALID = object()  # a processor's answer for a value it reported as wrong


def actual_type(value) -> tuple[str, str]:
    """What a wrong value is, in both languages, for the wrong-type message."""
    if value is None:
        return "空值", "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()}", f"{str(value).lower()}"
    if isinstance(value, int):
        return f"整数 {value}", f"the integer {value}"
    if isinstance(value, float):
        return f"小数 {value}", f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"日期 {value}", f"the date {value}"
    if isinstance(value, str):
        return "文字", "text"
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "“字段: 值”映射", "a mapping"
    return type(value).__name__, type(value).__name__


def suggest(value: str, candidates, cutoff: float = 0.5) -> str | None:
    """The closest known value, for did-you-mean messages."""
    found = difflib.get_close_matches(value, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


def hint(value: str, candidates) -> tuple[str, str]:
    """A did-you-mean tail for a message, in both languages ("" when nothing is close)."""
    near = suggest(value, candidates)
    if near:
        return f"，是否应为 {near}？", f"; did you mean '{near}'?"
    return "", ""


def date_text(value) -> str | None:
    """A YYYY[-MM[-DD]] string from what YAML produced, or None when it is no such date."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str):
        m = DATE_RE.match(value.strip())
        if not m:
            return None
        y, mo, d = m.groups()
        try:
            dt.date(int(y), int(mo or 1), int(d or 1))
        except ValueError:
            return None
        return value.strip()
    return None


# ----------------------------------------------------------------- one processor per kind

def _text(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if not isinstance(value, str):
        ctx.wrong_type(line, spec.name, "text", value)
        return INVALID
    n = len(value.strip())
    if spec.min is not None and not (spec.min <= n <= spec.upper()):
        ctx.add(line, "length", field=spec.name, min=spec.min, max=spec.upper(), n=n)
    return value.strip()


def _list(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if not isinstance(value, list):
        ctx.wrong_type(line, spec.name, "list", value)
        return INVALID
    items: list[str] = []
    for i, item in enumerate(value):
        item_line = ctx.line(spec.name, i, default=line)
        if item is None or (isinstance(item, str) and not item.strip()):
            ctx.add(item_line, "empty-value", field=spec.name)
        elif not isinstance(item, str):
            ctx.wrong_type(item_line, spec.name, "text", item)
        elif item.strip() in items:
            ctx.add(item_line, "repeat", field=spec.name, value=item.strip())
        else:
            items.append(item.strip())
    if spec.min is not None and not (spec.min <= len(value) <= spec.upper()):
        ctx.add(line, "count", field=spec.name, min=spec.min, max=spec.upper(), n=len(value))
    return items


def _int(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if isinstance(value, bool) or not isinstance(value, int):
        ctx.wrong_type(line, spec.name, "int", value)
        return INVALID
    low, high = spec.min, spec.upper()
    if (low is not None and value < low) or (high is not None and value > high):
        ctx.add(line, "out-of-range", field=spec.name, min=low, max=high, value=value)
    return value


def _status(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if value not in STATUSES:
        ctx.add(line, "bad-status", value=value)
    return value


def _case_kind(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if value not in CASE_KINDS:
        ctx.add(line, "bad-case-kind", value=value)
        return INVALID
    return value


def _date(ctx: FieldContext, spec: FieldSpec, value, line: int):
    text = date_text(value)
    if text is None or len(text) != 10:
        ctx.add(line, "bad-date", field=spec.name, value=value, formats="YYYY-MM-DD", formats_en="YYYY-MM-DD")
    return text


def _sources(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if isinstance(value, list) and all(isinstance(v, dict) and not any(v.values()) for v in value):
        ctx.add(line, "missing-field", field=spec.name, label=spec.doc)
        return []
    if not isinstance(value, list):
        ctx.wrong_type(line, spec.name, "sources", value)
        return []
    sources = []
    for i, item in enumerate(value):
        item_line = ctx.line(spec.name, i, default=line)
        n = i + 1
        if not isinstance(item, dict):
            ctx.wrong_type(item_line, f"sources[{n}]", "mapping", item)
            continue
        for key in item:
            if key not in SOURCE_FIELDS:
                zh, en = hint(str(key), SOURCE_FIELDS)
                ctx.add(ctx.line(spec.name, i, str(key), default=item_line), "source-unknown",
                        n=n, field=key, hint=zh, hint_en=en)
        fields = {}
        for key in ("title", "publisher"):
            got = item.get(key)
            if got is None or got == "":
                ctx.add(item_line, "source-missing", n=n, field=key)
            elif not isinstance(got, str):
                ctx.wrong_type(ctx.line(spec.name, i, key, default=item_line), f"sources[{n}].{key}", "text", got)
            else:
                fields[key] = got.strip()
        if item.get("date") in (None, ""):
            ctx.add(item_line, "source-missing", n=n, field="date")
        else:
            text = date_text(item["date"])
            if text is None:
                ctx.add(ctx.line(spec.name, i, "date", default=item_line), "bad-date", field=f"sources[{n}].date",
                        value=item["date"], formats="YYYY-MM-DD、YYYY-MM 或 YYYY",
                        formats_en="YYYY-MM-DD, YYYY-MM or YYYY")
            fields["date"] = text
        url = item.get("url")
        if url is not None:
            if not isinstance(url, str) or not URL_RE.match(url.strip()):
                ctx.add(ctx.line(spec.name, i, "url", default=item_line), "bad-url", field=f"sources[{n}].url",
                        value=url)
            else:
                fields["url"] = url.strip()
        if all(fields.get(k) for k in ("title", "publisher", "date")):
            sources.append(Source(**fields))
    return sources


def _none(spec: FieldSpec):
    return "" if spec.required else None


KINDS: dict[str, Kind] = {
    "text": Kind(str, _none, "文字", "text", _text),
    "list": Kind(list[str], lambda spec: [], "列表", "a list", _list),
    "int": Kind(int | None, lambda spec: None, "整数", "an integer", _int),
    "sources": Kind(list[Source], lambda spec: [], "列表", "a list", _sources),
    "status": Kind(str, lambda spec: STATUSES[0], "文字", "text", _status),
    "date": Kind(str | None, lambda spec: None, "日期", "a date", _date),
    "case_kind": Kind(str | None, lambda spec: None, "文字", "text", _case_kind),
}
TYPE_NAMES = {"mapping": ("“字段: 值”映射", "a mapping")}  # names of what is no field kind


def process_fields(path: Path, meta: dict, lines: dict) -> tuple[dict, list[Problem]]:
    """The front matter's values, typed, and the problems found: unknown fields, missing ones, each kind's rules."""
    ctx = FieldContext(path, lines)
    values: dict = {}
    for key in meta:
        if str(key) not in FIELDS:
            zh, en = hint(str(key), FIELDS)
            ctx.add(ctx.line(str(key)), "unknown-field", field=key, hint=zh, hint_en=en)
    for name, spec in FIELDS.items():
        line = ctx.line(name)
        value = meta.get(name)
        if value in (None, "", []) or (isinstance(value, list) and all(v in (None, "") for v in value)):
            if spec.required:
                ctx.add(line, "missing-field", field=name, label=spec.doc)
            continue
        result = KINDS[spec.kind].process(ctx, spec, value, line)
        if result is not INVALID:
            values[name] = result
    return values, ctx.problems


# ----------------------------------------------------------------- the Case type, made from the table

class _CaseMethods:
    def line_of(self, *key) -> int:
        """1-based line of a field in the file (line 1 when unknown)."""
        return self.lines.get(key, 1)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def _case_type():
    specs = [(spec.name, KINDS[spec.kind].python_type,
              field(default_factory=lambda spec=spec: KINDS[spec.kind].default(spec))) for spec in FIELDS.values()]
    return make_dataclass("Case", [
        ("id", str), ("path", Path), ("body", str),
        ("body_line", int, field(default=1)),
        # the instructor-only section (Markdown, without its heading) and the line it starts on; see cases.py
        ("teaching_note", str | None, field(default=None)),
        ("teaching_note_line", int, field(default=0)),
        *specs,
        ("lines", dict, field(default_factory=dict, repr=False, compare=False)),
    ], bases=(_CaseMethods,), namespace={"__doc__": "A case as its file states it (taxonomy values still as written)."})


Case = _case_type()
Case.__module__ = __name__


# course packs (packs.py): their fields and their sessions' fields, checked by the same KINDS
PACK_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("title", True, "text", 4, 60, "标题", "课程包标题"),
    FieldSpec("summary", False, "text", 0, 200, "简介", "一两句话说明这次课讲什么"),
    FieldSpec("audience", False, "text", doc="对象", meaning="学员是谁"),
    FieldSpec("date", False, "date", doc="日期", meaning="上课日期"),
    FieldSpec("sessions", True, "sessions", 1, 20, "课次", "按顺序排列的各次课"),
    FieldSpec("status", False, "status", doc="状态", meaning="published（发布）或 draft（草稿）"),
)}
SESSION_FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("title", True, "text", doc="本讲标题"),
    FieldSpec("cases", True, "list", 1, 12, "案例", "本讲使用的案例编号"),
    FieldSpec("questions", False, "list", doc="本讲讨论题"),
    FieldSpec("note", False, "text", doc="教师备注（只在教师版中出现）"),
)}
