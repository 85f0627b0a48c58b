"""Chinese typography of the PDF (W3C clreq), audited on the real output with pdftotext.

Two measures over the laid-out lines of the shipped book (pdftotext -layout):
- line-start punctuation: a line that opens with a closing or pausing mark (，。、；：？！）」』 …), which
  the line-start prohibition rules forbid: must stay 0;
- single-character last lines (孤字): a paragraph whose last line holds one Han character or none
  (punctuation not counted): below 2% of the paragraph endings.
The audit functions are also used to report the figures (benchmarks/README.md).
"""
from __future__ import annotations

import html as html_lib
import re
import shutil

import pytest

from handbook.pdf import book as pdf, engine
from handbook.config import load_settings
from handbook.pipeline import check
from handbook.outputs.render import markdown_to_html

from .test_pdf import shipped_book, without_furniture

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

LINE_START_FORBIDDEN = "，。、；：？！）」』】》〉”’"
PUNCTUATION = set(LINE_START_FORBIDDEN) | set("（「『【《〈“‘…—·～")


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def lines_of(text: str) -> list[str]:
    """The book's laid-out lines (text: pdftotext -layout), page furniture (running head, folio) removed, empty
    lines dropped."""
    out = []
    for page in text.split("\f"):
        out += [line.strip() for line in without_furniture(page).split("\n") if line.strip()]
    return out


def body_paragraphs(library) -> list[str]:
    """The plain text of every paragraph of the case bodies (those with no link: a link gets a page reference)."""
    paras = []
    for e in library.entries:
        for para in re.findall(r"<p>(.*?)</p>", markdown_to_html(e.case.body), re.S):
            if "<a " in para or "<img" in para:
                continue
            plain = re.sub(r"\s+", "", html_lib.unescape(re.sub(r"<[^>]+>", "", para)))
            if len(plain) >= 12:
                paras.append(plain)
    return paras


def audit(text: str, library) -> dict:
    """{'lines', 'line_start', 'endings', 'orphans', 'orphan_examples'} for a PDF's text (pdftotext -layout)."""
    lines = lines_of(text)
    squashed = [re.sub(r"\s+", "", line) for line in lines]
    line_start = [line for line in squashed if line[0] in LINE_START_FORBIDDEN]
    full, ends, pos = [], {}, 0
    for i, line in enumerate(squashed):
        full.append(line)
        pos += len(line)
        ends[pos] = i
    full = "".join(full)
    endings, orphans, examples = 0, 0, []
    for para in body_paragraphs(library):
        tail = para[-40:]
        at = full.find(tail)
        if at < 0:
            continue
        end = at + len(tail)
        if end not in ends:
            continue
        last = squashed[ends[end]]
        if not para.endswith(last):  # the paragraph's last line is this whole line
            continue
        endings += 1
        if sum(is_han(ch) for ch in last) <= 1:
            orphans += 1
            examples.append(para[-12:])
    return {"lines": len(lines), "line_start": len(line_start), "line_start_examples": line_start[:5],
            "endings": endings, "orphans": orphans, "orphan_examples": examples[:5]}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The shipped cases' book, as test_pdf reads it (the shipped site's, built once per test run)."""
    from .browser.shared_site import shipped_book_text

    root = shipped_book(tmp_path_factory)
    settings = load_settings(root)
    library = check(settings).library
    path = root / "site" / "handbook.pdf"
    # one audit for both measures, of the text test_pdf reads too (pdftotext -layout of the book: 5 s of CPU)
    return {"library": library, "pdf": path, "settings": settings,
            "audit": audit(shipped_book_text(tmp_path_factory), library)}


def test_no_line_starts_with_closing_punctuation(book):
    found = book["audit"]
    assert found["line_start"] == 0, found["line_start_examples"]


def test_single_character_last_lines_are_rare(book):
    found = book["audit"]
    assert found["endings"] >= 0.8 * len(body_paragraphs(book["library"]))  # the audit found the paragraphs
    assert found["orphans"] < 0.02 * found["endings"], found


def test_type_area_is_a_whole_number_of_characters():
    for size, (w, _, _, _, inner, outer, pt) in engine.PAGE_GEOMETRY.items():
        inner_mm, outer_mm = engine.text_margins(size)
        chars = (w - inner_mm - outer_mm) / (pt * 25.4 / 72)
        assert 0 <= chars - round(chars) < 1e-3, (size, chars)  # never a hair short of N characters
        assert abs(inner_mm - inner) < 1e-9 and abs(outer_mm - outer) < 3 * pt * 25.4 / 72  # close to the design


def test_last_two_characters_are_kept_together():
    html = "<p>第一句话。最后一句</p><p>短</p><p>带标点的结尾。」</p><p>链接<a href=\"#x\">文字</a></p>"
    out = pdf.keep_last_characters(html)
    assert '最后<span class="nobr">一句</span></p>' in out or '<span class="nobr">一句</span>' in out
    assert "<p>短</p>" in out
    assert '<span class="nobr">结尾。」</span>' in out
    assert out.endswith('<a href="#x">文字</a></p>')  # a paragraph ending in markup is left alone
    assert pdf.keep_last_characters("<p>甲&amp;乙丙</p>") == '<p>甲&amp;<span class="nobr">乙丙</span></p>'
