"""`build.py new --city`, and a district of one other city setting that city (雨花区 → 长沙市)."""
from __future__ import annotations

from .test_cli import run


def test_a_district_of_one_city_sets_the_city(project):
    out = run(project, "new", "gulou-yishi", "--district", "鼓楼区")
    assert out.returncode == 0, out.stderr
    text = (project / "cases" / "gulou-yishi.md").read_text(encoding="utf-8")
    assert "\ncity: 南京市\n" in text and "\ndistrict: 鼓楼区\n" in text


def test_city_is_written_as_given(project):
    out = run(project, "new", "nanjing-yishi", "--city", "南京市")
    assert out.returncode == 0, out.stderr
    assert "\ncity: 南京市\n" in (project / "cases" / "nanjing-yishi.md").read_text(encoding="utf-8")


def test_a_district_of_the_default_city_keeps_it(project):
    out = run(project, "new", "jianghan-yishi", "--district", "江汉区")
    assert out.returncode == 0, out.stderr
    text = (project / "cases" / "jianghan-yishi.md").read_text(encoding="utf-8")
    assert "\ncity: 武汉市\n" in text and "\ndistrict: 江汉区\n" in text
