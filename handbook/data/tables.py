"""The library as data: data/cases.json and data/cases.csv, one row per published case, and the codebook.

Columns are id, every field of schema.FIELDS in the table's order, and url: a field added to the
table is a column here without an edit. Taxonomy values are the taxonomy's names (a case may
write a slug; the data does not), so they match the allowed values the codebook lists.

JSON keeps every value as it is (lists as arrays, sources as objects, missing values as null);
one case a line, so a changed case is a changed line in a diff. CSV is for spreadsheets:
UTF-8 with a BOM, without which Excel reads UTF-8 as the system's ANSI code page (GBK on a
Chinese Windows) and every Chinese character comes out garbled; lists are joined with "；",
a source's parts with "，". A cell that starts with = + - @ (or a tab or carriage return) gets a
leading ' so that a spreadsheet shows case text instead of running it as a formula (OWASP,
"CSV injection"); the JSON is exact.

The teaching note is read here only for the instructor edition (a `teaching_note` column);
the trainee edition's files are built from records that never touch Case.teaching_note.

Measured: the 54 shipped cases make 82 KB of CSV and 100 KB of JSON in 2 ms; 1,000 generated cases
(benchmarks/bench.py) 0.74 MB and 1.0 MB in 34 ms, so the files are simply written whole on every
build, previews included. The writer runs after SiteWriter (pipeline.default_writers): the site
writer puts its finished folder in place with one rename while the output is still empty (a file
written there before it would turn that into a copy of every page).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..library import Entry, Library
from ..outputs.claims import Claim
from ..outputs.atomic import write_atomic
from ..content.schema import CASE_KINDS, FIELDS, NEXT_YEAR, SOURCE_FIELDS, TEACHING_NOTE, FieldSpec
from ..outputs.urls import absolute, url_for
from ..outputs.writer import Writer

JSON_FILE = "data/cases.json"
CSV_FILE = "data/cases.csv"
LIST_SEP = "；"  # between the items of a list in a CSV cell
PART_SEP = "，"  # between a source's title, publisher, date and address
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOTE_COLUMN = "teaching_note"


def published(library: Library) -> list[Entry]:
    """The cases the data holds: published ones, in the library's order (drafts never, even in a preview)."""
    return [e for e in library.entries if not e.case.is_draft]


def columns(library: Library) -> list[str]:
    """The columns of the data files; the teaching-note column where the Library holds notes (instructors')."""
    return ["id", *FIELDS, "url"] + ([NOTE_COLUMN] if library.holds_notes else [])


def _field_value(entry: Entry, spec: FieldSpec):
    """A field's value as data: taxonomy values by their names, sources as mappings."""
    if spec.name == "city":
        return entry.district.city_name
    if spec.name == "district":
        return entry.district.name
    if spec.name == "problem_types":
        return [p.name for p in entry.problem_types]
    value = getattr(entry.case, spec.name)
    if spec.kind == "sources":
        return [{k: getattr(s, k) for k in SOURCE_FIELDS} for s in value]
    if spec.kind == "list":
        return list(value)
    return value if value != "" else None


def record(entry: Entry, site_url: str | None, with_note: bool = False) -> dict:
    """One case as a row: id, the fields, the page's address (and, for instructors only, the teaching note)."""
    row = {"id": entry.id}
    for spec in FIELDS.values():
        row[spec.name] = _field_value(entry, spec)
    path = url_for("case", entry)
    row["url"] = absolute(site_url, path) or path
    if with_note:
        row[NOTE_COLUMN] = entry.case.teaching_note
    return row


def records(library: Library, site_url: str | None) -> list[dict]:
    return [record(e, site_url, library.holds_notes) for e in published(library)]


def to_json(rows: list[dict]) -> bytes:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    return ("[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n").encode("utf-8")


def _source_cell(source: dict) -> str:
    return PART_SEP.join(source[k] for k in SOURCE_FIELDS if source.get(k))


def _cell(name: str, value) -> str:
    spec = FIELDS.get(name)
    if value is None:
        text = ""
    elif spec is not None and spec.kind == "sources":
        text = LIST_SEP.join(_source_cell(s) for s in value)
    elif isinstance(value, list):
        text = LIST_SEP.join(value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[dict], names: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # quoting where needed, \r\n line ends: RFC 4180, as Excel writes it
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(name, row[name]) for name in names])
    return buffer.getvalue().encode("utf-8-sig")


# ----------------------------------------------------------------- the codebook (templates/site/data.html)

KIND_NAMES = {"text": "文字", "list": "列表", "int": "整数", "sources": "来源列表", "status": "文字", "date": "日期",
              "case_kind": "文字"}


def _bounds(spec: FieldSpec) -> str:
    high = f"下一年（{spec.upper()}）" if spec.max == NEXT_YEAR else spec.max
    if spec.min is None:
        return ""
    if spec.kind == "text":
        return f"{spec.min}–{high} 个字"
    if spec.kind == "int":
        return f"{spec.min}–{high}"
    if high is None:
        return f"至少 {spec.min} 条"
    return f"{spec.min}–{high} 个"


def _values(spec: FieldSpec, library: Library) -> list[str]:
    """What a field may hold, line by line: the taxonomy's values where the taxonomy decides."""
    tax = library.taxonomy
    if spec.name == "city":
        return ["、".join(c.name for c in tax.cities)]
    if spec.name == "district":
        return [f"{c.name}：" + "、".join(d.name for d in c.districts) for c in tax.cities]
    if spec.name == "problem_types":
        return [f"{p.name}（{p.slug}）" for p in tax.problem_types]
    if spec.kind == "status":
        return ["published（数据中只有已发布的案例）"]
    if spec.kind == "date":
        return ["YYYY-MM-DD"]
    if spec.kind == "case_kind":
        return list(CASE_KINDS)
    if spec.kind == "sources":
        return ["每条：标题、发布单位、日期（YYYY、YYYY-MM 或 YYYY-MM-DD）、网址（可无）"]
    return []


def _csv_form(spec: FieldSpec) -> str:
    if spec.kind == "sources":
        return f"各条以“{LIST_SEP}”分隔，每条为“标题{PART_SEP}发布单位{PART_SEP}日期{PART_SEP}网址”"
    if spec.kind == "list":
        return f"各项以“{LIST_SEP}”分隔"
    return ""


def codebook(library: Library) -> list[dict]:
    """Every column of the data files: name, label, type, whether required, allowed values, meaning."""
    rows = [{"name": "id", "label": "编号", "kind": "文字", "required": True, "bounds": "",
             "allowed": ["小写字母、数字和连字符（案例文件名，不含 .md）"], "csv": "",
             "meaning": "案例的编号，也是案例网页地址的一部分"}]
    for spec in FIELDS.values():
        rows.append({"name": spec.name, "label": spec.doc, "kind": KIND_NAMES[spec.kind], "required": spec.required,
                     "bounds": _bounds(spec), "allowed": _values(spec, library), "csv": _csv_form(spec),
                     "meaning": spec.meaning})
    rows.append({"name": "url", "label": "网址", "kind": "文字", "required": True, "bounds": "", "allowed": [],
                 "csv": "", "meaning": "案例网页的地址（网站未设置 site_url 时为相对于网站根目录的地址）"})
    if library.holds_notes:
        rows.append({"name": NOTE_COLUMN, "label": TEACHING_NOTE, "kind": "文字（Markdown）", "required": False,
                     "bounds": "", "allowed": [], "csv": "",
                     "meaning": "教学说明，只在教师版的数据中；案例没有教学说明时为空"})
    return rows


class DataWriter(Writer):
    """data/cases.json and data/cases.csv for one edition (the codebook page is the site writer's)."""

    name = "data"

    def __init__(self, settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(JSON_FILE, "数据文件 cases.json", "the data file cases.json"),
                Claim(CSV_FILE, "数据文件 cases.csv", "the data file cases.csv")]

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        library = library.for_edition(self.edition)
        rows = records(library, getattr(self.settings, "site_url", None))
        write_atomic(out / JSON_FILE, to_json(rows))
        write_atomic(out / CSV_FILE, to_csv(rows, columns(library)))

    def can_update(self, out: Path) -> bool:
        return True  # no state: both files are written again whole, each swapped in by a rename
