"""Waiting until a page of the site is finished, by what it does rather than by Playwright's "networkidle".

"networkidle" waits until no request has been open for 500 ms: at least half a second per page, on every one of
the ~80 pages the site checks open. The site's scripts use no timers (templates/site/assets/*.js); what they add to
a page after it has loaded comes from a request or a promise, and each says when it is done:
  - the finder (finder.js): .hb-finder[data-ready] once its results are shown;
  - the home page's "离线保存全部案例" (offline.js): .hb-offline[data-saved] once it has read what is saved,
    or the box hidden when there is nothing to save;
  - the service worker (offline.js, after the load event): html[data-hb-sw] once it is registered, wherever the
    page links the manifest and service workers can run.
So a page is finished when the load event has fired, those markers are there, and no request of the page has
been open for QUIET_MS (a request that an answer starts follows within a task, far sooner)."""
from __future__ import annotations

import time

QUIET_MS = 150
TIMEOUT_S = 30

MARKERS = """() => {
  const finder = document.querySelector('.hb-finder');
  if (finder && !finder.hasAttribute('data-ready')) return false;
  const box = document.querySelector('.hb-offline');
  if (box && !box.hidden && !box.hasAttribute('data-saved')) return false;
  const sw = document.querySelector('link[rel="manifest"]') && 'serviceWorker' in navigator && window.isSecureContext;
  if (sw && !document.documentElement.hasAttribute('data-hb-sw')) return false;
  return true;
}"""


class Requests:
    """The page's requests still open (attach before the page goes anywhere)."""

    def __init__(self, page):
        self.open: set = set()
        self.last = time.monotonic()
        self._page = page
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def detach(self) -> None:
        """Stop listening (a kept tab goes on to other pages)."""
        self._page.remove_listener("request", self._start)
        self._page.remove_listener("requestfinished", self._end)
        self._page.remove_listener("requestfailed", self._end)

    def _start(self, request):
        self.open.add(request)
        self.last = time.monotonic()

    def _end(self, request):
        self.open.discard(request)
        self.last = time.monotonic()


def settle(page, requests: Requests) -> None:
    """Until the page has loaded, its scripts' markers are set and its requests have been quiet for QUIET_MS."""
    page.wait_for_load_state("load")
    page.wait_for_function(MARKERS, timeout=TIMEOUT_S * 1000)
    deadline = time.monotonic() + TIMEOUT_S
    while requests.open or time.monotonic() - requests.last < QUIET_MS / 1000:
        assert time.monotonic() < deadline, f"requests still open after {TIMEOUT_S} s: {[r.url for r in requests.open]}"
        page.wait_for_timeout(QUIET_MS / 3)
