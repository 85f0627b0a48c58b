"""The offline site in a real browser (handbook/offline/): after one visit and "离线保存全部案例", with the network
off, the home page, the finder with search and facets, a case page, a pack page and the offline page work; a
rebuild is offered as "手册已更新，点此刷新" and served whole after it; the two editions never cross caches.

Served over http://127.0.0.1 (a secure context, like HTTPS) with both editions side by side on one origin."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import build, copy_project
from ..conftest import ROOT

TRAINEE, INSTRUCTOR = "/handbook/", "/handbook-teacher/"
LIFT_CASE = "wuhan-jiati-tiaoli-xiuding"


class _Both(http.server.SimpleHTTPRequestHandler):
    """The trainee site under TRAINEE and the instructor site under INSTRUCTOR, on one host and port."""

    sites: dict[str, Path] = {}

    def translate_path(self, path):
        for prefix, folder in self.sites.items():
            if path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path("/" + path[len(prefix):])
        return "/nonexistent"

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")  # a rebuild is seen at once, as the test wants
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory):
    """The shipped cases, both editions (no PDF), served side by side; yields (project, trainee URL, instructor URL)."""
    project = copy_project(tmp_path_factory.mktemp("offline"))
    build(project, "build", "--no-pdf", "--edition", "both")
    handler = type("Handler", (_Both,), {"sites": {TRAINEE: project / "site", INSTRUCTOR: project / "site-instructor"}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(project)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield project, base + TRAINEE, base + INSTRUCTOR
    server.shutdown()


@pytest.fixture(scope="module")
def browser_context(browser):
    """One browser for the module, as one reader's: what a test saved offline is there for the next (the rebuild
    test finds the cases saved by the first instead of saving all 62 again, 8 s, measured)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def context(browser_context):
    """The module's browser, back online after each test."""
    yield browser_context
    browser_context.set_offline(False)


def controlled(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30000)


def save_all(page, url: str) -> None:
    controlled(page, url)
    press_save(page)


def press_save(page) -> None:
    """Press "离线保存全部案例" on the home page, once it has read what is saved, and wait until all is saved."""
    page.wait_for_selector(".hb-offline[data-saved]")
    label = page.inner_text(".hb-offline__save")
    shipped = len([p for p in (ROOT / "cases").glob("*.md") if not p.name.startswith(("_", "."))
                   and "\nstatus: draft\n" not in p.read_text(encoding="utf-8")])
    assert label.startswith(f"离线保存全部案例（{shipped} 个，约 ") and label.endswith(" MB）"), label
    page.click(".hb-offline__save")
    page.wait_for_selector(".hb-offline[data-saved=yes]", timeout=60000)
    assert page.eval_on_selector(".hb-offline__progress", "p => p.value === p.max && p.max > 0")
    assert f"已保存 {shipped} 个案例" in page.inner_text(".hb-offline__status")


def saved(page, url: str) -> None:
    """Every case saved for offline reading: by "离线保存全部案例", unless this browser saved them before."""
    controlled(page, url)
    page.wait_for_selector(".hb-offline[data-saved]")
    if page.get_attribute(".hb-offline", "data-saved") != "yes":
        press_save(page)


def cache_names(page) -> list[str]:
    return page.evaluate("caches.keys()")


def test_after_save_all_everything_works_offline(context, offline_site):
    _, url, _ = offline_site
    page = context.new_page()
    save_all(page, url)
    context.set_offline(True)
    page.goto(url)
    assert page.inner_text("h1") == "社区治理案例手册"
    page.goto(f"{url}cases/?q=加装电梯&type=elevator")
    page.wait_for_selector(".hb-finder[data-ready]", timeout=15000)
    shown = [urlparse(h).path.rstrip("/").rsplit("/", 1)[-1]
             for h in page.eval_on_selector_all(".hb-results__list a.hb-card__title", "els => els.map(e => e.href)")]
    assert LIFT_CASE in shown and len(shown) >= 5
    assert page.is_checked('.hb-facet input[name=type][value=elevator]')
    counts = page.eval_on_selector_all('[data-facet="district"] .hb-facet__count', "els => els.map(e => +e.textContent)")
    assert sum(counts) == len(shown) if len(shown) < 20 else sum(counts) >= 20
    page.goto(f"{url}cases/{LIFT_CASE}/")
    assert "加装电梯" in page.inner_text("h1")
    page.goto(f"{url}packs/jiazhuang-dianti/")
    assert page.query_selector(".md-content h1") is not None
    response = page.goto(f"{url}guide/")  # a chapter: neither precached nor saved
    assert page.inner_text("h1") == "现在没有网络"
    assert urlparse(page.url).path == urlparse(url).path + "offline/"
    assert "/guide/" in page.inner_text(".hb-offline-page__from")
    assert response is not None


def test_editions_side_by_side_never_cross_caches(context, offline_site):
    _, trainee, instructor = offline_site
    page = context.new_page()
    controlled(page, trainee)
    controlled(page, instructor)
    page.goto(f"{instructor}cases/{LIFT_CASE}/")  # read (and so kept) online in both editions
    page.goto(f"{trainee}cases/{LIFT_CASE}/")
    names = cache_names(page)
    assert {n.split("-")[1] for n in names} == {"trainee", "instructor"}
    for name in names:
        urls = page.evaluate("n => caches.open(n).then(c => c.keys()).then(ks => ks.map(r => r.url))", name)
        own = trainee if name.startswith("handbook-trainee-") else instructor
        assert urls and all(u.startswith(own) for u in urls), name
    context.set_offline(True)
    page.goto(f"{trainee}cases/{LIFT_CASE}/")
    assert page.query_selector("#teaching-note") is None
    page.goto(f"{instructor}cases/{LIFT_CASE}/")
    assert page.query_selector("#teaching-note") is not None


def test_a_rebuild_is_offered_and_served_whole(context, offline_site):
    """Last in the file: it leaves the project's trainee site rebuilt with an edited title."""
    project, url, _ = offline_site
    page = context.new_page()
    saved(page, url)
    old = [n for n in cache_names(page) if n.startswith("handbook-trainee-")]
    case = project / "cases" / f"{LIFT_CASE}.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("title: 武汉修订加装电梯条例", "title: 武汉新修订加装电梯条例", 1), encoding="utf-8")
    try:
        build(project, "build", "--no-pdf")
        page.goto(f"{url}cases/{LIFT_CASE}/")
        page.wait_for_selector(".hb-update", timeout=60000)
        assert page.inner_text(".hb-update") == "手册已更新，点此刷新"
        with page.expect_navigation():
            page.click(".hb-update")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        assert page.inner_text("h1").startswith("武汉新修订加装电梯条例")
        new = [n for n in cache_names(page) if n.startswith("handbook-trainee-")]
        assert new and not set(new) & set(old)  # the old build's caches are gone, not mixed in
        assert len({n.split("-")[2] for n in new}) == 1
        context.set_offline(True)  # the saved cases were saved again from the new build
        page.goto(f"{url}cases/{LIFT_CASE}/")
        assert page.inner_text("h1").startswith("武汉新修订加装电梯条例")
    finally:  # the site stays the rebuilt one: this test comes last in the file (which runs whole, in order)
        case.write_text(text, encoding="utf-8")
