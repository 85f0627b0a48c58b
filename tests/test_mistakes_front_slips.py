"""Keyboard slips in front matter (handbook/mistakes/front_slips.py), over generated front matter (hypothesis).

Each property starts from front matter written correctly, types one slip into one line
(a full-width colon after a field name, a full-width-space indent, Chinese commas in a
flow list) and checks that exactly that line is reported with that code, and that the
repaired text reads as the correct one did. Correct text, including values and block
scalars that hold `：`, `，` and full-width spaces, is left as it is with no slip reported.
"""
from __future__ import annotations

import yaml
from hypothesis import given, settings, strategies as st

from handbook.content.cases import load_case
from handbook.mistakes.front_slips import repair

from .conftest import VALID

KEYS = ["title", "summary", "city", "district", "mechanisms", "actors", "outcomes"]
WORD = st.text(alphabet="社区居民议事协商停车电梯物业楼栋改造志愿服务", min_size=2, max_size=8)
TEXT = st.lists(WORD, min_size=1, max_size=3).map(lambda ws: "：".join(ws) if len(ws) > 1 else ws[0])


@st.composite
def front_matter(draw):
    """(lines, data): correct front matter of scalars, block lists and flow lists, and what it reads as."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=2, max_size=6, unique=True))
    lines, data = [], {}
    for key in keys:
        shape = draw(st.sampled_from(["scalar", "block", "flow", "literal"]))
        if shape == "scalar":
            value = draw(TEXT)
            lines.append(f"{key}: {value}")
            data[key] = value
        elif shape == "literal":  # the author's own paragraph, indented the Chinese way inside the block
            value = draw(TEXT)
            lines += [f"{key}: |", f"  　　{value}，{value}", f"  {value}"]
            data[key] = f"　　{value}，{value}\n{value}\n"
        else:
            items = draw(st.lists(WORD, min_size=1, max_size=4, unique=True))
            lines += [f"{key}:"] + [f"  - {i}" for i in items] if shape == "block" else [f"{key}: [{', '.join(items)}]"]
            data[key] = items
    return lines, data


def read(text: str):
    return yaml.safe_load(text)


@settings(max_examples=150, deadline=None)
@given(front_matter())
def test_correct_front_matter_is_left_alone(generated):
    lines, data = generated
    text = "\n".join(lines) + "\n"
    assert read(text) == data
    assert repair(text) == (text, [])


@settings(max_examples=150, deadline=None)
@given(front_matter(), st.data())
def test_fullwidth_colon_is_found_on_its_line(generated, data):
    lines, expected = generated
    keyed = [i for i, line in enumerate(lines) if line.split(":", 1)[0] in KEYS]
    i = data.draw(st.sampled_from(keyed))
    key = lines[i].split(":", 1)[0]
    rest = lines[i][len(key) + 1:].lstrip(" ")
    lines = lines[:i] + [f"{key}{data.draw(st.sampled_from(['：', ' ：', '： ', '：  ']))}{rest}"] + lines[i + 1:]
    fixed, slips = repair("\n".join(lines) + "\n")
    assert [(s.line, s.code, s.params) for s in slips] == [(i, "fullwidth-colon", {"field": key})]
    assert read(fixed) == expected


@settings(max_examples=150, deadline=None)
@given(front_matter(), st.data())
def test_fullwidth_indent_is_found_on_its_line(generated, data):
    lines, expected = generated
    items = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    if not items:
        return
    i = data.draw(st.sampled_from(items))
    indent = data.draw(st.sampled_from(["　", "　  ", "  　"]))  # each full-width space is read as two
    lines = lines[:i] + [indent + lines[i][2:]] + lines[i + 1:]
    fixed, slips = repair("\n".join(lines) + "\n")
    assert [(s.line, s.code) for s in slips] == [(i, "fullwidth-indent")]
    if indent == "　":  # the indent meant; a deeper one is still reported, and may read differently
        assert read(fixed) == expected


@settings(max_examples=150, deadline=None)
@given(front_matter(), st.data())
def test_chinese_commas_in_a_flow_list_are_found_on_their_line(generated, data):
    lines, expected = generated
    flows = [i for i, line in enumerate(lines) if line.endswith("]") and ", " in line]
    if not flows:
        return
    i = data.draw(st.sampled_from(flows))
    comma = data.draw(st.sampled_from(["，", "、", "， ", " ，"]))
    lines = lines[:i] + [lines[i].replace(", ", comma)] + lines[i + 1:]
    fixed, slips = repair("\n".join(lines) + "\n")
    key = lines[i].split(":", 1)[0]
    assert [(s.line, s.code, s.params["field"]) for s in slips] == [(i, "chinese-comma-list", key)]
    assert read(fixed) == expected


def test_the_rest_of_a_slipped_file_is_still_checked(tmp_path):
    """A slip does not hide the file's other mistakes: both are reported in one run, each at its line."""
    path = tmp_path / "xiqiao-yueyuetan.md"
    path.write_text(VALID.replace("title: ", "title：", 1).replace("city: 武汉市", "city: 武汉市\nyear: 1800"),
                    encoding="utf-8")
    case, problems = load_case(path)
    assert case is not None and case.title == "西桥社区月月谈"
    assert [(p.line, p.code) for p in problems] == [(2, "fullwidth-colon"), (5, "out-of-range")]
