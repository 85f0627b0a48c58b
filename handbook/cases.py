"""Load case files: bytes on disk → typed Case objects, or located problems.

Loading checks everything a single file can get wrong on its own (encoding,
front matter, fields, types, lengths, dates, URLs). Rules that need the
taxonomy or the other cases live in validate.py.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import yamlfm
from .problems import Problem, error

MAX_BYTES = 1024 * 1024
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
SECTIONS = ("背景", "做法", "成效", "启示")
STATUSES = ("published", "draft")


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field of the case-format contract."""

    name: str
    required: bool
    kind: str  # text | list | int | sources | status | date
    min: int | None = None
    max: int | None = None
    doc: str = ""


FIELDS: dict[str, FieldSpec] = {f.name: f for f in (
    FieldSpec("title", True, "text", 4, 60, "标题"),
    FieldSpec("summary", True, "text", 10, 200, "摘要"),
    FieldSpec("city", True, "text", doc="城市"),
    FieldSpec("district", True, "text", doc="区"),
    FieldSpec("street", False, "text", doc="街道/乡镇"),
    FieldSpec("community", False, "text", doc="社区/村/小区"),
    FieldSpec("problem_types", True, "list", 1, 4, "问题类型"),
    FieldSpec("mechanisms", False, "list", doc="做法标签"),
    FieldSpec("actors", False, "list", doc="参与主体"),
    FieldSpec("year", False, "int", doc="年份"),
    FieldSpec("outcomes", False, "list", doc="成效"),
    FieldSpec("sources", True, "sources", 1, None, "来源"),
    FieldSpec("discussion_questions", False, "list", doc="讨论题"),
    FieldSpec("status", False, "status", doc="状态"),
    FieldSpec("updated", False, "date", doc="更新日期"),
)}
SOURCE_FIELDS = ("title", "publisher", "date", "url")

TYPE_NAMES = {"text": ("文字", "text"), "list": ("列表", "a list"), "int": ("整数", "an integer"),
              "sources": ("列表", "a list"), "status": ("文字", "text"), "date": ("日期", "a date"),
              "mapping": ("“字段: 值”映射", "a mapping")}


def _actual(value) -> tuple[str, str]:
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


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    date: str
    url: str | None = None


@dataclass
class Case:
    """A case as its file states it (taxonomy values still as written)."""

    id: str
    path: Path
    title: str
    summary: str
    city: str
    district: str
    problem_types: list[str]
    sources: list[Source]
    body: str
    body_line: int = 1
    street: str | None = None
    community: str | None = None
    mechanisms: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    year: int | None = None
    outcomes: list[str] = field(default_factory=list)
    discussion_questions: list[str] = field(default_factory=list)
    status: str = "published"
    updated: str | None = None
    lines: dict = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, *key) -> int:
        """1-based line of a field in the file (line 1 when unknown)."""
        return self.lines.get(key, 1)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def suggest(value: str, candidates, cutoff: float = 0.5) -> str | None:
    found = difflib.get_close_matches(value, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


def case_files(cases_dir: Path) -> list[Path]:
    """Case files under cases/: names starting with _ or . are not cases."""
    return sorted(p for p in cases_dir.glob("*.md") if not p.name.startswith(("_", ".")))


def load_cases(cases_dir: Path, cache: dict | None = None) -> tuple[list[Case], list[Problem]]:
    """Every case file; with a cache (kept by `serve`), a file whose size and time are unchanged is not read again."""
    cases, problems = [], []
    first_of: dict[str, Path] = {}
    # a well-named file wins a clash, so the error lands on the file that is wrong anyway
    for path in sorted(case_files(cases_dir), key=lambda p: (p.name != p.name.lower(), p.name)):
        key = path.name.lower()
        if key in first_of:
            if not ID_RE.match(path.name[:-3]):
                problems.append(error(path, 1, "bad-id", name=path.name))
            problems.append(error(path, 1, "duplicate-id", id=path.name[:-3], other=first_of[key].name))
            continue
        first_of[key] = path
        if cache is None:
            case, found = load_case(path)
        else:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if path not in cache or cache[path][0] != stamp:
                cache[path] = (stamp, load_case(path))
            case, found = cache[path][1]
        problems += found
        if case is not None:
            cases.append(case)
    return cases, problems


def load_case(path: Path, data: bytes | None = None) -> tuple[Case | None, list[Problem]]:
    problems: list[Problem] = []
    case_id = path.name[:-3] if path.name.endswith(".md") else path.name
    if not (3 <= len(case_id) <= 80 and ID_RE.match(case_id)):
        problems.append(error(path, 1, "bad-id", name=path.name))
    size = len(data) if data is not None else path.stat().st_size
    if size > MAX_BYTES:
        return None, problems + [error(path, 1, "too-large", size=size, limit=MAX_BYTES)]
    if data is None:
        data = path.read_bytes()
    text, problem = _decode(path, data)
    if problem:
        return None, problems + [problem]
    parsed = _split(path, text)
    if isinstance(parsed, Problem):
        return None, problems + [parsed]
    front, body, body_line = parsed
    meta, lines, found = _parse_front(path, front)
    if found:
        return None, problems + found
    # the front matter text starts with the rest of line 1 ('---'), so its 0-based line n is file line n + 1
    lines = {k: v + 1 for k, v in lines.items()}
    values, found = _check_fields(path, meta, lines)
    problems += found
    # a case with field errors is still returned, with those fields left empty, so that
    # validation can report the rest of its problems in the same run
    defaults = {"title": "", "summary": "", "city": "", "district": "", "problem_types": [], "sources": []}
    case = Case(id=case_id, path=path, body=body, body_line=body_line, lines=lines, **{**defaults, **values})
    return case, problems


def _decode(path: Path, data: bytes):
    if not data.strip():
        return None, error(path, 1, "empty-file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "GBK/GB18030"
        except UnicodeDecodeError:
            guess = "未知编码 / unknown encoding"
        return None, error(path, line, "not-utf8", guess=guess)
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


_FM = YAMLHandler()


def _split(path: Path, text: str):
    """Front matter text, body text, and the 1-based line where the body starts."""
    if not _FM.detect(text) or not text.startswith("---"):
        return error(path, 1, "no-front-matter")
    parts = _FM.FM_BOUNDARY.split(text, 2)
    if len(parts) < 3:
        return error(path, 1, "unclosed-front-matter")
    _, front, body = parts
    body_line = front.count("\n") + 2
    return front, body.lstrip("\n"), body_line + (len(body) - len(body.lstrip("\n")))


def _parse_front(path: Path, front: str):
    try:
        meta, lines = yamlfm.parse(front)
    except yamlfm.AliasRefused as exc:
        return None, {}, [error(path, exc.line + 1, "yaml-alias")]
    except yamlfm.DuplicateKey as exc:
        return None, {}, [error(path, exc.line + 1, "yaml-duplicate-key", field=exc.key)]
    except yaml.reader.ReaderError as exc:
        line = front[: exc.position].count("\n") + 1
        detail = f"unacceptable character #x{exc.character:04x}: special characters are not allowed" \
            if isinstance(exc.character, int) else "unreadable character"
        return None, {}, [error(path, line, "yaml-syntax", detail=detail)]
    except yaml.YAMLError as exc:
        problem = (getattr(exc, "problem", None) or "").strip()
        context = (getattr(exc, "context", None) or "").strip()
        mark = getattr(exc, "problem_mark", None)
        if "quoted scalar" in context and getattr(exc, "context_mark", None):
            # an unclosed quote: point at where it opens, not where YAML gave up
            mark, problem = exc.context_mark, f"{context}, {problem}"
        line = mark.line + 1 if mark else 1
        if "\t" in problem or "'\\t'" in problem:
            return None, {}, [error(path, line, "yaml-tab")]
        if line > 1 and "expected <block end>, but found '<scalar>'" in problem:
            opened = _unclosed_quote_line(front, line)
            if opened:
                line, problem = opened, "while scanning a quoted scalar, found unexpected end of stream"
        return None, {}, [error(path, line, "yaml-syntax", detail=problem or "invalid YAML")]
    except RecursionError:
        deep = next((i + 1 for i, text in enumerate(front.split("\n")) if text.count("[") + text.count("{") > 50), 1)
        return None, {}, [error(path, deep, "yaml-syntax", detail="nesting too deep")]
    if not isinstance(meta, dict):
        zh, en = _actual(meta)
        if meta is None:
            zh, en = "空的", "empty"
        return None, {}, [error(path, 2, "front-matter-not-mapping", kind=zh, kind_en=en)]
    return meta, lines, []


def _unclosed_quote_line(front: str, failed_line: int) -> int | None:
    """The file line before failed_line whose value opens a double quote it does not close, if any."""
    lines = front.split("\n")
    for i in range(min(failed_line - 1, len(lines) - 1), 0, -1):
        value = lines[i].split(":", 1)[1].strip() if ":" in lines[i] else ""
        if value.startswith('"') and (len(value) == 1 or not value.rstrip().endswith('"')):
            return i + 1
    return None


def _hint(value: str, candidates) -> tuple[str, str]:
    near = suggest(value, candidates)
    if near:
        return f"，是否应为 {near}？", f"; did you mean '{near}'?"
    return "", ""


def _text_length(path, name, value, spec, line, problems):
    n = len(value.strip())
    if spec.min is not None and not (spec.min <= n <= spec.max):
        problems.append(error(path, line, "length", field=name, min=spec.min, max=spec.max, n=n))


def _wrong_type(path, line, name, kind, value):
    zh, en = TYPE_NAMES[kind]
    azh, aen = _actual(value)
    return error(path, line, "wrong-type", field=name, expected=zh, expected_en=en, actual=azh, actual_en=aen)


def _date_text(value) -> str | None:
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


def _check_fields(path: Path, meta: dict, lines: dict):
    problems: list[Problem] = []
    values: dict = {}
    for key in meta:
        if str(key) not in FIELDS:
            zh, en = _hint(str(key), FIELDS)
            problems.append(error(path, lines.get((str(key),), 1), "unknown-field", field=key, hint=zh, hint_en=en))
    for name, spec in FIELDS.items():
        line = lines.get((name,), 1)
        blank = meta.get(name) in (None, "", []) or (
            isinstance(meta.get(name), list) and all(v in (None, "") for v in meta[name]))
        if blank:
            if spec.required:
                problems.append(error(path, line, "missing-field", field=name, label=spec.doc))
            continue
        value = meta[name]
        if spec.kind == "text":
            if not isinstance(value, str):
                problems.append(_wrong_type(path, line, name, "text", value))
                continue
            _text_length(path, name, value, spec, line, problems)
            values[name] = value.strip()
        elif spec.kind == "list":
            if not isinstance(value, list):
                problems.append(_wrong_type(path, line, name, "list", value))
                continue
            items = []
            for i, item in enumerate(value):
                item_line = lines.get((name, i), line)
                if item is None or (isinstance(item, str) and not item.strip()):
                    problems.append(error(path, item_line, "empty-value", field=name))
                elif not isinstance(item, str):
                    problems.append(_wrong_type(path, item_line, name, "text", item))
                elif item.strip() in items:
                    problems.append(error(path, item_line, "repeat", field=name, value=item.strip()))
                else:
                    items.append(item.strip())
            if spec.min is not None and not (spec.min <= len(value) <= spec.max):
                problems.append(error(path, line, "count", field=name, min=spec.min, max=spec.max, n=len(value)))
            values[name] = items
        elif spec.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(_wrong_type(path, line, name, "int", value))
                continue
            latest = dt.date.today().year + 1
            if not 1949 <= value <= latest:
                problems.append(error(path, line, "year-range", max=latest, value=value))
            values[name] = value
        elif spec.kind == "status":
            if value not in STATUSES:
                problems.append(error(path, line, "bad-status", value=value))
            values[name] = value
        elif spec.kind == "date":
            text = _date_text(value)
            if text is None or len(text) != 10:
                problems.append(error(path, line, "bad-date", field=name, value=value, formats="YYYY-MM-DD", formats_en="YYYY-MM-DD"))
            values[name] = text
        elif spec.kind == "sources":
            values[name] = _check_sources(path, value, lines, line, problems)
    return values, problems


def _check_sources(path, value, lines, line, problems) -> list[Source]:
    if isinstance(value, list) and all(isinstance(v, dict) and not any(v.values()) for v in value):
        problems.append(error(path, line, "missing-field", field="sources", label=FIELDS["sources"].doc))
        return []
    if not isinstance(value, list):
        problems.append(_wrong_type(path, line, "sources", "sources", value))
        return []
    sources = []
    for i, item in enumerate(value):
        item_line = lines.get(("sources", i), line)
        n = i + 1
        if not isinstance(item, dict):
            problems.append(_wrong_type(path, item_line, f"sources[{n}]", "mapping", item))
            continue
        for key in item:
            if key not in SOURCE_FIELDS:
                zh, en = _hint(str(key), SOURCE_FIELDS)
                problems.append(error(path, lines.get(("sources", i, str(key)), item_line), "source-unknown",
                                      n=n, field=key, hint=zh, hint_en=en))
        fields = {}
        for key in ("title", "publisher"):
            key_line = lines.get(("sources", i, key), item_line)
            got = item.get(key)
            if got is None or got == "":
                problems.append(error(path, item_line, "source-missing", n=n, field=key))
            elif not isinstance(got, str):
                problems.append(_wrong_type(path, key_line, f"sources[{n}].{key}", "text", got))
            else:
                fields[key] = got.strip()
        date_line = lines.get(("sources", i, "date"), item_line)
        if item.get("date") in (None, ""):
            problems.append(error(path, item_line, "source-missing", n=n, field="date"))
        else:
            text = _date_text(item["date"])
            if text is None:
                problems.append(error(path, date_line, "bad-date", field=f"sources[{n}].date", value=item["date"],
                                      formats="YYYY-MM-DD、YYYY-MM 或 YYYY", formats_en="YYYY-MM-DD, YYYY-MM or YYYY"))
            fields["date"] = text
        url = item.get("url")
        if url is not None:
            url_line = lines.get(("sources", i, "url"), item_line)
            if not isinstance(url, str) or not URL_RE.match(url.strip()):
                problems.append(error(path, url_line, "bad-url", field=f"sources[{n}].url", value=url))
            else:
                fields["url"] = url.strip()
        if len(fields) >= 3 and all(fields.get(k) for k in ("title", "publisher", "date")):
            sources.append(Source(**fields))
    return sources
