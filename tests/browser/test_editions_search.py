"""Search in the instructor edition finds words of teaching notes; the trainee edition's search does not."""
from __future__ import annotations

import pytest

from .conftest import build, copy_project, serve
from .test_finder import finder, result_ids

WORD = "鹦鹉螺暗号"


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("editions"))
    case = project / "cases" / "xiqiao-yueyuetan.md"
    text = case.read_text(encoding="utf-8")
    marker = "## 教学说明\n"
    assert marker in text
    case.write_text(text.replace(marker, f"{marker}\n课堂上先{WORD}，再分组讨论。\n", 1), encoding="utf-8")
    build(project, "build", "--no-pdf")
    build(project, "build", "--no-pdf", "--edition", "instructor")
    servers = {name: serve(project / folder) for name, folder in (("trainee", "site"), ("instructor", "site-instructor"))}
    yield {name: url for name, (_, url) in servers.items()}
    for server, _ in servers.values():
        server.shutdown()


def test_instructor_search_finds_a_teaching_note_word(page, editions):
    finder(page, f"{editions['instructor']}cases/?q={WORD}")
    assert result_ids(page) == ["xiqiao-yueyuetan"]


def test_trainee_search_does_not(page, editions):
    finder(page, f"{editions['trainee']}cases/?q={WORD}")
    assert result_ids(page) == []
