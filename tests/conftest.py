"""Shared fixtures: a small project in a temporary directory, built from the real templates."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

VALID = textwrap.dedent("""\
    ---
    title: 西桥社区月月谈
    summary: 社区每月召集居民围绕小区难题议事，用打分法排出优先事项。
    city: 武汉市
    district: 江汉区
    problem_types:
      - 协商议事
      - parking
    sources:
      - title: 夯实城市治理基层基础
        publisher: 瞭望
        date: "2025-04-28"
    ---

    ## 背景

    背景文字。

    ## 做法

    做法文字。

    ## 成效

    成效文字。

    ## 启示

    启示文字。
    """)

TAXONOMY = textwrap.dedent("""\
    problem_types:
      - name: 加装电梯
        slug: elevator
        description: 老旧小区加装电梯。
      - name: 停车管理
        slug: parking
        description: 停车。
      - name: 协商议事
        slug: deliberation
        description: 议事协商。
    cities:
      - name: 武汉市
        slug: wuhan
        districts:
          - name: 江汉区
            slug: jianghan
          - name: 武昌区
            slug: wuchang
          - name: 全市
            slug: citywide
      - name: 南京市
        slug: nanjing
        districts:
          - name: 鼓楼区
            slug: gulou
    """)


def case_text(**changes) -> str:
    """VALID with front-matter lines replaced: case_text(title="x") or title=None to drop it."""
    lines = VALID.splitlines(keepends=True)
    out = []
    present = set()
    skipping = False
    for line in lines:
        key = line.split(":", 1)[0]
        if skipping and line.startswith("  - "):
            continue
        skipping = False
        if line.startswith("sources:"):
            out += [f"{k}: {v}\n" for k, v in changes.items() if k not in present and v is not None]
        if key in changes and not line.startswith(" "):
            present.add(key)
            skipping = True
            if changes[key] is not None:
                out.append(f"{key}: {changes[key]}\n")
            continue
        out.append(line)
    return "".join(out)


@pytest.fixture
def project(tmp_path) -> Path:
    """A project with the real templates, config and content, and two fixture cases."""
    for name in ("templates", "content"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "handbook").symlink_to(ROOT / "handbook")
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    shutil.copy(ROOT / "cases" / "_template.md", cases / "_template.md")
    (cases / "xiqiao-yueyuetan.md").write_text(VALID, encoding="utf-8")
    (cases / "wuchang-lift.md").write_text(
        case_text(title="武昌老楼加装电梯", district="武昌区", problem_types="[加装电梯]", year="2021"), encoding="utf-8")
    return tmp_path
