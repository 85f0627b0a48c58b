"""A .docx dropped onto the desk goes through the Word importer (handbook/word, `build.py import`) unchanged.

The desk does not convert Word itself: it writes the upload under its own file name into a private
temporary folder and hands it to handbook.word.saving.import_files, the function `build.py import` runs,
so the case it writes is exactly what the terminal route writes (canonical text, pictures into
cases/images/). It never passes replace: a drop cannot overwrite an existing case (the importer refuses
with its own words). The new file then goes into the history like any save.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..errors import HandbookError

MAX_BYTES = 20 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^\w.-]+")


def import_upload(desk, filename: str, data: bytes) -> str:
    """Import one uploaded .docx; the id of the case it wrote. HandbookError carries the importer's messages."""
    from ..word.saving import import_files

    if len(data) > MAX_BYTES:
        raise HandbookError(f"Word 文件超过 {MAX_BYTES // (1024 * 1024)} MB (the .docx is too large)")
    if not data.startswith(b"PK"):
        raise HandbookError("这个文件不是 Word 文档（.docx）(not a .docx file)")
    name = _SAFE_NAME.sub("-", Path(filename).name).strip("-.") or "case.docx"
    if not name.lower().endswith(".docx"):
        name += ".docx"
    with tempfile.TemporaryDirectory(prefix="desk-import-") as tmp:
        source = Path(tmp) / name
        source.write_bytes(data)
        result = import_files(desk.settings.cases_dir, [source])
    if not result.ok or not result.saved:
        raise HandbookError("\n".join(p.text for p in result.problems) or "导入没有写出案例 (nothing imported)")
    saved = result.saved[0]
    desk.history.keep(saved.path, saved.path.read_bytes(), "import")
    if desk.previews is not None:
        desk.previews.request()
    return saved.case_id
