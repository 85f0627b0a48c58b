"""ReadingWriter: site/packs/<id>-reading.pdf, the pre-class reading (课前阅读) of a pack.

Every pack note says "hand out only 背景 before class". The reading holds, per case, the place,
the year and 背景, under a neutral title (material.neutral_title: the place and the problem);
never the case's own title, summary, 做法 tags, outcomes or anything after 背景, which would give
the discussion's answer away.
"""
from __future__ import annotations

from .printed import HandoutWriter


class ReadingWriter(HandoutWriter):
    name = "reading"
    kind = "pack_reading"
    template = "classroom/reading.html"
    label = "课前阅读"
