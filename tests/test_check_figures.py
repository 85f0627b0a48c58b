"""scripts/check_figures.py: every figure of a case must occur in its sources."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_figures.py"

_spec = importlib.util.spec_from_file_location("check_figures", SCRIPT)
cf = importlib.util.module_from_spec(_spec)
sys.modules["check_figures"] = cf
_spec.loader.exec_module(cf)

CASE = textwrap.dedent("""\
    ---
    title: 某小区加装电梯
    summary: 一栋 6 层 12 户的楼，10 户同意加装电梯，2 户反对。
    city: 武汉市
    district: 江汉区
    year: 2023
    problem_types:
      - 加装电梯
    sources:
      - title: 老小区1楼住户反对加装电梯
        publisher: 红星新闻
        date: "2025-10-31"
        url: https://www.163.com/dy/article/KD7HOFBU051492T3.html
    status: published
    updated: 2026-01-15
    ---

    ## 背景

    这栋楼共 6 层 12 户，2 至 6 楼的 10 户同意，1 楼的 2 户反对。

    ## 做法

    社区先后组织了 3 次协商。

    ## 成效

    一审判决支持加装。
    """)

SOURCE = "西昌某小区一个单元6层12户。2楼至6楼的10户业主申请加装电梯，1楼2户反对。2023年6月8日投票。社区组织了3次协商。"


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return name


def run(tmp_path, monkeypatch, capsys, case: str, *sources: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "cases/x.md", case)
    names = [write(tmp_path, f"src{i}.txt", s) for i, s in enumerate(sources)]
    code = cf.main(["cases/x.md", *names])
    return code, capsys.readouterr().out.splitlines()


def missing(case_body: str, *sources: str) -> list[str]:
    """The texts of the missing figures of a case whose body is case_body."""
    case = "---\ntitle: 测试案例\n---\n\n" + textwrap.dedent(case_body)
    return [f.text for f in cf.missing_figures(case, list(sources))]


# ---------------------------------------------------------------- the command

def test_all_found_exits_0(tmp_path, monkeypatch, capsys):
    code, out = run(tmp_path, monkeypatch, capsys, CASE, SOURCE)
    assert code == 0
    assert out == ["cases/x.md：13 个数字都能在来源中找到（all 13 figures found in the sources）"]


def test_missing_figure_is_reported_with_its_line(tmp_path, monkeypatch, capsys):
    case = CASE.replace("先后组织了 3 次协商", "先后组织了 5 次协商，花了 1.5 万元")
    code, out = run(tmp_path, monkeypatch, capsys, case, SOURCE)
    assert code == 1
    assert out == [
        "cases/x.md:24: 来源中找不到数字 5 (figure 5 not found in the sources)",
        "cases/x.md:24: 来源中找不到数字 1.5 万 (figure 1.5 万 not found in the sources)",
        "cases/x.md：14 个数字中有 2 个在来源中找不到（2 of 14 figures not found in the sources）",
    ]


def test_year_is_checked_but_dates_and_urls_are_not(tmp_path, monkeypatch, capsys):
    case = CASE.replace("year: 2023", "year: 2024")
    code, out = run(tmp_path, monkeypatch, capsys, case, SOURCE)
    assert code == 1
    assert out[0] == "cases/x.md:6: 来源中找不到数字 2024 (figure 2024 not found in the sources)"
    assert len(out) == 2        # the date:, updated: and url: values are not figures


def test_several_sources_count_together(tmp_path, monkeypatch, capsys):
    first, second = SOURCE[:40], SOURCE[40:]
    code, out = run(tmp_path, monkeypatch, capsys, CASE, first, second)
    assert code == 0, out


def test_missing_file_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "cases/x.md", CASE)
    assert cf.main(["cases/x.md", "nope.txt"]) == 2
    assert capsys.readouterr().err == "error: 找不到文件 nope.txt (no such file: nope.txt)\n"


def test_cli_runs_as_a_script(tmp_path):
    write(tmp_path, "cases/x.md", CASE.replace("3 次", "4 次"))
    write(tmp_path, "s.txt", SOURCE)
    r = subprocess.run([sys.executable, str(SCRIPT), "cases/x.md", "s.txt"], cwd=tmp_path,
                       capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 1
    assert r.stdout.splitlines()[0] == "cases/x.md:24: 来源中找不到数字 4 (figure 4 not found in the sources)"


def test_bom_and_crlf_case(tmp_path, monkeypatch, capsys):
    case = "\ufeff" + CASE.replace("3 次", "7 次").replace("\n", "\r\n")
    code, out = run(tmp_path, monkeypatch, capsys, case, SOURCE)
    assert code == 1
    assert out[0] == "cases/x.md:24: 来源中找不到数字 7 (figure 7 not found in the sources)"


# ---------------------------------------------------------------- what a figure is, what matches

def test_fullwidth_digits_and_thousands_separators_on_both_sides():
    assert missing("共 1,000 户，１２０ 名，3,500 元\n", "一千户？不，是1000户；120名；3500元") == []
    assert missing("共 1000 户\n", "共１，０００户") == []
    assert missing("共 1000 户\n", "共1,000户") == []
    assert missing("共 １０００ 户\n", "共1000户") == []
    assert missing("3，168 户\n", "3栋168户") == []       # a Chinese comma after ASCII digits separates


def test_multipliers_compare_by_value():
    assert missing("筹得 17 万元\n", "筹集170,000元") == []
    assert missing("筹得 170000 元\n", "筹集17万元") == []
    assert missing("GDP 1.6 万亿元\n", "超过1.6万亿元") == []
    assert missing("筹得 17 万元\n", "筹集17元") == ["17 万"]


def test_percentages_need_percentages():
    assert missing("赞成率 82%\n", "以82％通过") == []
    assert missing("赞成率 82%\n", "82户赞成") == ["82%"]
    assert missing("赞成率 82%\n", "百分之八十二的业主赞成") == []


def test_decimals():
    assert missing("化解率 98.6%\n", "提升至98.6%") == []
    assert missing("化解率 98.6%\n", "提升至98%，6个") == ["98.6%"]


def test_ranges():
    assert missing("2–6 楼\n", "2至6楼") == []
    assert missing("2–6 楼\n", "2楼和6楼") == []            # both ends occur
    assert missing("2–7 楼\n", "2楼和6楼") == ["2–7"]
    assert missing("工作日 8:30–17:00\n", "工作日8:30至17:00") == []
    assert missing("工作日 8:30–18:00\n", "工作日8:30至17:00") == ["8:30–18:00"]


def test_dates_in_the_body_are_numbers_not_ranges():
    assert missing("2023-06-08 投票\n", "2023年6月8日投票") == []
    assert missing("2023-06-09 投票\n", "2023年6月8日投票") == ["09"]


def test_chinese_numerals_in_the_source():
    assert missing("15 名楼栋党小组长，168 户，2023 年，2 万人\n", "十五名组长，一百六十八户，二〇二三年，两万人") == []
    assert cf.chinese_value("一千零五") == 1005
    assert cf.chinese_value("十") == 10
    assert cf.chinese_value("万") is None


def test_urls_links_file_names_ids_and_code_are_not_figures():
    body = ("见[另一个案例](jianghanbeilu-18hao-hongse-wuye.md)、![图](images/lift-2.png)、"
            "<https://example.com/2024/7>、https://x.cn/a/99.html、`build.py check --step 3`、"
            "cases/qingheju-2018.md、编号 KD7HOFBU051492T3\n")
    assert missing(body, "没有数字") == []


def test_ordered_list_markers_are_not_figures():
    assert missing("1. 第一步\n2. 第二步\n10) 第十步\n", "没有数字") == []


def test_teaching_note_logistics_are_skipped_but_facts_are_checked():
    body = """\
        ## 做法

        做法。

        ## 教学说明

        ### 课堂安排

        1. 阅读背景（10 分钟）
        2. 分 4 组讨论第 2 题（15～25 分钟），报道说有 12 户。
        3. 小结（1 小时）；另有 13 户。
        """
    assert missing(body, "12户") == ["13"]


def test_minutes_outside_the_teaching_note_are_checked():
    assert missing("## 做法\n\n步行 10 分钟\n", "没有") == ["10"]


def test_each_missing_figure_once_per_line():
    assert missing("5 户，又是 5 户\n6 户\n5 户\n", "没有") == ["5", "6", "5"]


# ---------------------------------------------------------------- properties of the extractor

_FW = str.maketrans("0123456789", "０１２３４５６７８９")
_CONTEXT = st.sampled_from(["共", "有", "户，", "名居民", "。", "的", " ", "约", "（", "）"])
_MULTS = {"": 1, "万": 10 ** 4, "亿": 10 ** 8}


def _grouped(n: int) -> str:
    return f"{n:,}"


@st.composite
def written_numbers(draw):
    """(text as a case or a news report might write it, the value it stands for, percentage?)"""
    whole = draw(st.integers(min_value=0, max_value=10 ** 9))
    frac = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=999)))
    text = _grouped(whole) if draw(st.booleans()) and whole >= 1000 else str(whole)
    value = Decimal(whole)
    if frac is not None:
        frac_text = str(frac).rjust(draw(st.integers(min_value=len(str(frac)), max_value=4)), "0")
        text += "." + frac_text
        value = Decimal(f"{whole}.{frac_text}")
    if draw(st.booleans()):
        text = text.translate(_FW)
        text = text.replace(",", "，")      # full-width digits, full-width separators
    mult = draw(st.sampled_from(sorted(_MULTS)))
    pct = draw(st.booleans()) and not mult
    text += mult + ("%" if pct else "")
    return text, value * _MULTS[mult], pct


@given(written_numbers(), _CONTEXT, st.sampled_from(["户", "名", "。", "，", "个", "元", ""]))
@settings(max_examples=300)
def test_extracted_numbers_round_trip(number, before, after):
    text, value, pct = number
    figures = cf.figures_in_line(f"{before}{text}{after}")
    assert len(figures) == 1
    f = figures[0]
    assert f.keys == ((("p" if pct else "n"), value),)
    # the figure's text, read again, means the same
    again = cf.figures_in_line(f.text)
    assert [g.key for g in again] == [f.key]


@given(st.integers(min_value=0, max_value=10 ** 6), st.integers(min_value=0, max_value=10 ** 6),
       st.sampled_from(["–", "至", "～", "到", "—"]))
def test_ranges_round_trip(a, b, sep):
    figures = cf.figures_in_line(f"共{a}{sep}{b}户")
    assert [f.key for f in figures] == [("r", ("n", Decimal(a)), ("n", Decimal(b)))]


@given(st.text(alphabet="0123456789０１２３４５６７８９.,，%％万至–户名年月 \n", max_size=60))
@settings(max_examples=300)
def test_a_text_is_its_own_source(body):
    """Whatever a case says, the same words as a source leave no figure missing."""
    assert missing(body, body) == []


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n):
    digits = "零一二三四五六七八九"

    def spell(n: int) -> str:
        if n >= 10 ** 4:
            high, low = divmod(n, 10 ** 4)
            rest = spell(low) if low else ""
            return spell(high) + "万" + ("零" if 0 < low < 1000 else "") + rest
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, n = divmod(n, unit)
            if d:
                out += ("零" if zero and out else "") + digits[d] + name
                zero = False
            else:
                zero = True
        return out

    assert cf.chinese_value(spell(n)) == n
