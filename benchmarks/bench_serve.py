"""`build.py serve`: the first build and an edit until the browser reloads.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from measure import PY


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except Exception:
        return 0, ""


def measure_edit_reload(project: Path, timeout: float = 1800) -> dict:
    port = free_port()
    case = sorted((project / "cases").glob("case-*.md"))[0]
    cid = case.stem
    # its messages go to a file, not a pipe: a pipe nobody reads fills up (64 KB: 300 generated cases' warnings)
    # and stops the server in the middle of a print
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
    proc = subprocess.Popen([PY, "build.py", "serve", "--port", str(port)], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=log, text=True, start_new_session=True)
    res: dict = {}
    try:
        deadline = time.monotonic() + timeout
        page_url = None
        t0 = time.perf_counter()
        while time.monotonic() < deadline and proc.poll() is None:
            for candidate in (f"http://127.0.0.1:{port}/cases/{cid}/",):
                status, _ = fetch(candidate, 2)
                if status == 200:
                    page_url = candidate
                    break
            if page_url:
                break
            time.sleep(0.2)
        if not page_url:
            log.seek(0)
            res["error"] = "serve did not come up" + (f": {log.read()[-500:]}" if proc.poll() is not None else "")
            return res
        res["first_build_s"] = time.perf_counter() - t0
        time.sleep(1.0)  # let the watcher settle
        text = case.read_text(encoding="utf-8")
        new_title = "基准测试修改后的标题" + str(int(time.time()) % 100000)
        text = re.sub(r"^title: .*$", f"title: {new_title}", text, count=1, flags=re.M)
        t0 = time.perf_counter()
        case.write_text(text, encoding="utf-8")
        while time.monotonic() < deadline and proc.poll() is None:
            _, body = fetch(page_url, 5)
            if new_title in body:
                res["edit_reload_s"] = time.perf_counter() - t0
                break
            time.sleep(0.1)
        else:
            res["error"] = "edited title never appeared"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the serve process and its own children only
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
    return res
