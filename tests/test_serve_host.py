"""`serve --host`: the preview opened to the network says the risk, serves pages read-only and no folder listings."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from handbook.commands.cli import INSTRUCTOR_RISK, NETWORK_RISK
from handbook.commands.serve import addresses

from .test_serve import free_port, get, wait_for


def start(project, *args):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port), "--quiet", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    return proc, port


def stop(proc) -> str:
    os.killpg(proc.pid, signal.SIGTERM)
    out, _ = proc.communicate(timeout=10)
    return out


def status(url: str, method: str = "GET") -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, data=b"x" if method != "GET" else None),
                                    timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_host_opens_the_preview_to_the_network_read_only(project):
    proc, port = start(project, "--host")
    try:
        address = addresses("0.0.0.0")[-1]  # this computer's address on its network (127.0.0.1 when it has none)
        url = f"http://{address}:{port}/"
        wait_for(lambda: "西桥社区月月谈" in get(url + "cases/xiqiao-yueyuetan/"), 60)
        assert "教学说明" not in get(url + "cases/xiqiao-yueyuetan/")  # the trainee edition unless asked
        assert status(url + "cases/xiqiao-yueyuetan/", "POST") == 501
        assert status(url + "cases/xiqiao-yueyuetan/", "PUT") == 501
        assert status(url + "assets/") == 404  # no folder listing
    finally:
        out = stop(proc)
    lines = out.splitlines()
    assert lines[0] == NETWORK_RISK
    assert f"预览地址 / serving at http://{address}:{port}/ （按 Ctrl+C 停止 / Ctrl+C to stop）" in lines


@pytest.mark.parametrize("edition,risk", [("instructor", NETWORK_RISK + INSTRUCTOR_RISK)])
def test_the_instructor_edition_on_the_network_says_so(project, edition, risk):
    proc, port = start(project, "--host", "--edition", edition)
    try:
        wait_for(lambda: "西桥社区月月谈" in get(f"http://127.0.0.1:{port}/cases/xiqiao-yueyuetan/"), 60)
    finally:
        out = stop(proc)
    assert out.splitlines()[0] == risk


def test_without_host_only_this_computer(project):
    proc, port = start(project)
    try:
        wait_for(lambda: "西桥社区月月谈" in get(f"http://127.0.0.1:{port}/cases/xiqiao-yueyuetan/"), 60)
    finally:
        out = stop(proc)
    assert NETWORK_RISK not in out
    assert [line for line in out.splitlines() if "serving at" in line] == [
        f"预览地址 / serving at http://127.0.0.1:{port}/ （按 Ctrl+C 停止 / Ctrl+C to stop）"]
