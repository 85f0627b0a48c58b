"""Word documents for the tests, made as an instructor makes them (python-docx), and LibreOffice re-saves."""
from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.shared import Pt

GOOD_ROWS = [
    ("编号", ["hanyang-tingche"]),
    ("标题", ["汉阳某社区错峰停车"]),
    ("摘要", ["社区与周边单位协商错峰共享车位，缓解夜间“停车难”。"]),
    ("城市", ["武汉市"]),
    ("区", ["江汉区"]),
    ("问题类型", ["停车管理、协商议事"]),
    ("做法标签", ["错峰停车；共享车位"]),
    ("年份", ["2024年"]),
    ("来源", ["社区停车有了新办法，长江日报，2024年1月2日，https://example.org/a"]),
    ("讨论题", ["单位为什么愿意让出车位？", "收费怎样定才公平？"]),
]
GOOD_BODY = [
    ("h1", "背景"), ("p", "小区建于上世纪90年代，车位只有“几十个”。"),
    ("h1", "做法"), ("bullet", "社区先摸底。"), ("bullet", "再找单位协商。"),
    ("h1", "成效"), ("p", "夜间停车难缓解。"),
    ("h1", "启示"), ("p", "共享需要规则。"),
]


def make_docx(path: Path, rows=GOOD_ROWS, body=GOOD_BODY, header: bool = True) -> Path:
    """A document with a field table (rows of label, value lines) and body blocks (kind, text)."""
    document = docx.Document()
    if rows is not None:
        table = document.add_table(rows=len(rows) + (1 if header else 0), cols=2)
        if header:
            table.cell(0, 0).text, table.cell(0, 1).text = "字段", "填写内容"
        for r, (label, lines) in enumerate(rows, start=1 if header else 0):
            table.cell(r, 0).text = label
            cell = table.cell(r, 1)
            for i, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                paragraph.add_run(line)
    for kind, text in body:
        if kind == "h1":
            document.add_heading(text, level=1)
        elif kind == "h2":
            document.add_heading(text, level=2)
        elif kind == "bold":  # a "heading" made bold by hand
            run = document.add_paragraph().add_run(text)
            run.bold = True
            run.font.size = Pt(14)
        elif kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            document.add_paragraph(text, style="List Number")
        else:
            document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


@functools.cache
def _profile() -> Path:
    """A LibreOffice profile of this test process's own, made by its first re-save and kept for the next ones
    (the tests of one process run one at a time): 1.1 s a re-save instead of 1.6 s with a new one, measured."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    atexit.register(shutil.rmtree, profile, True)
    return profile


def resave(paths: list[Path], out_dir: Path) -> list[Path]:
    """Each .docx opened and saved again as .docx by LibreOffice headless, with a private profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-writer-nogui) is installed by scripts/setup.sh --test"
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{_profile()}", "--convert-to", "docx",
                    "--outdir", str(out_dir), *map(str, paths)], check=True, capture_output=True, timeout=300)
    results = [out_dir / f"{p.stem}.docx" for p in paths]
    assert all(p.is_file() for p in results)
    return results
