"""WorksheetWriter: site/packs/<id>-worksheet.pdf, what trainees write on in class.

A sign-in sheet (签到表: 姓名 / 单位 / 签名, SIGN_IN_ROWS rows, a class of the academy's size),
then per session each case's discussion questions (and the session's own) with ruled lines to
write on, and a group-discussion record (小组讨论记录) per session. Only public fields are shown.
"""
from __future__ import annotations

from .printed import HandoutWriter

SIGN_IN_ROWS = 40


class WorksheetWriter(HandoutWriter):
    name = "worksheet"
    kind = "pack_worksheet"
    template = "classroom/worksheet.html"
    label = "学员练习册"
    extra = {"sign_in_rows": SIGN_IN_ROWS, "answer_lines": 6, "record_lines": 12}
