"""The Word form's cell parsers: lists, dates, sources, years, section headings."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from handbook.content.schema import FIELDS
from handbook.word import form


@pytest.mark.parametrize("lines, listed, items", [
    (["加装电梯、停车管理"], False, ["加装电梯", "停车管理"]),
    (["甲，乙；丙;丁"], False, ["甲", "乙", "丙", "丁"]),
    (["甲", "乙、丙"], False, ["甲", "乙、丙"]),  # several lines: each line is one item as it stands
    (["一事一评、以下评上"], True, ["一事一评、以下评上"]),  # a paragraph in a list style is one item
    (["单位为什么愿意让出车位，收费怎样定？"], False, ["单位为什么愿意让出车位，收费怎样定？"]),  # one sentence
    (["谁出钱？谁来管？"], False, ["谁出钱？", "谁来管？"]),
    (["", "  甲  ", ""], False, ["甲"]),
])
def test_lists_split_as_the_guide_says(lines, listed, items):
    assert form.split_list(lines, listed) == items


@pytest.mark.parametrize("text, date", [
    ("2021-07-05", "2021-07-05"), ("2021年7月5日", "2021-07-05"), ("2021.7.5", "2021-07-05"), ("2021/07/5", "2021-07-05"),
    ("2021年7月", "2021-07"), ("2021-7", "2021-07"), ("2021年", "2021"), ("2021", "2021"), (" 2021 年 7 月 ", "2021-07"),
])
def test_dates_are_normalised(text, date):
    assert form.normal_date(text) == date


@pytest.mark.parametrize("text", ["2021-02-30", "七月", "2021-13", "21-07-05"])
def test_a_bad_date_is_said_in_the_instructors_words(text):
    with pytest.raises(form.CellProblem) as caught:
        form.normal_date(text)
    assert caught.value.zh == f"“{text.strip()}”不是日期，请写成 2021-07-05、2021-07 或 2021（也可写 2021年7月5日）"


def test_a_source_line_is_read_from_the_right_so_titles_may_hold_commas():
    line = "拆掉旧车棚还地于民,这个社区停车不再“难”，长江日报，2023年1月9日，https://example.org/x?a=1"
    assert form.parse_source(line) == {"title": "拆掉旧车棚还地于民,这个社区停车不再“难”", "publisher": "长江日报",
                                       "date": "2023-01-09", "url": "https://example.org/x?a=1"}
    assert form.parse_source("标题，单位，2023", link="https://example.org/l")["url"] == "https://example.org/l"
    with pytest.raises(form.CellProblem) as caught:
        form.parse_source("只有标题")
    assert caught.value.zh == "“只有标题”应写成“标题，发布单位，日期，网址”（网址可不填）"


_title = st.text(st.sampled_from(list("社区停车电梯“”：,，（）0123abc ")), min_size=1, max_size=20).map(str.strip).filter(
    lambda s: s and not form.URL_START.match(s))
_source = st.fixed_dictionaries(
    {"title": _title, "publisher": st.text(st.sampled_from(list("长江日报新华社《》")), min_size=1, max_size=6),
     "date": st.sampled_from(["2021", "2021-07", "2021-07-05"])},
    optional={"url": st.sampled_from(["https://example.org/a", "http://x.cn/a,b"])})


@settings(max_examples=300, deadline=None)
@given(_source)
def test_source_line_and_parse_source_are_inverse(source):
    assert form.parse_source(form.source_line(source)) == source


@pytest.mark.parametrize("text, section", [
    ("背景", "背景"), ("一、背景", "背景"), ("【做法】", "做法"), ("2. 成效", "成效"), ("启示：", "启示"),
    ("教学说明（仅教师版，学员看不到）", "教学说明"), ("教学说明（教师用）", "教学说明"), ("第一部分 背景", "背景"),
    ("教学建议", "教学说明"), ("教学提示（教师用）", "教学说明"), ("背景介绍", None), ("做法很多", None),
])
def test_section_headings_are_recognised_by_their_text(text, section):
    assert form.is_section(text) == section


def test_every_field_has_a_row_label_that_reads_back():
    for spec in FIELDS.values():
        assert form.field_for_label(form.label(spec)) is spec
        assert form.field_for_label(spec.name) is spec


@pytest.mark.parametrize("line, title, publisher", [
    ("黄陂电信宿舍加梯报道，tlxgx.com（转载页，未署原发媒体），2025", "黄陂电信宿舍加梯报道", "tlxgx.com（转载页，未署原发媒体）"),
    ("标题（上，下），长江日报，2021", "标题（上，下）", "长江日报"),
    ("标题，报（甲，乙），丙），2021", "标题，报（甲，乙）", "丙）"),  # never balanced: read from the right as before
])
def test_a_comma_inside_the_publishers_parentheses_stays_in_the_publisher(line, title, publisher):
    source = form.parse_source(line)
    assert (source["title"], source["publisher"]) == (title, publisher)
