"""A 16:9 slide deck drawn with python-pptx, every text frame laid out by measure.py.

python-pptx because it is the field's library for .pptx and writes files PowerPoint, WPS 演示 and
LibreOffice Impress all open; measured here: the three shipped packs' decks are written in well
under a second each. Its defaults are fixed where they go wrong for Chinese slides:
- the default template is 4:3: the slide size is set to 16:9 (13.333 × 7.5 in);
- its theme has no East Asian font, so WPS shows 宋体 (python-pptx #720): the theme's major and
  minor fonts and every run name 微软雅黑 as `a:ea` (with its GB2312 charset and panose, so
  PowerPoint and WPS substitute a Chinese sans when it is missing; LibreOffice falls back through
  fontconfig to Noto Sans CJK SC), Latin text Microsoft YaHei;
- autofit is only a flag (#1021, #982): every frame is set not to autofit, with exact line pitch
  and fixed insets, and its text is measured before it is written (Deck.text raises if it would not fit).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from ..outputs.zipstamp import fixed_zip
from . import measure

EMU_PER_PT = 12700
SLIDE_W, SLIDE_H = 960, 540  # points: 16:9
EA_FONT, LATIN_FONT = "微软雅黑", "Microsoft YaHei"
EA_ATTRS = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}
INSET_X, INSET_Y = 7.2, 3.6
INK, ACCENT, MUTED = (0x1F, 0x2A, 0x44), (0x1E, 0x5A, 0x96), (0x5A, 0x63, 0x70)


class LayoutError(Exception):
    """Text that measure.py did not fit: a defect of the deck's layout code, never of a case."""


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def inner(self) -> tuple[float, float]:
        return self.w - 2 * INSET_X, self.h - 2 * INSET_Y


TITLE = Box(48, 30, 864, 74)
BODY = Box(48, 116, 864, 376)
FOOTER = Box(48, 504, 864, 24)


def _emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


def _rgb(color):
    from pptx.dml.color import RGBColor

    return RGBColor(*color)


def style_run(run, size: float, bold: bool = False, color=INK) -> None:
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    font = run.font
    font.size, font.bold = Pt(size), bold
    font.color.rgb = _rgb(color)
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "zh-CN")
    rpr.set("altLang", "en-US")
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    latin = rpr.makeelement(qn("a:latin"), {"typeface": LATIN_FONT, **EA_ATTRS})
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EA_FONT, **EA_ATTRS})
    rpr.append(latin)
    rpr.append(ea)


class Deck:
    def __init__(self, title: str, author: str, when):
        from pptx import Presentation

        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = _emu(SLIDE_W), _emu(SLIDE_H)
        self._blank = self.prs.slide_layouts[6]
        self._theme_fonts()
        props = self.prs.core_properties
        props.title, props.author, props.last_modified_by = title, author, author
        props.language, props.revision = "zh-CN", 1
        if when is not None:
            props.created = props.modified = when.replace(tzinfo=None)
        self.when = when  # also the zip entries' time (outputs/zipstamp.py)
        self.frames: list[list[tuple[Box, str]]] = []  # per slide: each text frame's box and text (for tests)

    def _theme_fonts(self) -> None:
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        theme = self.prs.slide_master.part.part_related_by(RT.THEME)
        xml = theme.blob.decode("utf-8")
        ea = f'<a:ea typeface="{EA_FONT}" panose="{EA_ATTRS["panose"]}" pitchFamily="34" charset="-122"/>'
        xml = xml.replace('<a:ea typeface=""/>', ea)
        theme._blob = xml.encode("utf-8")

    def slide(self, notes: str | None = None):
        from pptx.enum.shapes import MSO_SHAPE

        s = self.prs.slides.add_slide(self._blank)
        bar = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, _emu(SLIDE_W), _emu(10))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(ACCENT)
        bar.line.fill.background()
        self.frames.append([])
        if notes:  # only when the Library handed in holds notes (the instructor edition's)
            s.notes_slide.notes_text_frame.text = notes
        return s

    def text(self, slide, box: Box, paragraphs: list[str], size: float, *, bold: bool = False, color=INK,
             gap: float = 0.5, align_center: bool = False) -> None:
        """Paragraphs into a frame at box; they must fit (measured), else LayoutError."""
        from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
        from pptx.util import Pt

        w, h = box.inner
        pitch = size * measure.LINE_PITCH
        need = sum(measure.height(p, w, size, bold) for p in paragraphs) + gap * pitch * max(0, len(paragraphs) - 1)
        if need > h + 0.01:
            raise LayoutError(f"{need:.0f}pt of text in a {h:.0f}pt frame: {paragraphs[:1]}")
        shape = slide.shapes.add_textbox(_emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = _emu(INSET_X)
        frame.margin_top = frame.margin_bottom = _emu(INSET_Y)
        for i, text in enumerate(paragraphs):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.line_spacing = Pt(pitch)
            para.space_before = Pt(0)
            para.space_after = Pt(gap * pitch if i < len(paragraphs) - 1 else 0)
            if align_center:
                para.alignment = PP_ALIGN.CENTER
            run = para.add_run()
            run.text = text
            style_run(run, size, bold, color)
        self.frames[-1].append((box, "\n".join(paragraphs)))

    def fitted(self, slide, box: Box, text: str, largest: float, smallest: float, **kw) -> None:
        """One paragraph at the largest size that fits the box."""
        w, h = box.inner
        size, text = measure.fit_size(text, w, h, largest, smallest, kw.get("bold", False))
        self.text(slide, box, [text], size, **kw)

    def table(self, slide, box: Box, header: list[str], rows: list[list[str]], size: float) -> None:
        """A table whose row heights are measured: first column the row labels, one column per case."""
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Pt

        label_w = 84.0
        col_w = (box.w - label_w) / max(1, len(header) - 1)
        widths = [label_w] + [col_w] * (len(header) - 1)
        pitch = size * measure.LINE_PITCH

        def row_height(cells):
            return max(measure.height(c, w - 2 * INSET_X, size, i == 0) for i, (c, w) in
                       enumerate(zip(cells, widths))) + 2 * INSET_Y + 1

        all_rows = [header] + rows
        heights = [row_height(r) for r in all_rows]
        if sum(heights) > box.h + 0.01:
            raise LayoutError(f"table of {sum(heights):.0f}pt in {box.h:.0f}pt")
        shape = slide.shapes.add_table(len(all_rows), len(header), _emu(box.x), _emu(box.y), _emu(box.w),
                                       _emu(sum(heights)))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = _emu(w)
        for i, (cells, hgt) in enumerate(zip(all_rows, heights)):
            table.rows[i].height = _emu(hgt)
            for j, text in enumerate(cells):
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = _emu(INSET_X)
                cell.margin_top = cell.margin_bottom = _emu(INSET_Y)
                frame = cell.text_frame
                frame.word_wrap = True
                frame.auto_size = MSO_AUTO_SIZE.NONE
                para = frame.paragraphs[0]
                para.line_spacing = Pt(pitch)
                run = para.add_run()
                run.text = text
                style_run(run, size, bold=(i == 0 or j == 0), color=(0xFF, 0xFF, 0xFF) if i == 0 else INK)
        self.frames[-1].append((Box(box.x, box.y, box.w, sum(heights)), "\n".join(sum(all_rows, []))))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue() if self.when is None else fixed_zip(buffer.getvalue(), self.when)


def shorten_cells(header: list[str], rows: list[tuple[str, list[str]]], box: Box, size: float) -> list[list[str]]:
    """Comparison cells cut (…) until the table fits: each row gets an equal share of the height left."""
    label_w = 84.0
    col_w = (box.w - label_w) / max(1, len(header) - 1) - 2 * INSET_X
    header_h = max(measure.height(t, col_w, size, True) for t in header[1:]) + 2 * INSET_Y + 1
    natural = [max(measure.height(c, col_w, size) for c in cells) for _, cells in rows]
    budget = box.h - header_h - len(rows) * (2 * INSET_Y + 1)
    caps = natural[:]
    if sum(natural) > budget:  # water-filling: short rows keep their height, the long share what is left
        left, todo = budget, sorted(range(len(rows)), key=lambda i: natural[i])
        for k, i in enumerate(todo):
            caps[i] = min(natural[i], left / (len(todo) - k))
            left -= caps[i]
    out = []
    for (label, cells), cap in zip(rows, caps):
        fitted = [measure.fit_size(c, col_w, cap, size, size)[1] if measure.height(c, col_w, size) > cap else c
                  for c in cells]
        out.append([label] + fitted)
    return out
