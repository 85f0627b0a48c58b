"""The slide decks: python-pptx re-opens them, LibreOffice draws them with every text inside its frame,
every case title is in them, the trainee deck holds no note in any byte, the instructor deck has them."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from handbook.classroom import measure
from handbook.classroom.slides import deck_bytes
from handbook.config import load_settings
from handbook.pipeline import check

from .conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice or poppler-utils not installed")
PT = 12700


@pytest.fixture(scope="module")
def shipped():
    settings = load_settings(ROOT)
    result = check(settings, edition="instructor")
    assert result.ok
    return settings, result.library


@pytest.fixture(scope="module")
def decks(shipped, tmp_path_factory):
    """Both editions' decks of the shipped packs, and LibreOffice's PDF of each trainee deck."""
    settings, library = shipped
    folder = tmp_path_factory.mktemp("decks")
    out = {}
    for edition in ("trainee", "instructor"):
        lib = library.for_edition(edition)
        for pack in lib.packs:
            path = folder / f"{edition}-{pack.id}.pptx"
            path.write_bytes(deck_bytes(pack, lib, settings, edition))
            out[(edition, pack.id)] = path
    trainee = [str(p) for (edition, _), p in out.items() if edition == "trainee"]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *trainee],
                   check=True, capture_output=True, timeout=300)
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_python_pptx_reopens_a_16_9_deck_with_an_east_asian_font_on_every_run(decks):
    for path in decks.values():
        prs = Presentation(str(path))
        assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
        assert len(prs.slides) > 10
        xml = zipfile.ZipFile(path).read("ppt/slides/slide2.xml").decode()
        runs = xml.count("<a:r>")
        assert runs and xml.count('<a:ea typeface="微软雅黑"') == runs
        theme = next(n for n in zipfile.ZipFile(path).namelist() if n.startswith("ppt/theme/"))
        assert '<a:ea typeface="微软雅黑"' in zipfile.ZipFile(path).read(theme).decode()
        assert '<a:ea typeface=""' not in zipfile.ZipFile(path).read(theme).decode()


def test_libreoffice_draws_every_slide_and_every_case_title(decks, shipped):
    _, library = shipped
    for (edition, pack_id), path in decks.items():
        if edition != "trainee":
            continue
        pdf = path.with_suffix(".pdf")
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True).stdout).group(1))
        assert pages == len(Presentation(str(path)).slides)
        text = squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
        pack = next(p for p in library.packs if p.id == pack_id)
        for cid in pack.case_ids:
            assert squeeze(library.get(cid).case.title) in text, cid


class _Lines(HTMLParser):
    """pdftotext -bbox-layout: every line's box per page, without a closing mark at its end: LibreOffice hangs
    a full-width 。，、 past the margin (hanging punctuation), and the mark's ink is in its left half."""

    def __init__(self):
        super().__init__()
        self.pages: list[list[list[float]]] = []
        self.word: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append([])
        elif tag == "line":
            self.pages[-1].append([float(a[k]) for k in ("xmin", "ymin", "xmax", "ymax")])
        elif tag == "word":
            self.word = [float(a["xmin"]), float(a["xmax"]), ""]

    def handle_data(self, data):
        if self.word is not None:
            self.word[2] += data

    def handle_endtag(self, tag):
        if tag == "word" and self.word:
            x0, x1, text = self.word
            line = self.pages[-1][-1]
            if text and text[-1] in "。，、；：？！）”’" and x1 >= line[2] - 0.01:
                line[2] = x1 - (x1 - x0) / len(text) / 2
            self.word = None


def test_no_text_leaves_its_frame_where_libreoffice_draws_it(decks):
    for (edition, _), path in decks.items():
        if edition != "trainee":
            continue
        out = subprocess.run(["pdftotext", "-bbox-layout", str(path.with_suffix(".pdf")), "-"],
                             capture_output=True, text=True, check=True).stdout
        parser = _Lines()
        parser.feed(out)
        slides = Presentation(str(path)).slides
        assert len(parser.pages) == len(slides)
        checked = 0
        for n, (lines, slide) in enumerate(zip(parser.pages, slides), start=1):
            frames = [(s.left / PT, s.top / PT, (s.left + s.width) / PT, (s.top + s.height) / PT)
                      for s in slide.shapes if s.has_text_frame or s.has_table]
            for x0, y0, x1, y1 in lines:
                checked += 1
                assert any(fx0 - 1 <= x0 and x1 <= fx1 + 1 and fy0 - 1 <= y0 and y1 <= fy1 + 1
                           for fx0, fy0, fx1, fy1 in frames), (path.name, n, (x0, y0, x1, y1))
            assert all(y1 <= 540 and x1 <= 960 for _, _, x1, y1 in lines)
        assert checked > 200


def test_measure_wraps_no_wider_than_the_frame_and_never_starts_a_line_with_a_stop():
    text = "彩陶小区位于宜昌市东山大道101号，属西陵街道乌龟碑社区。小区5号楼建成于2000年，共7层、14户。" * 3
    lines = measure.wrap(text, 300, 20)
    assert "".join(lines) == text
    assert all(measure.width(line, 20) <= 300 - 20 for line in lines)
    assert not any(line[0] in measure.NO_LINE_START for line in lines)
    pages = measure.paginate([text] * 6, 400, 200, 20)
    assert len(pages) > 2 and all(sum(measure.height(p, 400, 20) for p in page) <= 200 for page in pages)


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def _note_snippets(library) -> list[str]:
    """Pieces of every teaching note and session note, long enough to be unique to the note (a note that
    repeats a sentence of its case's public text, e.g. in 后续进展, is not a leak of that sentence)."""
    snippets = []
    for e in library.entries:
        public = re.sub(r"[*`]", "", e.case.body + repr(replace(e.case, teaching_note=None)))
        for line in (e.case.teaching_note or "").splitlines():
            line = re.sub(r"[#*`\[\]()]", "", line).strip()
            if len(line) >= 16 and line[:16] not in public:
                snippets.append(line[:16])
    for pack in library.packs:
        for s in pack.sessions:
            if s.note:
                snippets += [s.note[:16], s.note[-16:]]
    return snippets


def test_trainee_deck_holds_no_note_in_any_byte(decks, shipped):
    _, library = shipped
    snippets = _note_snippets(library)
    assert len(snippets) > 50
    for (edition, _), path in decks.items():
        if edition == "trainee":
            xml = _xml(path)
            assert not any("notesSlide" in n for n in zipfile.ZipFile(path).namelist())
            assert [s for s in snippets if s in xml] == []


def test_instructor_deck_has_the_teaching_and_session_notes_as_speaker_notes(decks, shipped):
    _, library = shipped
    for pack in library.packs:
        prs = Presentation(str(decks[("instructor", pack.id)]))
        notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
        for session in pack.sessions:
            assert session.note[:30] in notes
        for cid in pack.case_ids:
            note = library.get(cid).case.teaching_note
            if note:
                assert "教学目标" in notes
        cover = "".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
        assert "教师版" in cover
    trainee_cover = Presentation(str(decks[("trainee", library.packs[0].id)])).slides[0]
    assert "教师版" not in "".join(sh.text_frame.text for sh in trainee_cover.shapes if sh.has_text_frame)


def test_the_dilemma_and_questions_come_before_the_reveal(decks, shipped):
    _, library = shipped
    pack = library.packs[0]
    texts = ["".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
             for s in Presentation(str(decks[("trainee", pack.id)])).slides]
    for cid in pack.case_ids:
        c = library.get(cid).case
        reveal = next(i for i, t in enumerate(texts) if c.title in t)
        question = next(i for i, t in enumerate(texts) if c.discussion_questions[0][:20] in t)
        assert question < reveal
        assert not any(c.title in t for t in texts[:reveal])


def test_a_deck_is_the_same_bytes_whenever_it_is_made(decks, shipped):
    """Every zip entry carries the edition's date, not the clock's (outputs/zipstamp.py): the deck made again
    later, across a change of the zip format's two-second clock, is the same file."""
    settings, library = shipped
    (edition, pack_id), path = next(iter(decks.items()))
    lib = library.for_edition(edition)
    with zipfile.ZipFile(path) as deck:
        assert {info.date_time for info in deck.infolist()} == {lib.edition_date().timetuple()[:6]}
    time.sleep(2.1)
    pack = next(p for p in lib.packs if p.id == pack_id)
    assert deck_bytes(pack, lib, settings, edition) == path.read_bytes()
