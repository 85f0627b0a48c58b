"""`build.py import FILE.docx ...`: Word documents → cases/<id>.md in canonical form, or every problem at once.

Each file is read (reading.py: python-docx and mammoth), its body turned into Markdown
(markdown.py: markdownify), its table into fields (form.py), and the whole written as
canonical.case_text writes it. Before anything is written, the new case files are loaded
and validated in memory with the same code as `check` (cases.load_case, validate.validate_case)
together with the cases already there, and every problem is said in the instructor's terms,
located in the Word file: 案例.docx 表格“区”一行：“汉阳”不在分类表中，是否应为“汉阳区”？
When any file has an error, nothing is written. Writing (saving.py) never overwrites a case
without --replace, keeps the replaced file as cases/<id>.md.bak, and undoes itself if it fails.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..content.canonical import case_text, parse_case_text
from ..content.cases import case_files, load_case
from ..content.problems import MESSAGES
from ..content.schema import FIELDS, ID_RE, SECTIONS, TEACHING_NOTE, suggest
from ..content.taxonomy import Taxonomy
from ..content.validate import validate_case
from . import form
from .markdown import html_to_markdown
from .reading import NotReadable, read

OLD_FORMATS = {".doc": "Word 97-2003（.doc）", ".wps": "WPS 文字（.wps）", ".rtf": "RTF（.rtf）"}
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp"}


@dataclass(frozen=True)
class WordProblem:
    """One problem, located in the Word file as its author sees it (a table row, a heading)."""

    file: str
    where: str  # e.g. 表格“区”一行： (with its colon) or ""
    zh: str
    en: str
    severity: str = "error"

    @property
    def text(self) -> str:
        return f"{self.file} {self.where}{self.zh} ({self.en})"


@dataclass
class Converted:
    source: Path
    case_id: str | None = None
    text: str = ""
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (file name under cases/images/, bytes) to write
    problems: list[WordProblem] = field(default_factory=list)

    def problem(self, where: str, zh: str, en: str, severity: str = "error") -> None:
        self.problems.append(WordProblem(self.source.name, where, zh, en, severity))


def row_where(label: str) -> str:
    return f"表格“{label}”一行："


def docx_files(paths: list[Path]) -> list[Path]:
    """The files named, a folder standing for the Word files in it (~$ lock files left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in (".docx", *OLD_FORMATS)
                            and not p.name.startswith(("~$", ".")))
        else:
            found.append(path)
    return found


@dataclass
class Shelf:
    """What the conversions of one import share: the case folder as it is, read once."""

    cases_dir: Path
    taxonomy: Taxonomy | None
    case_ids: set[str] = field(default_factory=set)
    image_names: dict[str, str] = field(default_factory=dict)  # sha256 of an image under cases/images/ → its name
    taken: set[str] = field(default_factory=set)  # image names given out in this import

    @classmethod
    def of(cls, cases_dir: Path) -> "Shelf":
        from ..content.taxonomy import load_taxonomy

        taxonomy, _ = load_taxonomy(cases_dir / "taxonomy.yml")
        shelf = cls(cases_dir, taxonomy, {p.name[:-3] for p in case_files(cases_dir)})
        folder = cases_dir / "images"
        if folder.is_dir():
            for p in sorted(folder.iterdir()):
                if p.is_file():
                    shelf.image_names.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p.name)
        return shelf


def convert(path: Path, shelf: Shelf, case_id: str | None = None) -> Converted:
    """One Word file → the canonical case text and its images, or its problems (nothing is written here)."""
    out = Converted(path)
    cases_dir, taxonomy = shelf.cases_dir, shelf.taxonomy
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        out.problem("", f"是{OLD_FORMATS[suffix]}文件，请在 Word/WPS 中“另存为 .docx”后再导入",
                    f"a {suffix} file: save it as .docx in Word or WPS first")
        return out
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        out.problem("", "文件不存在", "no such file")
        return out
    except OSError as exc:
        out.problem("", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")
        return out
    try:
        word = read(data)
    except NotReadable as exc:
        out.problem("", exc.zh, exc.en)
        return out
    if word.empty:
        out.problem("", "文档是空的，请在网站下载“案例模板（Word）”填写后再导入",
                    "the document is empty; fill in the Word case template")
        return out
    values, row_id = _table_values(out, word)
    out.case_id = _case_id(out, case_id, row_id)
    image_names = _image_names(out, word.images, shelf)
    body, source_lines = html_to_markdown(word.html, image_names)
    _extra_sources(out, values, source_lines)
    if word.rows is None and word.title_line and "title" not in values:
        values["title"] = word.title_line
    public, note = _split_note(body)
    _check_headings(out, public, note)
    _check_required(out, values, word.rows is None)
    if out.case_id is None:
        return out
    try:
        out.text = case_text(values, public, note)
    except ValueError as exc:  # a value no case can hold: said as the loader would say it
        out.problem("", f"表格中有无法写入案例的内容：{exc}", f"the table holds a value no case can hold: {exc}")
        return out
    _validate(out, shelf)
    return out


# ----------------------------------------------------------------- the field table

def _table_values(out: Converted, word) -> tuple[dict, str | None]:
    values: dict = {}
    row_id = None
    if word.rows is None:
        return values, None
    seen: set[str] = set()
    for row in word.rows:
        if row.label == form.ID_LABEL:
            row_id = "".join(line.strip() for line in row.lines) or None
            continue
        spec = form.field_for_label(row.label)
        if spec is None:
            near = suggest(row.label, [form.label(s) for s in FIELDS.values()])
            hint = f"，是否应为“{near}”？" if near else "，请对照“案例模板（Word）”"
            out.problem(f"表格第 {row.number} 行：", f"“{row.label}”不是手册的字段{hint}",
                        f"'{row.label}' is no field of a case")
            continue
        if spec.name in seen:
            out.problem(row_where(row.label), "这一行出现了两次，请只保留一行", "this row appears twice")
            continue
        seen.add(spec.name)
        try:
            value = form.cell_value(spec, row.lines, row.listed, row.links)
        except form.CellProblem as exc:
            out.problem(row_where(form.label(spec)), exc.zh, exc.en)
            continue
        if value not in (None, "", []):
            values[spec.name] = value
    return values, row_id


def _case_id(out: Converted, given: str | None, row_id: str | None) -> str | None:
    for candidate, where in ((given, "--id："), (row_id, row_where(form.ID_LABEL))):
        if candidate:
            if 3 <= len(candidate) <= 80 and ID_RE.match(candidate):
                return candidate
            out.problem(where, f"编号“{candidate}”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，"
                        "例如 xiqiao-yueyuetan", f"bad case id '{candidate}'")
            return None
    stem = out.source.stem
    if 3 <= len(stem) <= 80 and ID_RE.match(stem):
        return stem
    out.problem(row_where(form.ID_LABEL), "请填写案例编号（也是文件名），例如 xiqiao-yueyuetan；"
                "也可以在命令中用 --id 指定", "no case id: fill in the 编号 row or give --id")
    return None


def _extra_sources(out: Converted, values: dict, lines: list[tuple[str, str | None]]) -> None:
    """Footnotes and a 来源 section that cite sources join the table's sources (once each)."""
    sources = list(values.get("sources") or [])
    known = {(s.get("url") or s["title"]) for s in sources}
    for text, link in lines:
        try:
            source = form.parse_source(text, link)
        except form.CellProblem as exc:
            out.problem("“来源”一节：", exc.zh, exc.en)
            continue
        if (source.get("url") or source["title"]) not in known:
            sources.append(source)
            known.add(source.get("url") or source["title"])
    if sources:
        values["sources"] = sources


# ----------------------------------------------------------------- images

def _image_names(out: Converted, images: list[tuple[str, bytes]], shelf: Shelf) -> list[str]:
    """images/<id>-N.<ext> for each image; one already under cases/images/ with the same bytes keeps its name."""
    folder, existing, taken = shelf.cases_dir / "images", shelf.image_names, shelf.taken
    names = []
    n = 0
    for i, (content_type, data) in enumerate(images, start=1):
        ext = IMAGE_TYPES.get(content_type)
        if ext is None:
            out.problem(f"第 {i} 张图片：", f"格式 {content_type} 网页上无法显示，请在 Word/WPS 中把它另存为 PNG 或 JPG 后重新插入",
                        f"image {i} is {content_type}; insert it as PNG or JPG")
            names.append("")
            continue
        same = existing.get(hashlib.sha256(data).hexdigest())
        if same:
            names.append(f"images/{same}")
            continue
        while True:
            n += 1
            name = f"{out.case_id or 'case'}-{n}.{ext}"
            if name not in taken and not (folder / name).exists():
                break
        taken.add(name)
        out.images.append((name, data))
        names.append(f"images/{name}")
    return names


# ----------------------------------------------------------------- body

def _split_note(body: str) -> tuple[str, str | None]:
    from ..content.cases import split_teaching_note

    public, note, _, _ = split_teaching_note(Path("x.md"), body, 1)
    return (public if public.strip() else ""), note


def _check_headings(out: Converted, public: str, note: str | None) -> None:
    present = {line[3:].strip() for line in public.split("\n") if line.startswith("## ")}
    for section in SECTIONS:
        if section not in present:
            out.problem("", f"缺少“{section}”标题", f"no heading '{section}'")


# ----------------------------------------------------------------- the same checks as `check`

def _check_required(out: Converted, values: dict, no_table: bool) -> None:
    missing = [spec for spec in FIELDS.values() if spec.required and values.get(spec.name) in (None, "", [])]
    if no_table:
        if missing:
            names = "、".join(form.label(s) for s in missing)
            out.problem("", f"没有找到字段表格（字段 | 填写内容），正文已按标题读取，但还缺少：{names}；"
                        "请把这个文档的内容填进“案例模板（Word）”",
                        "no field table: the body was read by its headings, but required fields are missing: "
                        + ", ".join(s.name for s in missing))
        return
    for spec in missing:
        out.problem(row_where(form.label(spec)), "必填，请填写", f"required field '{spec.name}' is empty")


def _validate(out: Converted, shelf: Shelf) -> None:
    path = shelf.cases_dir / f"{out.case_id}.md"
    case, problems = load_case(path, out.text.encode("utf-8"))
    if case is not None and shelf.taxonomy is not None:
        ids = shelf.case_ids | {case.id}
        new_images = {f"images/{name}" for name, _ in out.images}
        problems += [p for p in validate_case(case, shelf.taxonomy, ids, shelf.cases_dir)
                     if not (p.code == "missing-image" and p.params.get("target") in new_images)]
    fields_of_line = {line: key[0] for key, line in (case.lines if case else {}).items()}
    for problem in problems:
        if problem.code in ("missing-section", "teaching-note-missing", "missing-field", "front-matter-not-mapping"):
            continue  # said above in Word terms
        name = str(problem.params.get("field") or fields_of_line.get(problem.line) or "").split("[")[0].split(".")[0]
        where = row_where(form.label(FIELDS[name])) if name in FIELDS else "正文："
        zh, en = _words(problem)
        out.problem(where, zh, en, problem.severity)


def _words(problem) -> tuple[str, str]:
    """A checker's problem in the Word author's terms: the row says which field, so the field's name is left out."""
    p = problem.params
    if problem.code in ("unknown-value", "unknown-district"):
        tail = p["hint"].replace("是否应为", "，是否应为") if p.get("hint") else \
            f"，新的{p.get('kind_zh', '区')}请先添加到 cases/taxonomy.yml"
        return f"“{p['value']}”不在分类表中{tail}", f"'{p['value']}' is not in the taxonomy.{p.get('hint_en', '')}"
    zh, en = MESSAGES[problem.code]
    return zh.format(**p), en.format(**p)


def reads_back(converted: Converted) -> bool:
    """The written text parses to itself (the canonical form), a guard against a serializer slip."""
    return case_text(*parse_case_text(converted.text)) == converted.text


NOTE_HEADING_MD = f"## {TEACHING_NOTE}"
