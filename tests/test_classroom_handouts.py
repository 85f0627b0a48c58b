"""The pre-class reading (背景 only: no title that answers, no summary, 做法 tags or outcomes) and the
worksheet (sign-in sheet, every question with room to write, the group record), for the shipped packs."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from handbook.classroom.material import case_material
from handbook.classroom.reading import ReadingWriter
from handbook.classroom.worksheet import SIGN_IN_ROWS, WorksheetWriter
from handbook.config import load_settings
from handbook.pipeline import check

from .conftest import ROOT
from .test_classroom_slides import _note_snippets

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    settings = load_settings(ROOT)
    result = check(settings, edition="instructor")
    assert result.ok
    out = tmp_path_factory.mktemp("handouts")
    for writer in (ReadingWriter(settings, "trainee"), WorksheetWriter(settings, "trainee")):
        writer.write(result.library, out)
    return out, result.library


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_reading_holds_each_cases_background_and_nothing_that_answers_it(handouts):
    out, library = handouts
    for pack in library.packs:
        text = squeeze(pdf_text(out / "packs" / f"{pack.id}-reading.pdf"))
        parts = re.split(r"材料\d+", text)[1:]
        assert len(parts) == len(pack.case_ids)
        order = pack.case_ids
        for cid, part in zip(order, parts):
            e = library.get(cid)
            m = case_material(e)
            background = squeeze("".join(m.background + [m.dilemma]))
            for paragraph in m.background + [m.dilemma]:
                assert squeeze(paragraph) in part, (cid, paragraph[:20])
            assert squeeze(m.neutral_title) in part
            assert squeeze(e.case.title) not in text
            assert squeeze(e.case.summary)[:30] not in text
            assert squeeze("、".join(e.case.mechanisms)) not in part or not e.case.mechanisms
            for tag in e.case.mechanisms:
                if tag not in background:
                    assert tag not in part, (cid, tag)
            for outcome in e.case.outcomes:
                assert squeeze(outcome) not in part, (cid, outcome)
            for paragraph in m.practice:
                assert squeeze(paragraph)[:40] not in part, (cid, paragraph[:20])


def test_the_worksheet_has_a_sign_in_sheet_every_question_and_a_group_record(handouts):
    out, library = handouts
    for pack in library.packs:
        raw = pdf_text(out / "packs" / f"{pack.id}-worksheet.pdf")
        text = squeeze(raw)
        assert "签到表" in text and "姓名" in text and "单位" in text and "签名" in text
        assert re.search(rf"^\s*{SIGN_IN_ROWS}\s*$", raw, re.M)  # the last row of the sign-in sheet
        for session in pack.sessions:
            assert "小组讨论记录·" + squeeze(session.title) in text
            for q in session.questions:
                assert squeeze(q) in text
            for cid in session.cases:
                for q in library.get(cid).case.discussion_questions:
                    assert squeeze(q) in text, (pack.id, cid)


def test_no_trainee_handout_holds_a_note(handouts):
    out, library = handouts
    snippets = [squeeze(s) for s in _note_snippets(library)]
    for path in (out / "packs").glob("*.pdf"):
        text = squeeze(pdf_text(path))
        assert [s for s in snippets if s in text] == [], path.name
