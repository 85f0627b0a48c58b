"""`build.py export-docx ID [-o FILE]`: a case back into the Word template, teaching note included.

The case file is read as text (canonical.parse_case_text), not as a checked Case, so that
what goes into Word is exactly what the file says; the document is the template's layout
(template.case_document) with the values in the table and the body under its headings.
Importing the exported file with --replace gives back the same bytes
(tests/test_word_roundtrip.py, over every shipped case and generated ones).
"""
from __future__ import annotations

from pathlib import Path

from ..content.canonical import parse_case_text
from ..errors import HandbookError, UsageError
from ..content.schema import ID_RE
from ..outputs.atomic import write_atomic
from .template import case_document, document_bytes


class ExportError(HandbookError):
    """The case cannot be exported; the message says why, in both languages."""


def export_bytes(case_file: Path, cases_dir: Path) -> bytes:
    """The .docx of one case file."""
    try:
        text = case_file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"找不到案例 {case_file.name}（no case {case_file.stem}）") from None
    except UnicodeDecodeError:
        raise ExportError(f"{case_file.name} 不是 UTF-8 编码，请先运行 python build.py check "
                          f"({case_file.name} is not UTF-8)") from None
    try:
        values, body, note = parse_case_text(text)
    except Exception:  # noqa: BLE001 - any unreadable front matter: check says where
        raise ExportError(f"{case_file.name} 的前言信息无法读取，请先运行 python build.py check 修正 "
                          f"(the front matter of {case_file.name} cannot be read; run check)") from None
    return document_bytes(case_document(values, case_file.stem, body, note, cases_dir))


def export_docx(cases_dir: Path, case_id: str, target: Path, replace: bool = False) -> Path:
    """Write the case's .docx to target (atomically); refuse to overwrite a file without replace."""
    if not ID_RE.match(case_id):
        raise UsageError(f"编号“{case_id}”不符合规则 (bad case id '{case_id}')")
    case_file = cases_dir / f"{case_id}.md"
    if not case_file.is_file():
        known = sorted(p.stem for p in cases_dir.glob("*.md") if not p.name.startswith(("_", ".")))
        from ..content.schema import suggest
        near = suggest(case_id, known)
        hint = f"，是否应为 {near}？" if near else ""
        raise UsageError(f"没有案例 cases/{case_id}.md{hint} (no case '{case_id}')")
    if target.exists() and not replace:
        raise UsageError(f"{target} 已经存在；要覆盖它，请加 --replace，或用 -o 指定另一个文件 "
                         f"({target} exists; add --replace or choose another file with -o)")
    data = export_bytes(case_file, cases_dir)
    write_atomic(target, data)
    return target
