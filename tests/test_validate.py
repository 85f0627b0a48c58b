"""Rules against the taxonomy and the other cases, with their messages word for word."""
from __future__ import annotations


import pytest

from handbook.content.cases import load_case
from handbook.content.taxonomy import load_taxonomy
from handbook.content.validate import validate_cases

from .conftest import VALID, case_text


@pytest.fixture
def taxonomy(project):
    tax, problems = load_taxonomy(project / "cases" / "taxonomy.yml")
    assert problems == []
    return tax


def run(project, taxonomy, text, name="xiqiao-yueyuetan.md", others=()):
    path = project / "cases" / name
    case, problems = load_case(path, text.encode())
    assert problems == [], problems
    cases = [case] + [load_case(project / "cases" / f"{o}.md", case_text(title=f"另一个案例{o}").encode())[0]
                      for o in others]  # not a copy of the case under test (that is a duplicate warning)
    return [p.format(project) for p in validate_cases(cases, taxonomy, project / "cases")]


def test_valid_case_passes(project, taxonomy):
    assert run(project, taxonomy, VALID) == []


def test_values_by_name_or_slug(project, taxonomy):
    text = case_text(city="wuhan", district="jianghan").replace("  - 协商议事", "  - deliberation")
    assert run(project, taxonomy, text) == []


def test_unknown_district_word_for_word(project, taxonomy):
    assert run(project, taxonomy, case_text(district="江汉")) == [
        "cases/xiqiao-yueyuetan.md:5: error: 武汉市没有“江汉”这个区。是否应为“江汉区”？如果案例不在武汉市，请把 city 改为案例所在的城市；"
        "如果是武汉市新的区，请先添加到 cases/taxonomy.yml (武汉市 has no district '江汉'. Did you mean '江汉区'? "
        "If the case is in another city, change city; a new district is added to cases/taxonomy.yml)"]


def test_unknown_city(project, taxonomy):
    got = run(project, taxonomy, case_text(city="武汉"))
    assert got == ["cases/xiqiao-yueyuetan.md:4: error: 未知的城市“武汉”。是否应为“武汉市”？新的城市请先添加到 cases/taxonomy.yml "
                   "(unknown city '武汉'. Did you mean '武汉市'? New values are added to cases/taxonomy.yml)"]


def test_district_of_another_city(project, taxonomy):
    got = run(project, taxonomy, case_text(district="鼓楼区"))
    assert got == ["cases/xiqiao-yueyuetan.md:5: error: 鼓楼区属于南京市：请把 city 改为 南京市（现在是 武汉市），或者改正 district "
                   "('鼓楼区' is a district of 南京市: change city to 南京市 (it is 武汉市))"]


def test_unknown_problem_type_names_line_of_entry(project, taxonomy):
    got = run(project, taxonomy, VALID.replace("  - parking", "  - 停车难"))
    assert got[0].startswith("cases/xiqiao-yueyuetan.md:8: error: 未知的问题类型“停车难”")
    assert "Did you mean '停车管理'?" in got[0]


def test_same_type_by_name_and_slug_is_a_repeat(project, taxonomy):
    got = run(project, taxonomy, VALID.replace("  - parking", "  - deliberation"))
    assert "field 'problem_types' repeats" in got[0]


def test_missing_section_is_a_warning(project, taxonomy):
    got = run(project, taxonomy, VALID.replace("## 启示", "## 总结"))
    assert got == ["cases/xiqiao-yueyuetan.md:15: warning: 缺少推荐的小节“## 启示” (recommended section '## 启示' is missing)"]


def test_links_to_cases_and_images(project, taxonomy):
    (project / "cases" / "images").mkdir()
    (project / "cases" / "images" / "a.png").write_bytes(b"png")
    body = "\n见[另一个案例](other-case.md)和[不存在的](nope.md)。\n\n![图](images/a.png)\n![缺](images/b.png)\n"
    got = run(project, taxonomy, VALID + body, others=["other-case"])
    assert got == [
        "cases/xiqiao-yueyuetan.md:31: error: 链接指向不存在的案例“nope.md” (link to a case that does not exist: 'nope.md')",
        "cases/xiqiao-yueyuetan.md:34: error: 图片“images/b.png”不存在（图片应放在 cases/images/ 下） "
        "(image 'images/b.png' does not exist (put images under cases/images/))",
    ]


def test_image_outside_images_dir_is_refused(project, taxonomy):
    got = run(project, taxonomy, VALID + "\n![x](../build.py)\n")
    assert "does not exist" in got[0]


def test_district_of_several_other_cities(project):
    text = (project / "cases" / "taxonomy.yml").read_text(encoding="utf-8") + (
        "  - name: 福州市\n    slug: fuzhou\n    districts:\n      - name: 鼓楼区\n        slug: gulou\n")
    (project / "cases" / "taxonomy.yml").write_text(text, encoding="utf-8")
    tax, problems = load_taxonomy(project / "cases" / "taxonomy.yml")
    assert problems == []
    got = run(project, tax, case_text(district="鼓楼区"))
    assert got == ["cases/xiqiao-yueyuetan.md:5: error: 鼓楼区不在武汉市，而在南京市、福州市：请把 city 改为其中一个，或者改正 district "
                   "('鼓楼区' is not in 武汉市 but in 南京市、福州市: change city to one of them)"]
