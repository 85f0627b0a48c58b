"""The loader: every rule of the case-format contract, one valid and at least one invalid example each."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from handbook.content.cases import FIELDS, load_case, load_cases
from handbook.content.problems import ERROR, WARNING

from .conftest import VALID, case_text

P = Path("cases/xiqiao-yueyuetan.md")


def load(text: str | bytes, path: Path = P):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_case(path, data)


def messages(text, path=P):
    _, problems = load(text, path)
    return [p.format() for p in problems]


def test_valid_case_loads_with_every_value():
    case, problems = load(VALID)
    assert problems == []
    assert case.id == "xiqiao-yueyuetan"
    assert case.title == "西桥社区月月谈"
    assert case.problem_types == ["协商议事", "parking"]
    assert case.sources[0].date == "2025-04-28"
    assert case.status == "published" and not case.is_draft
    assert case.body.startswith("## 背景")
    assert case.body_line == 15
    assert case.line_of("district") == 5


def test_bom_and_crlf_are_accepted():
    case, problems = load(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode())
    assert problems == [] and case.title == "西桥社区月月谈"
    assert case.line_of("district") == 5


@pytest.mark.parametrize("name,ok", [
    ("abc.md", True), ("xiqiao-yueyuetan.md", True), ("a1-b2-c3.md", True), ("x" * 80 + ".md", True),
    ("ab.md", False), ("x" * 81 + ".md", False), ("Xiqiao.md", False), ("xi--qiao.md", False),
    ("-xiqiao.md", False), ("xi_qiao.md", False), ("西桥.md", False), ("xiqiao-.md", False),
])
def test_id_rule(name, ok):
    _, problems = load(VALID, Path("cases") / name)
    assert (not problems) == ok


def test_bad_id_message_word_for_word():
    assert messages(VALID, Path("cases/Xi_Qiao.md")) == [
        "cases/Xi_Qiao.md:1: error: 文件名“Xi_Qiao.md”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，"
        "例如 xiqiao-yueyuetan.md (bad file name 'Xi_Qiao.md': use lowercase letters, digits and single hyphens, "
        "3 to 80 characters)"]


@pytest.mark.parametrize("field", [f.name for f in FIELDS.values() if f.required])
def test_each_required_field(field):
    if field == "sources":
        text = VALID.split("sources:")[0] + "---\n\n## 背景\n"
    elif field == "problem_types":
        text = VALID.replace("problem_types:\n  - 协商议事\n  - parking\n", "")
    else:
        text = case_text(**{field: None})
    assert f"required field '{field}' is missing" in " ".join(messages(text))


def test_unknown_field_names_it_and_suggests():
    text = VALID.replace("problem_types:", "problem_type:")
    assert messages(text)[0] == (
        "cases/xiqiao-yueyuetan.md:6: error: 未知字段 problem_type，是否应为 problem_types？ "
        "(unknown field 'problem_type'; did you mean 'problem_types'?)")


@pytest.mark.parametrize("value,ok", [("西桥", False), ("西桥社区月月谈", True), ("很" * 60, True), ("很" * 61, False)])
def test_title_length(value, ok):
    assert (not messages(case_text(title=value))) == ok


@pytest.mark.parametrize("value,ok", [("短摘要", False), ("这是一段十个字以上的摘要", True), ("长" * 201, False)])
def test_summary_length(value, ok):
    assert (not messages(case_text(summary=value))) == ok


@pytest.mark.parametrize("value,expect", [
    ("[]", "required field 'problem_types' is missing"),
    ("[a, b, c, d, e]", "must have 1 to 4 entries, it has 5"),
    ("[加装电梯, 加装电梯]", "repeats '加装电梯'"),
    ("加装电梯", "must be a list, not text"),
    ("[1]", "must be text, not the integer 1"),
    ("[a, '']", "has an empty entry"),
])
def test_problem_types_shape(value, expect):
    text = VALID.replace("problem_types:\n  - 协商议事\n  - parking\n", f"problem_types: {value}\n")
    assert expect in " ".join(messages(text))


@pytest.mark.parametrize("value,ok", [("2021", True), ("1949", True), ("1948", False), ("3000", False),
                                      ("二〇二一", False), ("2021.5", False), ("true", False)])
def test_year(value, ok):
    assert (not messages(case_text(year=value))) == ok


@pytest.mark.parametrize("value,ok", [("published", True), ("draft", True), ("done", False)])
def test_status(value, ok):
    case, problems = load(case_text(status=value))
    assert (not problems) == ok
    if value == "draft":
        assert case.is_draft


@pytest.mark.parametrize("value,ok", [("2024-05-01", True), ("2024-02-30", False), ("2024-05", False), ("昨天", False)])
def test_updated_date(value, ok):
    assert (not messages(case_text(updated=value))) == ok


@pytest.mark.parametrize("value,ok", [('"2025-04-28"', True), ("2025-04-28", True), ('"2025-04"', True), ("2025", True),
                                      ('"2025-13"', False), ('"2025/04/28"', False), ('"去年"', False)])
def test_source_dates(value, ok):
    assert (not messages(VALID.replace('date: "2025-04-28"', f"date: {value}"))) == ok


@pytest.mark.parametrize("url,ok", [("https://example.org/a", True), ("http://example.org", True),
                                    ("javascript:alert(1)", False), ("ftp://example.org", False),
                                    ("data:text/html,x", False), ("//example.org", False), ("example.org", False)])
def test_source_url(url, ok):
    text = VALID.replace('date: "2025-04-28"', f'date: "2025-04-28"\n    url: "{url}"')
    assert (not messages(text)) == ok


def test_source_fields():
    text = VALID.replace("    publisher: 瞭望\n", "    publsher: 瞭望\n")
    got = " ".join(messages(text))
    assert "sources entry 1 has an unknown field 'publsher'; did you mean 'publisher'?" in got
    assert "sources entry 1 has no 'publisher'" in got
    flat = VALID.split("sources:")[0] + "sources: 瞭望\n---\n## 背景\n"
    assert "field 'sources' must be a list, not text" in " ".join(messages(flat))


@pytest.mark.parametrize("field", ["mechanisms", "actors", "outcomes", "discussion_questions", "open_questions"])
def test_optional_lists(field):
    assert not messages(case_text(**{field: "[甲, 乙]"}))
    assert "must be a list" in " ".join(messages(case_text(**{field: "甲"})))


@pytest.mark.parametrize("kind", ["决策案例", "经验材料"])
def test_case_kind_values(kind):
    case, problems = load(case_text(case_kind=kind))
    assert problems == [] and case.case_kind == kind


def test_bad_case_kind_message_word_for_word():
    got = messages(case_text(case_kind="教学案例"))
    assert len(got) == 1 and got[0].endswith(
        ": error: 字段 case_kind 只能是 决策案例 或 经验材料，现在是“教学案例” "
        "(case_kind must be '决策案例' (decision case) or '经验材料' (practice briefing), not '教学案例')")


@pytest.mark.parametrize("field", ["street", "community"])
def test_optional_text(field):
    assert not messages(case_text(**{field: "某某"}))
    assert "must be text" in " ".join(messages(case_text(**{field: "[a]"})))


def test_all_errors_of_a_file_at_once():
    text = case_text(title="短", year="1900", status="x", foo="1")
    got = messages(text)
    assert len(got) == 4


@pytest.mark.parametrize("text,expect", [
    ("", "file is empty"),
    ("# 只有正文\n", "no front matter"),
    ("---\ntitle: x\n", "front matter is not closed"),
    ("---\n- a\n- b\n---\n", "front matter must be a mapping of fields, not a list"),
    ("---\njust text\n---\n", "front matter must be a mapping of fields, not text"),
    ("---\ntitle: \"unclosed\n---\n", "YAML syntax error"),
    ("---\ntitle: x\n\tsummary: y\n---\n", "tab character"),
    ("---\na: &x [1]\nb: *x\n---\n", "anchors and aliases"),
    ("---\ntitle: a\ntitle: b\n---\n", "field 'title' appears twice"),
])
def test_broken_files(text, expect):
    got = messages(text)
    assert len(got) >= 1 and expect in got[0], got


def test_not_utf8_says_gbk():
    got = messages(VALID.encode("gbk"))
    assert got[0].startswith("cases/xiqiao-yueyuetan.md:2: error: 文件不是 UTF-8 编码（看起来像 GBK/GB18030）")


def test_too_large_is_refused():
    got = messages(VALID + "字" * 400_000)
    assert "over the limit" in got[0]


def test_files_starting_with_underscore_or_dot_are_not_cases(tmp_path):
    (tmp_path / "_template.md").write_text("nonsense")
    (tmp_path / ".hidden.md").write_text("nonsense")
    (tmp_path / "good-case.md").write_text(VALID)
    cases, problems = load_cases(tmp_path)
    assert [c.id for c in cases] == ["good-case"] and problems == []


def test_ids_differing_only_in_case_clash(tmp_path):
    (tmp_path / "good-case.md").write_text(VALID)
    (tmp_path / "Good-case.md").write_text(VALID)
    _, problems = load_cases(tmp_path)
    assert any(p.code == "duplicate-id" for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_give_a_case_or_problems(data):
    case, problems = load_case(P, data)
    assert case is not None or problems
    assert all(p.severity in (ERROR, WARNING) for p in problems)


_yamlish = st.text(alphabet=st.sampled_from(list("-:\n \t'\"[]{}&*!|>#%@`,?ab标题加装电梯2021")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(_yamlish)
def test_any_front_matter_gives_a_case_or_problems(front):
    case, problems = load_case(P, f"---\n{front}\n---\n## 背景\n".encode())
    assert case is not None or problems
