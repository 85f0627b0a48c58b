"""Load case files: bytes on disk → typed Case objects, or located problems.

Loading checks everything a single file can get wrong on its own (encoding,
front matter, fields, types, lengths, dates, URLs). Rules that need the
taxonomy or the other cases live in validate.py.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import yamlfm
from ..mistakes import front_slips
from .problems import Problem, error
from .teaching_note import split_teaching_note
from .schema import (FIELDS, ID_RE, SECTIONS, SOURCE_FIELDS, STATUSES, TEACHING_NOTE, Case, Source,  # noqa: F401
                     actual_type, hint as _hint, process_fields, suggest)

MAX_BYTES = 1024 * 1024


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
    problems += found  # keyboard slips come with the repaired fields, to check the rest in the same run
    if meta is None:
        return None, problems
    # the front matter text starts with the rest of line 1 ('---'), so its 0-based line n is file line n + 1
    lines = {k: v + 1 for k, v in lines.items()}
    values, found = process_fields(path, meta, lines)
    problems += found
    body, note, note_line, found = split_teaching_note(path, body, body_line)
    problems += found
    # a case with field errors is still returned, with those fields left at their defaults, so that
    # validation can report the rest of its problems in the same run
    case = Case(id=case_id, path=path, body=body, body_line=body_line, lines=lines,
                teaching_note=note, teaching_note_line=note_line, **values)
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
    """Parse the front matter; keyboard slips (mistakes/front_slips.py) are reported and the repaired text is read."""
    repaired, slips = front_slips.repair(front)
    if not slips:
        return _parse_yaml(path, front)
    meta, lines, found = _parse_yaml(path, repaired)
    return meta, lines, [error(path, s.line + 1, s.code, **s.params) for s in slips] + found


def _parse_yaml(path: Path, front: str):
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
        zh, en = actual_type(meta)
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
