"""The way back: export-docx then import --replace gives the byte-identical case file.

Over every shipped case (in process), through the command line, after a LibreOffice
re-save, and as a hypothesis property over generated cases.
"""
from __future__ import annotations

import difflib
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from handbook.content.canonical import case_text
from handbook.content.schema import FIELDS
from handbook.word.exporter import export_bytes
from handbook.word.importer import Shelf, convert

from .test_cli import run, tree_digest
from .word_helpers import resave

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
SHIPPED = sorted(p for p in CASES.glob("*.md") if not p.name.startswith(("_", ".")))


def _diff(a: str, b: str) -> str:
    return "".join(list(difflib.unified_diff(a.splitlines(True), b.splitlines(True)))[:40])


def test_every_shipped_case_comes_back_byte_identical(tmp_path, capsys):
    shelf = Shelf.of(CASES)
    exported = imported = 0.0
    for path in SHIPPED:
        start = time.perf_counter()
        docx_file = tmp_path / f"{path.stem}.docx"
        docx_file.write_bytes(export_bytes(path, CASES))
        exported += time.perf_counter() - start
        start = time.perf_counter()
        out = convert(docx_file, shelf)
        imported += time.perf_counter() - start
        assert not out.problems, [p.text for p in out.problems]
        original = path.read_text(encoding="utf-8")
        assert out.text == original, f"{path.name}\n{_diff(original, out.text)}"
    with capsys.disabled():
        print(f"\n{len(SHIPPED)} cases: export {exported:.1f} s, import {imported:.1f} s, all byte-identical")
    assert len(SHIPPED) >= 54


def test_round_trip_through_the_command_line_changes_nothing(tmp_path):
    project = tmp_path / "p"
    for name in ("templates", "content", "cases"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, project / name)
    (project / "handbook").symlink_to(ROOT / "handbook")
    before = tree_digest(project / "cases")
    out = run(project, "export-docx", "wuhan-minhu-woying", "-o", "修改稿.docx")
    assert out.returncode == 0, out.stderr
    assert "已导出" in out.stderr and (project / "修改稿.docx").is_file()
    out = run(project, "export-docx", "wuhan-minhu-woying", "-o", "修改稿.docx")
    assert out.returncode == 2 and "已经存在；要覆盖它，请加 --replace" in out.stderr
    out = run(project, "import", "修改稿.docx", "--replace")
    assert out.returncode == 0, out.stderr
    assert "cases/wuhan-minhu-woying.md 没有变化 (cases/wuhan-minhu-woying.md is unchanged)" in out.stderr
    assert tree_digest(project / "cases") == before  # no backup either: nothing changed


def test_libreoffice_resaved_exports_import_identically(tmp_path):
    chosen = [CASES / f"{name}.md" for name in
              ("wuhan-minhu-woying", "xiqiao-yueyuetan", "jiangcheng-xiaomifeng", "wuhan-jiati-tiaoli-xiuding")]
    files = []
    for path in chosen:
        files.append(tmp_path / "word" / f"{path.stem}.docx")
        files[-1].parent.mkdir(exist_ok=True)
        files[-1].write_bytes(export_bytes(path, CASES))
    shelf = Shelf.of(CASES)
    for path, again in zip(chosen, resave(files, tmp_path / "resaved")):
        assert again.read_bytes() != (tmp_path / "word" / again.name).read_bytes()  # LibreOffice wrote its own file
        out = convert(again, shelf)
        assert not out.problems, [p.text for p in out.problems]
        original = path.read_text(encoding="utf-8")
        assert out.text == original, _diff(original, out.text)


# ----------------------------------------------------------------- generated cases

_HAN = "社区居民议事加装电梯停车物业街道党委协商共治改造楼栋"
# a Chinese phrase that starts with a character, not punctuation (drawn that way, not filtered: many fields draw one)
_han = st.tuples(st.sampled_from(list(_HAN)), st.text(st.sampled_from(list(_HAN) + list("“”：；、（）《》—")),
                                                      max_size=11)).map("".join)
_word = st.text(st.sampled_from(list("社区居民议事加装电梯停车物业") + list("abcXYZ0123")), min_size=1, max_size=8)
_sentence = st.lists(_han, min_size=1, max_size=3).map("，".join).map(lambda s: s + "。")


@st.composite
def _inline(draw):
    parts = [draw(_sentence)]
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["bold", "italic", "link", "code", "plain"]))
        word = draw(_word)
        parts.append({"bold": f"**{word}**", "italic": f"*{word}*", "link": f"[{word}](xiqiao-yueyuetan.md)",
                      "code": f"`{word}`", "plain": word}[kind])
        parts.append(draw(_sentence))
    return "".join(parts)


@st.composite
def _section_blocks(draw):
    """A paragraph, then maybe a list and a paragraph (two lists side by side would be one list in Markdown)."""
    blocks = [draw(_inline())]
    kind = draw(st.sampled_from(["", "ul", "ol"]))
    if kind:
        items = draw(st.lists(_inline(), min_size=1, max_size=4))
        blocks.append("\n".join(("- " if kind == "ul" else f"{i}. ") + item for i, item in enumerate(items, start=1)))
        if draw(st.booleans()):
            blocks.append(draw(_inline()))
    return blocks


def _section(name: str, level: str = "##"):
    return _section_blocks().map(lambda blocks: f"{level} {name}\n\n" + "\n\n".join(blocks))


_body = st.tuples(*(_section(name) for name in ("背景", "做法", "成效", "启示"))).map("\n\n".join)
_note = st.one_of(st.none(), st.tuples(_section("教学目标", "###"), _section("分析要点", "###")).map("\n\n".join))
_source = st.fixed_dictionaries(
    {"title": st.lists(_han, min_size=1, max_size=2).map(",".join), "publisher": _word,
     "date": st.sampled_from(["2021", "2021-07", "2021-07-05"])},
    optional={"url": st.sampled_from(["https://example.org/a?b=1", "http://news.example.cn/2021/x.html"])})


def _value(spec):
    if spec.kind == "int":
        return st.integers(1949, 2026)
    if spec.kind == "date":
        return st.sampled_from(["2024-05-01", "2026-01-15"])
    if spec.kind == "sources":
        return st.lists(_source, min_size=1, max_size=3)
    if spec.kind == "status":
        return st.sampled_from(["published", "draft"])
    if spec.kind == "case_kind":
        return st.sampled_from(["决策案例", "经验材料"])
    if spec.kind == "list":
        return st.lists(_han, min_size=1, max_size=4, unique=True)
    return _han


_values = st.fixed_dictionaries({"city": st.just("武汉市"), "district": st.sampled_from(["江汉区", "全市"]),
                                 "problem_types": st.just(["停车管理"])},
                                optional={name: _value(spec) for name, spec in FIELDS.items()
                                          if name not in ("city", "district", "problem_types")})


# no shrinking: one example costs a Word file written and read; a failure prints its case as generated
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(values=_values, body=_body, note=_note)
def test_generated_cases_come_back_byte_identical(tmp_path_factory, values, body, note):
    folder = tmp_path_factory.mktemp("gen")
    (folder / "cases").mkdir()
    shutil.copy(CASES / "taxonomy.yml", folder / "cases" / "taxonomy.yml")
    (folder / "cases" / "xiqiao-yueyuetan.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    original = case_text(values, body, note)
    case_file = folder / "cases" / "gen-case.md"
    case_file.write_text(original, encoding="utf-8")
    docx_file = folder / "gen-case.docx"
    docx_file.write_bytes(export_bytes(case_file, folder / "cases"))
    out = convert(docx_file, Shelf.of(folder / "cases"))
    assert out.text == original, _diff(original, out.text) + str([p.text for p in out.problems])


@pytest.mark.parametrize("line", ["一事一评、以下评上", "甲，乙；丙"])
def test_a_single_list_item_with_separators_stays_one_item(tmp_path, line):
    case_file = tmp_path / "cases" / "one-item.md"
    case_file.parent.mkdir()
    shutil.copy(CASES / "taxonomy.yml", case_file.parent / "taxonomy.yml")
    original = case_text({"title": "一个做法标签的案例", "mechanisms": [line]}, "## 背景\n\n文字。\n")
    case_file.write_text(original, encoding="utf-8")
    (tmp_path / "one-item.docx").write_bytes(export_bytes(case_file, case_file.parent))
    assert convert(tmp_path / "one-item.docx", Shelf.of(case_file.parent)).text == original


RICH_BODY = """## 背景

文字。

| 时段 | 车位 |
| --- | --- |
| 夜间 | **30** |

![停车场](images/pic.png)

## 做法

1. 一
2. 二
    - 甲
    - 乙
3. 三
4. 三

> 引用一段话。

行一  
行二

## 成效

- 甲
    1. 子
- 乙

## 启示

文字 a\\_b 和 5 \\* 3。
"""


def test_tables_images_nested_lists_quotes_and_breaks_come_back(tmp_path):
    from .word_fodt import png

    cases = tmp_path / "cases"
    (cases / "images").mkdir(parents=True)
    shutil.copy(CASES / "taxonomy.yml", cases / "taxonomy.yml")
    (cases / "images" / "pic.png").write_bytes(png())
    original = case_text({"title": "表格图片的案例"}, RICH_BODY, "### 教学目标\n\n目标。\n")
    (cases / "rich-case.md").write_text(original, encoding="utf-8")
    exported = tmp_path / "rich-case.docx"
    exported.write_bytes(export_bytes(cases / "rich-case.md", cases))
    (resaved,) = resave([exported], tmp_path / "lo")
    for docx_file in (exported, resaved):
        out = convert(docx_file, Shelf.of(cases))
        assert out.text == original, _diff(original, out.text)
        assert out.images == []  # the picture is the one under cases/images/: no copy is made
