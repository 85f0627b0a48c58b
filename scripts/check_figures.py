#!/usr/bin/env python3
"""检查案例中的数字是否都能在来源中找到 / Check that every figure in a case occurs in its sources.

用法 / usage:

    python scripts/check_figures.py cases/x.md SOURCE.txt [SOURCE2.txt ...]

为什么要有这个工具 / why: the handbook promises that every figure (number) in a case
comes from the source the case cites, and that nothing is estimated or added. A wrong
figure is the error a reader cannot catch, and the one an instructor repeats in class.
Checking by eye misses things: a case has dozens of numbers, and the source may write
them differently (全角数字, 1,000 for 1000, 17万 for 170000, 十五 for 15). This tool
lists every figure of the case that does not occur in any of the given source texts, one
line each, so the author can look each one up:

    cases/x.md:12: 来源中找不到数字 17万 (figure 17万 not found in the sources)

It exits with status 1 if any figure is missing, 0 if all are found, 2 if the command
itself is wrong (a file that does not exist).

What counts as a figure in the case: Arabic-digit numbers, with decimals (98.6),
thousands separators (1,000), percentages (82%), 万/亿/千 multipliers (17万, 1.6万亿),
ranges (3–6, 2至6, 10～25) and clock times (8:30). Full-width digits count like ASCII ones.
The front matter is checked too, `year:` included (a year must come from the source),
except the `date:` and `updated:` values (dates of publication and revision) and `url:`.
Not figures: digits inside URLs, Markdown link and image targets, file names, case ids
and other ASCII identifiers, inline code and fenced code, ordered-list markers ("1. "),
and, inside the instructor-only `## 教学说明`, class logistics (10 分钟, 第 2 题, 4 组).

A figure is found when its value occurs in a source: 1,000 = 1000 = １０００, 17万 = 170000,
06 = 6; a percentage needs a percentage (82% needs 82% or 百分之八十二); a range is found if
the same range occurs, or if both ends occur. Chinese numerals in the source (十五, 一百六十八,
二〇二三, 两万) count as the numbers they spell. Numbers are compared by value, not by meaning:
a figure that is "found" may still be used wrongly, so the tool narrows the search, it does
not replace reading the source.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

# ---------------------------------------------------------------- normalisation

_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("．"): ord("."), ord("％"): ord("%"), ord("："): ord(":"), ord("－"): ord("-")})


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, same length (positions do not move).

    A full-width comma between full-width digit groups (１，０００) becomes an ASCII one, so
    that it reads as a thousands separator; a full-width comma after ASCII digits stays a
    Chinese comma (3，168户 is two numbers)."""
    text = re.sub(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))", ",", text)
    return text.translate(_FULLWIDTH)


# ---------------------------------------------------------------- masking (not figures)

_MASKS = [
    re.compile(r"`[^`\n]*`"),                                   # inline code
    re.compile(r"\]\([^)\n]*\)"),                               # Markdown link / image target
    re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$"),                  # reference definition
    re.compile(r"<[a-z]+:[^>\s]*>", re.I),                      # autolink
    re.compile(r"(?:https?|ftp)://[^\s<>\"'()（）「」“”，。；、]+", re.I),  # URL
    re.compile(r"www\.[A-Za-z0-9.-]+[^\s<>\"'()（）「」“”，。；、]*", re.I),
    re.compile(r"(?<![A-Za-z0-9_])[A-Za-z0-9_][A-Za-z0-9_./-]*\.(?:md|markdown|txt|ya?ml|json|html?|png|jpe?g|gif|svg|webp|pdf|csv|docx?|xlsx?|pptx?|zip)\b", re.I),  # file name
    re.compile(r"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*(?:[-./][A-Za-z0-9_]+)*"),  # identifier, id
    re.compile(r"(?<![A-Za-z0-9_])[0-9]+[A-Za-z_][A-Za-z0-9_]*(?:[-_/][A-Za-z0-9_]+)+"),  # 18hao-hongse
]


def mask(line: str) -> str:
    """Blank out (with spaces, same length) the parts of a line whose digits are not figures."""
    for rx in _MASKS:
        line = rx.sub(lambda m: " " * len(m.group(0)) if re.search(r"[0-9]", m.group(0)) else m.group(0), line)
    return line


# ---------------------------------------------------------------- figures

_MULT = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
         "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
_ATOM = re.compile(
    r"(?P<time>(?<![0-9])[0-9]{1,2}:[0-9]{2}(?![0-9]))"
    r"|(?P<num>(?<![0-9])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?)"
    r"(?P<mult>\s?(?:万亿|千万|百万|亿|万|千))?(?P<pct>\s?%)?")
_RANGE_SEP = re.compile(r"\s*(?:–|—{1,2}|-|~|～|至|到)\s*")


@dataclass(frozen=True)
class Atom:
    key: tuple          # ('n', value) a number, ('p', value) a percentage, ('t', h, m) a time
    start: int
    end: int


@dataclass(frozen=True)
class Figure:
    """One figure of a text: its line (1-based), its text as written, and what it means."""
    line: int
    text: str
    keys: tuple         # one atom key, or two for a range
    is_range: bool = False

    @property
    def key(self) -> tuple:
        return ("r",) + self.keys if self.is_range else self.keys[0]


def _atoms(line: str) -> list[Atom]:
    out = []
    for m in _ATOM.finditer(line):
        if m.group("time"):
            h, mi = m.group("time").split(":")
            out.append(Atom(("t", int(h), int(mi)), m.start(), m.end()))
            continue
        try:
            value = Decimal(m.group("num").replace(",", ""))
        except InvalidOperation:        # pragma: no cover - the pattern only matches numbers
            continue
        if m.group("mult"):
            value *= _MULT[m.group("mult").strip()]
        out.append(Atom(("p" if m.group("pct") else "n", value), m.start(), m.end()))
    return out


def _plain_int(atom: Atom, line: str) -> int | None:
    if atom.key[0] != "n":
        return None
    text = line[atom.start:atom.end]
    return int(text) if text.isdigit() else None


def figures_in_line(line: str, lineno: int = 1) -> list[Figure]:
    """The figures of one (already masked) line: numbers, percentages, times, ranges.

    A date written with hyphens (2023-06-08, 2023-06) gives its parts as separate numbers,
    not a range."""
    line = normalise(line)
    atoms = _atoms(line)
    figures: list[Figure] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        sep = line[a.end:b.start] if b else None
        if b and sep is not None and _RANGE_SEP.fullmatch(sep):
            year, month = _plain_int(a, line), _plain_int(b, line)
            if sep == "-" and year and 1900 <= year <= 2099 and month and 1 <= month <= 12 \
                    and len(line[a.start:a.end]) == 4:
                parts = [a, b]          # a date: year, month (and day) are numbers on their own
                c = atoms[i + 2] if i + 2 < len(atoms) else None
                if c and line[b.end:c.start] == "-" and (_plain_int(c, line) or 0) in range(1, 32):
                    parts.append(c)
                figures.extend(Figure(lineno, line[x.start:x.end], (x.key,)) for x in parts)
                i += len(parts)
                continue
            figures.append(Figure(lineno, line[a.start:b.end], (a.key, b.key), True))
            i += 2
            continue
        figures.append(Figure(lineno, line[a.start:a.end], (a.key,)))
        i += 1
    return figures


def extract_figures(text: str) -> list[Figure]:
    """All figures of a plain text (a source), line by line, URLs and identifiers left out."""
    out: list[Figure] = []
    for n, line in enumerate(text.splitlines(), 1):
        out.extend(figures_in_line(mask(line), n))
    return out


# ---------------------------------------------------------------- Chinese numerals (sources)

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile(r"百分之([零〇一二两三四五六七八九十百千]+)|([零〇一二两三四五六七八九十百千万亿]+)")


def chinese_value(s: str) -> int | None:
    """十五 -> 15, 一百六十八 -> 168, 二〇二三 -> 2023, 两万 -> 20000; None if no number."""
    if not s:
        return None
    if all(ch in _CN_DIGIT for ch in s):
        return int("".join(str(_CN_DIGIT[ch]) for ch in s))
    if not any(ch in _CN_DIGIT for ch in s) and not s.startswith("十"):
        return None
    total = section = num = 0
    for ch in s:
        if ch in _CN_DIGIT:
            num = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (num or 1) * _CN_UNIT[ch]
            num = 0
        elif ch == "万":
            total += (section + num) * 10 ** 4
            section = num = 0
        elif ch == "亿":
            total = (total + section + num) * 10 ** 8
            section = num = 0
    return total + section + num


def chinese_keys(text: str) -> set[tuple]:
    keys = set()
    for m in _CN_RUN.finditer(text):
        if m.group(1):
            v = chinese_value(m.group(1))
            if v is not None:
                keys.add(("p", Decimal(v)))
        else:
            v = chinese_value(m.group(2))
            if v is not None:
                keys.add(("n", Decimal(v)))
    return keys


# ---------------------------------------------------------------- sources and cases

def source_keys(texts: list[str]) -> set[tuple]:
    """Everything a source offers: each figure, each end of each range, Chinese numerals."""
    keys: set[tuple] = set()
    for text in texts:
        for f in extract_figures(text):
            keys.add(f.key)
            keys.update(f.keys)
        keys |= chinese_keys(text)
    return keys


def _atom_found(key: tuple, keys: set[tuple]) -> bool:
    if key in keys:
        return True
    return key[0] == "n" and ("p", key[1]) in keys    # 82 may be read off 82%


def found(figure: Figure, keys: set[tuple]) -> bool:
    if figure.is_range:
        return figure.key in keys or all(_atom_found(k, keys) for k in figure.keys)
    return _atom_found(figure.keys[0], keys)


_SKIP_FIELD = re.compile(r"^\s*(?:-\s+)?(?:date|updated|url)\s*:")
_LIST_MARKER = re.compile(r"^(\s*(?:>\s*)?)([0-9]+[.)、])(?=\s)")
_FENCE = re.compile(r"^\s*(```|~~~)")
# class logistics in the teaching note: minutes, hours, groups, question / step numbers
_LOGISTICS = re.compile(
    r"[0-9０-９]+(?:\s*(?:–|—|-|~|～|至|到)\s*[0-9０-９]+)?\s*(?:分钟|小时|课时|个?小组|组|人一组|轮)"
    r"|第\s*[0-9０-９]+\s*(?:题|问|步|组|轮|讲|课时|节)")
_TEACHING_NOTE = "## 教学说明"


def case_figures(text: str) -> list[Figure]:
    """The figures of a case file that must come from its sources, with their line numbers."""
    lines = text.lstrip("\ufeff").splitlines()
    out: list[Figure] = []
    in_front = bool(lines) and lines[0].strip() == "---"
    in_fence = in_note = False
    for n, raw in enumerate(lines, 1):
        if n == 1 and in_front:
            continue
        if in_front:
            if raw.strip() == "---":
                in_front = False
                continue
            if _SKIP_FIELD.match(raw):
                continue
            line = raw
        else:
            if _FENCE.match(raw):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            if raw.startswith("## "):
                in_note = raw.strip() == _TEACHING_NOTE
            line = _LIST_MARKER.sub(lambda m: m.group(1) + " " * len(m.group(2)), raw)
            if in_note:
                line = _LOGISTICS.sub(lambda m: " " * len(m.group(0)), line)
        out.extend(figures_in_line(mask(line), n))
    return out


def missing_figures(case_text: str, source_texts: list[str]) -> list[Figure]:
    """The case's figures not found in any source, each (line, text) once, in order."""
    keys = source_keys(source_texts)
    seen, out = set(), []
    for f in case_figures(case_text):
        ident = (f.line, f.key)
        if ident in seen or found(f, keys):
            continue
        seen.add(ident)
        out.append(f)
    return out


def read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check_figures.py",
        description="列出案例中在来源里找不到的数字 / list the figures of a case that occur in none of "
                    "the given source texts.")
    parser.add_argument("case", help="案例文件 / the case file, e.g. cases/xiqiao-yueyuetan.md")
    parser.add_argument("sources", nargs="+", help="来源文本 / the source text(s) the case cites")
    args = parser.parse_args(argv)

    for p in [args.case, *args.sources]:
        if not Path(p).is_file():
            print(f"error: 找不到文件 {p} (no such file: {p})", file=sys.stderr)
            return 2
    case_text = read_text(Path(args.case))
    missing = missing_figures(case_text, [read_text(Path(s)) for s in args.sources])
    for f in missing:
        n = f.text
        print(f"{args.case}:{f.line}: 来源中找不到数字 {n} (figure {n} not found in the sources)")
    total = len({(f.line, f.key) for f in case_figures(case_text)})
    if missing:
        print(f"{args.case}：{total} 个数字中有 {len(missing)} 个在来源中找不到"
              f"（{len(missing)} of {total} figures not found in the sources）")
        return 1
    print(f"{args.case}：{total} 个数字都能在来源中找到（all {total} figures found in the sources）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
