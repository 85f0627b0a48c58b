"""Typing slips of a Chinese keyboard in front matter: found, repaired, reported at their own line.

With a Chinese input method on, a colon is typed `：`, an indent `　` (U+3000) and a list
separator `，` or `、`. YAML then reports something far from the cause: `expected
'<document start>', but found '<block mapping start>'` for a first field `title：…`,
`could not find expected ':'` one line after a later one, an indent four lines off, or no
error at all for `[协商议事，停车管理]` (one value with a comma in it, later "unknown").

repair() finds each slip on its line, replaces it with what was meant, and says where;
only known field names count for the colon (`APP：怎么推广` in a list is text); the
loader reports the slips and reads the repaired text, so the rest of the file is
still checked in the same run (every error at once). Lines inside a block scalar
(`summary: |`) are the author's text and are left alone. The property tests
(tests/test_mistakes_front_slips.py, hypothesis) check that a repaired file parses to
what the ASCII file would have, on the line of the slip.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_KEY_COLON = re.compile(r"^(?P<lead>[ \u3000]*(?:-[ \u3000]+)?)(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \u3000]*：[ \u3000]*")
_INDENT = re.compile(r"^(?P<indent>[ \u3000]*\u3000[ \u3000]*)(?=\S)")
_FLOW_LIST = re.compile(r"^(?P<head>[ ]*(?:-[ ]+)?[A-Za-z_][A-Za-z0-9_]*:[ ]*)\[(?P<items>[^\[\]\n]*)\][ ]*$")
_BLOCK_START = re.compile(r":[ ]*[|>][-+0-9]*[ ]*(#.*)?$")


@dataclass(frozen=True)
class Slip:
    line: int  # 0-based line of the text given to repair()
    code: str  # a problems.MESSAGES code
    params: dict


@functools.cache
def _known_keys() -> frozenset[str]:
    """Field names of cases, sources, packs and sessions: `APP：…` in a list of questions is text, not a slip."""
    from ..content.schema import FIELDS, PACK_FIELDS, SESSION_FIELDS, SOURCE_FIELDS

    return frozenset(FIELDS) | frozenset(SOURCE_FIELDS) | frozenset(PACK_FIELDS) | frozenset(SESSION_FIELDS)


def _indent_width(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def repair(text: str) -> tuple[str, list[Slip]]:
    """(the text with every slip replaced by what was meant, the slips in order)."""
    out, slips = [], []
    block_indent = None  # inside a block scalar: the indent of the key that opened it
    for i, line in enumerate(text.split("\n")):
        if block_indent is not None:
            if not line.strip() or (_indent_width(line) > block_indent and not line.startswith("\u3000")):
                out.append(line)
                continue
            block_indent = None
        m = _INDENT.match(line)
        if m:
            indent = m.group("indent")
            line = indent.replace("\u3000", "  ") + line[m.end():]
            slips.append(Slip(i, "fullwidth-indent", {}))
        m = _KEY_COLON.match(line)
        if m and m.group("key") in _known_keys():
            line = f"{m.group('lead')}{m.group('key')}: " + line[m.end():]
            slips.append(Slip(i, "fullwidth-colon", {"field": m.group("key")}))
        m = _FLOW_LIST.match(line)
        if m and re.search("[，、]", m.group("items")):
            items = re.sub(r"[ ]*[，、][ ]*", ", ", m.group("items"))
            slips.append(Slip(i, "chinese-comma-list", {"field": m.group("head").strip(" -:"),
                                                        "fixed": f"[{items}]"}))
            line = f"{m.group('head')}[{items}]"
        if _BLOCK_START.search(line):
            block_indent = _indent_width(line)
        out.append(line)
    return "\n".join(out), slips
