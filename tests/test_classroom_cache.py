"""The kit is cached like the per-case PDFs: nothing changed → nothing made again; one edited case
→ only the decks and worksheets of the packs that contain it."""
from __future__ import annotations

from handbook.classroom.slides import DeckWriter
from handbook.classroom.worksheet import WorksheetWriter
from handbook.config import load_settings
from handbook.pipeline import build, check

PACK = """title: {title}
sessions:
  - title: 第一讲　议事
    cases: [{cases}]
    questions:
      - 换作你的社区，第一步找谁商量？
    note: 先分组读背景，再讨论。
"""


def run(project):
    settings = load_settings(project)
    result = check(settings)
    assert result.ok, [p.format(project) for p in result.problems]
    writers = [DeckWriter(settings), WorksheetWriter(settings)]
    build(settings, result.library, writers)
    return [sorted(w.cache.made) for w in writers]


def test_nothing_changed_makes_nothing_and_one_edit_remakes_only_its_packs(project):
    packs = project / "packs"
    packs.mkdir()
    (packs / "both-cases.yml").write_text(PACK.format(title="两个案例的课程包", cases="xiqiao-yueyuetan, wuchang-lift"),
                                         encoding="utf-8")
    (packs / "one-case.yml").write_text(PACK.format(title="一个案例的课程包", cases="xiqiao-yueyuetan"), encoding="utf-8")
    assert run(project) == [["both-cases", "one-case"]] * 2
    deck = project / "site" / "packs" / "both-cases.pptx"
    assert deck.exists() and (project / "site" / "packs" / "one-case-worksheet.pdf").exists()
    assert run(project) == [[], []]
    case = project / "cases" / "wuchang-lift.md"
    case.write_text(case.read_text(encoding="utf-8").replace("背景文字。", "背景文字改了。"), encoding="utf-8")
    assert run(project) == [["both-cases"], ["both-cases"]]
    assert run(project) == [[], []]
