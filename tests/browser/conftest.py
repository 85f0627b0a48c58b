"""A real browser (Debian's chromium driven by Playwright) on a real build of the shipped cases,
served over HTTP under a sub-path, as a reader would get it: with its site_url, and its 404 page for
any missing address, as a static host serves it."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from .site_pages import WIDTHS

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/handbook/"
# --process-per-site: the tabs of one site (every test serves one origin) share a renderer process instead of
# starting one each; measured on the site checks' 38 pages: the renderers' CPU time 52 s -> 38 s, the same findings
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--process-per-site"]
ARTIFACTS = ROOT / "test-artifacts"


def copy_project(dest: Path, with_cases: bool = True) -> Path:
    for name in ("templates", "content"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "cases", dest / "cases") if with_cases else None
    if with_cases and (ROOT / "packs").is_dir():
        shutil.copytree(ROOT / "packs", dest / "packs")
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "handbook").symlink_to(ROOT / "handbook")
    return dest


def build(project: Path, *args: str, env: dict | None = None) -> None:
    out = subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True, timeout=600,
                         env=env)
    assert out.returncode == 0, out.stderr


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX only, like a sub-path on a static host, with its 404.html for a missing page."""

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not self.path.startswith(PREFIX) or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"


def set_site_url(project: Path, url: str) -> None:
    settings = project / "handbook.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"\nsite_url: {url}\n", encoding="utf-8")


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory):
    """The shipped cases, built once per session with the address they are served at (shared by the xdist workers,
    shared_site.py): yields (project dir, base URL). Read only: a test that changes a project builds its own."""
    from .shared_site import shipped_build

    project, url, server = shipped_build(tmp_path_factory)
    yield project, url
    if server is not None and not os.environ.get("PYTEST_XDIST_WORKER"):
        server.terminate()
        server.wait()


@pytest.fixture(scope="module")
def library(shipped_site):
    """The shipped cases' Library, as the shipped site was built from it."""
    from handbook.config import load_settings
    from handbook.pipeline import check

    project, _ = shipped_site
    result = check(load_settings(project))
    assert result.ok
    return result.library


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page that records every request's host and every console error."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


SCREENS = {"desktop": {"viewport": dict(zip(("width", "height"), WIDTHS["desktop"]))},
           "phone": {"viewport": dict(zip(("width", "height"), WIDTHS["phone"])), "device_scale_factor": 1,
                     "is_mobile": True}}
# what a test's pages may leave in an origin's storage, wiped after it: the next test starts as a first visit there.
# local_storage covers the tab's sessionStorage too (measured: a value set there is gone after the wipe).
# The service worker and its caches stay (they hold only what the site published, and every site test serves one
# build per address): a fresh context per test cost 2.3 s of CPU per page, measured, against 0.7 s for a new tab
# in a kept one (an empty HTTP and code cache, a service-worker install and its precache download each time).
LEFT_BY_A_TEST = "cookies,local_storage,indexeddb,websql,file_systems"


@pytest.fixture(scope="session")
def screens(browser):
    """One browser context per kind of screen (SCREENS) for the worker's session, made when first needed."""
    made: dict[str, object] = {}

    def context(screen: str):
        if screen not in made:
            made[screen] = browser.new_context(**SCREENS[screen])
        return made[screen]

    yield context
    for c in made.values():
        c.close()


def wipe(context, tab, requests: list[str]) -> None:
    """What the pages of requests left in their origins' storage, wiped (LEFT_BY_A_TEST), through tab."""
    origins = {f"{u.scheme}://{u.netloc}" for u in map(urlsplit, requests) if u.scheme in ("http", "https")}
    cdp = context.new_cdp_session(tab)
    for origin in sorted(origins):
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": LEFT_BY_A_TEST})
    cdp.detach()
    context.clear_cookies()
    context.clear_permissions()


def fresh_tab(context) -> Iterator[Watched]:
    """A new tab in context; afterwards it is closed and what its pages stored is wiped (LEFT_BY_A_TEST)."""
    watched = Watched(context.new_page())
    yield watched
    tab = watched.page if not watched.page.is_closed() else context.new_page()
    wipe(context, tab, watched.requests)
    tab.close()


def _listeners(tab) -> dict:
    """Every listener on the tab, by event (Playwright's own page object: the public API can only remove a
    listener it is handed, and a test's lambdas are not)."""
    events = tab._impl_obj
    return {name: list(events.raw_listeners(name)) for name in events.event_names()}


def _drop_listeners_since(tab, before: dict) -> None:
    events = tab._impl_obj
    for name in events.event_names():
        for listener in events.raw_listeners(name):
            if listener not in before.get(name, ()):
                events.remove_listener(name, listener)


@pytest.fixture(scope="session")
def kept_tabs(screens):
    """One tab per kind of screen, taken by every test that asks for `page` or `phone` in turn (reused_tab).
    Measured on 24 page loads of the shipped site: a new tab for each cost Chromium 14.2 s of CPU, one tab
    navigated from page to page 9.4 s; the difference is the browser process's work for a new tab."""
    kept: dict[str, object] = {}

    def tab(screen: str):
        if screen not in kept or kept[screen].is_closed():
            kept[screen] = screens(screen).new_page()
        return kept[screen]

    return tab


def reused_tab(kept_tabs, screen: str) -> Iterator[Watched]:
    """The screen's kept tab, as a new tab would be: afterwards it is taken to about:blank (the test's pages
    unloaded, their scripts and timers gone), the listeners the test added are removed, its routes and media
    emulation undone, and what its pages stored is wiped (LEFT_BY_A_TEST). A test that closed it, or a tab
    that cannot be reset, is closed and the next test gets a new one."""
    tab = kept_tabs(screen)
    before = _listeners(tab)
    watched = Watched(tab)
    yield watched
    context = tab.context
    if not tab.is_closed():
        try:
            tab.goto("about:blank")
            _drop_listeners_since(tab, before)
            tab.unroute_all(behavior="ignoreErrors")
            tab.emulate_media(media="null")
            wipe(context, tab, watched.requests)
            return
        except Exception:  # a tab left in a state it cannot be taken out of (a test that failed half-way)
            tab.close()
    fresh = context.new_page()
    wipe(context, fresh, watched.requests)
    fresh.close()


@pytest.fixture
def page(kept_tabs):
    yield from reused_tab(kept_tabs, "desktop")


@pytest.fixture
def phone(kept_tabs):
    yield from reused_tab(kept_tabs, "phone")
