"""Reading a .docx: python-docx for the field table and the document's structure, mammoth for the body.

Why these libraries (measured on the 54 shipped cases exported to Word and on LibreOffice
re-saves of them: all 54 come back byte-identical, and import takes 3.4 s for the 54, about
as long as mammoth's bare conversion of the same files, benchmarks/bench_word.py): mammoth turns Word's semantic structure (headings, lists with their
numbering, tables, hyperlinks, footnotes, images, bold/italic) into clean HTML and ignores
the visual formatting that Word and WPS add, which is what a case body needs; its own
Markdown output is deprecated, so its HTML goes to markdownify (markdown.py). Neither
reads a table as data, so python-docx reads the field table cell by cell, with each
paragraph's style (a list style marks list items) and hyperlinks. pandoc was not chosen:
it is a separate binary, and its Markdown writer turns “中文引号” into ASCII quotes.

mammoth, like pandoc, flattens what Word users use as headings without a heading style:
a bold-only paragraph, a custom style with an outline level, the Title. So the document
is first normalised here with python-docx: such paragraphs become real headings when
their text names a section (背景 … 教学说明), outline-level styles become headings of their
level, and what precedes the field table (the title line, the instructions) is removed.
Only then does mammoth read it (from memory; the Word file is never changed).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
import mammoth
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from . import form
from .docx_body import CODE_STYLE, ParagraphStyles
from .template import PROMPTS

STYLE_MAP = "\n".join([
    f"r[style-name='{CODE_STYLE}'] => code",
    "p[style-name='Quote'] => blockquote > p:fresh",
    "p[style-name='Intense Quote'] => blockquote > p:fresh",
    "p[style-name='Title'] => h1:fresh",
])
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


class NotReadable(Exception):
    """The file is no .docx that can be read; zh/en say what it is."""

    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh, self.en = zh, en


@dataclass
class Row:
    label: str
    lines: list[str]
    listed: bool
    links: list[str | None]
    number: int  # 1-based row number in the table (header = 1)


@dataclass
class WordCase:
    rows: list[Row] | None  # None: no field table
    title_line: str | None  # the Title paragraph, when there is one
    html: str
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (content type, bytes), in document order
    empty: bool = False


def sniff(data: bytes) -> None:
    """Refuse what is not a .docx before any library sees it."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise NotReadable("文件设了打开密码（已加密），请在 Word/WPS 中取消密码后再导入",
                              "the file is encrypted; remove its password first")
        raise NotReadable("这是旧的 .doc 格式，请在 Word/WPS 中“另存为 .docx”", "this is an old .doc file; save it as .docx")
    if data.startswith(b"{\\rtf"):
        raise NotReadable("这是 RTF 文件，请在 Word/WPS 中“另存为 .docx”", "this is an RTF file; save it as .docx")
    if not data.startswith(b"PK"):
        raise NotReadable("不是 Word 文件（.docx），无法读取", "not a Word (.docx) file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise NotReadable("不是 Word 文件（.docx），或者文件已损坏", "not a Word (.docx) file, or damaged") from None
    if "word/document.xml" not in names:
        raise NotReadable("不是 Word 文件（.docx）：里面没有正文", "not a Word (.docx) file: no word/document.xml")


def read(data: bytes) -> WordCase:
    sniff(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any failure of the reader means the same to an instructor
        raise NotReadable("Word 文件已损坏，无法读取，请在 Word/WPS 中打开后重新保存", "the .docx file is damaged") from None
    body = document.element.body
    if not "".join(body.itertext()).strip() and not body.xpath(".//w:drawing"):
        return WordCase(None, None, "", empty=True)
    table = _field_table(document)
    styles = ParagraphStyles(document)
    rows = _rows(table, styles) if table is not None else None
    title_line = _normalise(document, table, styles)
    buffer = io.BytesIO()
    document.save(buffer)
    images: list[tuple[str, bytes]] = []

    def keep_image(image):
        with image.open() as stream:
            images.append((image.content_type or "image/png", stream.read()))
        return {"src": f"word-image:{len(images)}", "alt": image.alt_text or ""}

    buffer.seek(0)
    result = mammoth.convert_to_html(buffer, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(keep_image))
    return WordCase(rows, title_line, result.value, images)


def _text(cell_or_paragraph) -> str:
    return cell_or_paragraph.text.replace("\xa0", " ").strip()


def _field_table(document):
    """The first table whose first column names at least two fields (or that has the 字段 | 填写内容 header)."""
    for table in document.tables:
        try:
            firsts = [_text(row.cells[0].paragraphs[0]) if row.cells[0].paragraphs else "" for row in table.rows]
        except IndexError:
            continue
        if len(table.columns) >= 2 and (firsts[:1] == [form.TABLE_HEADER[0]]
                                        or sum(form.field_for_label(t) is not None for t in firsts) >= 2):
            return table
    return None


def _rows(table, styles: ParagraphStyles) -> list[Row]:
    rows = []
    for number, row in enumerate(table.rows, start=1):
        cells = row.cells
        if len(cells) < 2:
            continue
        label = _text(cells[0].paragraphs[0]) if cells[0].paragraphs else ""
        if number == 1 and label == form.TABLE_HEADER[0]:
            continue
        if not label and not _text(cells[1]):
            continue
        lines, links, listed = [], [], False
        for paragraph in cells[1].paragraphs:
            lines.append(paragraph.text.replace("\xa0", " "))
            hrefs = [h.address for h in paragraph.hyperlinks if h.address]
            links.append(hrefs[0] if hrefs else None)
            style = styles.name_of(paragraph)
            listed |= style.startswith("List") or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        rows.append(Row(label, lines, listed, links, number))
    return rows


def _normalise(document, table, styles: ParagraphStyles) -> str | None:
    """Make headings of what a reader sees as headings; drop what precedes the field table and the prompts."""
    body = document.element.body
    title_line = None
    for paragraph in document.paragraphs:
        if styles.name_of(paragraph) == form.TITLE_STYLE:
            title_line = _text(paragraph)
            paragraph._p.getparent().remove(paragraph._p)
            break
    if table is not None and table._tbl.getparent() is not body:  # inside a content control or a frame
        table._tbl.getparent().remove(table._tbl)
    elif table is not None:
        for element in list(body):
            if element is table._tbl:
                body.remove(element)
                break
            if element.tag == qn("w:p"):
                body.remove(element)
    prompts = set(PROMPTS.values())
    in_note = False
    for paragraph in document.paragraphs:
        text = _text(paragraph)
        if text in prompts or text == _text_of_instructions():
            paragraph._p.getparent().remove(paragraph._p)
            continue
        level = _level(styles, paragraph)
        section = form.is_section(text) if len(text) <= 30 else None
        if section:
            in_note = section == "教学说明"
            if level != 1 or not _is_heading_style(styles, paragraph):
                _set_heading(styles, paragraph, 1)
        elif in_note and form.is_note_part(text) and len(text) <= 20 and (level is None or _bold_only(paragraph)):
            _set_heading(styles, paragraph, 2)
        elif level is not None and not _is_heading_style(styles, paragraph):
            _set_heading(styles, paragraph, min(level, 6))
    return title_line


def _text_of_instructions() -> str:
    from .template import INSTRUCTIONS
    return INSTRUCTIONS


def _is_heading_style(styles: ParagraphStyles, paragraph) -> bool:
    return bool(_HEADING_STYLE.match(styles.name_of(paragraph)))


def _level(styles: ParagraphStyles, paragraph) -> int | None:
    """The heading level a paragraph has: its heading style, or an outline level of its own or of its style."""
    style = styles.of(paragraph)
    if style is not None:
        m = _HEADING_STYLE.match(style.name or "")
        if m:
            return int(m.group(1))
    for holder in (paragraph._p, *(_style_chain(style))):
        p_pr = holder.find(qn("w:pPr"))
        if p_pr is not None:
            outline = p_pr.find(qn("w:outlineLvl"))
            if outline is not None and outline.get(qn("w:val")) is not None:
                value = int(outline.get(qn("w:val")))
                return value + 1 if value < 9 else None
    return None


def _style_chain(style):
    while style is not None:
        yield style.element
        style = style.base_style


def _bold_only(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _set_heading(styles: ParagraphStyles, paragraph, level: int) -> None:
    name = f"Heading {level}"
    try:
        styles.give(paragraph, name)
    except KeyError:  # a document from WPS or LibreOffice may define no heading styles: mammoth knows the name
        styles.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        styles.added()
        styles.give(paragraph, name)
    for run in paragraph.runs:  # a heading's own bold is the heading's, not **text**
        run.bold = None
