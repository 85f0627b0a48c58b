"""A pack's mistakes point at their real cause: Chinese commas, a title for an id, a case that is itself broken."""
from __future__ import annotations

from .test_cli import run
from .test_packs import PACK, packed  # noqa: F401 - the fixture


def problem_lines(out, prefix="packs/"):
    return [line for line in out.stderr.splitlines() if line.startswith(prefix)]


def test_chinese_commas_in_a_pack_list(packed):  # noqa: F811
    path = packed / "packs" / "lift-class.yml"
    path.write_text(PACK.replace("cases: [wuchang-lift]", "cases: [wuchang-lift，xiqiao-yueyuetan、wuchang-lif]"),
                    encoding="utf-8")
    out = run(packed, "check")
    assert out.returncode == 1
    assert [line for line in problem_lines(out) if ": error: " in line] == [
        "packs/lift-class.yml:7: error: 字段 cases 的列表用了中文逗号“，”或顿号“、”分隔，请改用英文逗号："
        "[wuchang-lift, xiqiao-yueyuetan, wuchang-lif] (the list of 'cases' is separated by Chinese commas; "
        "use ASCII commas: [wuchang-lift, xiqiao-yueyuetan, wuchang-lif])",
        # the repaired list is checked on: its real mistake is found in the same run, on its line
        "packs/lift-class.yml:7: error: 课程包里的案例“wuchang-lif”不存在，是否应为 wuchang-lift？ "
        "(pack lists a case that does not exist: 'wuchang-lif'; did you mean 'wuchang-lift'?)",
    ]


def test_a_case_title_in_a_pack_names_the_id(packed):  # noqa: F811
    path = packed / "packs" / "lift-class.yml"
    path.write_text(PACK.replace("cases: [wuchang-lift]", "cases: [武昌老楼加装电梯]"), encoding="utf-8")
    out = run(packed, "check")
    assert out.returncode == 1
    assert problem_lines(out) == [
        "packs/lift-class.yml:7: error: “武昌老楼加装电梯”是案例的标题，课程包里要写案例编号：请改为 wuchang-lift "
        "('武昌老楼加装电梯' is a case title; a pack lists case ids: write wuchang-lift)"]


def test_a_broken_case_does_not_cascade_onto_its_packs(packed):  # noqa: F811
    case = packed / "cases" / "wuchang-lift.md"
    case.write_text(case.read_text(encoding="utf-8").replace("title: ", "title: \"", 1), encoding="utf-8")
    out = run(packed, "check")
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert [line for line in lines if ": error: " in line] == [
        "cases/wuchang-lift.md:2: error: 前言信息（YAML）格式错误：while scanning a quoted scalar, found unexpected "
        "end of stream (YAML syntax error: while scanning a quoted scalar, found unexpected end of stream)"]
    assert problem_lines(out) == [
        "packs/lift-class.yml:7: warning: 案例 wuchang-lift 本身有错误，见上方；改好后这个课程包就能使用它 "
        "(case 'wuchang-lift' has errors of its own, see above)",
        "packs/lift-class.yml:14: warning: 案例 wuchang-lift 本身有错误，见上方；改好后这个课程包就能使用它 "
        "(case 'wuchang-lift' has errors of its own, see above)"]
    assert lines.index(problem_lines(out)[0]) > lines.index(next(l for l in lines if l.startswith("cases/")))
