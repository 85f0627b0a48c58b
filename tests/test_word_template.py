"""The Word template: made from FIELDS at every build, linked from the site, readable after a LibreOffice re-save."""
from __future__ import annotations

import io

import docx

from handbook.content import schema
from handbook.content.schema import FIELDS, SECTIONS, TEACHING_NOTE_PARTS
from handbook.word import form
from handbook.word.template import TEMPLATE_PATH, case_document, document_bytes

from .test_cli import run
from .word_helpers import resave


def _table(document) -> dict[str, list[str]]:
    """label → the left cell's paragraphs (label, rule, example)."""
    return {row.cells[0].paragraphs[0].text: [p.text for p in row.cells[0].paragraphs] for row in document.tables[0].rows}


def test_one_row_per_field_with_its_rule_and_headings_in_order():
    document = docx.Document(io.BytesIO(document_bytes(case_document(sample={"title": "西桥社区月月谈"}))))
    rows = _table(document)
    assert list(rows)[:2] == ["字段", "编号"]
    assert list(rows)[2:] == [spec.doc for spec in FIELDS.values()]
    assert rows["标题"] == ["标题", "必填；案例标题：谁、在哪、解决了什么问题；4 到 60 个字", "例如：西桥社区月月谈"]
    assert rows["问题类型"][1] == "必填；1 到 4 个分类表中的问题类型，第一个为主要类型；1 到 4 项，每行一项（也可用顿号“、”分开）"
    assert rows["年份"][1].startswith("可不填；") and "只写数字，1949 到" in rows["年份"][1]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [*SECTIONS, form.NOTE_HEADING, *TEACHING_NOTE_PARTS]
    assert form.NOTE_HEADING == "教学说明（仅教师版，学员看不到）"
    assert document.paragraphs[0].style.name == "Title"


def test_a_new_field_in_the_schema_is_a_new_row_with_no_other_edit(monkeypatch):
    fields = dict(FIELDS)
    fields["open_questions"] = schema.FieldSpec("open_questions", False, "list", doc="报道未交代",
                                                meaning="来源没有交代、学员会想知道的问题")
    monkeypatch.setattr("handbook.word.template.FIELDS", fields)
    monkeypatch.setattr("handbook.word.form.FIELDS", fields)
    rows = _table(docx.Document(io.BytesIO(document_bytes(case_document()))))
    assert rows["报道未交代"][1] == "可不填；来源没有交代、学员会想知道的问题；每行一项（也可用顿号“、”分开）"
    assert form.field_for_label("报道未交代").name == "open_questions"


def test_the_build_writes_the_template_and_the_home_page_links_it(site_without_pdf):
    template = site_without_pdf / TEMPLATE_PATH
    document = docx.Document(template)
    rows = _table(document)
    assert rows["问题类型"][2] == "例如：加装电梯、停车管理、协商议事"  # examples come from the taxonomy and the cases
    assert rows["城市"][2] == "例如：武汉市"
    home = (site_without_pdf / "index.html").read_text(encoding="utf-8")
    assert f'href="{TEMPLATE_PATH}" download>案例模板（Word）</a>' in home


def test_the_template_survives_a_libreoffice_resave(tmp_path):
    blank = tmp_path / "case-template.docx"
    blank.write_bytes(document_bytes(case_document()))
    (again,) = resave([blank], tmp_path / "lo")
    document = docx.Document(again)
    assert list(_table(document))[2:] == [spec.doc for spec in FIELDS.values()]
    texts = [p.text for p in document.paragraphs]
    assert all(name in texts for name in SECTIONS) and form.NOTE_HEADING in texts


def test_a_kept_writer_makes_the_document_again_only_when_its_examples_change(project, tmp_path, monkeypatch):
    """serve and the desk's previews keep their writers: an edit that changes no example reuses the bytes."""
    from handbook.config import load_settings
    from handbook.pipeline import check
    from handbook.word import template

    made = []
    monkeypatch.setattr(template, "document_bytes", lambda document: made.append(1) or document_bytes(document))
    writer = template.TemplateWriter()
    settings = load_settings(project)
    writer.write(check(settings).library, tmp_path)
    first = (tmp_path / TEMPLATE_PATH).read_bytes()
    case = project / "cases" / "wuchang-lift.md"
    case.write_text(case.read_text(encoding="utf-8").replace("做法文字。", "做法文字有改动。"), encoding="utf-8")
    writer.write(check(settings).library, tmp_path, incremental=True)
    assert len(made) == 1 and (tmp_path / TEMPLATE_PATH).read_bytes() == first
    for path in (project / "cases").glob("*.md"):  # the title example comes from the first case by id
        path.write_text(path.read_text(encoding="utf-8").replace("title: 武昌老楼加装电梯", "title: 武昌老楼加梯"),
                        encoding="utf-8")
    writer.write(check(settings).library, tmp_path, incremental=True)
    assert len(made) == 2
