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
    from handbook.taxonomy import load_taxonomy

    taxonomy, problems = load_taxonomy(GUIDE.parent.parent / "cases" / "taxonomy.yml")
    assert problems == []

    def city(c) -> str:
        own = [d.name for d in c.districts if d.name != "全市"]
        if len(own) >= 10:
            return f"{c.name}（各区齐全）"
        return f"{c.name}（含{'、'.join(own)}）" if own else c.name

    sentence = (f"现有的问题类型有：{'、'.join(p.name for p in taxonomy.problem_types)}。"
                f"城市有 {len(taxonomy.cities)} 个：{'、'.join(city(c) for c in taxonomy.cities)}。以文件里的为准。")
    assert sentence in guide


def test_the_guide_quotes_values_as_new_writes_them(guide, tmp_path):
    """`new` writes plain values, as the guide's examples do; the guide's `new` example is what new writes."""
    import shutil

    from handbook.scaffold import new_case

    shutil.copy(GUIDE.parent.parent / "cases" / "_template.md", tmp_path / "_template.md")
    path = new_case(tmp_path, "hanyang-jiazhuang-dianti", "某社区加装电梯：楼栋议事会算清分摊账", "汉阳区", ["加装电梯"])
    text = path.read_text(encoding="utf-8")
    assert "title: 某社区加装电梯：楼栋议事会算清分摊账\n" in text and "district: 汉阳区\n" in text
    assert "  - 加装电梯\n" in text
    assert 'python build.py new hanyang-jiazhuang-dianti --title "某社区加装电梯：楼栋议事会算清分摊账" --district 汉阳区' in guide
    assert "大多数值直接写就行" in guide
