"""Snapshot of a rendered case page: any change to what readers see is a deliberate one.

Regenerate after an intended change with: UPDATE_GOLDEN=1 python -m pytest tests/test_site_golden.py
"""
from __future__ import annotations

import os
import re
from pathlib import Path


GOLDEN = Path(__file__).resolve().parent / "golden"


def snapshot(html: str) -> str:
    # the case, up to the end of the theme's <article> that holds the page content
    case = re.search(r'<div class="hb-case".*?(?=\s*</article>)', html, re.S).group(0)
    title = re.search(r"<title>.*?</title>", html, re.S).group(0)
    return title + "\n" + case + "\n"


def test_case_page_matches_snapshot(site_without_pdf):
    got = snapshot((site_without_pdf / "cases" / "xiqiao-yueyuetan" / "index.html").read_text(encoding="utf-8"))
    golden = GOLDEN / "case-xiqiao-yueyuetan.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
