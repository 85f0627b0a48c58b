"""The desk's pages through Starlette's TestClient: saves, conflicts, a new case on a taken id, uploads."""
from __future__ import annotations

import re

import pytest
from starlette.datastructures import FormData
from starlette.testclient import TestClient

from handbook.config import load_settings
from handbook.desk import caseform
from handbook.desk.asgi import make_app

from .conftest import VALID


@pytest.fixture
def client(project):
    return TestClient(make_app(load_settings(project)), base_url="http://127.0.0.1:8000")


def opened(client, path):
    page = client.get(path)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    base = re.search(r'name="base" value="([^"]*)"', page.text).group(1)
    return token, base


def as_data(pairs):
    """The pairs as the client's form data (a name posted several times is a list)."""
    data: dict = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def posted_case(project, case_id, **values):
    form = caseform.from_text(project / "cases" / f"{case_id}.md", (project / "cases" / f"{case_id}.md").read_bytes())
    form.values.update(values)
    return caseform.posted(form)


def test_a_save_writes_the_canonical_text_and_keeps_the_old_one(client, project):
    token, base = opened(client, "/cases/xiqiao-yueyuetan")
    pairs = [("csrf", token), ("base", base)] + posted_case(project, "xiqiao-yueyuetan", title="西桥社区月月谈（修订）")
    answer = client.post("/cases/xiqiao-yueyuetan/save", data=as_data(pairs), follow_redirects=False)
    assert answer.status_code == 303
    saved = (project / "cases" / "xiqiao-yueyuetan.md").read_text(encoding="utf-8")
    assert saved == caseform.from_form(FormData(pairs)).text() and "title: 西桥社区月月谈（修订）" in saved
    kept = list((project / ".desk-history" / "cases" / "xiqiao-yueyuetan").glob("*.md"))
    assert [k.read_text(encoding="utf-8") for k in kept] == [VALID]


def test_a_stale_form_is_a_conflict_and_writes_nothing(client, project):
    token, base = opened(client, "/cases/xiqiao-yueyuetan")
    path = project / "cases" / "xiqiao-yueyuetan.md"
    path.write_text(VALID.replace("背景文字。", "别人改过的背景。"), encoding="utf-8")
    pairs = [("csrf", token), ("base", base)] + posted_case(project, "xiqiao-yueyuetan", title="我的新标题写在这里")
    answer = client.post("/cases/xiqiao-yueyuetan/save", data=as_data(pairs))
    assert answer.status_code == 409 and "保存冲突" in answer.text and "别人改过的背景" in answer.text
    assert "别人改过的背景" in path.read_text(encoding="utf-8")


def test_a_new_case_on_a_taken_id_is_refused(client, project):
    token, _ = opened(client, "/cases/new")
    pairs = [("csrf", token), ("case_id", "xiqiao-yueyuetan")] + posted_case(project, "wuchang-lift")
    answer = client.post("/cases/new/save", data=as_data(pairs))
    assert answer.status_code == 409 and "cases/xiqiao-yueyuetan.md 已经存在，请换一个编号" in answer.text
    assert (project / "cases" / "xiqiao-yueyuetan.md").read_text(encoding="utf-8") == VALID


def test_an_oversized_request_is_refused_before_it_is_read(client):
    token, _ = opened(client, "/cases/xiqiao-yueyuetan")
    answer = client.post("/cases/xiqiao-yueyuetan/images", headers={"X-CSRF-Token": token,
                                                                      "Content-Length": str(10**9)}, content=b"x")
    assert answer.status_code == 413
