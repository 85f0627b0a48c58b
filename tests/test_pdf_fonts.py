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
