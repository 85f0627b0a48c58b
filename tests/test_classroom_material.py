"""What the kit shows of a case: sections as plain text, the dilemma, a neutral title, the comparison rows,
and compare/cases.json with public fields only."""
from __future__ import annotations

import json

import pytest

from handbook.classroom.compare import compare_data
from handbook.classroom.material import case_material, neutral_title, plain, sections
from handbook.config import load_settings
from handbook.pipeline import check

from .conftest import ROOT
from .test_classroom_slides import _note_snippets


@pytest.fixture(scope="module")
def library():
    result = check(load_settings(ROOT), edition="instructor")
    assert result.ok
    return result.library


def test_sections_are_plain_paragraphs_and_list_items():
    body = "## 背景\n\n第一段**加粗**，见[另一案例](other.md)。\n接着一行。\n\n- 一项\n- 二项\n\n### 小标题\n\n## 做法\n\n做了。\n"
    assert sections(body) == {"背景": ["第一段加粗，见另一案例。接着一行。", "一项", "二项"], "做法": ["做了。"]}
    assert plain("`代码`与*强调*") == "代码与强调"


def test_the_dilemma_is_the_last_paragraph_of_the_background(library):
    m = case_material(library.get("yichang-caitao-pingceng-jiati"))
    assert m.dilemma.startswith("摆在社区面前的问题是")
    assert m.background[0].startswith("彩陶小区位于宜昌市东山大道101号")
    assert m.practice[0] == "联系专门机构。乌龟碑社区帮业主联系了加梯办。"
    assert m.insights[0].startswith("把加梯放进旧改的时间窗口")


def test_a_neutral_title_is_the_place_and_the_problem_never_the_cases_own(library):
    e = library.get("yichang-caitao-pingceng-jiati")
    assert neutral_title(e) == "宜昌市乌龟碑社区彩陶小区：加装电梯、协商议事、老旧小区改造"
    for e in library.entries:
        title = neutral_title(e)
        assert title != e.case.title and title.startswith(e.district.city_name)
        assert title.split("：", 1)[1] == "、".join(p.name for p in e.problem_types)


def test_notes_reach_the_material_only_from_the_instructor_library(library):
    e = library.get("yichang-caitao-pingceng-jiati")
    assert "教学目标" in case_material(e).note
    trainee = library.for_edition("trainee")
    assert all(case_material(x).note is None for x in trainee.entries)


def test_the_comparison_data_has_every_case_and_no_note(library):
    data = json.loads(compare_data(library))
    assert [r["label"] for r in data["rows"]] == ["问题", "做法", "参与方", "成效"] and data["max"] == 4
    assert set(data["cases"]) == {e.id for e in library.entries}
    c = data["cases"]["yichang-caitao-pingceng-jiati"]
    assert c["url"] == "cases/yichang-caitao-pingceng-jiati/" and c["mechanism"].startswith("旧改带动加梯")
    text = compare_data(library)
    assert [s for s in _note_snippets(library) if s in text] == []
