"""No heading a person would read as the teaching note can publish its text to trainees."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from handbook.content.teaching_note import split_teaching_note

from .conftest import VALID
from .test_cli import run

PATH = Path("cases/x.md")
SECRET = "只给教师看的分析要点甲乙丙"

NOTE_NAMES = ["教学说明", "教学建议", "教学提示", "教学参考", "教学笔记", "教学设计", "授课说明", "授课建议", "教师用",
              "教师版说明", "教学目标", "课前准备", "课堂安排", "分析要点"]
SPACES = ["", " ", "  ", "\u3000", "\t", " \u3000"]
SUFFIXES = ["", "：", ":", "。", "（教师用）", "(教师用)", "【仅教师】", "（仅供教师，学员版不显示）", "：供授课参考", " #", " ##"]
PREFIXES = ["", "一、", "七、", "1. ", "【", "（"]


@st.composite
def near_miss_heading(draw) -> list[str]:
    """A heading (as the lines it takes) that reads as the teaching note but is not exactly '## 教学说明'."""
    name = draw(st.sampled_from(NOTE_NAMES))
    text = draw(st.sampled_from(PREFIXES)) + name + draw(st.sampled_from(SUFFIXES))
    form = draw(st.sampled_from(["atx", "setext", "bold", "html", "alone"]))
    if form == "atx":
        hashes = draw(st.sampled_from(["#", "＃"])) * draw(st.integers(1, 6))
        lines = [hashes + draw(st.sampled_from(SPACES)) + text]
    elif form == "setext":
        lines = [text, draw(st.sampled_from(["===", "---", "--------"]))]
    elif form == "bold":
        lines = [f"**{text}**"]
    elif form == "html":
        lines = [f"<h{draw(st.integers(1, 6))}>{text}</h{draw(st.integers(1, 6))}>"]
    else:
        lines = [text]
    if lines == ["## 教学说明"]:
        lines = ["### 教学说明"]
    return lines


@settings(max_examples=400, deadline=None)
@given(heading=near_miss_heading(), with_real_note=st.booleans())
def test_a_near_miss_heading_is_an_error_on_its_own_line(heading, with_real_note):
    body_lines = ["## 背景", "", "背景的文字。", ""]
    if with_real_note:
        body_lines += ["## 启示", "", "启示的文字。", ""]
    at = len(body_lines)
    body_lines += heading + ["", SECRET, ""]
    if with_real_note:
        body_lines += ["## 教学说明", "", "### 教学目标", "", "真正的说明。", ""]
    public, note, _, problems = split_teaching_note(PATH, "\n".join(body_lines), 10)
    codes = [(p.code, p.line) for p in problems]
    assert codes and codes[0][1] == 10 + at, (heading, codes)
    assert codes[0][0] in ("teaching-note-heading", "teaching-note-part-outside")


@settings(max_examples=200, deadline=None)
@given(heading=near_miss_heading())
def test_a_near_miss_heading_ending_the_real_note_is_an_error_too(heading):
    """`## 教学建议` after the note would end it and make what follows public."""
    body = "\n".join(["## 背景", "", "文字。", "", "## 教学说明", "", "说明。", ""] + heading + ["", SECRET, ""])
    public, note, _, problems = split_teaching_note(PATH, body, 1)
    if SECRET in public:
        assert problems, heading


@settings(max_examples=200, deadline=None)
@given(extra=st.sampled_from(["", "\n### 教学目标\n\n目标。\n", "\n## 教学说明\n\n又一节。\n"]))
def test_the_exact_heading_is_the_note_and_never_public(extra):
    body = f"## 背景\n\n文字。\n\n## 教学说明\n\n{SECRET}\n{extra}\n## 启示\n\n公开。\n"
    public, note, line, problems = split_teaching_note(PATH, body, 1)
    assert SECRET not in public and SECRET in note and "公开。" in public
    assert line == 6


def test_ordinary_headings_and_sentences_pass():
    body = ("## 背景\n\n社区请来退休教师讲课。\n\n## 做法\n\n### 教师志愿者\n\n教学楼旁的空地改成了车位。\n\n"
            "## 成效\n\n教学说明会由街道召开。\n\n## 启示\n\n**关键**\n\n### 后续进展\n\n后来加装了电梯。\n")
    public, note, _, problems = split_teaching_note(PATH, body, 1)
    assert problems == [] and note is None and public == body


def test_build_stops_and_trainee_site_never_gets_the_text(project):
    case = project / "cases" / "xiqiao-yueyuetan.md"
    case.write_text(VALID + f"\n## 教学说明（教师用）\n\n{SECRET}\n", encoding="utf-8")
    out = run(project, "build", "--no-pdf")
    assert out.returncode == 1
    line = VALID.count("\n") + 2
    assert (f"cases/xiqiao-yueyuetan.md:{line}: error: “## 教学说明（教师用）”看起来是教学说明的标题，但写法不对："
            f"请写成“## 教学说明”（两个井号、一个空格），否则这段内容会被学员看到 ('## 教学说明（教师用）' looks like a "
            f"teaching-note heading: write it exactly '## 教学说明', or trainees will see it)") in out.stderr
    site = project / "site"
    assert not site.exists() or not any(SECRET.encode() in p.read_bytes() for p in site.rglob("*") if p.is_file())


def test_a_note_part_outside_the_note_is_named(project):
    case = project / "cases" / "xiqiao-yueyuetan.md"
    case.write_text(VALID + f"\n### 分析要点\n\n{SECRET}\n", encoding="utf-8")
    out = run(project, "check")
    line = VALID.count("\n") + 2
    assert out.returncode == 1
    assert (f"cases/xiqiao-yueyuetan.md:{line}: error: “### 分析要点”是教学说明里的小标题，但它不在“## 教学说明”一节里："
            f"请把它移到“## 教学说明”下面，否则这段内容会被学员看到 ('### 分析要点' is a teaching-note sub-heading outside "
            f"the '## 教学说明' section: move it under '## 教学说明', or trainees will see it)") in out.stderr
