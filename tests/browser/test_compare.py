"""The comparison in a browser: a pack's table and compare/?cases= at a phone's and a desktop's width
(no column lost: the table scrolls inside its region, the page never sideways), and the finder's
"加入比较" boxes opening a shareable address for 2–4 cases."""
from __future__ import annotations

import urllib.request

import pytest

from .site_pages import WIDTHS

PACK = "packs/wuye-yu-zizhi/"
THREE = ["yichang-caitao-pingceng-jiati", "gongshu-liushuiyuan-gongxiang-dianti", "putuo-lanyuan-guanguang-dianti"]


def open_at(browser, url: str, width: str):
    """A first visit at this width, with no service worker: the comparison has nothing offline to it, and the
    site's worker downloads its precache after the load event, which networkidle then waited for (2 s of CPU a
    visit, measured)."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=width == "phone",
                                  has_touch=width == "phone", service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, errors


def table_shape(page) -> dict:
    return page.evaluate("""() => {
      const region = document.querySelector('.hb-compare');
      const heads = [...region.querySelectorAll('thead th')];
      return {columns: heads.length, heads: heads.map(th => th.textContent),
              rows: [...region.querySelectorAll('tbody th')].map(th => th.textContent),
              scroll: region.scrollWidth, client: region.clientWidth,
              lastRight: heads[heads.length - 1].getBoundingClientRect().right - region.getBoundingClientRect().left
                         + region.scrollLeft,
              pageScroll: document.scrollingElement.scrollWidth, viewport: innerWidth,
              focusable: region.tabIndex === 0};
    }""")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_pack_page_sets_its_cases_side_by_side_and_loses_no_column(shipped_site, browser, width):
    project, url = shipped_site
    context, page, errors = open_at(browser, url + PACK, width)
    shape = table_shape(page)
    assert shape["columns"] == 1 + 7  # 项目 + the pack's seven cases
    assert shape["rows"] == ["问题", "做法", "参与方", "成效"]
    assert shape["pageScroll"] <= shape["viewport"] + 1  # the page itself never scrolls sideways
    assert shape["lastRight"] <= shape["scroll"] + 1  # the last column is inside the region's scroll area
    if width == "phone":
        assert shape["scroll"] > shape["client"] and shape["focusable"]  # scrolls, and by keyboard too
    assert errors == []
    context.close()


def test_the_pack_page_links_the_kit_with_sizes_and_every_file_is_there(shipped_site, browser):
    project, url = shipped_site
    context, page, _ = open_at(browser, url + "packs/jiazhuang-dianti/", "desktop")
    items = page.eval_on_selector_all(".hb-kit li", "els => els.map(li => [li.querySelector('a').href, li.textContent])")
    assert [href.rsplit("/", 1)[1] for href, _ in items] == [
        "jiazhuang-dianti.pptx", "jiazhuang-dianti-reading.pdf", "jiazhuang-dianti-worksheet.pdf", "jiazhuang-dianti.pdf"]
    for href, text in items:
        assert "KB" in text or "MB" in text
        with urllib.request.urlopen(href) as response:
            assert response.status == 200 and len(response.read()) > 10_000
    context.close()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_ticking_cases_in_the_finder_opens_a_shareable_comparison(shipped_site, browser, width):
    project, url = shipped_site
    context, page, errors = open_at(browser, url + "cases/?q=加装电梯", width)
    page.wait_for_selector(".hb-finder[data-ready]", timeout=15000)
    page.wait_for_selector(".hb-results__list .hb-pick input")
    boxes = page.locator(".hb-results__list .hb-pick input")
    assert boxes.count() >= 5
    assert page.locator(".hb-compare-tray").is_hidden()
    for i in range(4):
        boxes.nth(i).check()
    assert boxes.nth(4).is_disabled()  # at most four
    boxes.nth(3).uncheck()
    ids = [boxes.nth(i).get_attribute("value") for i in range(3)]
    go = page.locator(".hb-compare-tray__go")
    assert go.get_attribute("href").endswith("compare/?cases=" + ",".join(ids))
    go.click()
    page.wait_for_selector(".hb-compare table")
    shape = table_shape(page)
    assert shape["columns"] == 4 and shape["pageScroll"] <= shape["viewport"] + 1
    shared = page.url
    context.close()
    # the address alone, in a fresh browser, gives the same table
    context, page, errors2 = open_at(browser, shared, width)
    page.wait_for_selector(".hb-compare table")
    assert table_shape(page)["columns"] == 4
    assert errors == errors2 == []
    context.close()


def test_a_comparison_of_fewer_than_two_known_cases_says_so(shipped_site, browser):
    project, url = shipped_site
    context, page, _ = open_at(browser, url + f"compare/?cases={THREE[0]},no-such-case,<script>", "desktop")
    page.wait_for_function("document.querySelector('.hb-compare-page__status').textContent.includes('至少需要 2 个')")
    assert "no-such-case" in page.text_content(".hb-compare-page__status")
    assert page.locator(".hb-compare table").count() == 0
    context.close()
