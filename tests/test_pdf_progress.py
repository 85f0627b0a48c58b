"""Progress of a long build: on a terminal only, and never with --quiet (a real pseudo-terminal, the real CLI)."""
from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys

from handbook import report

from .conftest import shorten_guide

STAGE = "检查案例 / checking cases"


def in_terminal(project, *args: str) -> str:
    """Run build.py with its stdout and stderr on a pseudo-terminal; everything it wrote there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "build.py", *args], cwd=project, stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env={**os.environ, "COLUMNS": "120"})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode(errors="replace")


def test_progress_shows_on_a_terminal_and_not_with_quiet(project):
    shown = in_terminal(project, "check")
    assert STAGE in shown and "\x1b[" in shown
    quiet = in_terminal(project, "check", "--quiet")
    assert STAGE not in quiet and "2 个案例，0 个错误" in quiet


def test_the_pdf_shows_its_pieces_done_out_of_the_total(cold_project):
    project = cold_project
    shorten_guide(project)  # every piece is laid out: the appendix need not be the whole guide
    shown = in_terminal(project, "pdf", "-o", "out.pdf")
    assert "laying out the pieces" in shown and "joining the pieces" in shown
    done = [int(a) for a, b in re.findall(r"\b(\d+)/(\d+)\b", shown) if a == b]
    assert done and max(done) >= 6  # front, contents, two chapters, appendix, index (and the folio probe)
    quiet = in_terminal(project, "pdf", "-o", "again.pdf", "--quiet")
    assert "laying out the pieces" not in quiet and "\x1b[" not in quiet


def test_no_progress_when_stderr_is_not_a_terminal(project):
    out = subprocess.run([sys.executable, "build.py", "check"], cwd=project, capture_output=True, text=True)
    assert out.returncode == 0
    assert STAGE not in out.stderr and "\x1b[" not in out.stderr
    assert "2 个案例，0 个错误" in out.stderr


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_counted_pieces_and_stages(tmp_path):
    stream = Terminal()
    reporter = report.Reporter(tmp_path, stream)
    reporter.stage("生成 PDF / building the PDF")
    with report.task("排版 / pieces", 3) as advance:
        for _ in range(3):
            advance()
    reporter.say("done")
    text = stream.getvalue()
    assert "生成 PDF / building the PDF" in text and "3/3" in text and text.rstrip().endswith("done")
    quiet = report.Reporter(tmp_path, Terminal(), quiet=True)
    assert not report.showing_progress()
    with report.task("x", 2) as advance:  # no display: a no-op
        advance()
    quiet.say("ok")
