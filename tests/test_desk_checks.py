"""The desk's checks are `check`'s, word for word, and each lands beside its field."""
from __future__ import annotations

from starlette.datastructures import FormData

from handbook.content.cases import load_case
from handbook.config import load_settings
from handbook.desk import caseform
from handbook.desk.checks import check_case_text, messages_by_place
from handbook.content.taxonomy import load_taxonomy
from handbook.content.validate import validate_case

from .conftest import VALID, case_text


def test_messages_are_checks_words_in_their_places(project):
    settings = load_settings(project)
    text = case_text(district="江汉去", year="1900", title="短")
    by = messages_by_place(check_case_text(settings, "new-one", text))
    path = settings.cases_dir / "new-one.md"
    case, problems = load_case(path, text.encode())
    taxonomy, _ = load_taxonomy(settings.taxonomy_file)
    problems += validate_case(case, taxonomy, {"new-one"}, settings.cases_dir)
    assert sorted(m.text for ms in by.values() for m in ms) == sorted(p.text for p in problems)
    assert any("江汉去" in m.text for m in by["district"])
    assert any("year" in m.text for m in by["year"])
    assert any("title" in m.text for m in by["title"])


def test_missing_fields_and_sections_are_placed_by_name(project):
    settings = load_settings(project)
    form = caseform.from_form(FormData([("field.title", "一个案例的标题"), ("section.0", "背景。")]))
    by = messages_by_place(check_case_text(settings, "new-one", form.text()))
    assert [m.text for m in by["summary"]] == ["缺少必填字段 summary（摘要），请填写 (required field 'summary' is missing)"]
    assert by["section.1"][0].severity == "warning" and "做法" in by["section.1"][0].text
    assert "sources" in by and "general" not in by


def test_a_valid_case_has_nothing_to_say(project):
    settings = load_settings(project)
    assert check_case_text(settings, "xiqiao-yueyuetan", VALID) == []


def test_a_near_miss_teaching_note_heading_is_an_error_in_its_section(project):
    settings = load_settings(project)
    text = VALID.replace("## 启示\n\n启示文字。", "## 启示\n\n启示文字。\n\n### 教学说明\n\n给教师。")
    by = messages_by_place(check_case_text(settings, "xiqiao-yueyuetan", text))
    assert by["section.3"][0].is_error and "教学说明" in by["section.3"][0].text
