"""A .docx dropped onto the desk goes through `build.py import`, the Word importer, unchanged.

The desk does not convert Word itself: it writes the upload to a private temporary folder and runs the
importer's documented command line (`python build.py import FILE.docx`, issue 24) in the project, so the
case it writes is exactly what the terminal route writes (canonical text, images into cases/images/).
The importer never replaces an existing case unless asked (--replace, which the desk does not pass), so
a drop cannot overwrite anything; the new file is then committed to the history like any save.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ..cases import case_files
from ..errors import HandbookError

MAX_BYTES = 20 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^\w.-]+")


def import_upload(desk, filename: str, data: bytes) -> str:
    """Import one uploaded .docx; the id of the case it wrote."""
    settings = desk.settings
    if len(data) > MAX_BYTES:
        raise HandbookError(f"Word 文件超过 {MAX_BYTES // (1024 * 1024)} MB (the .docx is too large)")
    if not data.startswith(b"PK"):
        raise HandbookError("这个文件不是 Word 文档（.docx）(not a .docx file)")
    name = _SAFE_NAME.sub("-", Path(filename).name) or "case.docx"
    if not name.lower().endswith(".docx"):
        name += ".docx"
    before = {p: p.stat().st_mtime_ns for p in case_files(settings.cases_dir)}
    with tempfile.TemporaryDirectory(prefix="desk-import-") as tmp:
        source = Path(tmp) / name
        source.write_bytes(data)
        done = subprocess.run([sys.executable, str(settings.root / "build.py"), "import", str(source)],
                              cwd=settings.root, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=300)
    if done.returncode == 2 and "invalid choice" in done.stderr:
        raise HandbookError("这个版本还没有 Word 导入功能（build.py import）(the Word importer is not installed)")
    if done.returncode != 0:
        raise HandbookError((done.stderr or done.stdout).strip() or "导入失败 (import failed)")
    written = [p for p in case_files(settings.cases_dir) if before.get(p) != p.stat().st_mtime_ns]
    if not written:
        raise HandbookError("导入没有写出案例文件 (the importer wrote no case)")
    path = written[0]
    desk.history.keep(path, path.read_bytes(), "import")
    if desk.previews is not None:
        desk.previews.request()
    return path.name[:-3]
