"""A case body (Markdown) → Word paragraphs, for the exporter.

The Markdown is first turned into HTML by the handbook's one Markdown configuration
(render.markdown_to_html, sanitised as for the site), then each HTML block becomes what a
Word user would make by hand: ## → 标题 1, ### → 标题 2, lists in Word's list styles (each
numbered list restarting at 1), tables as tables, links as hyperlinks, `code` in a character
style that the importer maps back. The importer (mammoth, then markdownify) reads each of
these back to the same Markdown; tests/test_word_roundtrip.py holds them to it.
"""
from __future__ import annotations

import copy
from pathlib import Path

import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..outputs.render import markdown_to_html

CODE_STYLE = "Verbatim Char"  # the character style of `code` (pandoc's name; mapped back by the importer)
HEADING_OF = {"h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
INLINE = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}


def ensure_styles(document) -> None:
    styles = document.styles
    if CODE_STYLE not in [s.name for s in styles]:
        style = styles.add_style(CODE_STYLE, WD_STYLE_TYPE.CHARACTER)
        style.font.name = "Consolas"
        style.font.color.rgb = RGBColor(0x80, 0x20, 0x20)
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")


class ParagraphStyles:
    """A document's paragraph styles, each looked up once: by name when a paragraph is given one (the exporter),
    by id when a paragraph's is read (the importer, handbook/word/reading.py).

    python-docx looks a style up on every paragraph, and compares it with (or, for a paragraph without a style,
    falls back to) the document's default one, which it finds by reading every style's attributes again: 4.0 s of a
    profiled 11.7 s export of the 62 shipped cases, 4.3 s of a profiled 21.1 s import. Looked up once, the export
    took 3.0 s instead of 3.6 s and the import 3.9 s instead of 4.4 s, measured; the paragraphs get the same
    w:pStyle, and the 62 exported files are byte-identical."""

    def __init__(self, document):
        self.document = document
        self._ids: dict[str, str | None] = {}
        self._by_id: dict = {}

    def add(self, container, name: str, text: str = ""):
        """A new paragraph of container (the document, a cell) in the style called name."""
        return self.give(container.add_paragraph(text), name)

    def give(self, paragraph, name: str):
        if name not in self._ids:
            styles = self.document.styles
            style = styles[name]
            self._ids[name] = None if style == styles.default(style.type) else style.style_id
        paragraph._p.style = self._ids[name]
        return paragraph

    def of(self, paragraph):
        """The paragraph's style, as python-docx's paragraph.style finds it."""
        style_id = paragraph._p.style
        if style_id not in self._by_id:
            self._by_id[style_id] = self.document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        return self._by_id[style_id]

    def name_of(self, paragraph) -> str:
        style = self.of(paragraph)
        return (style.name or "") if style is not None else ""

    def added(self) -> None:
        """A style was added: a name or an id that found none may find it now."""
        self._ids.clear()
        self._by_id.clear()


class BodyWriter:
    """Writes Markdown into a python-docx Document; images are read from cases_dir."""

    def __init__(self, document, cases_dir: Path):
        self.document, self.cases_dir = document, cases_dir
        self._abstracts: dict[str, str] = {}
        ensure_styles(document)
        self.styles = ParagraphStyles(document)

    def markdown(self, text: str) -> None:
        html = markdown_to_html(text)
        if not html.strip():
            return
        for element in lxml.html.fragments_fromstring(html):
            if isinstance(element, str):
                if element.strip():
                    self.document.add_paragraph(element.strip())
                continue
            self.block(element)

    def block(self, element) -> None:
        tag = element.tag
        if tag in HEADING_OF:
            paragraph = self.styles.add(self.document, f"Heading {HEADING_OF[tag]}")
            self.inline(paragraph, element)
        elif tag in ("ul", "ol"):
            self.listing(element, 1)
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            for child in element:
                paragraph = self.styles.add(self.document, "Quote")
                self.inline(paragraph, child)
        elif tag == "hr":
            return
        else:  # p, pre, div and anything else: one paragraph each
            paragraph = self.document.add_paragraph()
            self.inline(paragraph, element)

    # ------------------------------------------------------------- lists

    def listing(self, element, level: int) -> None:
        ordered = element.tag == "ol"
        style = ("List Number" if ordered else "List Bullet") + ("" if level == 1 else f" {min(level, 3)}")
        num_id = self._new_list(ordered, level - 1)
        for item in element:
            if item.tag != "li":
                continue
            nested = [child for child in item if child.tag in ("ul", "ol")]
            for child in nested:
                item.remove(child)
            paragraph = self.styles.add(self.document, style)
            _set_num(paragraph, num_id, level - 1)
            blocks = [child for child in item if child.tag == "p"]
            if blocks and not (item.text or "").strip():
                self.inline(paragraph, blocks[0])
            else:
                self.inline(paragraph, item)
            for child in nested:
                self.listing(child, level + 1)

    def _new_list(self, ordered: bool, level: int) -> str:
        """A numbering instance of a nine-level bullet or decimal list, counting from 1 at this level: the
        paragraph's level (ilvl) is what Word indents and what readers (mammoth) nest by."""
        numbering = self.document.part.numbering_part.element
        abstract = self._abstract(numbering, ordered)
        new_id = str(max([int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))] + [0]) + 1)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), new_id)
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract)
        num.append(ref)
        if ordered:
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(level))
            start = OxmlElement("w:startOverride")
            start.set(qn("w:val"), "1")
            override.append(start)
            num.append(override)
        numbering.append(num)
        return new_id

    def _abstract(self, numbering, ordered: bool) -> str:
        key = "decimal" if ordered else "bullet"
        if key not in self._abstracts:
            ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
            abstract_id = str(max(ids + [0]) + 1)
            abstract = OxmlElement("w:abstractNum")
            abstract.set(qn("w:abstractNumId"), abstract_id)
            for i in range(9):
                lvl = OxmlElement("w:lvl")
                lvl.set(qn("w:ilvl"), str(i))
                for tag, value in (("w:start", "1"), ("w:numFmt", key),
                                   ("w:lvlText", f"%{i + 1}." if ordered else "•●○■"[i % 4])):
                    child = OxmlElement(tag)
                    child.set(qn("w:val"), value)
                    lvl.append(child)
                p_pr = OxmlElement("w:pPr")
                ind = OxmlElement("w:ind")
                ind.set(qn("w:left"), str(420 * (i + 1)))
                ind.set(qn("w:hanging"), "420")
                p_pr.append(ind)
                lvl.append(p_pr)
                abstract.append(lvl)
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            self._abstracts[key] = abstract_id
        return self._abstracts[key]

    # ------------------------------------------------------------- tables

    def table(self, element) -> None:
        rows = element.xpath(".//tr")
        if not rows:
            return
        width = max(len(row.xpath("./th|./td")) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            cells = row.xpath("./th|./td")
            if row.getparent().tag == "thead":
                tr_pr = table.rows[r]._tr.get_or_add_trPr()
                header = OxmlElement("w:tblHeader")
                tr_pr.append(header)
            for c, cell in enumerate(cells):
                self.inline(table.cell(r, c).paragraphs[0], cell)

    # ------------------------------------------------------------- inline content

    def inline(self, paragraph, element, marks: frozenset = frozenset(), link: str | None = None) -> None:
        if element.text:
            self.run(paragraph, element.text, marks, link)
        for child in element:
            tag = child.tag
            if tag == "br":
                self.run(paragraph, None, marks, link, brk=True)
            elif tag == "img":
                self.image(paragraph, child)
            elif tag == "a":
                self.inline(paragraph, child, marks, child.get("href"))
            elif tag in INLINE:
                self.inline(paragraph, child, marks | {INLINE[tag]}, link)
            elif tag == "code":
                self.inline(paragraph, child, marks | {"code"}, link)
            else:
                self.inline(paragraph, child, marks, link)
            tail = child.tail.lstrip("\n") if child.tail and tag == "br" else child.tail
            if tail:
                self.run(paragraph, tail, marks, link)

    def run(self, paragraph, text, marks, link, brk: bool = False) -> None:
        if text is not None:
            text = text.replace("\n", " ")
        if link:
            self._hyperlink(paragraph, text or "", marks, link)
            return
        run = paragraph.add_run(text)
        if brk:
            run.add_break()
        run.bold = True if "bold" in marks else None
        run.italic = True if "italic" in marks else None
        if "code" in marks:
            run.style = self.document.styles[CODE_STYLE]

    def _hyperlink(self, paragraph, text: str, marks, url: str) -> None:
        rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        run = paragraph.add_run(text)
        run.bold = True if "bold" in marks else None
        run.italic = True if "italic" in marks else None
        if "code" in marks:
            run.style = self.document.styles[CODE_STYLE]
        else:
            run.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
            run.font.underline = True
        link.append(copy.deepcopy(run._r))
        paragraph._p.remove(run._r)
        paragraph._p.append(link)

    def image(self, paragraph, element) -> None:
        src = element.get("src") or ""
        path = (self.cases_dir / src).resolve()
        images = (self.cases_dir / "images").resolve()
        if images not in path.parents or not path.is_file():
            paragraph.add_run(f"[图片缺失：{src}]")
            return
        run = paragraph.add_run()
        shape = run.add_picture(str(path))
        max_width = self.document.sections[0].page_width - self.document.sections[0].left_margin \
            - self.document.sections[0].right_margin
        if shape.width > max_width:
            shape.height = int(shape.height * max_width / shape.width)
            shape.width = max_width
        doc_pr = run._r.xpath(".//wp:docPr")
        if doc_pr:
            doc_pr[0].set("descr", element.get("alt") or "")
            doc_pr[0].set("name", Path(src).name)


def _set_num(paragraph, num_id: str, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)
