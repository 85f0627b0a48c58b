"""Putting imported cases in place without losing anything.

All files are converted and checked first (importer.convert); only when none has an error
is anything written. Then every new file is written beside its target and renamed into
place; a case that is replaced is first kept as cases/<id>.md.bak (or .bak2, … when that
name is taken), and the message says how to restore it. If any step fails, every step done
so far is undone, so cases/ and cases/images/ are exactly as they were.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..outputs.atomic import write_atomic
from .importer import Converted, Shelf, WordProblem, convert, docx_files


@dataclass
class Saved:
    case_id: str
    path: Path
    backup: Path | None = None
    unchanged: bool = False
    images: list[Path] = field(default_factory=list)


@dataclass
class ImportResult:
    problems: list[WordProblem]
    saved: list[Saved]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def import_files(cases_dir: Path, paths: list[Path], case_id: str | None = None, replace: bool = False,
                 on_file: Callable[[], None] = lambda: None) -> ImportResult:
    """Convert every file, then write all of them or none."""
    files = docx_files(paths)
    problems: list[WordProblem] = []
    if not files:
        return ImportResult([WordProblem(", ".join(p.name for p in paths) or "（无）", "",
                                         "这里没有 .docx 文件", "no .docx file here")], [])
    shelf = Shelf.of(cases_dir)
    converted: list[Converted] = []
    by_id: dict[str, Converted] = {}
    for path in files:
        out = convert(path, shelf, case_id)
        if out.case_id is not None:
            clash = by_id.get(out.case_id)
            if clash is not None:
                out.problem("", f"与 {clash.source.name} 的编号都是“{out.case_id}”，请给其中一个换一个编号",
                            f"the same case id '{out.case_id}' as {clash.source.name}")
            by_id[out.case_id] = out
            existing = _existing(cases_dir, out.case_id)
            if existing is not None and not replace:
                out.problem("", f"cases/{existing.name} 已经存在；要用这个 Word 文件替换它，请加 --replace"
                            f"（原文件会保存为 cases/{existing.name}.bak）",
                            f"cases/{existing.name} exists; add --replace to replace it (the old file is kept as .bak)")
        problems += out.problems
        converted.append(out)
        on_file()
    if any(p.severity == "error" for p in problems):
        return ImportResult(problems, [])
    return ImportResult(problems, _write_all(cases_dir, converted))


def _existing(cases_dir: Path, case_id: str) -> Path | None:
    """The case file with this id, compared as `check` compares ids (case-insensitive)."""
    target = f"{case_id}.md".lower()
    return next((p for p in cases_dir.glob("*.md") if p.name.lower() == target), None)


def _write_all(cases_dir: Path, converted: list[Converted]) -> list[Saved]:
    undo: list = []
    saved: list[Saved] = []
    try:
        for out in converted:
            saved.append(_write_one(cases_dir, out, undo))
    except BaseException:
        for step in reversed(undo):
            try:
                step()
            except OSError:
                pass
        raise
    return saved


def _write_one(cases_dir: Path, out: Converted, undo: list) -> Saved:
    images = cases_dir / "images"
    written_images = []
    for name, data in out.images:
        if not images.is_dir():
            images.mkdir()
            undo.append(images.rmdir)
        target = images / name
        _put(target, data)
        undo.append(target.unlink)
        written_images.append(target)
    target = cases_dir / f"{out.case_id}.md"
    existing = _existing(cases_dir, out.case_id)
    data = out.text.encode("utf-8")
    if existing is not None and existing.read_bytes() == data:
        return Saved(out.case_id, existing, unchanged=True, images=written_images)
    backup = None
    if existing is not None:
        backup = _free_backup(existing)
        shutil.copy2(existing, backup)
        undo.append(backup.unlink)
        if existing.name != target.name:  # the same id in other letters (Foo.md): the new file takes its place
            existing.unlink()
            undo.append(lambda e=existing, b=backup: os.link(b, e))
    previous = target.read_bytes() if target.exists() else None
    _put(target, data)
    undo.append((lambda t=target, d=previous: _put(t, d)) if previous is not None else target.unlink)
    return Saved(out.case_id, target, backup, images=written_images)


def _free_backup(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak{n}")
    return candidate


def _put(target: Path, data: bytes) -> None:
    write_atomic(target, data)
