"""A recommended section that is there but misnamed is reported at its own line, with "did you mean".

`## 主要做法`, `##背景` (no space) and `＃＃ 背景` (full-width hashes, not a heading at all)
used to give only "缺少推荐的小节" at the start of the body, and the instructor looked
for a missing section that was in fact there. A line that reads like a heading (any
number of half- or full-width hashes, or a bare `一、背景` / `【背景】` line) whose text
holds or nearly spells a missing section name is taken as that section, misnamed.
Teaching-note headings are not sections and are left to the note's own check.
"""
from __future__ import annotations

import difflib
import re

from ..content.problems import Problem, warning
from ..content.schema import SECTIONS, TEACHING_NOTE

_HASH_LINE = re.compile(r"^[ \t\u3000]*[#＃]{1,6}[ \t\u3000]*(?P<text>[^#＃\n]+?)[ \t\u3000#＃]*$")
_BARE_LINE = re.compile(r"^[ \t\u3000]*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[【\[（(])?[ \t\u3000]*"
                        r"(?P<text>[^\s【】\[\]（）()]{2,8}?)[ \t\u3000]*[】\]）)]?[:：]?[ \t\u3000]*$")
_EXACT = re.compile(r"^##[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")


def _close(text: str, section: str) -> bool:
    return section in text or difflib.SequenceMatcher(None, text, section).ratio() >= 0.5


def section_problems(case) -> list[Problem]:
    """For each recommended section not present as `## 名称`: its misnamed line, or that it is missing."""
    lines = case.body.split("\n")
    exact = {m.group("text") for line in lines if (m := _EXACT.match(line))}
    candidates = []  # (index, line text, heading text)
    for i, line in enumerate(lines):
        m = _EXACT.match(line)
        if m and m.group("text") in SECTIONS:
            continue
        m = _HASH_LINE.match(line) or (_BARE_LINE.match(line) if line.strip() in _bare_forms() else None)
        if m and TEACHING_NOTE[:2] not in m.group("text"):
            candidates.append((i, line.strip(), m.group("text").strip(" :：")))
    problems, used = [], set()
    for section in SECTIONS:
        if section in exact:
            continue
        near = next(((i, found) for i, found, text in candidates if i not in used and _close(text, section)), None)
        if near:
            used.add(near[0])
            problems.append(warning(case.path, case.body_line + near[0], "section-misnamed", found=near[1],
                                    section=section))
        else:
            problems.append(warning(case.path, case.body_line, "missing-section", section=section))
    return problems


def _bare_forms() -> set[str]:
    """Lines that are only a section name, as typed in Word: 背景, 背景：, 一、背景, 【背景】, 1. 背景."""
    forms = set()
    for s in SECTIONS:
        forms |= {s, f"{s}：", f"{s}:", f"【{s}】", f"[{s}]", f"（{s}）"}
        forms |= {f"{n}、{s}" for n in "一二三四五六七八九十"} | {f"{n}. {s}" for n in range(1, 10)}
        forms |= {f"{n}.{s}" for n in range(1, 10)} | {f"{n}、{s}" for n in range(1, 10)}
    return forms
