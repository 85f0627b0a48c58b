"""The shipped site built once per test session, not once per pytest-xdist worker.

A full build of the shipped cases with their PDFs is the slowest fixture of the browser tests (34 s on an idle
machine, 111 s on a loaded one), and with `make test` (two workers, each test file whole on one worker) both
workers used to build it. Now the first worker to need it builds it into a folder both workers share (beside
their own temporary folders), under an fcntl lock, and leaves a done-marker with the address it is served at; the
other worker waits on the lock and reuses it. The site is served by one server process (site_server.py) that lives
as long as the session, so its site_url (which holds the port) is right for both workers.

tests/test_pdf.py reads its book (site/handbook.pdf, dated from the cases: no SOURCE_DATE_EPOCH), and with
test_pdf_typography the book's text (shipped_book_text: pdftotext -layout once per run, 5 s of CPU, measured).
Tests must only read the shared project: a test that writes into a project builds its own (see test_xss.py).
Without xdist the same code runs with a private folder, and the server stops with the session."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from handbook.outputs.atomic import write_atomic

from ..conftest import locked, shared_dir
from .conftest import PREFIX, ROOT, build, copy_project, set_site_url

MARKER = "done.json"


def start_server(site: Path) -> tuple[subprocess.Popen, str]:
    """site_server.py for site; it stops when the session's main pytest process does (the xdist controller)."""
    session = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
    proc = subprocess.Popen([sys.executable, "-m", "tests.browser.site_server", str(site), str(session)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = proc.stdout.readline().strip()
    if not port.isdigit():
        proc.kill()
        raise RuntimeError("the site server did not start")
    return proc, f"http://127.0.0.1:{port}{PREFIX}"


def shipped_build(tmp_path_factory):
    """(project, url, server process or None): the shipped cases built with the address they are served at."""
    folder = shared_dir(tmp_path_factory, "shipped-shared")
    project = folder / "project"
    with locked(folder):
        marker = folder / MARKER
        if marker.exists():
            return project, json.loads(marker.read_text())["url"], None
        shutil.rmtree(project, ignore_errors=True)  # what a failed attempt left
        project.mkdir()
        copy_project(project)
        (project / "site").mkdir()
        proc, url = start_server(project / "site")
        try:
            set_site_url(project, url)
            build(project, env={k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"})  # test_pdf reads it
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        marker.write_text(json.dumps({"url": url}))
        return project, url, proc


def shipped_book_text(tmp_path_factory) -> str:
    """`pdftotext -layout` of the shipped book (pages split by form feeds), run once per test run for every worker
    and kept beside the shared project."""
    project, _, _ = shipped_build(tmp_path_factory)
    folder = project.parent
    text = folder / "handbook.layout.txt"
    with locked(folder):
        if not text.exists():
            write_atomic(text, subprocess.run(["pdftotext", "-layout", str(project / "site" / "handbook.pdf"), "-"],
                                              check=True, capture_output=True, text=True).stdout)
    return text.read_text(encoding="utf-8")
