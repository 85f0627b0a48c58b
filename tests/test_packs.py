"""Course packs: loading, located errors with suggestions, the pack pages and the pack PDF."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from handbook.content.packs import load_pack

from .conftest import link_cache, link_project
from .test_cli import run, tree_digest

PACK = """\
title: 加装电梯专题（第 3 期）
summary: 两次课，围绕怎样动员大多数
audience: 新任社区书记
date: 2026-03-12
sessions:
  - title: 第一讲　动员与协商
    cases: [wuchang-lift]
    questions:
      - 低层住户反对时，社区能做什么？
    note: 先分组读背景。Canary9pack
  - title: 第二讲　议事平台
    cases:
      - xiqiao-yueyuetan
      - wuchang-lift
status: published
"""


def add_pack(project):
    (project / "packs").mkdir()
    (project / "packs" / "lift-class.yml").write_text(PACK, encoding="utf-8")
    return project


@pytest.fixture
def packed(project):
    return add_pack(project)


@pytest.fixture(scope="module")
def packed_site(tmp_path_factory, warm_cache):
    """`packed` after a full build, made once for the module: the tests that read its site, or start from it and
    copy it first, share the one build (it lays out the pack's PDF and kit: 4.4 s of CPU, measured)."""
    project = add_pack(link_project(tmp_path_factory.mktemp("packed"), warm_cache))
    out = run(project)
    assert out.returncode == 0, out.stderr
    return project


def pdf_text(path, first=None, last=None) -> str:
    args = ["pdftotext", "-layout"] + (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pack_loads_with_sessions_in_file_order(packed):
    pack, problems = load_pack(packed / "packs" / "lift-class.yml")
    assert problems == []
    assert [s.title for s in pack.sessions] == ["第一讲　动员与协商", "第二讲　议事平台"]
    assert pack.sessions[1].cases == ["xiqiao-yueyuetan", "wuchang-lift"] and pack.case_ids == ["wuchang-lift", "xiqiao-yueyuetan"]


def test_unknown_case_is_located_with_a_suggestion_and_the_site_is_kept(packed_site, tmp_path):
    packed = tmp_path / "project"
    shutil.copytree(packed_site, packed, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    link_cache(packed_site / ".cache", packed)
    before = tree_digest(packed / "site")
    path = packed / "packs" / "lift-class.yml"
    path.write_text(PACK.replace("cases: [wuchang-lift]", "cases: [wuchang-lif]").replace("audience:", "audiance:"),
                    encoding="utf-8")
    out = run(packed)
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if ": error: " in line]
    assert lines == [
        "packs/lift-class.yml:3: error: 未知字段 audiance，是否应为 audience？ (unknown field 'audiance'; did you mean 'audience'?)",
        "packs/lift-class.yml:7: error: 课程包里的案例“wuchang-lif”不存在，是否应为 wuchang-lift？ "
        "(pack lists a case that does not exist: 'wuchang-lif'; did you mean 'wuchang-lift'?)",
    ]
    assert tree_digest(packed / "site") == before


def test_repeated_case_is_a_warning(packed):
    out = run(packed, "check")
    assert out.returncode == 0
    assert ("packs/lift-class.yml:14: warning: 案例“wuchang-lift”在这个课程包里出现了两次 "
            "(case 'wuchang-lift' appears twice in this pack)") in out.stderr


def test_pack_pages_and_pdf(packed_site):
    site = packed_site / "site"
    index = (site / "packs" / "index.html").read_text(encoding="utf-8")
    assert "加装电梯专题（第 3 期）" in index and "2 次课" in index and "2 个案例" in index
    page = (site / "packs" / "lift-class" / "index.html").read_text(encoding="utf-8")
    order = [m for m in re.findall(r'href="\.\./\.\./cases/([a-z-]+)/"', page)]
    assert order[:3] == ["wuchang-lift", "xiqiao-yueyuetan", "wuchang-lift"]
    assert page.index("第一讲") < page.index("第二讲") and "低层住户反对时" in page
    assert "Canary9pack" not in page and "lift-class.pdf" in page
    case = (site / "cases" / "wuchang-lift" / "index.html").read_text(encoding="utf-8")
    assert "用到本案例的课程包" in case and "../../packs/lift-class/" in case
    pack_pdf = site / "packs" / "lift-class.pdf"
    text = pdf_text(pack_pdf)
    assert "Canary9pack" not in text
    for words in ("加装电梯专题", "新任社区书记", "2026-03-12", "目录", "笔记", "资料来源", "低层住户反对时"):
        assert words in text, words
    # the contents page numbers are the pages where each case starts
    pages = [pdf_text(pack_pdf, n, n) for n in range(1, 40) if n <= page_count(pack_pdf)]
    contents = next(p for p in pages if "目录" in p)
    listed = re.findall(r"(\d+)\s+(武昌老楼加装电梯|西桥社区月月谈)\s*…+\s*(\d+)", contents)
    assert len(listed) == 3, contents
    for _, title, number in listed:
        assert title in pages[int(number) - 1], (title, number)
    # a lined notes page after each session
    assert sum("笔记" in p for p in pages) >= 2


def page_count(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_instructor_pack_has_session_notes(packed):
    assert run(packed, "build", "--edition", "instructor").returncode == 0
    site = packed / "site-instructor"
    assert "Canary9pack" in (site / "packs" / "lift-class" / "index.html").read_text(encoding="utf-8")
    assert "Canary9pack" in pdf_text(site / "packs" / "lift-class.pdf").replace("\n", "")


def test_new_pack_scaffold(project):
    out = run(project, "new-pack", "lift-class")
    assert out.returncode == 0, out.stderr
    assert (project / "packs" / "lift-class.yml").exists()
    assert run(project, "new-pack", "lift-class").returncode == 2
    check = run(project, "check")
    assert check.returncode == 1 and "packs/lift-class.yml" in check.stderr  # empty fields are reported


def test_a_pack_is_laid_out_on_the_books_type_area():
    """A pack PDF typesets on the book's page: the same type area, a whole number of characters wide."""
    from handbook.config import load_settings
    from handbook.pdf.book import book_context
    from handbook.pdf.engine import text_margins
    from handbook.pdf.packs import pack_context
    from handbook.pipeline import check

    from .conftest import ROOT

    settings = load_settings(ROOT)
    library = check(settings).library
    page = pack_context(library.packs[0], library, settings, "trainee")["page"]
    assert page == book_context(library, settings)["page"]
    assert (page["inner"], page["outer"]) == text_margins(settings.page_size)
