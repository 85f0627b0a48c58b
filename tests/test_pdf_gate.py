"""The completeness gate (handbook/pdf/gate.py): a PDF missing a case never replaces the last good one."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from handbook.pdf import book as pdf
from handbook.config import load_settings
from handbook.errors import OutputError
from handbook.pdf.gate import check_book, outline_pages
from handbook.pipeline import build_file, check

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def drop_joined_books(cache: Path) -> None:
    """The cached whole books gone, the pieces kept: the next build joins again, laying out only the pieces
    whose HTML changed (the guide and the unchanged cases come from the warm cache)."""
    for book in (cache / "pdf").glob("*.pdf"):
        book.unlink()


@pytest.fixture
def built(project):
    settings = load_settings(project)
    result = check(settings)
    assert result.ok
    target = project / "handout.pdf"
    build_file(settings, result.library, pdf.PdfWriter(settings), target)
    return settings, result.library, target


def test_a_good_book_passes(built):
    settings, library, target = built
    check_book(target, library)
    pages, marks = outline_pages(target)
    assert pages > 4 and {t for level, t, _ in marks if level == 2} == {e.case.title for e in library.entries}


def test_a_case_dropped_by_the_render_fails_the_build_and_keeps_the_old_pdf(built, monkeypatch):
    settings, library, target = built
    before = target.read_bytes()
    original = pdf.book_context

    def without_last_case(*args, **kwargs):
        context = original(*args, **kwargs)
        for chapter in context["chapters"]:
            chapter["cases"] = [c for c in chapter["cases"] if c["e"].id != "wuchang-lift"]
            chapter["parts"] = [[c for c in part if c["e"].id != "wuchang-lift"] for part in chapter["parts"]]
        return context

    monkeypatch.setattr(pdf, "book_context", without_last_case)
    drop_joined_books(settings.cache_dir)
    with pytest.raises(OutputError) as caught:
        build_file(settings, library, pdf.PdfWriter(settings), target)
    message = caught.value.line()
    assert message.startswith("error: ") and "wuchang-lift" in message and "武昌老楼加装电梯" in message
    assert "没有书签" in message and "no bookmark" in message and "xiqiao-yueyuetan" not in message
    assert target.read_bytes() == before
    assert not list((settings.cache_dir / "pdf").glob("*.pdf"))  # nothing incomplete was kept for the next build


def test_a_lost_page_or_a_wrong_contents_number_is_named(built, tmp_path):
    settings, library, target = built
    _, marks = outline_pages(target)
    start = next(page for level, title, page in marks if title == "武昌老楼加装电梯")
    with pikepdf.open(target) as doc:  # the case's first page goes missing, as in a bad join
        del doc.pages[start - 1]
        doc.save(tmp_path / "cut.pdf")
    with pytest.raises(OutputError, match="wuchang-lift"):
        check_book(tmp_path / "cut.pdf", library)
    with pytest.raises(OutputError, match=r"各部分合计 999 页"):
        check_book(target, library, pieces_pages=[999])


def test_the_cli_prints_one_line_and_no_traceback(project, monkeypatch):
    """A failing gate reaches the instructor as `error: ...` with exit status 1."""
    drop_joined_books(project / ".cache")
    script = (
        "import sys; from handbook.pdf import book as pdf; from handbook.commands import cli\n"
        "original = pdf.book_context\n"
        "def drop(*a, **k):\n"
        "    c = original(*a, **k)\n"
        "    for ch in c['chapters']: ch['cases'] = ch['cases'][1:]\n"
        "    return c\n"
        "pdf.book_context = drop\n"
        "sys.exit(cli.main(['pdf', '-o', 'out.pdf']))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert re.search(r"^error: 生成的 PDF 不完整.*\(the PDF is incomplete", out.stderr, re.M), out.stderr
    assert not (project / "out.pdf").exists()
