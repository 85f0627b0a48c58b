"""The canonical case text: parse(serialize(x)) == x, serialize(parse(t)) == t, and the shipped cases are canonical."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from handbook.content.canonical import case_text, parse_case_text, scalar
from handbook.content.cases import load_case
from handbook.content.schema import FIELDS, SOURCE_FIELDS, Source

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "cases").glob("[a-z0-9]*.md"))


def test_there_are_shipped_cases():
    assert len(SHIPPED) >= 54


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_case_is_canonical(path):
    text = path.read_text(encoding="utf-8")
    assert case_text(*parse_case_text(text)) == text


def test_the_written_form():
    values = {"status": "published", "title": "西桥社区“月月谈”", "year": 2021, "problem_types": ["加装电梯", "2021"],
              "sources": [Source("报道：标题", "瞭望", "2025-04-28", "https://example.org/a")], "mechanisms": [],
              "street": None, "updated": "2026-01-02", "summary": "yes"}
    assert case_text(values, "\n\n## 背景\n\n文字。\n\n\n", "### 教学目标\n\n目标。") == textwrap.dedent("""\
        ---
        title: 西桥社区“月月谈”
        summary: "yes"
        problem_types:
          - 加装电梯
          - "2021"
        year: 2021
        sources:
          - title: 报道：标题
            publisher: 瞭望
            date: "2025-04-28"
            url: https://example.org/a
        status: published
        updated: "2026-01-02"
        ---

        ## 背景

        文字。

        ## 教学说明

        ### 教学目标

        目标。
        """)


@pytest.mark.parametrize("value, written", [
    ("汉阳区", "汉阳区"), ("2021", '"2021"'), ("true", '"true"'), ("a: b", '"a: b"'), ("x #y", '"x #y"'),
    ("- x", '"- x"'), ("“引号”开头", "“引号”开头"), ('"q"', '"\\"q\\""'), (" lead", '" lead"'), ("", '""'),
    ("2025-04", "2025-04"), ("[a]", '"[a]"'), ("行一\n行二", '"行一\\n行二"'),
])
def test_scalar_is_plain_only_where_yaml_reads_it_back(value, written):
    assert scalar(value) == written


def test_unknown_field_and_odd_value_are_refused():
    with pytest.raises(ValueError, match="unknown field 'problem_type'"):
        case_text({"problem_type": ["x"]}, "")
    with pytest.raises(ValueError, match="true/false"):
        case_text({"year": True}, "")
    with pytest.raises(ValueError, match="unknown source field 'link'"):
        case_text({"sources": [{"title": "t", "link": "x"}]}, "")


def test_a_new_field_in_the_table_needs_no_serializer_change(monkeypatch):
    from handbook.content import schema
    fields = dict(FIELDS)
    fields["open_questions"] = schema.FieldSpec("open_questions", False, "list", doc="报道未交代")
    monkeypatch.setattr("handbook.content.canonical.FIELDS", fields)
    text = case_text({"title": "标题四字", "open_questions": ["谁出的钱？"]}, "正文")
    assert text == "---\ntitle: 标题四字\nopen_questions:\n  - 谁出的钱？\n---\n\n正文\n"


def test_canonical_text_loads_as_the_same_case(tmp_path):
    path = SHIPPED[0]
    values, body, note = parse_case_text(path.read_text(encoding="utf-8"))
    copy = tmp_path / path.name
    copy.write_text(case_text(values, body, note), encoding="utf-8")
    original, _ = load_case(path)
    again, problems = load_case(copy)
    assert not problems
    assert (again.title, again.sources, again.body, again.teaching_note) == \
        (original.title, original.sources, original.body, original.teaching_note)


# ----------------------------------------------------------------- properties over generated cases

_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029\ufeff")
_text = st.one_of(
    st.text(_chars, min_size=1, max_size=40),
    st.text(st.sampled_from(list("社区加装电梯“”‘’：；，。、（）《》—…-:#'\"[]{}&*!|>%@`?, 0123456789abc\n")),
            min_size=1, max_size=40),
    st.sampled_from(["2021", "2021-07-05", "yes", "null", "~", "1.5", "0x10", "- a", "a: b", "#c", "'", "'x'"]),
)
_line = st.one_of(
    st.text(st.sampled_from(list("社区居民议事“”，。：*_[]()#>-|` 12")), max_size=30).map(str.rstrip),
    st.sampled_from(["## 背景", "## 做法", "### 小标题", "- 列表项", "1. 步骤", "| a | b |", "---", "", ""]),
)
_body = st.lists(_line, max_size=12).map("\n".join)
_note = st.one_of(st.none(), st.lists(_line.filter(lambda s: not s.startswith("##") or s.startswith("###")),
                                      max_size=8).map("\n".join))
_date = st.sampled_from(["2021", "2021-07", "2021-07-05"])
_source = st.fixed_dictionaries({"title": _text, "publisher": _text, "date": _date},
                                optional={"url": st.sampled_from(["https://example.org/a?b=1#c", "http://x.cn/中文"])})


def _value(spec):
    if spec.kind == "int":
        return st.integers(min_value=-10**6, max_value=10**6)
    if spec.kind == "date":
        return st.sampled_from(["2024-05-01", "2026-12-31"])
    if spec.kind == "sources":
        return st.lists(_source, min_size=1, max_size=3)
    if spec.kind == "list":
        return st.lists(_text, min_size=1, max_size=4)
    return _text


_values = st.fixed_dictionaries({}, optional={name: _value(spec) for name, spec in FIELDS.items()})


def _canonical_body(body: str) -> str:
    body = body.strip("\n")
    return body + "\n" if body.strip() else ""


def _canonical_note(note):
    return None if note is None else note.strip("\n") + "\n"


@settings(max_examples=400, deadline=None)
@given(_values, _body.filter(lambda b: "教学说明" not in b), _note)
def test_parse_of_serialize_gives_the_values_back(values, body, note):
    text = case_text(values, body, note)
    got_values, got_body, got_note = parse_case_text(text)
    assert got_values == values
    assert got_body == _canonical_body(body)
    assert got_note == _canonical_note(note)
    assert case_text(got_values, got_body, got_note) == text  # serialize(parse(t)) == t for canonical t


@settings(max_examples=200, deadline=None)
@given(st.lists(_source, min_size=1, max_size=2))
def test_sources_as_dataclasses_or_mappings_write_alike(sources):
    as_objects = [Source(**{k: s.get(k) for k in SOURCE_FIELDS}) for s in sources]
    assert case_text({"sources": as_objects}, "") == case_text({"sources": sources}, "")
