"""The command line, run as instructors run it: a real process on a temporary project."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from .conftest import case_text


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True, timeout=300)


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(path)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def test_help_lists_commands_in_both_languages(project):
    out = run(project, "--help")
    assert out.returncode == 0
    assert "check the case files only / 只检查案例文件" in out.stdout
    assert "build the site and the PDF" in out.stdout


def test_usage_error_exits_2(project):
    assert run(project, "frobnicate").returncode == 2


def test_check_passes_on_good_cases(project):
    out = run(project, "check", "--strict")
    assert out.returncode == 0, out.stderr
    assert "2 个案例，0 个错误，0 个警告（2 cases, 0 errors, 0 warnings）" in out.stderr


def test_build_then_bad_district_leaves_site_untouched(built_project):
    project = built_project
    site = project / "site"
    assert (site / "index.html").exists()
    for cid, title in (("xiqiao-yueyuetan", "西桥社区月月谈"), ("wuchang-lift", "武昌老楼加装电梯")):
        page = site / "cases" / cid / "index.html"
        assert title in page.read_text(encoding="utf-8")
    assert "西桥社区月月谈" in (site / "index.html").read_text(encoding="utf-8")
    before = tree_digest(site)

    (project / "cases" / "wuchang-lift.md").write_text(case_text(district="江汉"), encoding="utf-8")
    for args in (("check",), ()):
        out = run(project, *args)
        assert out.returncode == 1
        assert out.stderr.startswith("cases/wuchang-lift.md:5: error: 武汉市没有“江汉”这个区。是否应为“江汉区”？")
        assert "Traceback" not in out.stderr
    assert tree_digest(site) == before


def test_all_errors_of_all_files_at_once(project):
    (project / "cases" / "wuchang-lift.md").write_text(case_text(district="江汉", year="1900"), encoding="utf-8")
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(case_text(titel="x"), encoding="utf-8")
    out = run(project, "check")
    lines = [l for l in out.stderr.splitlines() if ": error: " in l]
    assert len(lines) == 3, out.stderr
    assert "2 个案例，3 个错误" in out.stderr
    assert out.returncode == 1


def test_warning_fails_only_under_strict(project):
    (project / "cases" / "wuchang-lift.md").write_text(case_text().replace("## 启示", "## 体会"), encoding="utf-8")
    assert run(project, "check").returncode == 0
    out = run(project, "check", "--strict")
    assert out.returncode == 1 and ": warning: " in out.stderr


def test_drafts_only_with_flag(project):
    (project / "cases" / "wuchang-lift.md").write_text(case_text(status="draft", title="草稿案例标题"), encoding="utf-8")
    assert run(project, "build", "--no-pdf").returncode == 0  # the book's drafts: test_pdf.py
    assert not (project / "site" / "cases" / "wuchang-lift").exists()
    assert run(project, "build", "--drafts", "--no-pdf").returncode == 0
    assert (project / "site" / "cases" / "wuchang-lift" / "index.html").exists()
