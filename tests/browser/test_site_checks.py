"""The site against the checkers the field trusts, on one page of every kind (site_pages.py) at a phone's
and a desktop's width: axe-core (accessibility, WCAG 2.2 AA), the Nu HTML checker (valid HTML), every
internal link and #anchor, and the finder's layout shift (CLS) while its results arrive.

A finding is accepted only through a baseline file in baselines/, one entry per finding with the reason
it is accepted; an entry that no longer matches anything fails too, so the baselines only shrink.
The checkers are pinned in tests/tools/package.json and installed by `make setup-test`.
Measured on the 40-case site before these checks: axe found 586 elements (528 of them colour contrast),
the Nu checker 148 errors (all the theme's), Lighthouse a CLS of 0.66 on the finder on a phone.
"""
from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

from ..test_links import crawl
from .conftest import ROOT, build, copy_project, serve
from .settle import Requests, settle
from .site_pages import INSTRUCTOR_PAGES, PAGES, WIDTHS

TOOLS = ROOT / "tests" / "tools" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
BASELINES = Path(__file__).resolve().parent / "baselines"
FAILING_IMPACTS = ("serious", "critical")
MAX_CLS = 0.1


def tool(path: Path) -> Path:
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make setup-test`"
    return path


def baseline(name: str) -> list[dict]:
    entries = yaml.safe_load((BASELINES / name).read_text(encoding="utf-8")) or []
    for entry in entries:
        assert str(entry.get("reason") or "").strip(), f"baselines/{name}: an entry without a reason: {entry}"
    return entries


@pytest.fixture(scope="module")
def tabs(browser):
    """One tab per width for the whole module, each in a browser context of its own, made when first needed; each
    check takes its width's tab to its page. A fresh context per page cost a context, a service-worker install and
    its precache download each time (a third of the browser's CPU time on these pages, measured), and a fresh tab
    per page 0.3 s of CPU more than a navigation (0.74 s against 0.45 s, measured). The pages' scripts keep nothing
    per tab that changes what the checks see (the comparison's picks are read from sessionStorage, and no check
    picks; nothing is saved offline)."""
    kept: dict[str, object] = {}

    def tab(width: str):
        if width not in kept:
            w, h = WIDTHS[width]
            phone = width == "phone"
            kept[width] = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1,
                                              is_mobile=phone, has_touch=phone).new_page()
        return kept[width]

    yield tab
    for page in kept.values():
        page.context.close()


def open_page(tabs, url: str, width: str):
    """The width's tab (a touch screen for a phone: no hover, the theme behaves differently there) at url, once
    the page is finished (settle.py), with no script error on the way."""
    page = tabs(width)
    errors: list[str] = []

    def record(error) -> None:
        errors.append(str(error))

    page.on("pageerror", record)
    requests = Requests(page)
    try:
        page.goto(url)
        settle(page, requests)  # loaded, the finder's results and the offline box shown, the network quiet
    finally:
        page.remove_listener("pageerror", record)
        requests.detach()
    assert errors == [], errors
    return page


# --- accessibility -------------------------------------------------------------------------------------------

def _accepted(entry: dict, page_name: str, rule: str, target: str) -> bool:
    return (entry["rule"] == rule and entry.get("page", "*") in ("*", page_name)
            and str(entry.get("target", "")) in target)


class _Cached(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def axe_url():
    """axe-core's script at an address of its own, served with a cache lifetime: each tab keeps it in its HTTP
    and code caches, so putting it into a page costs 0.06-0.08 s instead of 0.13-0.26 s for its 0.5 MB sent
    as text and compiled again on every page (measured on the 19 kinds of page). The same file, so the same rules."""
    axe = tool(AXE)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Cached, directory=str(axe.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{axe.name}"
    server.shutdown()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing_serious(tabs, axe_url, shipped_site, name, width):
    _, url = shipped_site
    axe_check(tabs, axe_url, url, name, PAGES[name], width)


@pytest.fixture(scope="module")
def instructor_site(tmp_path_factory):
    """The instructor edition of the shipped cases: its banner, teaching-note panels and session notes."""
    project = copy_project(tmp_path_factory.mktemp("instructor"))
    build(project, "build", "--no-pdf", "--edition", "instructor")
    server, url = serve(project / "site-instructor")
    yield project, url
    server.shutdown()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", INSTRUCTOR_PAGES)
def test_axe_finds_nothing_serious_in_the_instructor_edition(tabs, axe_url, instructor_site, name, width):
    _, url = instructor_site
    axe_check(tabs, axe_url, url, f"instructor-{name}", PAGES[name], width)


# name → the page's DOM once its scripts ran, kept by the phone-width axe check of the trainee edition for the HTML
# check below (this file runs whole on one worker, in order): one load of each page instead of two, 0.5 s each
PHONE_DOMS: dict[str, str] = {}


def axe_check(tabs, axe_url: str, url: str, name: str, path: str, width: str) -> None:
    accepted = baseline("axe.yml")
    page = open_page(tabs, url + path, width)
    if width == "phone" and name in PAGES:
        PHONE_DOMS[name] = page.content()  # before axe's own script goes in
    page.add_script_tag(url=axe_url)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            if not any(_accepted(e, name, violation["id"], target) for e in accepted):
                found.append(f"{violation['id']} ({violation['impact']}): {target}: {node['failureSummary']}")
    assert found == [], f"{name} at {width} width:\n" + "\n".join(found)


# --- valid HTML ----------------------------------------------------------------------------------------------

def test_html_is_valid(tabs, shipped_site, tmp_path):
    """Every page as built, and every kind of page as the browser holds it once its scripts ran (the finder's
    facets and chips, the theme's additions), through one run of the Nu HTML checker."""
    project, url = shipped_site
    site = project / "site"
    files = [p for p in sorted(site.rglob("*.html")) if "pagefind" not in p.relative_to(site).parts]
    for name, path in PAGES.items():
        if name not in PHONE_DOMS:  # this test run alone
            PHONE_DOMS[name] = open_page(tabs, url + path, "phone").content()
        dom = tmp_path / f"after-scripts-{name}.html"
        dom.write_text(PHONE_DOMS[name], encoding="utf-8")
        files.append(dom)
    # a thread stack the checker's schema needs, and the quick (C1) compiler only: 4.3 s -> 2.8 s on the 119 pages
    java = ["java", "-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    out = subprocess.run([*java, "-jar", str(tool(VNU)), "--format", "json", "--exit-zero-always", *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr)["messages"]
    accepted = baseline("vnu.yml")
    used = [0] * len(accepted)
    errors = []
    for m in messages:
        if m["type"] not in ("error", "non-document-error"):
            continue
        for i, entry in enumerate(accepted):
            if re.search(entry["message"], m["message"]) and entry.get("extract", "") in m.get("extract", ""):
                used[i] += 1
                break
        else:
            where = m.get("url", "").split("/site/")[-1].split("/")[-1] if "after-scripts" in m.get("url", "") \
                else m.get("url", "").split("/site/")[-1]
            errors.append(f"{where}:{m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '').strip()}")
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)
    stale = [e["message"] for e, n in zip(accepted, used) if not n]
    assert stale == [], f"baselines/vnu.yml accepts errors that no longer occur; drop: {stale}"


# --- links ---------------------------------------------------------------------------------------------------

def test_every_internal_link_and_anchor_resolves(shipped_site):
    """The whole shipped site, served under a sub-path with its site_url (the 404 page's links are absolute)."""
    project, url = shipped_site
    from urllib.parse import urlparse

    broken, checked = crawl(project / "site", urlparse(url).path)
    assert broken == []
    assert checked > 1000


# --- the theme's overrides -------------------------------------------------------------------------------

def test_the_theme_overrides_still_apply(shipped_site):
    """templates/theme/main.html extends the theme's header and footer blocks and edits their output (no copied
    partial): the search box goes inside the theme's header bar, the footer's English credit becomes Chinese.
    A theme release that changes that markup fails here rather than losing the box or the translation."""
    project, _ = shipped_site
    for page in ("index.html", "404.html", "cases/xiqiao-yueyuetan/index.html"):
        html = (project / "site" / page).read_text(encoding="utf-8")
        bar = re.search(r'<nav class="md-header__inner.*?</nav>', html, re.S)
        assert bar and 'class="hb-search"' in bar.group(0), page
        assert "Made with" not in html and "本站使用" in html, page


# --- layout shift --------------------------------------------------------------------------------------------

RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    window.__shifts.push({value: e.value, sources: (e.sources || []).map(s => s.node ?
      (s.node.nodeType === 1 ? s.node.tagName + '.' + s.node.className : s.node.nodeName) : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("path", ["cases/", "cases/?q=物业", "cases/?type=parking&district=wuhan/citywide&year=2025"])
def test_finder_does_not_move_while_results_arrive(browser, shipped_site, path, width):
    """The sum of every layout shift (at least the CLS) from the first paint until the results are shown.
    The search index answers late, as on a phone's network, so the page is surely painted before the results."""
    _, url = shipped_site
    w, h = WIDTHS[width]
    phone = width == "phone"
    # a first visit, with no service worker: the site's registers after the load event and then downloads its
    # precache, which moves nothing on this page but took the CPU while it was measured
    context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1, is_mobile=phone,
                                  has_touch=phone, service_workers="block")
    try:
        context.add_init_script(RECORD_SHIFTS)
        context.route("**/pagefind/pagefind.js", lambda route: (time.sleep(0.4), route.continue_()))
        page = context.new_page()
        page.goto(url + path)
        page.wait_for_selector(".hb-finder[data-ready]", timeout=15000)
        page.wait_for_timeout(300)  # the last frame's shifts are reported after it is painted
        shifts = page.evaluate("window.__shifts")
    finally:
        context.close()
    total = sum(s["value"] for s in shifts)
    assert total <= MAX_CLS, f"layout shift {total:.3f} on {path} at {width} width: {shifts}"


# --- the map of cases (handbook/places/cartogram.py) ----------------------------------------------------------

@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", ["home", "districts"])
def test_map_fits_and_its_tiles_lead_to_the_filtered_finder(tabs, shipped_site, library, name, width):
    """The map is on the page, inside the screen at a phone's and a desktop's width; it has a tile link for every
    home district with cases, in order; a tile opens the finder filtered to its district, with its cases."""
    _, url = shipped_site
    home = library.place_groups()[0]
    viewport = WIDTHS[width][0]
    page = open_page(tabs, url + PAGES[name], width)
    box = page.locator(".hb-map__svg").bounding_box()
    assert box and box["width"] > 250 and box["x"] >= 0 and box["x"] + box["width"] <= viewport, box
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    assert "示意图" in page.inner_text(".hb-map__caption")
    hrefs = page.eval_on_selector_all(".hb-map__svg a", "els => els.map(a => a.getAttribute('href'))")
    assert [h.split("?district=")[1] for h in hrefs] == [d.key for d in home.districts]
    assert page.locator(".hb-map__elsewhere li").count() == sum(
        1 for e in library.entries if not e.district.home)
    district = home.districts[-1]
    page.locator(".hb-map__svg a").last.click()
    page.wait_for_selector(".hb-finder[data-ready]", timeout=15000)
    assert page.url.endswith(f"cases/?district={district.key}")
    shown = page.locator(".hb-results__list a.hb-card__title").count()
    assert shown == len(library.by_district[district.key]) > 0


def test_finder_lists_districts_the_way_a_wuhan_reader_looks(tabs, shipped_site, library):
    """Wuhan's districts and zones, then 全市, then 外地 city by city: the Library's one order (places/order.py)."""
    _, url = shipped_site
    page = open_page(tabs, url + PAGES["finder"], "desktop")
    titles = page.eval_on_selector_all('[data-facet="district"] .hb-facet__group-title', "els => els.map(e => e.textContent)")
    values = page.eval_on_selector_all('[data-facet="district"] input', "els => els.map(e => e.value)")
    assert titles == ["武汉市", "全市", "外地"]
    assert values == [d.key for d in library.districts_in_use()]
    assert values[0] == "wuhan/jiangan" and values.index("wuhan/citywide") == len(library.place_groups()[0].districts)
