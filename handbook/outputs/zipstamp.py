"""Office files (.docx, .pptx) with fixed zip entry times, so that the same content gives the same bytes.

python-docx and python-pptx write every zip entry with the clock's time: two builds of the same packs gave
slide decks that differed in those bytes only (found comparing a project with its copy). Each entry is
written again with the fixed date the document itself carries (a deck: its edition's date; a Word file:
SOURCE_DATE_EPOCH or 2000-01-01), never before 1980, the first time a zip entry can hold.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

EARLIEST = (1980, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """data (a zip file) with every entry, in the same order, stamped with when."""
    stamp = max(when.timetuple()[:6], EARLIEST)
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()
