"""Class handouts (handbook/handout.py): `pdf --case` and `--sections`, without overviews or the guide."""
from __future__ import annotations

import subprocess

from handbook.pdf.handout import cut_body

from .test_cli import run


def text_of(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def test_cut_body_keeps_the_named_sections_in_order():
    body = "导语\n\n## 背景\n\n甲\n\n### 细节\n\n乙\n\n## 做法\n\n丙\n\n## 成效 ##\n\n丁\n"
    assert cut_body(body, ["成效", "背景"]) == "## 背景\n\n甲\n\n### 细节\n\n乙\n\n## 成效 ##\n\n丁\n"


def test_one_case_handout_and_a_pre_class_reading(project):
    out = run(project, "pdf", "--case", "wuchang-lift", "-o", "one.pdf")
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines()[-1].endswith("one.pdf：1 个案例（案例：武昌老楼加装电梯）(wrote 1 cases)")
    text = text_of(project / "one.pdf")
    assert "武昌老楼加装电梯" in text and "西桥社区月月谈" not in text.replace("\n", "")
    assert "编写指南" not in text and "培训教师指南" not in text  # no appendix
    assert "做法文字" in text
    one = pages(project / "one.pdf")
    assert one <= 7, one  # cover, imprint, contents, chapter head, the case, index (47 before, with the guide)
    out = run(project, "pdf", "--case", "xiqiao-yueyuetan", "wuchang-lift", "--sections", "背景", "-o", "pre.pdf")
    assert out.returncode == 0, out.stderr
    text = text_of(project / "pre.pdf")
    assert "背景文字" in text and "做法文字" not in text and "启示文字" not in text
    assert "小节：背景" in text.replace("\n", "")


def test_unknown_case_or_section_is_a_usage_error(project):
    out = run(project, "pdf", "--case", "wuchang-lif", "--sections", "景")
    assert out.returncode == 2
    assert out.stderr.splitlines()[-2:] == [
        "error: 没有编号为“wuchang-lif”的案例，是否应为 wuchang-lift？（编号就是 cases/ 里的文件名去掉 .md） "
        "(no case 'wuchang-lif'; did you mean wuchang-lift?)",
        "error: 没有“景”这个小节：可选的是 背景、做法、成效、启示 (no section '景': choose from 背景, 做法, 成效, 启示)"]
