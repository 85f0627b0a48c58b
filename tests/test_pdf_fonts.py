"""The fonts of the PDFs (handbook/pdf/fonts.py): WeasyPrint's own, subset the way the book's are."""
from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def test_weasyprints_fonts_are_subset_in_place_and_weasyprint_is_left_as_it_was(monkeypatch, tmp_path):
    """quick_subsets copies no face's file (WeasyPrint copies each whole face into every font it makes), gives
    the text WeasyPrint's own subsetting gives, and leaves WeasyPrint's Font as it found it."""
    from weasyprint import HTML
    from weasyprint.pdf import fonts as weasy_fonts

    from handbook.pdf.fonts import quick_subsets

    copies = []
    own = weasy_fonts.get_hb_object_data

    def counted(*args, **kwargs):
        copies.append(args)
        return own(*args, **kwargs)

    monkeypatch.setattr(weasy_fonts, "get_hb_object_data", counted)
    before = dict(vars(weasy_fonts.Font))
    html = '<html lang="zh-CN"><p>社区加装电梯 <b>议事会</b> handbook 2025</p></html>'
    with quick_subsets():
        (tmp_path / "quick.pdf").write_bytes(HTML(string=html).write_pdf())
    assert copies == []
    assert dict(vars(weasy_fonts.Font)) == before
    (tmp_path / "own.pdf").write_bytes(HTML(string=html).write_pdf())
    assert copies, "WeasyPrint's own subsetting no longer copies the face: quick_subsets may not be needed"
    texts = [subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout for name in ("quick", "own")]
    assert texts[0] == texts[1] and "社区加装电梯 议事会 handbook 2025" in texts[0]


def test_threads_laying_out_at_once_each_get_small_fonts_and_weasyprint_is_put_back(tmp_path):
    """The desk lays out a case's PDF while it publishes: blocks that overlap in two threads keep WeasyPrint
    patched until the last one leaves, and no font is embedded whole (26 MB) for want of its subset."""
    from concurrent.futures import ThreadPoolExecutor

    from weasyprint import HTML
    from weasyprint.pdf import fonts as weasy_fonts

    from handbook.pdf.fonts import quick_subsets

    before = dict(vars(weasy_fonts.Font)), weasy_fonts.get_hb_object_data

    def lay_out(year: int) -> bytes:
        with quick_subsets():
            return HTML(string=f'<html lang="zh-CN"><p>社区议事会 {year}</p><p><b>加装电梯</b></p></html>').write_pdf()

    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(lay_out, range(2020, 2028)))
    assert (dict(vars(weasy_fonts.Font)), weasy_fonts.get_hb_object_data) == before
    for year, pdf in zip(range(2020, 2028), pdfs):
        assert len(pdf) < 300_000
        (tmp_path / f"{year}.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / f"{year}.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert f"社区议事会 {year}" in text and "加装电梯" in text
