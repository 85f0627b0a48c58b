"""content/synonyms.yml: the table's rules, its located errors (word for word), and the aliases in the index."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from handbook.site import search
from handbook.content.synonyms import NONE, FILE_NAME, Rule, Synonyms, load_synonyms

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content" / FILE_NAME


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / FILE_NAME
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    table, problems = load_synonyms(path)
    assert table is NONE or not problems
    return [p.format(path.parent) for p in problems]


def test_shipped_table_has_the_issue_examples():
    table, problems = load_synonyms(SHIPPED)
    assert problems == []
    rules = {r.words: r.adds for r in table.rules}
    assert rules[("加装电梯",)] == ("加梯", "装电梯", "增设电梯")
    assert rules[("业主委员会",)] == ("业委会",)
    assert rules[("物业费",)] == ("物业收费",) and rules[("物业收费",)] == ("物业费",)
    assert rules[("停车难",)] == ("车位",) and rules[("车位",)] == ("停车难",)
    assert rules[("老旧小区",)] == ("老小区",) and rules[("老小区",)] == ("老旧小区",)


def test_one_way_adds_short_forms_to_long_form_text_only():
    table = Synonyms((Rule(("加装电梯",), ("加梯", "增设电梯"), 1),))
    assert table.aliases("老旧小区加装电梯的做法") == "加梯 增设电梯"
    assert table.aliases("居民商量加梯") == ""  # one way: the short form does not add the long one
    assert table.aliases("增设电梯和加装电梯") == "加梯"  # a word already in the text is not added again


def test_missing_or_empty_table_is_no_synonyms(tmp_path):
    assert load_synonyms(tmp_path / FILE_NAME) == (NONE, [])
    assert load_synonyms(write(tmp_path, "# 只有注释\n")) == (NONE, [])


def test_every_error_at_its_line_word_for_word(tmp_path):
    path = write(tmp_path, "one_way:\n  加装电梯: [加梯, 加梯]\n  业主委员会: 业\n  停车: []\n"
                           "two_way:\n  - [物业费]\n  - 车位\n  - [老旧小区, 老-小区]\nthree_way: 1\n")
    assert messages(path) == [
        "synonyms.yml:2: error: 同义词“加梯”在这一项里出现了两次 (synonym '加梯' appears twice in this entry)",
        "synonyms.yml:3: error: 同义词“业”只能由汉字、字母和数字组成，至少两个字 "
        "(synonym '业' must be letters, digits or Chinese characters, at least two)",
        "synonyms.yml:4: error: one_way 的每一项应写成“全称: [简称, 简称]”，如 加装电梯: [加梯, 增设电梯] "
        "(each one_way entry must be 'long form: [short forms]')",
        "synonyms.yml:6: error: two_way 的每一项应是两个或更多词的列表，如 [物业费, 物业收费] "
        "(each two_way entry must be a list of two or more words)",
        "synonyms.yml:7: error: two_way 的每一项应是两个或更多词的列表，如 [物业费, 物业收费] "
        "(each two_way entry must be a list of two or more words)",
        "synonyms.yml:8: error: 同义词“老-小区”只能由汉字、字母和数字组成，至少两个字 "
        "(synonym '老-小区' must be letters, digits or Chinese characters, at least two)",
        "synonyms.yml:9: error: 同义词表中未知的部分“three_way”，只能是 one_way 或 two_way "
        "(unknown section 'three_way' in the synonym table: use one_way or two_way)",
    ]


def test_yaml_error_and_wrong_shape(tmp_path):
    assert messages(write(tmp_path, "one_way:\n  加装电梯: [加梯\n")) == [
        "synonyms.yml:3: error: 同义词表格式错误：expected ',' or ']', but got '<stream end>' "
        "(synonym table: YAML error: expected ',' or ']', but got '<stream end>')"]
    assert messages(write(tmp_path, "- 加梯\n")) == [
        "synonyms.yml:1: error: 同义词表应有 one_way（单向）和/或 two_way（双向）两部分 "
        "(the synonym table needs one_way and/or two_way)"]
    assert messages(write(tmp_path, "one_way:\n  加梯: [加梯]\n")) == [
        "synonyms.yml:2: error: 同义词“加梯”在这一项里出现了两次 (synonym '加梯' appears twice in this entry)"]


def test_a_bad_table_fails_the_check_with_its_location(tmp_path):
    from handbook.config import load_settings
    from handbook.pipeline import check

    (tmp_path / "content").mkdir()
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "taxonomy.yml").write_text((ROOT / "cases" / "taxonomy.yml").read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    (tmp_path / "content" / FILE_NAME).write_text("two_way:\n  - [物业费]\n", encoding="utf-8")
    result = check(load_settings(tmp_path))
    assert not result.ok and result.library is None
    assert [p.format(tmp_path) for p in result.problems] == [
        "content/synonyms.yml:2: error: two_way 的每一项应是两个或更多词的列表，如 [物业费, 物业收费] "
        "(each two_way entry must be a list of two or more words)"]


class _Entry:
    """What search.indexed_text reads of a library entry."""

    def __init__(self, title: str, summary: str):
        from types import SimpleNamespace as NS
        self.case = NS(title=title, summary=summary, mechanisms=[], community="", street="", actors=[],
                       outcomes=[], discussion_questions=[], sources=[], open_questions=[], case_kind=None)
        self.problem_types, self.district = [], NS(name="江岸区", city_name="武汉市")


def _section_tokens(html: str) -> list[set[str]]:
    import re
    return [set(part.split()) for part in re.findall(r">([^<]*)</", html)]


def test_alias_is_indexed_where_the_long_form_stands():
    table, _ = load_synonyms(SHIPPED)
    title, summary, body = _section_tokens(search.indexed_text(_Entry("老旧小区加装电梯", "居民议事"), "<p>正文</p>", table))
    jiati = search.token("加梯")
    assert jiati in title and jiati not in summary | body
    assert search.token("老小") in title  # 老小区, two-way from 老旧小区
    _, summary, _ = _section_tokens(search.indexed_text(_Entry("居民议事", "业主委员会换届"), "<p>正文</p>", table))
    assert search.token("业委") in summary
    plain = search.indexed_text(_Entry("老旧小区加装电梯", "居民议事"), "<p>正文</p>")
    assert search.token("加梯") not in plain


@given(st.text(alphabet="加装电梯业主委员会物业费收停车难位老旧小区的和", max_size=30))
def test_every_alias_is_an_added_word_of_a_rule_that_matched(text):
    table, _ = load_synonyms(SHIPPED)
    added = table.aliases(text).split()
    assert len(added) == len(set(added))
    for word in added:
        assert word not in text
        assert any(word in r.adds and any(w in text for w in r.words) for r in table.rules)
