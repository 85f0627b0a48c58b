"""`build.py import`: Word files → canonical case files; every bad input said word for word; nothing lost."""
from __future__ import annotations

import textwrap

import docx
import pytest

from handbook.word import saving
from handbook.word.saving import import_files

from .conftest import TAXONOMY
from .test_cli import run, tree_digest
from .word_helpers import GOOD_BODY, GOOD_ROWS, make_docx, resave

EXPECTED = textwrap.dedent("""\
    ---
    title: 汉阳某社区错峰停车
    summary: 社区与周边单位协商错峰共享车位，缓解夜间“停车难”。
    city: 武汉市
    district: 江汉区
    problem_types:
      - 停车管理
      - 协商议事
    mechanisms:
      - 错峰停车
      - 共享车位
    year: 2024
    sources:
      - title: 社区停车有了新办法
        publisher: 长江日报
        date: "2024-01-02"
        url: https://example.org/a
    discussion_questions:
      - 单位为什么愿意让出车位？
      - 收费怎样定才公平？
    ---

    ## 背景

    小区建于上世纪90年代，车位只有“几十个”。

    ## 做法

    - 社区先摸底。
    - 再找单位协商。

    ## 成效

    夜间停车难缓解。

    ## 启示

    共享需要规则。
    """)


@pytest.fixture
def hanyang(project):
    """The fixture project, its taxonomy with 汉阳区 besides 江汉区."""
    (project / "cases" / "taxonomy.yml").write_text(
        TAXONOMY.replace("      - name: 全市\n", "      - name: 汉阳区\n        slug: hanyang\n      - name: 全市\n"),
        encoding="utf-8")
    return project


def test_a_filled_in_document_becomes_a_canonical_case_and_passes_check(project):
    make_docx(project / "案例.docx")
    out = run(project, "import", "案例.docx")
    assert out.returncode == 0, out.stderr
    assert "已导入 cases/hanyang-tingche.md (imported cases/hanyang-tingche.md)" in out.stderr
    assert "3 个案例，0 个错误，0 个警告" in out.stderr  # then the same checks as `check`
    assert (project / "cases" / "hanyang-tingche.md").read_text(encoding="utf-8") == EXPECTED


def test_every_error_at_once_in_the_instructors_terms_and_nothing_written(hanyang):
    rows = [(label, ["汉阳"] if label == "区" else lines) for label, lines in GOOD_ROWS if label != "摘要"]
    rows = [(label, ["二〇二四"] if label == "年份" else lines) for label, lines in rows] + [("问题类别", ["x"])]
    make_docx(hanyang / "案例.docx", rows, [b for b in GOOD_BODY if b[1] != "做法"])
    before = tree_digest(hanyang / "cases")
    out = run(hanyang, "import", "案例.docx")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "案例.docx 表格“年份”一行：“二〇二四”不是年份，请只写数字，例如 2021 ('二〇二四' is not a year)",
        "案例.docx 表格第 11 行：“问题类别”不是手册的字段，是否应为“问题类型”？ ('问题类别' is no field of a case)",
        "案例.docx 缺少“做法”标题 (no heading '做法')",
        "案例.docx 表格“摘要”一行：必填，请填写 (required field 'summary' is empty)",
        "案例.docx 表格“区”一行：“汉阳”不在分类表中，是否应为“汉阳区”？ ('汉阳' is not in the taxonomy. Did you mean '汉阳区'?)",
        "导入失败：5 个错误，没有写入任何文件 (import failed: 5 errors; nothing was written)",
    ]
    assert tree_digest(hanyang / "cases") == before


@pytest.mark.parametrize("name, data, message", [
    ("案例.doc", b"\xd0\xcf\x11\xe0old", "案例.doc 是Word 97-2003（.doc）文件，请在 Word/WPS 中“另存为 .docx”后再导入 "
                                         "(a .doc file: save it as .docx in Word or WPS first)"),
    ("案例.wps", b"\xd0\xcf\x11\xe0wps", "案例.wps 是WPS 文字（.wps）文件，请在 Word/WPS 中“另存为 .docx”后再导入 "
                                         "(a .wps file: save it as .docx in Word or WPS first)"),
    ("案例.rtf", b"{\\rtf1 x}", "案例.rtf 是RTF（.rtf）文件，请在 Word/WPS 中“另存为 .docx”后再导入 "
                                "(a .rtf file: save it as .docx in Word or WPS first)"),
    ("改名的.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 60, "改名的.docx 这是旧的 .doc 格式，请在 Word/WPS 中“另存为 .docx” "
                                                     "(this is an old .doc file; save it as .docx)"),
    ("加密.docx", b"\xd0\xcf\x11\xe0" + b"\0" * 60 + "EncryptionInfo".encode("utf-16-le"),
     "加密.docx 文件设了打开密码（已加密），请在 Word/WPS 中取消密码后再导入 (the file is encrypted; remove its password first)"),
    ("文字.docx", "只是一段文字".encode("utf-8"), "文字.docx 不是 Word 文件（.docx），无法读取 (not a Word (.docx) file)"),
    ("压缩包.docx", b"PK\x05\x06" + b"\0" * 18, "压缩包.docx 不是 Word 文件（.docx）：里面没有正文 "
                                              "(not a Word (.docx) file: no word/document.xml)"),
])
def test_what_is_no_docx_gets_a_clear_message(project, name, data, message):
    (project / name).write_bytes(data)
    out = run(project, "import", name)
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == message


def test_an_empty_document_is_said_to_be_empty(project):
    docx.Document().save(project / "空白.docx")
    out = run(project, "import", "空白.docx")
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == ("空白.docx 文档是空的，请在网站下载“案例模板（Word）”填写后再导入 "
                                          "(the document is empty; fill in the Word case template)")


def test_a_document_without_the_table_is_read_by_its_headings_and_says_what_is_missing(project):
    body = [("title", "汉阳某社区错峰停车")] + [("bold", text) if kind == "h1" else (kind, text) for kind, text in GOOD_BODY]
    make_docx(project / "hanyang-tingche.docx", None, body)
    result = import_files(project / "cases", [project / "hanyang-tingche.docx"])
    assert [p.text for p in result.problems] == [
        "hanyang-tingche.docx 没有找到字段表格（字段 | 填写内容），正文已按标题读取，但还缺少：摘要、城市、区、问题类型、来源；"
        "请把这个文档的内容填进“案例模板（Word）” (no field table: the body was read by its headings, but required fields "
        "are missing: summary, city, district, problem_types, sources)"]
    assert not result.saved  # the bold-only headings were read as the four sections: no heading is missing


def test_bold_numbered_and_outline_level_headings_are_sections(project):
    document = docx.Document()
    table = document.add_table(rows=len(GOOD_ROWS), cols=2)
    for r, (label, lines) in enumerate(GOOD_ROWS):
        table.cell(r, 0).text, table.cell(r, 1).text = label, "\n".join(lines)
    document.add_paragraph().add_run("一、背景").bold = True
    document.add_paragraph("小区建于上世纪90年代。")
    document.add_paragraph("【做法】")
    document.add_paragraph("先摸底。")
    custom = document.styles.add_style("我的标题", 1)
    custom.element.get_or_add_pPr().append(_outline(0))
    document.add_paragraph("成效", style="我的标题")
    document.add_paragraph("缓解了。")
    document.add_heading("启示：", level=2)
    document.add_paragraph("要有规则。")
    document.save(project / "hanyang-tingche.docx")
    result = import_files(project / "cases", [project / "hanyang-tingche.docx"])
    assert not result.problems, [p.text for p in result.problems]
    text = (project / "cases" / "hanyang-tingche.md").read_text(encoding="utf-8")
    assert text.endswith("\n## 背景\n\n小区建于上世纪90年代。\n\n## 做法\n\n先摸底。\n\n## 成效\n\n缓解了。\n\n## 启示\n\n要有规则。\n")


def _outline(level: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    return element


def test_an_existing_case_is_never_overwritten_without_replace(project):
    make_docx(project / "新稿.docx", [("编号", ["xiqiao-yueyuetan"])] + GOOD_ROWS[1:])
    before = tree_digest(project / "cases")
    out = run(project, "import", "新稿.docx")
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == (
        "新稿.docx cases/xiqiao-yueyuetan.md 已经存在；要用这个 Word 文件替换它，请加 --replace"
        "（原文件会保存为 cases/xiqiao-yueyuetan.md.bak） (cases/xiqiao-yueyuetan.md exists; add --replace to replace it "
        "(the old file is kept as .bak))")
    assert tree_digest(project / "cases") == before


def test_replace_keeps_the_old_file_and_says_how_to_restore_it(project):
    old = (project / "cases" / "xiqiao-yueyuetan.md").read_bytes()
    make_docx(project / "新稿.docx", [("编号", ["xiqiao-yueyuetan"])] + GOOD_ROWS[1:])
    out = run(project, "import", "新稿.docx", "--replace")
    assert out.returncode == 0, out.stderr
    assert ("已替换 cases/xiqiao-yueyuetan.md；原来的文件保存为 cases/xiqiao-yueyuetan.md.bak，要恢复它，运行 "
            "mv cases/xiqiao-yueyuetan.md.bak cases/xiqiao-yueyuetan.md") in out.stderr
    assert (project / "cases" / "xiqiao-yueyuetan.md.bak").read_bytes() == old
    run(project, "import", "新稿.docx", "--replace", "--id", "xiqiao-yueyuetan")  # unchanged: no second backup
    make_docx(project / "新稿.docx", [("编号", ["xiqiao-yueyuetan"])] + [
        (label, ["另一个标题四字"] if label == "标题" else lines) for label, lines in GOOD_ROWS[1:]])
    assert run(project, "import", "新稿.docx", "--replace").returncode == 0
    assert (project / "cases" / "xiqiao-yueyuetan.md.bak").read_bytes() == old  # the first backup is kept
    assert (project / "cases" / "xiqiao-yueyuetan.md.bak2").is_file()


def test_a_folder_is_imported_all_or_nothing(project):
    make_docx(project / "稿件" / "a.docx", [("编号", ["case-one"])] + GOOD_ROWS[1:])
    make_docx(project / "稿件" / "b.docx", [("编号", ["case-two"])] + [r for r in GOOD_ROWS[1:] if r[0] != "城市"])
    before = tree_digest(project / "cases")
    out = run(project, "import", "稿件")
    assert out.returncode == 1
    assert "b.docx 表格“城市”一行：必填，请填写 (required field 'city' is empty)" in out.stderr.splitlines()
    assert tree_digest(project / "cases") == before
    make_docx(project / "稿件" / "b.docx", [("编号", ["case-two"])] + GOOD_ROWS[1:])
    assert run(project, "import", "稿件").returncode == 0
    assert (project / "cases" / "case-one.md").is_file() and (project / "cases" / "case-two.md").is_file()


def test_a_write_that_fails_half_way_leaves_the_cases_as_they_were(project, monkeypatch):
    make_docx(project / "稿件" / "a.docx", [("编号", ["case-one"])] + GOOD_ROWS[1:])
    make_docx(project / "稿件" / "b.docx", [("编号", ["xiqiao-yueyuetan"])] + GOOD_ROWS[1:])
    before = tree_digest(project / "cases")
    real, calls = saving._put, []

    def failing(target, data):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(target, data)

    monkeypatch.setattr(saving, "_put", failing)
    with pytest.raises(OSError):
        import_files(project / "cases", [project / "稿件"], replace=True)
    assert tree_digest(project / "cases") == before


def test_the_template_resaved_by_libreoffice_and_filled_in_imports(project, tmp_path):
    from handbook.word.template import case_document, document_bytes

    blank = tmp_path / "case-template.docx"
    blank.write_bytes(document_bytes(case_document()))
    (resaved,) = resave([blank], tmp_path / "lo")
    document = docx.Document(resaved)
    values = dict(GOOD_ROWS)
    for row in document.tables[0].rows[1:]:
        label = row.cells[0].paragraphs[0].text
        if label in values:
            row.cells[1].paragraphs[0].text = "\n".join(values[label])
    for paragraph in document.paragraphs:
        if paragraph.text in ("背景", "做法", "成效", "启示"):
            paragraph.insert_paragraph_before  # the heading stays; its text goes after it
            after = paragraph._p.getnext()
            from docx.text.paragraph import Paragraph
            Paragraph(after, paragraph._parent).text = f"{paragraph.text}的正文。"
    document.save(tmp_path / "filled.docx")
    (again,) = resave([tmp_path / "filled.docx"], tmp_path / "lo2")
    result = import_files(project / "cases", [again])
    assert not result.problems, [p.text for p in result.problems]
    text = (project / "cases" / "hanyang-tingche.md").read_text(encoding="utf-8")
    assert "## 背景\n\n背景的正文。\n\n## 做法\n\n做法的正文。" in text
    assert "## 教学说明\n\n### 教学目标\n\n### 课前准备" in text  # the prompts are gone, the note's headings stay
