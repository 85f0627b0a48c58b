"""The shipped cases' trainee text: few hedges, no sentence to the instructor, every case with a kind.

scripts/count_hedges.py counts with the pattern of project issue 28 (没有/未 + 说明/交代/提到/给出/介绍…,
不详, 所得文本, 只介绍了). What a source leaves open belongs in `open_questions`, once; asides to the
teacher belong in `## 教学说明`.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.content.cases import load_case
from handbook.content.schema import CASE_KINDS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "count_hedges.py"
_spec = importlib.util.spec_from_file_location("count_hedges", SCRIPT)
ch = importlib.util.module_from_spec(_spec)
sys.modules["count_hedges"] = ch
_spec.loader.exec_module(ch)

CASES = ch.case_files([])
HITS = {path: ch.hits(path) for path in CASES}


def hedges(path):
    return [h for h in HITS[path] if h.kind == "hedge"]


def test_there_are_cases_to_count():
    assert len(CASES) >= 54


def test_at_most_one_hedge_per_case_on_average():
    total = sum(len(hedges(p)) for p in CASES)
    assert total / len(CASES) <= 1, total


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_at_most_two_hedges_in_any_case(path):
    assert len(hedges(path)) <= 2, [h.text for h in hedges(path)]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_no_sentence_speaks_to_the_instructor_on_the_trainee_page(path):
    assert [h.text for h in HITS[path] if h.kind == "instructor"] == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_case_has_a_kind(path):
    case, _ = load_case(path, path.read_bytes())
    assert case.case_kind in CASE_KINDS


@pytest.mark.parametrize("text,n", [
    ("报道没有说明费用怎样分摊，也没有交代谁来牵头。", 2),
    ("报道只介绍了做法和结果。", 1),
    ("小区名称不详，所得文本到此中断。", 2),
    ("报道未写明其所在社区。", 1),
    ("报道没有解释两者的关系，也没有提供服务人次。", 2),
    ("居民没有钱修电梯，也说明不了理由。", 0),
])
def test_the_pattern(text, n):
    assert len(ch.HEDGE.findall(text)) == n


@pytest.mark.parametrize("text,hit", [
    ("培训时可以请学员讨论本地能提供什么样的激励。", True),
    ("这是培训时值得重点讨论的部分。", True),
    ("培训中可以提醒学员：这些恰恰最需要谈清楚。", True),
    ("武汉市委组织部在谈社区治理培训时，把它列为本地创新的例子。", False),
    ("分类打造现场教学点，让学员到社区一线看做法。", False),
    ("分歧最后怎样化解，要由学员来推演。", True),
    ("培训中引用具体条款时，应以条例文本为准。", True),
])
def test_the_instructor_voice_pattern(text, hit):
    assert bool(ch.INSTRUCTOR.search(text)) == hit


def test_the_teaching_note_and_open_questions_are_not_counted(tmp_path):
    case = tmp_path / "x-case.md"
    case.write_text("---\ntitle: 一个测试案例\nsummary: 用来检查计数只看学员可见的文字。\ncity: 武汉市\n"
                    "district: 江汉区\nproblem_types: [停车管理]\nopen_questions:\n  - 报道没有说明车位数\n"
                    "sources:\n  - title: 来源\n    publisher: 某报\n    date: 2024\n---\n\n## 背景\n\n"
                    "报道没有交代谁来牵头。\n\n## 教学说明\n\n报道没有说明结果，培训时可以请学员推演。\n", encoding="utf-8")
    found = ch.hits(case)
    assert [(h.kind, h.text, h.line) for h in found] == [("hedge", "没有交代", 17)]


def test_the_script_prints_a_summary():
    r = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and f"{len(CASES)} 个案例" in r.stdout.splitlines()[-1]
