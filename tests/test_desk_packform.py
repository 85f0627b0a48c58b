"""The pack form writes what packs.load_pack reads back, and places pack messages by their lines."""
from __future__ import annotations

from pathlib import Path

from starlette.datastructures import FormData

from handbook.content.cases import load_cases
from handbook.desk import packform
from handbook.content.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_packs_read_back_the_same_through_the_form(tmp_path):
    for shipped in sorted((ROOT / "packs").glob("*.yml")):
        form = packform.from_text(shipped.read_text(encoding="utf-8"))
        copy = tmp_path / shipped.name
        copy.write_text(form.text(), encoding="utf-8")
        before, _ = load_pack(shipped)
        after, problems = load_pack(copy)
        assert problems == []
        assert (after.title, after.summary, after.audience, after.date, after.status) == \
               (before.title, before.summary, before.audience, before.date, before.status)
        assert [(s.title, s.cases, s.questions, s.note) for s in after.sessions] == \
               [(s.title, s.cases, s.questions, s.note) for s in before.sessions]


def test_a_removed_session_leaves_no_empty_one():
    form = packform.from_form(FormData([("field.title", "一个课程包"), ("session_count", "3"),
                                        ("session.0.title", "第一讲"), ("session.0.cases", "a-case"),
                                        ("session.2.title", "第三讲"), ("session.2.cases", "b-case")]))
    assert [s.title for s in form.sessions] == ["第一讲", "第三讲"]


def test_messages_land_on_the_session_field(project):
    cases, _ = load_cases(project / "cases")
    form = packform.from_form(FormData([("field.title", "一个课程包"), ("session_count", "1"),
                                        ("session.0.title", "第一讲"), ("session.0.cases", "xiqiao-yueyuetan"),
                                        ("session.0.cases", "xiqiao-yueyuetn")]))
    messages = packform.check_pack_text("a-pack", form.text(), cases)
    assert [m.place for m in messages] == ["session.0.cases"]
    assert "xiqiao-yueyuetn" in messages[0].text and "xiqiao-yueyuetan" in messages[0].text
