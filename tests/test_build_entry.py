"""build.py started by any Python: handed to the project's .venv, or one line saying what to run, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

MESSAGE = ("这个 Python 缺少运行手册所需的 yaml：请先运行 bash scripts/setup.sh，再运行 .venv/bin/python build.py "
           "(this Python lacks yaml: run bash scripts/setup.sh, then .venv/bin/python build.py)")


def bare_python(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`python build.py` by a Python without any installed package (-S: no site-packages), as a fresh system's."""
    python = getattr(sys, "_base_executable", sys.executable)  # the system Python under the test's venv
    return subprocess.run([python, "-S", "build.py", *args], cwd=project, capture_output=True, text=True,
                          timeout=120)


def test_without_a_venv_one_line_says_what_to_run(project):
    out = bare_python(project, "check")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [MESSAGE] and out.stdout == ""


def test_with_the_projects_venv_the_command_runs_there(project):
    (project / ".venv").symlink_to(ROOT / ".venv")
    out = bare_python(project, "check")
    assert "Traceback" not in out.stderr
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines()[-1] == "2 个案例，0 个错误，0 个警告（2 cases, 0 errors, 0 warnings）"


def test_a_venv_that_lacks_the_packages_too_is_not_entered_twice(project, tmp_path):
    """A broken .venv (its Python without the packages) ends in the same one line, not a loop."""
    venv = project / ".venv" / "bin"
    venv.mkdir(parents=True)
    wrapper = venv / "python"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
    wrapper.chmod(0o755)
    out = bare_python(project, "check")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [MESSAGE]
