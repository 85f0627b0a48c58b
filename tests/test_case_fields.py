"""open_questions and case_kind as readers meet them: the case page, the finder's facet, the search record, the book."""
from __future__ import annotations

import re

from handbook.site import search, writer as site
from handbook.config import load_settings
from handbook.pdf.book import book_html
from handbook.pipeline import check

from .conftest import case_text

OPEN = "加装费用在各楼层之间怎样分摊"


def library_with_kinds(project):
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(
        case_text(case_kind="决策案例", open_questions=f"[{OPEN}, 反对的住户后来怎样]"), encoding="utf-8")
    settings = load_settings(project)
    return check(settings).library, settings


def test_case_page_shows_the_kind_and_one_box_of_open_questions_after_the_body(project, tmp_path):
    library, settings = library_with_kinds(project)
    site.write_docs(library, settings, tmp_path)
    page = (tmp_path / "cases" / "xiqiao-yueyuetan.md").read_text(encoding="utf-8")
    assert "<dt>案例类型</dt>" in page and "<dd>决策案例</dd>" in page
    assert page.count('class="hb-open-questions"') == 1 and page.count(OPEN) == 1
    assert page.index('<div class="hb-body">') < page.index("hb-open-questions") < page.index('id="sources"')
    other = (tmp_path / "cases" / "wuchang-lift.md").read_text(encoding="utf-8")
    assert "案例类型" not in other and "hb-open-questions" not in other


def test_finder_has_a_kind_facet_counting_only_kinds_in_use(project, tmp_path):
    library, settings = library_with_kinds(project)
    site.write_docs(library, settings, tmp_path)
    finder = (tmp_path / "cases" / "index.md").read_text(encoding="utf-8")
    facet = re.search(r'<details open class="hb-facet" data-facet="kind">.*?</details>', finder, re.S).group(0)
    assert re.findall(r'value="(\w+)"><span>(\w+)</span><span class="hb-facet__count">(\d+)', facet) == [
        ("decision", "决策案例", "1")]


def test_search_record_filters_by_kind_and_indexes_open_questions(project):
    library, _ = library_with_kinds(project)
    entry = next(e for e in library.entries if e.id == "xiqiao-yueyuetan")
    page = search.record_page(entry, "/cases/xiqiao-yueyuetan/", search.indexed_text(entry, ""))["content"]
    assert '<meta data-pagefind-filter="kind[content]" content="decision">' in page
    assert search.index_text(OPEN).split()[0] in page


def test_book_shows_the_kind_and_the_open_questions(project):
    library, settings = library_with_kinds(project)
    html = book_html(library, settings)
    article = re.search(r'<article class="case" id="case-xiqiao-yueyuetan">.*?</article>', html, re.S).group(0)
    assert '<span class="k">案例类型</span>决策案例' in article
    assert article.index('class="case-body"') < article.index("case-open-questions") < article.index("case-sources")
    assert OPEN in article
