"""The case form: made from FIELDS, and a file → form → file round trip changes no byte."""
from __future__ import annotations

from pathlib import Path

import pytest
from starlette.datastructures import FormData

from handbook.content import canonical
from handbook.content.cases import case_files
from handbook.desk import caseform
from handbook.content.schema import FIELDS, FieldSpec
from handbook.content.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = case_files(ROOT / "cases")


def round_trip(path: Path, data: bytes) -> str:
    return caseform.from_form(FormData(caseform.posted(caseform.from_text(path, data)))).text()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_case_survives_the_form_byte_for_byte(path):
    data = path.read_bytes()
    assert round_trip(path, data).encode("utf-8") == data


def test_a_hand_written_file_loses_nothing(tmp_path):
    path = tmp_path / "hand-made.md"
    text = ("---\ntitle: 手写的案例标题\nsummary: 这是一段十个字以上的摘要文字。\ncity: 武汉市\ndistrict: 江汉区\n"
            "problem_types: [加装电梯]\nsources:\n  - {title: 报道, publisher: 长江日报, date: 2021}\n"
            "problem_type: 拼错的字段\n---\n\n前言一段。\n\n## 背景\n\n背景。\n\n## 延伸阅读\n\n另一节。\n\n"
            "## 教学说明\n\n给教师。\n")
    form = caseform.from_text(path, text.encode())
    assert form.intro == "前言一段。" and form.extra == "## 延伸阅读\n\n另一节。"
    assert "problem_type: 拼错的字段" in form.extra_meta
    again = caseform.from_form(FormData(caseform.posted(form)))
    out = again.text()
    for kept in ("前言一段。", "## 延伸阅读\n\n另一节。", "给教师。", "problem_type: 拼错的字段", "date: \"2021\""):
        assert kept in out


def test_the_form_text_is_the_canonical_serializers():
    form = caseform.from_form(FormData([("field.title", " 一个案例的标题 "), ("field.year", "2021"),
                                        ("field.problem_types", "加装电梯"), ("field.problem_types", ""),
                                        ("source.title", "报道"), ("source.publisher", "长江日报"),
                                        ("source.date", "2021-07-05"), ("source.url", ""),
                                        ("section.0", "背景。\r\n"), ("note", "给教师。")]))
    assert form.text() == canonical.case_text(
        {"title": "一个案例的标题", "year": 2021, "problem_types": ["加装电梯"],
         "sources": [{"title": "报道", "publisher": "长江日报", "date": "2021-07-05"}]}, "## 背景\n\n背景。\n", "给教师。")


def test_a_year_that_is_no_number_stays_text_for_check_to_name():
    form = caseform.from_form(FormData([("field.year", "二〇二一")]))
    assert form.values["year"] == "二〇二一"


def test_every_field_gets_a_widget_and_taxonomy_fields_their_values():
    taxonomy, _ = load_taxonomy(ROOT / "cases" / "taxonomy.yml")
    views = {v.name: v for v in caseform.field_views(caseform.CaseForm({}, {}), taxonomy)}
    assert list(views) == list(FIELDS)
    assert "武汉市" in views["city"].options and "江汉区" in views["district"].options
    assert "加装电梯" in views["problem_types"].options
    assert views["summary"].widget == "para" and views["sources"].widget == "sources"
    assert views["status"].options == ["published", "draft"]


def test_a_new_schema_field_needs_no_desk_change(monkeypatch):
    monkeypatch.setitem(FIELDS, "funding", FieldSpec("funding", False, "text", doc="资金来源"))
    views = {v.name: v for v in caseform.field_views(caseform.CaseForm({}, {}), None)}
    assert views["funding"].widget == "line"
    form = caseform.from_form(FormData([("field.funding", "财政补贴")]))
    assert "funding: 财政补贴" in form.text()


def test_the_template_gives_hints_not_text():
    form = caseform.from_template(ROOT / "cases" / "_template.md")
    assert form.values["city"] == "武汉市" and form.values["status"] == "published"
    assert all(v == "" for v in form.sections.values())
    assert "这个社区是什么样的" in form.hints["背景"]


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from handbook.content.cases import load_case  # noqa: E402

_line = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\x85"),
                min_size=1, max_size=30).map(str.strip).filter(bool)


@hsettings(max_examples=150, deadline=None)
@given(title=_line, actors=st.lists(_line, max_size=4, unique=True), publisher=_line, section=st.text(max_size=80))
def test_whatever_is_typed_reads_back_as_typed(title, actors, publisher, section):
    """Any text typed into the form is what the loader reads from the saved file (values as the form keeps them)."""
    pairs = [("field.title", title), *(("field.actors", a) for a in actors), ("source.title", "报道"),
             ("source.publisher", publisher), ("source.date", "2021"), ("section.0", section)]
    text = caseform.from_form(FormData(pairs)).text()
    case, _ = load_case(Path("cases/typed-case.md"), text.encode("utf-8"))
    assert case.title == title and case.actors == actors
    assert case.sources[0].publisher == publisher
    again = caseform.from_form(FormData(caseform.posted(caseform.from_text(Path("x.md"), text.encode()))))
    assert again.text() == text
