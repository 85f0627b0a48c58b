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
