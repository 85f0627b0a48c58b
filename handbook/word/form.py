"""The Word form of a case: what the template, the exporter and the importer agree on.

One table (字段 | 填写内容) holds the front matter, one row per FIELDS entry, made from the
schema so that a new field is a new row with no edit here: the row's label is the field's
`doc`, under it its rule (from the field's kind and bounds) and an example. A row 编号 above
them holds the case id (the file name), which is no field of the case itself. Then come the
section headings; the teaching note's heading carries a suffix that tells the reader it is
for instructors only, and the importer reads any such suffix as the note's heading.

Cell text ⇄ values:
- text: the cell's paragraphs joined;
- list: one item per paragraph (or line); a single line is split on 、，；; unless it is one
  sentence (ends in 。？！); paragraphs in a list style are items as they stand;
- int: the digits of the cell (2021 or 2021年);
- date: 2021-07-05, 2021年7月5日, 2021.7.5 or 2021/7/5 → YYYY-MM-DD;
- sources: one source per paragraph, 标题，发布单位，日期[，网址], read from the right so that
  a title may hold commas; a publisher may hold one inside its parentheses, as in
  “某网（转载页，未署原发媒体）”; a hyperlink on the title is its address.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.schema import FIELDS, SECTIONS, SOURCE_FIELDS, STATUSES, TEACHING_NOTE, TEACHING_NOTE_PARTS, FieldSpec

TABLE_HEADER = ("字段", "填写内容")
ID_LABEL = "编号"
ID_RULE = "案例编号，也是文件名：小写英文字母、数字和连字符，例如 xiqiao-yueyuetan；导入时也可以用 --id 指定"
NOTE_SUFFIX = "（仅教师版，学员看不到）"
NOTE_HEADING = TEACHING_NOTE + NOTE_SUFFIX
TITLE_STYLE = "Title"

LIST_SEPARATORS = re.compile(r"[、，；;]")
SENTENCE_END = re.compile(r"(?<=[。？！?!])")
SOURCE_SEPARATOR = re.compile(r"([，,])")
YEAR_RE = re.compile(r"^\s*(\d{4})\s*年?\s*$")
_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?$"),
    re.compile(r"^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$"),
)
URL_START = re.compile(r"^https?://", re.IGNORECASE)
_TRAILING_URL = re.compile(r"[，,]\s*(https?://\S+)\s*$", re.IGNORECASE)


def label(spec: FieldSpec) -> str:
    return spec.doc or spec.name


def field_for_label(text: str) -> FieldSpec | None:
    """The field a row's label names: its Chinese label or its field name, spaces and colons ignored."""
    key = re.sub(r"[\s:：*＊（(].*$", "", text.strip()) or text.strip()
    for spec in FIELDS.values():
        if key in (spec.doc, spec.name) or text.strip() in (spec.doc, spec.name):
            return spec
    return None


def rule(spec: FieldSpec) -> str:
    """The row's rule, said from the schema."""
    need = "必填" if spec.required else "可不填"
    if spec.kind == "text" and spec.min is not None:
        shape = f"{spec.min} 到 {spec.upper()} 个字"
    elif spec.kind == "list":
        count = f"{spec.min} 到 {spec.upper()} 项，" if spec.min is not None else ""
        shape = f"{count}每行一项（也可用顿号“、”分开）"
    elif spec.kind == "int":
        shape = f"只写数字，{spec.min} 到 {spec.upper()}"
    elif spec.kind == "sources":
        shape = "每行一条：标题，发布单位，日期，网址（网址可不填；日期写 2021-07-05、2021-07 或 2021）"
    elif spec.kind == "status":
        shape = "published（发布）或 draft（草稿）"
    elif spec.kind == "date":
        shape = "日期，例如 2026-01-15"
    else:
        shape = ""
    return "；".join(part for part in (need, spec.meaning, shape) if part)


NOTE_NAMES = (TEACHING_NOTE, "教学建议", "教学提示", "教师说明", "教学指导", "教师用")  # all read as the note: never public


def is_section(text: str) -> str | None:
    """The section a heading-like text names (背景 … 教学说明), ignoring numbering, brackets and a suffix."""
    key = normal_heading(text)
    if key in NOTE_NAMES:
        return TEACHING_NOTE
    return key if key in SECTIONS else None


def is_note_part(text: str) -> str | None:
    key = normal_heading(text)
    return key if key in TEACHING_NOTE_PARTS else None


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|第[一二三四五六七八九十\d]+(?:部分|节|章)[、：:\s]*)")


def normal_heading(text: str) -> str:
    t = re.sub(r"[\s\u3000]+", "", text)
    t = _NUMBERING.sub("", t)
    t = t.strip("【】[]〔〕「」#*:：。")
    t = re.sub(r"[（(][^）)]*[）)]$", "", t)
    return t


# ----------------------------------------------------------------- values → cell lines

def cell_lines(spec: FieldSpec, value) -> list[str]:
    """What the exporter writes in a row's value cell, one paragraph per line."""
    if value is None or value == "" or value == []:
        return []
    if spec.kind == "sources":
        return [source_line(s) for s in value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def source_line(source) -> str:
    get = source.get if isinstance(source, dict) else lambda k: getattr(source, k, None)
    parts = [get("title") or "", get("publisher") or "", str(get("date") or "")]
    if get("url"):
        parts.append(get("url"))
    return "，".join(parts)


# ----------------------------------------------------------------- cell lines → values

@dataclass
class CellProblem(Exception):
    zh: str
    en: str


def normal_date(text: str, full: bool = False) -> str:
    """YYYY[-MM[-DD]] from the ways people write a date; CellProblem when it is none."""
    t = text.strip()
    for form in _DATE_FORMS:
        m = form.match(t)
        if m:
            y, mo, d = m.groups()
            if full and not d:
                break
            import datetime as dt
            try:
                dt.date(int(y), int(mo or 1), int(d or 1))
            except ValueError:
                break
            return y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")
    want = "2026-01-15 或 2026年1月15日" if full else "2021-07-05、2021-07 或 2021（也可写 2021年7月5日）"
    raise CellProblem(f"“{t}”不是日期，请写成 {want}", f"'{t}' is not a date")


def split_list(lines: list[str], listed: bool) -> list[str]:
    lines = [line.strip() for line in lines if line.strip()]
    if listed or len(lines) != 1:
        return lines
    line = lines[0]
    sentences = [s.strip() for s in SENTENCE_END.split(line) if s.strip()]
    if len(sentences) > 1 or re.search(r"[。？！?!]$", line):
        return sentences
    return [part.strip() for part in LIST_SEPARATORS.split(line) if part.strip()]


def _open_parentheses(parts: list[str]) -> int:
    """How many more （ than ） the text of parts holds (negative: a ） closes what opened before it)."""
    text = "".join(parts)
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def parse_source(line: str, link: str | None = None) -> dict:
    """标题，发布单位，日期[，网址] → a source mapping; CellProblem naming what is missing."""
    text = line.strip()
    url = None
    trailing = _TRAILING_URL.search(text)
    if trailing:  # an address may hold commas itself: it is taken off first
        url, text = trailing.group(1), text[:trailing.start()]
    parts = SOURCE_SEPARATOR.split(text)
    tokens = parts[0::2]
    if len(tokens) < 3:
        raise CellProblem(f"“{line.strip()}”应写成“标题，发布单位，日期，网址”（网址可不填）",
                          f"'{line.strip()}': write title, publisher, date[, url]")
    date = normal_date(tokens[-1])
    end = 2 * len(tokens) - 3  # parts[2 * n:end] is the publisher, parts[:2 * n - 1] the title
    n = len(tokens) - 2
    if _open_parentheses(parts[2 * n:end]) < 0:  # a ） whose （ is in a token further left: that comma is inside
        n = next((k for k in range(n - 1, 0, -1) if _open_parentheses(parts[2 * k:end]) >= 0), n)
    publisher = "".join(parts[2 * n:2 * len(tokens) - 3]).strip()
    title = "".join(parts[: 2 * n - 1]).strip()
    source = {"title": title, "publisher": publisher, "date": date}
    if url or link:
        source["url"] = url or link
    return {k: source[k] for k in SOURCE_FIELDS if k in source}


def cell_value(spec: FieldSpec, lines: list[str], listed: bool = False, links: list[str | None] | None = None):
    """A row's value from its cell's paragraphs; CellProblem with the reason in both languages."""
    lines = [line.strip() for line in lines]
    text_lines = [line for line in lines if line]
    if not text_lines:
        return None
    if spec.kind == "list":
        return split_list(text_lines, listed)
    if spec.kind == "sources":
        links = links or [None] * len(lines)
        return [parse_source(line, link) for line, link in zip(lines, links) if line]
    text = _join(text_lines)
    if spec.kind == "int":
        m = YEAR_RE.match(text)
        if not m:
            raise CellProblem(f"“{text}”不是年份，请只写数字，例如 2021", f"'{text}' is not a year")
        return int(m.group(1))
    if spec.kind == "date":
        return normal_date(text, full=True)
    if spec.kind == "status":
        word = {"发布": "published", "草稿": "draft"}.get(text, text)
        if word not in STATUSES:
            raise CellProblem(f"“{text}”应为 published（发布）或 draft（草稿）", f"'{text}' is not published or draft")
        return word
    return text


def _join(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        glue = " " if out[-1:].isascii() and line[:1].isascii() else ""
        out += glue + line
    return out
