#!/usr/bin/env python3
"""数出案例学员可见文字中的“报道没有说明”之类的话 / Count hedges on a case's trainee text.

用法 / usage:

    python scripts/count_hedges.py [cases/x.md ...]     (no argument: every case under cases/)

为什么 / why: a trainee page that keeps saying what its source does not say ("报道没有说明……",
"……不详", "所得文本……") teaches badly, and a sentence addressed to the instructor ("培训时可以
请学员……") does not belong on the trainee page at all. What a source leaves open goes into the
`open_questions` field (shown once, as a box after 启示); instructions to the teacher go into
`## 教学说明`. The review that asked for this (project issue 28) counted hedges with the pattern
HEDGE below; tests/test_hedges.py holds the shipped cases to at most 1 per case on average,
2 in any case, and no instructor-voice sentence.

Trainee text is what the trainee edition shows of a case: title, summary, outcomes, discussion
questions and the body without `## 教学说明`. open_questions is not counted: that is where the
hedges belong.

Prints one line per hedge (`path:line: text`) and a summary; exits 0 (it reports, it does not judge).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.content.cases import load_case  # noqa: E402

HEDGE = re.compile(
    r"(?:没有|没|未|并未|尚未)(?:能)?(?:具体|详细|明确|进一步|单独)?"
    r"(?:说明|交代|提到|提及|给出|介绍|写明|写到|写出|披露|公布|列出|透露|报道|涉及|记载|收录|提供|解释|展示|说|讲)"
    r"|不详|所得文本|所得报道|只介绍了")
INSTRUCTOR = re.compile(r"(?:培训|教学|授课|上课|讲授|课堂上)(?:时|中)?(?:可以|可|应|要|值得|引用)|(?:(?:可以|可)(?:请|让|引导|提醒)|由|请)学员|学员讨论时|可用来讨论|教师(?:可以|可|应)")
FRONT_FIELDS = ("title", "summary", "outcomes", "discussion_questions")


@dataclass(frozen=True)
class Hit:
    path: Path
    line: int
    kind: str  # "hedge" or "instructor"
    text: str


def trainee_lines(path: Path) -> list[tuple[int, str]]:
    """(line, text) of everything a trainee reads of the case."""
    case, _ = load_case(path, path.read_bytes())
    out: list[tuple[int, str]] = []
    for name in FRONT_FIELDS:
        value = getattr(case, name)
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if item:
                out.append((case.line_of(name, i) if isinstance(value, list) else case.line_of(name), item))
    out += [(case.body_line + k, line) for k, line in enumerate(case.body.splitlines())]
    return out


def hits(path: Path) -> list[Hit]:
    found = []
    for line, text in trainee_lines(path):
        for m in HEDGE.finditer(text):
            found.append(Hit(path, line, "hedge", m.group(0)))
        for sentence in re.split(r"(?<=[。！？])", text):
            if INSTRUCTOR.search(sentence):
                found.append(Hit(path, line, "instructor", sentence.strip()))
    return found


def case_files(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    return sorted(p for p in (ROOT / "cases").glob("*.md") if not p.name.startswith(("_", ".")))


def main(argv: list[str]) -> int:
    files = case_files(argv)
    counts = {}
    for path in files:
        found = hits(path)
        counts[path] = sum(h.kind == "hedge" for h in found)
        for h in found:
            print(f"{h.path}:{h.line}: {h.kind}: {h.text}")
    if counts:
        total = sum(counts.values())
        worst = max(counts, key=counts.get)
        print(f"{len(files)} 个案例，{total} 处，平均每例 {total / len(files):.2f} 处，最多 {counts[worst]} 处（{worst.name}）"
              f" ({len(files)} cases, {total} hedges, {total / len(files):.2f} per case, at most {counts[worst]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
