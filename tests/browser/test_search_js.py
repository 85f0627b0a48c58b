"""Index-time and query-time segmentation agree: Python (handbook/site/search.py) and the browser (search.js)."""
from __future__ import annotations

from pathlib import Path

from handbook.site.search import to_pairs, token

SEARCH_JS = Path(__file__).resolve().parents[2] / "templates" / "site" / "assets" / "search.js"
SAMPLES = ["老旧小区加装电梯", "531打分法", "红色物业 ABC-def", "测", "“月月谈”：居民议事", "", "Ünïcode 居民 x1"]


def test_browser_segments_like_the_indexer(browser):
    page = browser.new_page()
    page.route("http://handbook.test/**", lambda route: route.fulfill(body="<html><body></body></html>",
                                                                       content_type="text/html"))
    page.goto("http://handbook.test/")
    page.add_script_tag(content=SEARCH_JS.read_text(encoding="utf-8"))
    for text in SAMPLES:
        js = page.evaluate("t => hbSearch.toPairs(t).map(hbSearch.token)", text)
        assert js == [token(w) for w in to_pairs(text)], text
    page.close()
