"""What the classroom kit shows of a case, derived once from its front matter and body.

The slides, the reading and the worksheet all need the same pieces: a title that does not give
the answer away (the case's own title often names the solution, e.g. "……全票同意加梯"), 背景
as plain paragraphs with its last paragraph as the dilemma, 做法 and 成效 for the reveal slides,
the 启示 and the comparison rows. Markdown is reduced to plain text here, once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..library import Entry

_HEADING_RE = re.compile(r"^(#{2,6})\s*(.+?)\s*#*\s*$")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARK_RE = re.compile(r"(\*\*|__|\*|`)")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ORDINAL_RE = re.compile(r"^第[一二三四五六七八九十]+[，、,]\s*")


def plain(markdown: str) -> str:
    """One Markdown paragraph as plain text (links keep their words; emphasis marks go)."""
    text = _LINK_RE.sub(r"\1", markdown)
    text = _MARK_RE.sub("", text)
    return re.sub(r"\s*\n\s*", "", text).strip()


def sections(body: str) -> dict[str, list[str]]:
    """Level-2 section title → its paragraphs and list items as plain text (sub-headings dropped)."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    block: list[str] = []

    def flush():
        if current is not None and block:
            text = plain("\n".join(block))
            if text:
                current.append(text)
        block.clear()

    for line in body.splitlines():
        m = _HEADING_RE.match(line)
        if m:
            flush()
            if len(m.group(1)) == 2:
                current = out.setdefault(m.group(2), [])
            continue
        if not line.strip():
            flush()
        elif _LIST_RE.match(line):
            flush()
            block.append(_LIST_RE.sub("", line))
        elif line.lstrip().startswith("|"):
            continue  # tables are left to the page and the PDF
        else:
            block.append(line)
    flush()
    return out


def neutral_title(entry: Entry) -> str:
    """The place and the problem, never the solution: 宜昌市乌龟碑社区彩陶小区：加装电梯、协商议事."""
    c = entry.case
    where = c.community or c.street or (entry.district.name if entry.district.name != "全市" else "")
    place = entry.district.city_name + (where if not where.startswith(entry.district.city_name) else
                                        where[len(entry.district.city_name):])
    return f"{place}：{'、'.join(p.name for p in entry.problem_types)}"


@dataclass
class CaseMaterial:
    entry: Entry
    neutral_title: str
    background: list[str]  # 背景 without its last paragraph
    dilemma: str  # the last paragraph of 背景: where the decision lies
    practice: list[str]  # 做法
    outcomes: list[str]  # the outcomes field, or 成效 paragraphs
    insights: list[str]  # 启示, each without its 第一，
    note: str | None  # the teaching note as plain text (instructor Library only)

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def year(self) -> str:
        return f"{self.entry.case.year} 年" if self.entry.case.year else "年份不详"

    def comparison(self) -> dict[str, str]:
        """The four rows of a comparison: problem, mechanism, actors, outcome."""
        c = self.entry.case
        return {"problem": "、".join(p.name for p in self.entry.problem_types),
                "mechanism": "、".join(c.mechanisms) or "报道未列出",
                "actors": "、".join(c.actors) or "报道未列出",
                "outcome": "；".join(self.outcomes) or "报道未交代"}


COMPARISON_ROWS = (("problem", "问题"), ("mechanism", "做法"), ("actors", "参与方"), ("outcome", "成效"))


def case_material(entry: Entry) -> CaseMaterial:
    parts = sections(entry.case.body)
    background = parts.get("背景", [])
    note = None
    if entry.case.teaching_note:
        note_lines = [plain(line) if not _HEADING_RE.match(line) else _HEADING_RE.match(line).group(2)
                      for line in entry.case.teaching_note.splitlines()]
        note = "\n".join(line for line in note_lines if line)
    return CaseMaterial(
        entry=entry, neutral_title=neutral_title(entry),
        background=background[:-1], dilemma=background[-1] if background else "",
        practice=parts.get("做法", []),
        outcomes=list(entry.case.outcomes) or parts.get("成效", []),
        insights=[_ORDINAL_RE.sub("", p) for p in parts.get("启示", [])],
        note=note)


def first_sentence(text: str) -> str:
    m = re.match(r"(.+?[。！？])", text)
    return m.group(1) if m else text
