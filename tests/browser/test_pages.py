"""Pages as a trainee sees them: offline, without errors, on a phone."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import ARTIFACTS


def visit(watched, url: str) -> None:
    watched.page.goto(url)
    watched.page.wait_for_load_state("networkidle")


def test_every_request_stays_local_and_no_console_error(page, shipped_site):
    _, url = shipped_site
    for path in ("", "cases/xiqiao-yueyuetan/", "problems/elevator/", "districts/wuhan/jianghan/", "problems/",
                 "districts/", "preface/", "guide/", "cases/?q=电梯&type=elevator"):
        visit(page, url + path)
    page.page.wait_for_selector(".hb-finder[data-ready]")
    hosts = {urlparse(u).netloc for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlparse(url).netloc}
    assert page.errors == []


@pytest.mark.parametrize("name,path", [("home", ""), ("case", "cases/xiqiao-yueyuetan/"), ("finder", "cases/"),
                                       ("problem", "problems/property-management/")])
def test_phone_screenshot_and_no_horizontal_overflow(phone, shipped_site, name, path):
    _, url = shipped_site
    visit(phone, url + path)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"))
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} scrolls sideways: {width}px"


def test_case_page_shows_everything_the_file_says(page, shipped_site):
    _, url = shipped_site
    visit(page, url + "cases/xiqiao-yueyuetan/")
    text = page.page.inner_text(".hb-case")
    for part in ("西桥社区", "问题类型", "课堂讨论", "资料来源", "相关案例", "背景", "做法", "成效", "启示"):
        assert part in text
    # problem types link to their index pages, which link back
    page.page.click(".hb-meta a.hb-tag >> nth=0")
    page.page.wait_for_selector(".hb-index")
    assert page.page.locator('a[href$="cases/xiqiao-yueyuetan/"]').count() >= 1


def test_home_matrix_cells_open_the_filtered_finder(page, shipped_site):
    _, url = shipped_site
    visit(page, url)
    cell = page.page.locator(".hb-matrix td a").first
    n = int(cell.inner_text())
    cell.click()
    page.page.wait_for_selector(".hb-finder[data-ready]")
    assert page.page.locator(".hb-results__list li").count() == n


def test_finder_lists_every_case_without_javascript(browser, shipped_site):
    project, url = shipped_site
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(url + "cases/")
    links = p.eval_on_selector_all(".hb-all a", "els => els.map(e => e.getAttribute('href'))")
    context.close()
    n_cases = len([f for f in (project / "site" / "cases").iterdir() if (f / "index.html").exists() and f.name != "images"])
    assert len(links) == n_cases
