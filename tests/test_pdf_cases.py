"""A PDF for every case, cut out of the book: its title, questions and citation, fonts of its own, cached."""
from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest

from handbook.data.cite import citation
from handbook.config import load_settings
from handbook.pdf.cases import CasePdfWriter, case_pdfs
from handbook.pipeline import build, check, default_writers

from .conftest import VALID, link_project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

QUESTION = "如果换成你所在的社区，第一步会找谁商量"


def text(path) -> str:
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                             text=True).stdout)


def built(project):
    case = project / "cases" / "xiqiao-yueyuetan.md"
    case.write_text(VALID.replace("sources:", f"discussion_questions:\n  - {QUESTION}？\nsources:"), encoding="utf-8")
    settings = load_settings(project)
    result = check(settings)
    assert result.ok, [p.format(project) for p in result.problems]
    build(settings, result.library, default_writers(settings))
    return settings, result.library


@pytest.fixture(scope="module")
def site_cache(tmp_path_factory, warm_cache):
    """The cache of a build of the project with a discussion question, made once for this file."""
    project = link_project(tmp_path_factory.mktemp("site"), warm_cache)
    built(project)
    return project / ".cache"


@pytest.fixture
def site(tmp_path, site_cache):
    """The project with a discussion question, built (from site_cache, so that its PDFs are laid out once)."""
    link_project(tmp_path, site_cache)
    return built(tmp_path)


def test_every_case_has_a_pdf_with_its_title_questions_and_citation(site):
    settings, library = site
    for e in library.entries:
        path = settings.site_dir / "cases" / f"{e.id}.pdf"
        found = text(path)
        assert re.sub(r"\s+", "", e.case.title) in found
        assert re.sub(r"\s+", "", citation(e, settings, library.edition_date())) in found
        assert f"cases/{e.id}/" in found  # the page's address, printed
        with pikepdf.open(path) as doc:
            assert str(doc.docinfo.Title) == e.case.title and str(doc.Root.Lang) == "zh-CN"
            assert 1 <= len(doc.pages) <= 6
    assert QUESTION in text(settings.site_dir / "cases" / "xiqiao-yueyuetan.pdf")
    assert "武昌老楼加装电梯" not in text(settings.site_dir / "cases" / "xiqiao-yueyuetan.pdf")


def test_case_pdfs_carry_only_the_glyphs_they_draw(site):
    settings, library = site
    book = settings.site_dir / "handbook.pdf"
    case = settings.site_dir / "cases" / "wuchang-lift.pdf"
    assert case.stat().st_size < book.stat().st_size / 3
    with pikepdf.open(case) as doc:
        for page in doc.pages:
            assert "/StructParents" not in page.obj
        fonts = [f for p in doc.pages for f in p.Resources.Font.values()]
        assert fonts and all(str(f.BaseFont)[7] == "+" for f in fonts)
    # the renumbered glyphs still read as the same text
    assert "武昌老楼加装电梯" in text(case)


def test_the_site_url_makes_the_address_absolute(project):
    (project / "handbook.yml").write_text((project / "handbook.yml").read_text(encoding="utf-8")
                                          + "site_url: https://example.org/handbook\n", encoding="utf-8")
    settings = load_settings(project)
    result = check(settings)
    out = project / "out"
    writer = CasePdfWriter(settings)
    writer.write(result.library, out)
    found = text(out / "cases" / "wuchang-lift.pdf")
    assert "https://example.org/handbook/cases/wuchang-lift/." in found


def test_unchanged_cases_come_from_the_cache(site, monkeypatch):
    settings, library = site
    from handbook.pdf import cases as pdf_cases
    from handbook.pdf.book import PdfWriter

    cut = []
    original = pdf_cases.cut_case
    monkeypatch.setattr(pdf_cases, "cut_case", lambda *a, **k: (cut.append(a[3]["Title"]), original(*a, **k)))
    book = PdfWriter(settings).cached(library)
    cache = settings.cache_dir / "case-pdf" / "trainee"
    case_pdfs(book, library, settings, cache, settings.root / "again", workers=1)
    assert cut == []
    assert (settings.root / "again" / "cases" / "wuchang-lift.pdf").read_bytes() == \
        (settings.site_dir / "cases" / "wuchang-lift.pdf").read_bytes()


def test_a_teaching_note_is_only_in_the_instructor_editions_case_pdf(project):
    from .test_editions import CANARY, NOTE

    (project / "cases" / "xiqiao-yueyuetan.md").write_text(VALID + NOTE, encoding="utf-8")
    for edition in ("trainee", "instructor"):
        settings = load_settings(project)
        result = check(settings, edition=edition)
        assert result.ok
        out = project / f"out-{edition}"
        CasePdfWriter(settings, edition).write(result.library, out)
        found = CANARY in text(out / "cases" / "xiqiao-yueyuetan.pdf")
        assert found == (edition == "instructor"), edition
