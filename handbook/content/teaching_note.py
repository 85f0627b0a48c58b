"""The teaching note cut out of a case body, and every heading that merely looks like one refused.

The rule (case-format.md, "A near-miss is never public"): the note is the section whose
heading is exactly `## 教学说明`. Any other line a person would read as the note's heading
is a located error that stops every build, trainee edition included. We chose "error"
over "accept it as the note" because an accepted variant would still be one regex away
from the next unaccepted one; an error tells the instructor the one spelling, and the
trainee build cannot go out until the heading is fixed.

A line counts as a heading here when it is
- an ATX heading of any level, with `#` or full-width `＃`, with or without spaces;
- a setext heading (a line underlined with === or ---);
- a bold-only line (`**教学说明**`), an HTML heading (`<h3>教学说明</h3>`), or a line that
  holds nothing but the heading words (`教学说明：`), each standing alone as a paragraph;
and its text, once spaces (half- and full-width), brackets and numbering are set aside,
starts with a note word (教学说明, 教学建议, 教学提示, 授课说明, 教师用 ...) or is one of the
note's own sub-headings (教学目标, 课前准备, 课堂安排, 分析要点) outside a note.
"""
from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem, error
from .schema import TEACHING_NOTE, TEACHING_NOTE_PARTS

NOTE_HEADING = f"## {TEACHING_NOTE}"
# words that open a heading a person reads as "the part for the teacher"
NOTE_WORDS = ("教学", "授课", "教师用", "教师版", "教师说明", "教师参考", "教师提示", "教师备注", "教师须知", "讲师",
              "教案", "给老师", "老师用", "仅供教师", "仅限教师")
# the note's sub-headings that only make sense inside it (后续进展 may be public: what happened later)
NOTE_ONLY_PARTS = tuple(p for p in TEACHING_NOTE_PARTS if p != "后续进展")

_NOTE_RE = re.compile(rf"^##[ \t]+{TEACHING_NOTE}[ \t]*#*[ \t]*$")
_H2_RE = re.compile(r"^##(?!#)")
_SPACES = "[ \t\u3000\u00a0]"
_ATX_RE = re.compile(rf"^{_SPACES}{{0,3}}[#＃]{{1,6}}(?:{_SPACES}+|(?=[^#＃]))(?P<text>.*?)(?:{_SPACES}+[#＃]+)?{_SPACES}*$")
_SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_BOLD_RE = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_]+?)(?:\*\*|__)\s*[:：]?\s*$")
_HTML_RE = re.compile(r"^\s*<h[1-6][^>]*>(?P<text>.*?)</h[1-6]>\s*$", re.I)
_PUNCT = " \t\u3000\u00a0:：.。,，、;；!！?？-—–~·•*_#＃「」『』“”\"'"
_BRACKETS = "()（）[]【】〔〕<>《》〈〉"
_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)[、.．)）]")


def heading_text(lines: list[str], i: int) -> str | None:
    """The text of line i if it is (or stands alone like) a heading; None for ordinary lines."""
    line = lines[i]
    for pattern in (_ATX_RE, _HTML_RE, _BOLD_RE):
        m = pattern.match(line)
        if m:
            return m.group("text")
    alone = (i == 0 or not lines[i - 1].strip())
    if line.strip() and i + 1 < len(lines) and _SETEXT_RE.match(lines[i + 1]) and alone:
        return line
    if alone and (i + 1 == len(lines) or not lines[i + 1].strip()):
        return line  # a one-line paragraph: a heading only if its words are the note's (checked below)
    return None


def _core(text: str) -> str:
    """The heading's words with spaces, markup, brackets, leading numbering and punctuation set aside."""
    text = re.sub(r"<[^>]*>|[ \t\u3000\u00a0*_#＃]", "", text)
    text = _NUMBERING_RE.sub("", text.lstrip(_BRACKETS))
    text = text.lstrip(_BRACKETS)
    return "".join(ch for ch in text if ch not in _PUNCT)


def looks_like_note(text: str, *, standalone_line: bool = False) -> bool:
    """Whether a person would read this heading text as the teaching note's (or one of its parts)."""
    core = _core(text)
    if not core:
        return False
    if standalone_line:
        # an ordinary one-line paragraph is a heading only when it is the note's words and little else:
        # 教学说明：, 【教学提示（教师用）】 or 教学说明：供授课参考, never a sentence that mentions them
        head = re.split(r"[:：]", re.sub(r"<[^>]*>|[ \t\u3000\u00a0*_#＃]", "", text), maxsplit=1)[0]
        head = re.sub(r"（[^（）]*）|\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]|〔[^〔〕]*〕", "", head.lstrip(_BRACKETS))
        head = _core(head)
        return head.startswith(NOTE_WORDS + NOTE_ONLY_PARTS) and len(head) <= 6
    return core.startswith(NOTE_WORDS) or core.startswith(NOTE_ONLY_PARTS)


def _near_misses(path: Path, lines: list[str], body_line: int, skip: range) -> list[Problem]:
    problems = []
    for i in range(len(lines)):
        if _NOTE_RE.match(lines[i]):
            continue
        text = heading_text(lines, i)
        if text is None:
            continue
        if i in skip:
            # inside the note its sub-headings belong to it; only a mistyped note heading is named
            if _ATX_RE.match(lines[i]) and _core(text).startswith(TEACHING_NOTE):
                problems.append(error(path, body_line + i, "teaching-note-heading", found=lines[i].strip(),
                                      heading=NOTE_HEADING))
            continue
        standalone = not (_ATX_RE.match(lines[i]) or _HTML_RE.match(lines[i]) or _BOLD_RE.match(lines[i])
                          or (i + 1 < len(lines) and _SETEXT_RE.match(lines[i + 1])))
        if looks_like_note(text, standalone_line=standalone):
            core = _core(text)
            if core.startswith(NOTE_ONLY_PARTS) and not core.startswith(NOTE_WORDS):
                problems.append(error(path, body_line + i, "teaching-note-part-outside", found=lines[i].strip(),
                                      heading=NOTE_HEADING))
            else:
                problems.append(error(path, body_line + i, "teaching-note-heading", found=lines[i].strip(),
                                      heading=NOTE_HEADING))
    return problems


def split_teaching_note(path: Path, body: str, body_line: int) -> tuple[str, str | None, int, list[Problem]]:
    """(public body, teaching note or None, the note's first line, problems).

    The note is cut out here, at loading, so that nothing downstream can show it by mistake:
    writers of the trainee edition never receive it. Inside the note, sub-headings (### 教学目标 ...)
    belong to it; outside it, any heading that looks like the note's is an error (module docstring).
    """
    lines = body.split("\n")
    problems: list[Problem] = []
    starts = [i for i, text in enumerate(lines) if _NOTE_RE.match(text)]
    for i in starts[1:]:
        problems.append(error(path, body_line + i, "teaching-note-twice", heading=NOTE_HEADING))
    if not starts:
        return body, None, 0, problems + _near_misses(path, lines, body_line, range(0))
    start = starts[0]
    end = next((j for j in range(start + 1, len(lines)) if _H2_RE.match(lines[j]) and not _NOTE_RE.match(lines[j])),
               len(lines))
    problems += _near_misses(path, lines, body_line, range(start + 1, end))
    problems.sort(key=lambda p: p.line)
    public = "\n".join(lines[:start] + lines[end:]).rstrip("\n") + "\n"
    note = "\n".join(lines[start + 1:end]).strip("\n")
    return public, note + "\n", body_line + start + 1, problems
