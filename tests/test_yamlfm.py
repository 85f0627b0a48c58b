"""The libyaml fast path reads front matter exactly as the Python loader does, or leaves it to it."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from handbook.content import yamlfm

FRONT = """id: x
title: 老旧小区加装电梯
year: 2021
updated: 2024-05-01
problem_types: [加装电梯, 停车管理]
sources:
  - title: 文章
    url: https://example.org/a
    date: 2021-07-05
"""


def slow_parse(text: str):
    return yamlfm.parse(text, use_libyaml=False)


def outcome(parse, text):
    try:
        return "ok", parse(text)
    except (yamlfm.AliasRefused, yamlfm.DuplicateKey) as exc:
        return type(exc).__name__, vars(exc)
    except yaml.YAMLError as exc:  # what an instructor is told: the problem and its line
        mark = getattr(exc, "problem_mark", None)
        return "YAMLError", getattr(exc, "problem", None), getattr(exc, "context", None), mark and mark.line


def test_fast_path_is_taken_for_ordinary_front_matter():
    assert yamlfm.__dict__["_fast"](FRONT) is not None
    data, lines = yamlfm.parse(FRONT)
    assert data["updated"] == "2024-05-01" and data["sources"][0]["date"] == "2021-07-05"  # dates stay text
    assert lines[("sources", 0, "url")] == 7


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: [unclosed\n", "a: 'open\n", "a: \x07\n", "a: 1\na: 2\n", "a: |#\n", "a: >-#x\n", "{}:\n"])
def test_unusual_text_gives_what_the_python_loader_gives(text):
    assert outcome(yamlfm.parse, text) == outcome(slow_parse, text)


_yamlish = st.text(alphabet=st.sampled_from(list("-:\n \t'\"[]{}&*!|>#%@`,?ab标题加装电梯2021\x07")), max_size=200)


@settings(max_examples=3000, deadline=None)
@given(_yamlish)
def test_any_text_reads_as_with_the_python_loader(text):
    assert outcome(yamlfm.parse, text) == outcome(slow_parse, text)
