"""Who may use the desk: password hash outside the project, loopback rules, CSRF, the Host header, paths."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from handbook.config import load_settings
from handbook.desk import security
from handbook.desk.asgi import make_app
from handbook.desk.paths import DeskRefused, case_path, image_path, pack_path
from handbook.errors import UsageError


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDBOOK_DESK_CONFIG", str(tmp_path / "desk-config"))
    return tmp_path / "desk-config"


def test_the_password_is_kept_as_an_argon2_hash_outside_the_project(config):
    assert not security.has_password()
    security.set_password("a long enough secret")
    stored = (config / "password").read_text()
    assert stored.startswith("$argon2id$") and "secret" not in stored
    assert (config / "password").stat().st_mode & 0o077 == 0
    assert security.check_password("a long enough secret") and not security.check_password("wrong")


def test_a_short_password_is_refused(config):
    with pytest.raises(UsageError, match="至少 8 个字符"):
        security.set_password("short")


def test_another_address_without_a_password_is_refused_with_a_clear_message(config):
    security.refuse_open_host("127.0.0.1")
    security.refuse_open_host("::1")
    with pytest.raises(UsageError) as caught:
        security.refuse_open_host("0.0.0.0")
    assert str(caught.value).startswith("编辑台只在本机地址（127.0.0.1）上免密码使用；要在 0.0.0.0 上开放给其他电脑")


@pytest.mark.parametrize("name", ["../x", "x/../../y", "A-Case", "ab", "a--b", "x.md", "%2e%2e"])
def test_ids_that_are_no_ids_never_become_paths(project, name):
    settings = load_settings(project)
    for make in (case_path, pack_path, image_path):
        with pytest.raises(DeskRefused):
            make(settings, name)


def test_a_symlink_out_of_cases_is_refused(project, tmp_path):
    settings = load_settings(project)
    (settings.cases_dir / "sneaky-link.md").symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(DeskRefused):
        case_path(settings, "sneaky-link")


def _client(project, host="127.0.0.1"):
    return TestClient(make_app(load_settings(project), host), base_url="http://127.0.0.1:8000")


def test_writes_need_the_sessions_token(project):
    client = _client(project)
    page = client.get("/cases/xiqiao-yueyuetan")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.post("/cases/xiqiao-yueyuetan/check", data={}).status_code == 403
    assert client.post("/cases/xiqiao-yueyuetan/check", data={"csrf": "guess"}).status_code == 403
    assert client.post("/cases/xiqiao-yueyuetan/check", data={"csrf": token}).status_code == 200
    assert client.post("/cases/xiqiao-yueyuetan/check", headers={"X-CSRF-Token": token}).status_code == 200
    other = _client(project)
    other.get("/")
    assert other.post("/cases/xiqiao-yueyuetan/check", data={"csrf": token}).status_code == 403


def test_on_loopback_a_foreign_host_name_is_refused(project):
    client = TestClient(make_app(load_settings(project)), base_url="http://attacker.example")
    assert client.get("/").status_code == 403


def test_on_another_address_every_page_needs_the_login(project, config):
    security.set_password("a long enough secret")
    client = TestClient(make_app(load_settings(project), "0.0.0.0"), base_url="http://192.0.2.7:8000")
    answer = client.get("/cases/xiqiao-yueyuetan", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    login = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    assert client.post("/login", data={"csrf": token, "password": "nope"}).status_code == 401
    assert client.post("/login", data={"password": "a long enough secret"}).status_code == 403  # no token
    done = client.post("/login", data={"csrf": token, "password": "a long enough secret"}, follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/cases/xiqiao-yueyuetan").status_code == 200


def test_five_wrong_passwords_lock_the_address_out(project, config):
    security.set_password("a long enough secret")
    client = TestClient(make_app(load_settings(project), "0.0.0.0"), base_url="http://192.0.2.7:8000")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    for _ in range(5):
        assert client.post("/login", data={"csrf": token, "password": "guess"}).status_code == 401
    locked = client.post("/login", data={"csrf": token, "password": "a long enough secret"})
    assert locked.status_code == 429 and "10 分钟后再试" in locked.text
