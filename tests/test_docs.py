"""The instructors' guide keeps up with the code: every field and every command is documented."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from handbook.content.cases import FIELDS, SOURCE_FIELDS
from handbook.commands.cli import COMMANDS, make_parser
from handbook.content.problems import MESSAGES

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
CHINESE_NUMBERS = "一二三四五六七八九十"


def _chinese(n: int) -> str:
    return CHINESE_NUMBERS[n - 1] if n <= 10 else "十" + CHINESE_NUMBERS[n - 11]


def test_the_guides_parts_are_numbered_in_order(guide):
    import re

    numbers = re.findall(r"(?m)^## ([一二三四五六七八九十]+)、", guide)
    assert numbers == [_chinese(n) for n in range(1, len(numbers) + 1)]
    assert len(numbers) >= 11 and "## 十、发布" in guide


def test_the_guides_lists_of_types_and_cities_are_the_taxonomys(guide):
    """The sentence in 第五部分 names every problem type and city of cases/taxonomy.yml, and the districts shown."""
    from handbook.content.taxonomy import load_taxonomy

    taxonomy, problems = load_taxonomy(GUIDE.parent.parent / "cases" / "taxonomy.yml")
    assert problems == []

    def city(c) -> str:
        own = [d.name for d in c.districts if d.name not in ("全市", c.name)]  # a county-level city is its own district
        if len(own) >= 10:
            return f"{c.name}（各区齐全）"
        return f"{c.name}（含{'、'.join(own)}）" if own else c.name

    sentence = (f"现有的问题类型有：{'、'.join(p.name for p in taxonomy.problem_types)}。"
                f"城市有 {len(taxonomy.cities)} 个：{'、'.join(city(c) for c in taxonomy.cities)}。以文件里的为准。")
    assert sentence in guide


def test_the_guide_quotes_values_as_new_writes_them(guide, tmp_path):
    """`new` writes plain values, as the guide's examples do; the guide's `new` example is what new writes."""
    import shutil

    from handbook.commands.scaffold import new_case

    shutil.copy(GUIDE.parent.parent / "cases" / "_template.md", tmp_path / "_template.md")
    path = new_case(tmp_path, "hanyang-jiazhuang-dianti", "某社区加装电梯：楼栋议事会算清分摊账", "汉阳区", ["加装电梯"])
    text = path.read_text(encoding="utf-8")
    assert "title: 某社区加装电梯：楼栋议事会算清分摊账\n" in text and "district: 汉阳区\n" in text
    assert "  - 加装电梯\n" in text
    assert 'python build.py new hanyang-jiazhuang-dianti --title "某社区加装电梯：楼栋议事会算清分摊账" --district 汉阳区' in guide
    assert "大多数值直接写就行" in guide
