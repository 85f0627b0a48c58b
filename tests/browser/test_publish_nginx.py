"""Publishing as documented: both editions served by Debian's nginx with `build.py publish-config`'s own output.

The trainee edition at /handbook/, the instructor edition at /handbook-instructor/ behind a
password made with the command the sample gives (openssl passwd -apr1), on a port chosen
free by the system, with a private nginx prefix (pid, logs, temp folders). In a real
browser the finder works on the trainee edition, and the instructor edition asks for the
password before it shows anything, then works with it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from handbook.config import load_settings
from handbook.commands.publish_config import nginx_config

from .conftest import build, copy_project
from .test_finder import finder, result_ids

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
USER, PASSWORD = "laoshi", "mima-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: run bash scripts/setup.sh --test")
    project = copy_project(tmp_path_factory.mktemp("published"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = project / "handbook.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"site_url: {base}/handbook/\n"
                      f"instructor_site_url: {base}/handbook-instructor/\n", encoding="utf-8")
    build(project, "build", "--no-pdf", "--edition", "both")
    prefix = tmp_path_factory.mktemp("nginx")
    hashed = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], capture_output=True, text=True, check=True)
    (prefix / "htpasswd").write_text(f"{USER}:{hashed.stdout.strip()}\n")
    (prefix / "handbook.conf").write_text(nginx_config(
        load_settings(project), listen=f"127.0.0.1:{port}", trainee_root=project / "site",
        instructor_root=project / "site-instructor", htpasswd=str(prefix / "htpasswd")), encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"daemon off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\nworker_processes 1;\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\ndefault_type application/octet-stream;\naccess_log off;\n{temp}"
        f"include {prefix}/handbook.conf;\n}}\n")
    test = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
                          capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield {"trainee": f"{base}/handbook/", "instructor": f"{base}/handbook-instructor/", "project": project}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_pagefind_files_have_their_types_and_the_instructor_edition_is_closed(published):
    site = published["project"] / "site" / "pagefind"
    wasm = next(site.glob("wasm.*.pagefind")).name
    meta = next(site.glob("*.pf_meta")).name
    assert status(published["trainee"] + f"pagefind/{wasm}")[1]["Content-Type"] == "application/wasm"
    assert status(published["trainee"] + f"pagefind/{meta}")[1]["Content-Type"] == "application/octet-stream"
    assert status(published["trainee"] + "pagefind/pagefind.js")[1]["Content-Type"].startswith("application/javascript")
    assert status(published["trainee"] + "no-such-page/")[0] == 404
    for path in ("", "cases/", "pagefind/pagefind.js", "robots.txt"):
        code, headers = status(published["instructor"] + path)
        assert code == 401 and headers["WWW-Authenticate"] == 'Basic realm="Instructor edition"', path


def test_the_finder_works_on_the_published_trainee_edition(page, published):
    finder(page, published["trainee"] + "cases/?q=电梯")
    ids = result_ids(page)
    assert ids and all(i for i in ids)
    assert page.errors == []


def test_the_instructor_edition_asks_for_the_password(browser, published):
    context = browser.new_context()
    try:
        p = context.new_page()
        seen = []
        p.on("response", lambda r: seen.append((r.status, r.headers.get("www-authenticate"))))
        with pytest.raises(Exception, match="ERR_INVALID_AUTH_CREDENTIALS"):  # headless: the login prompt, refused
            p.goto(published["instructor"])
        assert seen == [(401, 'Basic realm="Instructor edition"')]  # and nothing of the edition was sent
    finally:
        context.close()
    # no service worker: its precache download of the whole edition is not what is checked here
    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD}, service_workers="block")
    try:
        p = context.new_page()
        response = p.goto(published["instructor"] + "cases/?q=电梯")
        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        p.wait_for_selector(".hb-finder[data-ready]", timeout=15000)
        assert p.locator(".hb-results__list li").count() > 0
        head = p.content()
        assert '<meta name="robots" content="noindex, nofollow">' in head
        assert f'<link rel="canonical" href="{published["instructor"]}cases/"' in head
        robots = p.goto(published["instructor"] + "robots.txt")
        assert robots.text() == "User-agent: *\nDisallow: /\n"
    finally:
        context.close()
