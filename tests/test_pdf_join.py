"""Joining the laid-out pieces (handbook/pdf/join.py): outline by level, widths and ToUnicode of a merged font,
and on a real book: one font per face, a folio on every numbered page, nothing on the blank ones."""
from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest

from handbook.pdf import book as pdf
from handbook.config import load_settings
from handbook.pdf.fonts import cid_widths, unicode_cmap, width_array
from handbook.pdf.join import _outline
from handbook.pipeline import check


def test_the_outline_nests_by_level_across_pieces():
    book = pikepdf.new()
    for _ in range(4):
        book.add_blank_page()

    def dest(n):
        return pikepdf.Array([book.pages[n].obj, pikepdf.Name.XYZ, 0, 800, 0])

    # a chapter opens in one piece; its later cases come from the next piece, whose bookmarks start at level 2
    _outline(book, [(1, "前言", dest(0)), (1, "第一章", dest(1)), (2, "案例甲", dest(1)), (2, "案例乙", dest(2)),
                    (1, "索引", dest(3))])
    with book.open_outline() as outline:
        tree = [(str(i.title), [str(c.title) for c in i.children]) for i in outline.root]
    assert tree == [("前言", []), ("第一章", ["案例甲", "案例乙"]), ("索引", [])]


def test_merged_widths_and_unicode_round_trip():
    widths = {17: 555.0, 18: 555.0, 19: 600.0, 40: 1000.0}
    array = width_array(widths)
    assert [int(array[0]), [float(x) for x in array[1]], int(array[2])] == [17, [555.0, 555.0, 600.0], 40]
    font = pikepdf.Dictionary(W=array)
    assert cid_widths(font) == widths
    cmap = unicode_cmap({17: b"0030", 40: b"4e2d"})
    assert b"2 beginbfchar\n<0011> <0030>\n<0028> <4e2d>\nendbfchar" in cmap


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_joined_book_has_one_font_per_face_and_a_folio_on_every_numbered_page(project, tmp_path):
    settings = load_settings(project)
    library = check(settings).library
    target = tmp_path / "book.pdf"
    pdf.build_pdf_in_pieces(library, settings, target, piece_cases=1)
    with pikepdf.open(target) as book:
        fonts = {}
        for page in book.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts.setdefault(str(font.BaseFont).split("+")[-1], set()).add(font.objgen)
        assert fonts and all(len(objects) == 1 for objects in fonts.values()), fonts
    texts = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    assert len(texts) == pdf_pages(target)
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if not lines:  # a page left blank so that the next piece starts on a recto: no folio either
            continue
        if number <= 2:  # the cover and its verso
            assert not re.fullmatch(r"\d+", lines[-1]), (number, lines[-1:])
        else:
            assert lines[-1] == str(number), (number, lines[-3:])


def pdf_pages(path):
    with pikepdf.open(path) as book:
        return len(book.pages)
