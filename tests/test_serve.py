"""`build.py serve` for real: an HTTP client against the running preview server."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import case_text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode("utf-8")


def wait_for(predicate, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if predicate():
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def server(project):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for(lambda: "西桥社区月月谈" in get(f"http://127.0.0.1:{port}/cases/xiqiao-yueyuetan/"), 60)
        yield project, f"http://127.0.0.1:{port}/", proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)


def test_no_rebuild_without_an_edit(server):
    _, url, proc = server
    first = get(url + "__build_id")
    time.sleep(4)
    assert get(url + "__build_id") == first


def test_edit_shows_up_then_broken_case_keeps_last_good_site_then_recovers(server):
    project, url, proc = server
    page = url + "cases/xiqiao-yueyuetan/"
    assert "/__status" in get(page)  # the page reloads itself
    build_id = get(url + "__build_id")
    path = project / "cases" / "xiqiao-yueyuetan.md"
    path.write_text(case_text(title="西桥社区月月谈改版"), encoding="utf-8")
    wait_for(lambda: "西桥社区月月谈改版" in get(page), 15)
    wait_for(lambda: get(url + "__build_id") != build_id, 5)

    path.write_text(case_text(district="江汉"), encoding="utf-8")  # an error
    time.sleep(3)
    assert proc.poll() is None
    assert "西桥社区月月谈改版" in get(page)  # the last good site is still served

    path.write_text(case_text(title="西桥社区月月谈修好了"), encoding="utf-8")
    wait_for(lambda: "西桥社区月月谈修好了" in get(page), 15)
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGTERM)
    output = proc.communicate(timeout=10)[0]
    assert "cases/xiqiao-yueyuetan.md:5: error: 武汉市没有“江汉”这个区" in output
    assert "Traceback" not in output


def test_new_case_appears_in_preview(server):
    project, url, proc = server
    (project / "cases" / "new-lift-case.md").write_text(case_text(title="新加的电梯案例"), encoding="utf-8")
    took = wait_for(lambda: "新加的电梯案例" in get(url + "cases/new-lift-case/"), 15)
    assert took < 15


def test_a_second_preview_of_the_same_project_is_refused(server):
    project, url, proc = server
    out = subprocess.run([sys.executable, "build.py", "serve", "--port", str(free_port())], cwd=project,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert out.stderr.strip().endswith(
        "这个项目的预览已经在运行（另一个终端里的 serve）；请用那一个，或先停止它 (a preview of this project is already running)")
    assert "西桥社区月月谈" in get(url + "cases/xiqiao-yueyuetan/")  # the first one still serves
