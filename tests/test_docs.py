"""The instructors' guide keeps up with the code: every field and every command is documented."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from handbook.cases import FIELDS, SOURCE_FIELDS
from handbook.cli import COMMANDS, make_parser
from handbook.problems import MESSAGES

GUIDE = Path(__file__).resolve().parent.parent / "content" / "instructors.md"


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("field", list(FIELDS))
def test_every_case_field_is_documented(guide, field):
    assert f"`{field}`" in guide


@pytest.mark.parametrize("field", SOURCE_FIELDS)
def test_every_source_field_is_documented(guide, field):
    assert f"`{field}`" in guide


def _options():
    parser = make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        for action in p._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    yield name, opt


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_is_documented(guide, command):
    assert f"python build.py {command}" in guide


@pytest.mark.parametrize("command,option", list(_options()))
def test_every_option_is_documented(guide, command, option):
    assert option in guide, f"{command} {option}"


def test_readme_names_the_guide_and_commands():
    readme = (GUIDE.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme and "content/instructors.md" in readme
    for command in COMMANDS:
        assert f"build.py {command}" in readme or command == "build"


def test_every_message_has_both_languages():
    for code, (zh, en) in MESSAGES.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
        assert en.isascii() or "{" in en, code


def _word_messages(guide: str) -> list[str]:
    """The indented example lines of the guide's Word part that are messages about a Word file."""
    part = guide.split("## 用 Word 写案例", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in part.splitlines()
            if line.startswith("    ") and line.split()[0].endswith((".docx", ".doc", ".wps", ".rtf"))]


def test_the_word_part_comes_first_and_links_the_template(guide):
    assert guide.index("## 用 Word 写案例") < guide.index("## 一、十分钟添加一个案例")
    assert "“案例模板（Word）”" in guide and "site/downloads/case-template.docx" in guide
    from handbook.word.template import TEMPLATE_PATH
    assert f"site/{TEMPLATE_PATH}" in guide


def test_the_word_error_messages_in_the_guide_are_the_ones_the_import_prints(guide, tmp_path):
    """Each message the guide shows is produced, word for word, by a document made to have that fault."""
    from handbook.word.saving import import_files
    from tests.conftest import TAXONOMY, VALID
    from tests.word_helpers import GOOD_BODY, GOOD_ROWS, make_docx

    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "taxonomy.yml").write_text(TAXONOMY.replace(
        "      - name: 全市\n", "      - name: 汉阳区\n        slug: hanyang\n      - name: 全市\n"), encoding="utf-8")
    (cases / "hanyang-tingche.md").write_text(VALID, encoding="utf-8")
    rows = [(label, {"区": ["汉阳"], "年份": ["二〇二四"]}.get(label, lines)) for label, lines in GOOD_ROWS if label != "摘要"]
    make_docx(tmp_path / "案例.docx", rows + [("问题类别", ["x"])], [b for b in GOOD_BODY if b[1] != "做法"])
    body = [("title", "汉阳某社区错峰停车")] + [("bold", t) if k == "h1" else (k, t) for k, t in GOOD_BODY]
    make_docx(tmp_path / "旧稿.docx", None, body)
    for name, data in (("案例.doc", b"\xd0\xcf\x11\xe0"), ("案例.wps", b"\xd0\xcf\x11\xe0"), ("案例.rtf", b"{\\rtf1}"),
                       ("加密.docx", b"\xd0\xcf\x11\xe0" + "EncryptionInfo".encode("utf-16-le")),
                       ("文字.docx", "文字".encode())):
        (tmp_path / name).write_bytes(data)
    import docx
    docx.Document().save(tmp_path / "空白.docx")
    printed = set()
    for name in ("案例.docx", "旧稿.docx", "案例.doc", "案例.wps", "案例.rtf", "加密.docx", "文字.docx", "空白.docx"):
        printed |= {p.text for p in import_files(cases, [tmp_path / name], case_id="hanyang-tingche").problems}
    shown = [line for line in _word_messages(guide) if not line.startswith("导入失败")]
    assert len(shown) >= 12
    for line in shown:
        assert line in printed, line
