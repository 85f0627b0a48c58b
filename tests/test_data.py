"""The library as data: data/cases.csv and data/cases.json hold every published case with every public field,
open in a spreadsheet (BOM) and in a program, and never hold a teaching note outside the instructor edition."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from handbook.content.schema import FIELDS

from .conftest import VALID, case_text, link_project
from .test_cli import run
from .test_editions import CANARY, CANARY_ZH, NOTE, needles

COLUMNS = ["id", *FIELDS, "url"]


def read_csv(path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


@pytest.fixture(scope="module")
def built(tmp_path_factory, warm_cache):
    """The fixture project with a draft besides its two published cases, built without the PDF: once for the
    module's tests that only read what it wrote (a build of it: about 1.5 s of CPU)."""
    project = link_project(tmp_path_factory.mktemp("data-built"), warm_cache)
    (project / "cases" / "draft-case.md").write_text(case_text(title="草稿中的案例标题", status="draft"),
                                                     encoding="utf-8")
    out = run(project, "build", "--no-pdf")
    assert out.returncode == 0, out.stderr
    return project / "site"


def test_csv_opens_with_every_public_field_and_one_row_per_published_case(built):
    data = (built / "data" / "cases.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    names, rows = read_csv(built / "data" / "cases.csv")
    assert names == COLUMNS
    assert sorted(r["id"] for r in rows) == ["wuchang-lift", "xiqiao-yueyuetan"]  # not the draft
    row = next(r for r in rows if r["id"] == "xiqiao-yueyuetan")
    assert row["title"] == "西桥社区月月谈"
    assert row["city"] == "武汉市" and row["district"] == "江汉区"
    assert row["problem_types"] == "协商议事；停车管理"  # taxonomy names, also where the case wrote a slug (parking)
    assert row["sources"] == "夯实城市治理基层基础，瞭望，2025-04-28"
    assert row["status"] == "published" and row["year"] == "" and row["street"] == ""
    assert row["url"] == "cases/xiqiao-yueyuetan/"


def test_json_parses_and_keeps_lists_and_sources(built):
    rows = json.loads((built / "data" / "cases.json").read_text(encoding="utf-8"))
    assert [list(r) for r in rows] == [COLUMNS, COLUMNS]
    row = next(r for r in rows if r["id"] == "xiqiao-yueyuetan")
    assert row["problem_types"] == ["协商议事", "停车管理"]
    assert row["sources"] == [{"title": "夯实城市治理基层基础", "publisher": "瞭望", "date": "2025-04-28", "url": None}]
    assert row["year"] is None and row["mechanisms"] == []
    lift = next(r for r in rows if r["id"] == "wuchang-lift")
    assert lift["year"] == 2021 and lift["district"] == "武昌区"


def test_codebook_page_lists_every_field_the_taxonomy_values_and_links_both_files(built):
    page = (built / "data" / "index.html").read_text(encoding="utf-8")
    for name in COLUMNS:
        assert f'id="field-{name}"><code>{name}</code> ' in page, name
    for name, spec in FIELDS.items():
        block = page.split(f'id="field-{name}"', 1)[1].split("</section>", 1)[0]
        assert spec.doc in block and spec.meaning in block, name
    for value in ("加装电梯（elevator）", "停车管理（parking）", "武汉市、南京市", "武汉市：江汉区、武昌区、全市", "南京市：鼓楼区"):
        assert value in page
    title_block = page.split('id="field-title"', 1)[1].split("</section>", 1)[0]
    assert "<dd>文字，4–60 个字</dd>" in title_block and "<dd>是</dd>" in title_block
    assert 'href="../data/cases.csv"' in page and 'href="../data/cases.json"' in page
    assert "手册中已发布的 2 个案例" in page
    assert "teaching_note" not in page


def test_a_cell_that_starts_like_a_formula_is_defused_in_csv_only(project):
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(
        case_text(mechanisms='["=HYPERLINK(\\"http://x\\")", "@SUM(A1)", "-1"]'), encoding="utf-8")
    assert run(project, "build", "--no-pdf").returncode == 0
    _, rows = read_csv(project / "site" / "data" / "cases.csv")
    row = next(r for r in rows if r["id"] == "xiqiao-yueyuetan")
    assert row["mechanisms"] == "'=HYPERLINK(\"http://x\")；@SUM(A1)；-1"
    rows = json.loads((project / "site" / "data" / "cases.json").read_text(encoding="utf-8"))
    assert next(r for r in rows if r["id"] == "xiqiao-yueyuetan")["mechanisms"] == ['=HYPERLINK("http://x")', "@SUM(A1)", "-1"]


def test_with_a_site_url_the_data_holds_absolute_addresses(project):
    settings = project / "handbook.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "site_url: https://example.org/handbook\n", encoding="utf-8")
    assert run(project, "build", "--no-pdf").returncode == 0
    rows = json.loads((project / "site" / "data" / "cases.json").read_text(encoding="utf-8"))
    assert {r["url"] for r in rows} == {"https://example.org/handbook/cases/xiqiao-yueyuetan/",
                                        "https://example.org/handbook/cases/wuchang-lift/"}


@pytest.fixture
def noted(project):
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(VALID + NOTE, encoding="utf-8")
    return project


def test_teaching_note_is_in_no_trainee_data_file_but_in_the_instructor_data(noted):
    assert run(noted, "build", "--no-pdf").returncode == 0
    for name in ("cases.csv", "cases.json"):
        data = (noted / "site" / "data" / name).read_bytes()
        assert [n for n in needles() if n in data] == [], name
    names, _ = read_csv(noted / "site" / "data" / "cases.csv")
    assert "teaching_note" not in names

    out = run(noted, "build", "--no-pdf", "--edition", "instructor")
    assert out.returncode == 0, out.stderr
    data = noted / "site-instructor" / "data"
    rows = {r["id"]: r for r in json.loads((data / "cases.json").read_text(encoding="utf-8"))}
    assert CANARY in rows["xiqiao-yueyuetan"]["teaching_note"] and CANARY_ZH in rows["xiqiao-yueyuetan"]["teaching_note"]
    assert rows["wuchang-lift"]["teaching_note"] is None
    names, csv_rows = read_csv(data / "cases.csv")
    assert names == [*COLUMNS, "teaching_note"]
    assert CANARY in next(r for r in csv_rows if r["id"] == "xiqiao-yueyuetan")["teaching_note"]
    page = (noted / "site-instructor" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'id="field-teaching_note"' in page and "教师版的数据含教学说明（teaching_note 列），请勿向学员分发。" in page


def test_data_files_are_the_same_bytes_for_the_same_cases(site_without_pdf, project):
    """A build in another folder and process (site_without_pdf's) and one here."""
    first = [(site_without_pdf / "data" / n).read_bytes() for n in ("cases.csv", "cases.json")]
    assert run(project, "build", "--no-pdf").returncode == 0
    assert [(project / "site" / "data" / n).read_bytes() for n in ("cases.csv", "cases.json")] == first
    assert re.match(rb"\[\n\{\"id\": ", first[1])  # one case a line


def test_csv_rows_follow_the_writer_rules():
    from handbook.data.tables import to_csv

    rows = [{"id": "a", "title": "=x", "sources": [{"title": "t", "publisher": "p", "date": "2024", "url": "https://e"}],
             "mechanisms": ["一", "二"], "year": None}]
    text = to_csv(rows, ["id", "title", "sources", "mechanisms", "year"]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["id", "title", "sources", "mechanisms", "year"],
                                                   ["a", "'=x", "t，p，2024，https://e", "一；二", ""]]
