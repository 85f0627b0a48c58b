"""The Word template (site/downloads/case-template.docx) and the one document layout it shares with export-docx.

Made by python-docx from handbook/schema.py FIELDS at every build, so it cannot drift from
the case format: a new field is a new row. The layout (form.py): a title, one line of
instructions, the field table 字段 | 填写内容 (each row's label, its rule and an example from
the cases in the library), then the headings 背景 / 做法 / 成效 / 启示 and 教学说明, the last one
marked as instructor-only. export-docx fills the same layout with a case.

python-docx writes plain WordprocessingML that Word, WPS and LibreOffice open alike
(tests re-save the template with LibreOffice and import the result). It is imported here only when a
document is made: every `check` and build asks this writer only which path it claims, and python-docx was a
fifth of a `check` command's imports (46 of 260 ms).
"""
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from ..library import Library
from ..outputs.claims import Claim
from ..content.schema import FIELDS, SECTIONS, TEACHING_NOTE_PARTS
from ..outputs.urls import url_for
from ..outputs.zipstamp import fixed_zip
from ..outputs.writer import Writer
from . import form

TEMPLATE_PATH = url_for("word_template")
INSTRUCTIONS = ("填写说明：在下表右栏填写各字段（灰色小字是规则和例子，不用删），再在下面各标题下写正文。"
                "写好后保存为 .docx，运行 python build.py import 文件名.docx 导入手册。")
PROMPTS = {  # the placeholder under each heading of the blank template; the importer drops them
    "背景": "（这个社区是什么样的？遇到了什么问题？为什么难办？）",
    "做法": "（谁做了什么？怎样动员居民、怎样协商、钱从哪里来？）",
    "成效": "（解决了什么？有哪些来源中的数字？）",
    "启示": "（别的社区可以借鉴什么？什么条件下可能行不通？）",
    "教学说明": "（这一节只出现在教师版里，学员看不到。写给上课的教师。）",
    "教学目标": "（学员上完这一课，应该能做到什么？）",
    "课前准备": "（要发什么材料、分几组、准备什么？）",
    "课堂安排": "（分步骤写，每步标出分钟数，例如：1. 分组阅读背景（10 分钟）。）",
    "分析要点": "（每道讨论题，好的讨论应该讨论到哪里？）",
    "后续进展": "（来源里写了后来的情况就写；没写就注明“报道没有说明”。）",
}
GREY = (0x70, 0x70, 0x70)  # the rules and examples in the field table


def examples(library: Library | None) -> dict[str, str]:
    """An example per field, from the library's cases and taxonomy (what real cases hold)."""
    found: dict[str, str] = {}
    if library is None:
        return found
    cases = sorted((e.case for e in library.entries), key=lambda c: c.id)
    for name, spec in FIELDS.items():
        for case in cases:
            value = getattr(case, name, None)
            if value in (None, "", []):
                continue
            if spec.kind == "sources":
                found[name] = form.source_line(value[0])
            elif isinstance(value, list):
                found[name] = "、".join(value[:3])
            else:
                found[name] = str(value)
            break
    types = [p.name for p in library.taxonomy.problem_types][:3]
    if types:
        found["problem_types"] = "、".join(types)
    return found


def case_document(values: dict | None = None, case_id: str | None = None, body: str | None = None,
                  note: str | None = None, cases_dir: Path | None = None, sample: dict | None = None):
    """A python-docx Document in the template's layout; blank (the template) when values is None."""
    import docx
    from docx.shared import Cm

    from .docx_body import BodyWriter, ensure_styles

    document = docx.Document()
    _prune(document)
    ensure_styles(document)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    values = values or {}
    document.core_properties.title = values.get("title") or "社区治理案例"
    document.core_properties.language = "zh-CN"
    writer = BodyWriter(document, cases_dir or Path("."))
    styles = writer.styles
    styles.add(document, form.TITLE_STYLE, values.get("title") or "社区治理案例")
    _small(document.add_paragraph(), INSTRUCTIONS)
    _field_table(document, styles, values, case_id, sample or {})
    if body is None:
        for name in SECTIONS:
            styles.add(document, "Heading 1", name)
            _small(document.add_paragraph(), PROMPTS[name])
        styles.add(document, "Heading 1", form.NOTE_HEADING)
        _small(document.add_paragraph(), PROMPTS["教学说明"])
        for name in TEACHING_NOTE_PARTS:
            styles.add(document, "Heading 2", name)
            _small(document.add_paragraph(), PROMPTS[name])
        return document
    writer.markdown(body)
    if note is not None:
        styles.add(document, "Heading 1", form.NOTE_HEADING)
        writer.markdown(note)
    return document


def _field_table(document, styles, values: dict, case_id: str | None, sample: dict) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    rows = [(form.ID_LABEL, form.ID_RULE, "xiqiao-yueyuetan", [case_id] if case_id else [], False)]
    for name, spec in FIELDS.items():
        rows.append((form.label(spec), form.rule(spec), sample.get(name, ""), form.cell_lines(spec, values.get(name)),
                     spec.kind in ("list",)))
    table = document.add_table(rows=1 + len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, form.TABLE_HEADER):
        cell.paragraphs[0].add_run(text).bold = True
    for row, (label, rule, example, lines, listed) in zip(table.rows[1:], rows):
        left, right = row.cells
        left.paragraphs[0].add_run(label).bold = True
        _small(left.add_paragraph(), rule)
        if example:
            _small(left.add_paragraph(), f"例如：{example}")
        first = True
        for line in lines:
            paragraph = right.paragraphs[0] if first else right.add_paragraph()
            first = False
            if listed:
                styles.give(paragraph, "List Bullet")
            paragraph.add_run(line)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(5.2), Cm(11.4)


def _prune(document) -> None:
    """Drop what python-docx's default file carries and no case uses: 99 table styles (300 KB that every
    reader parses), the list of latent styles (Word's defaults apply without it), the Word 2010 copy of the
    styles, a thumbnail of an empty page. The styles part goes from 350 KB to about 25 KB."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in ("TableNormal", "TableGrid"):
            styles.remove(style)
    for rel in list(document.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel.rId)
    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel.rId)


def _small(paragraph, text: str) -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(*GREY)


def document_bytes(document) -> bytes:
    """The .docx bytes, the same for the same content: the document's dates and the zip entries' times are fixed
    (SOURCE_DATE_EPOCH when set, as for the rest of the build), so two builds give the same file."""
    stamp = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "946684800")), dt.timezone.utc)
    props = document.core_properties
    props.created = props.modified = stamp.replace(tzinfo=None)
    props.last_modified_by, props.author, props.revision = "", "", 1
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), stamp)


class TemplateWriter(Writer):
    """site/downloads/case-template.docx, offered on the site as 案例模板（Word）."""

    name = "word-template"

    def __init__(self) -> None:
        # what it was made of and the bytes: a long-lived writer (serve, the desk's previews) makes the document
        # again only when its examples change (python-docx took 0.17 s of every preview rebuild, measured)
        self._made: tuple[tuple, bytes] | None = None

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(TEMPLATE_PATH, "案例模板（Word）", "the Word case template")]

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        target = out / TEMPLATE_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        sample = examples(library)
        made_of = (tuple(sorted(sample.items())), os.environ.get("SOURCE_DATE_EPOCH"))
        if self._made is None or self._made[0] != made_of:
            self._made = (made_of, document_bytes(case_document(sample=sample)))
        data = self._made[1]
        if not (incremental and target.is_file() and target.read_bytes() == data):
            target.write_bytes(data)

    def can_update(self, out: Path) -> bool:
        return True
