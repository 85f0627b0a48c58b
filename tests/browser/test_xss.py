"""A case full of script payloads: nothing runs, wherever its text lands."""
from __future__ import annotations

import textwrap

import pytest

from ..conftest import link_cache
from .conftest import build, serve
from .desk_server import small_project

MARK = "window.__pwned"
PAYLOAD_CASE = textwrap.dedent("""\
    ---
    title: "攻击测试</script><script>window.__pwned=1</script>"
    summary: "摘要<img src=x onerror=window.__pwned=3>\\"><svg onload=window.__pwned=4>'});window.__pwned=5;//"
    city: 武汉市
    district: 江汉区
    community: "<script>window.__pwned=6</script>社区"
    problem_types: [加装电梯]
    mechanisms: ["\\"><img src=x onerror=window.__pwned=7>", "</title><script>window.__pwned=8</script>"]
    actors: ["<b onmouseover=window.__pwned=9>居民</b>"]
    outcomes: ["<iframe src=javascript:window.top.__pwned=10></iframe>"]
    discussion_questions: ["{{ 7*7 }}<script>window.__pwned=11</script>", "第二题"]
    sources:
      - title: "</a><script>window.__pwned=12</script>"
        publisher: "<img src=x onerror=window.__pwned=13>"
        date: "2024"
    ---

    ## 背景

    <script>window.__pwned=14</script>
    <img src="x" onerror="window.__pwned=15">
    <a href="javascript:window.__pwned=16">点我</a> [链接](javascript:window.__pwned=17)
    <iframe src="javascript:window.top.__pwned=18"></iframe>
    <svg><script>window.__pwned=19</script></svg>
    <div style="background:url(javascript:window.__pwned=20)" onclick="window.__pwned=21">攻击 payload</div>

    ## 做法

    [data](data:text/html,<script>window.__pwned=22</script>) <form action="javascript:window.__pwned=23"><button>提交</button></form>

    ## 成效

    攻击测试。

    ## 启示

    攻击测试。
    """)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, warm_cache):
    """The payload case beside three shipped cases (desk_server.small_project), built whole, PDFs included (the
    pages link them). Not beside all 62: every page visited here is one the payload case is on, and a full build of
    the shipped cases took 54 s of the 69 s this file took; this one is a third of that."""
    project = small_project(tmp_path_factory.mktemp("xss"))
    link_cache(warm_cache, project)  # the fonts and the guide's pages of the book, as after a first build
    (project / "cases" / "xss-payloads.md").write_text(PAYLOAD_CASE, encoding="utf-8")
    build(project)
    server, url = serve(project / "site")
    yield project, url
    server.shutdown()


def assert_clean(page):
    p = page.page
    p.wait_for_timeout(300)
    p.mouse.move(200, 300)
    assert p.evaluate(f"typeof {MARK}") == "undefined"
    bad = p.evaluate("""() => Array.from(document.querySelectorAll('*')).filter(el =>
        Array.from(el.attributes).some(a => a.name.startsWith('on') ||
          (/^(href|src|action|formaction)$/.test(a.name) && /^\\s*(javascript|data):/i.test(a.value))))
        .map(el => el.outerHTML.slice(0, 120))""")
    assert bad == []
    assert page.errors == [] or all("pwned" not in e for e in page.errors)


@pytest.mark.parametrize("path", ["cases/xss-payloads/", "problems/elevator/", "districts/wuhan/jianghan/", "",
                                  "cases/", "cases/?q=攻击测试", "cases/?q=payload&type=elevator"])
def test_no_payload_runs(page, hostile_site, path):
    _, url = hostile_site
    dialogs = []
    page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.page.goto(url + path)
    if path.startswith("cases/") and path != "cases/xss-payloads/":
        page.page.wait_for_selector(".hb-finder[data-ready]")
    assert_clean(page)
    assert dialogs == []


def test_payload_text_is_shown_as_text(page, hostile_site):
    _, url = hostile_site
    page.page.goto(url + "cases/xss-payloads/")
    title = page.page.inner_text(".hb-case h1")
    assert "</script><script>window.__pwned=1</script>" in title
    assert "{{ 7*7 }}" in page.page.inner_text(".hb-questions")


def test_header_search_results_stay_inert(page, hostile_site):
    _, url = hostile_site
    page.page.goto(url)
    page.page.fill(".hb-search__input", "攻击测试")
    page.page.wait_for_selector(".hb-search__hit")
    assert "window.__pwned=1" in page.page.inner_text(".hb-search__results")
    assert_clean(page)
