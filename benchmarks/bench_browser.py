"""The site in a real browser: the finder's first cards, a search keystroke to results, what a visit transfers.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import statistics
import threading
import time
from pathlib import Path

from measure import CHROMIUM, CHROMIUM_ARGS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(site: Path):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# ms from the input event to the first cards shown (data-first) and to the whole first step of 20 (data-ready)
KEYSTROKE_JS = """term => new Promise(resolve => {
    const input = document.getElementById('hb-q'), f = document.querySelector('.hb-finder');
    const before = [f.dataset.first, f.dataset.ready]; const t0 = performance.now(); let first = null;
    new MutationObserver(() => {
        if (first === null && f.dataset.first !== before[0]) first = performance.now() - t0;
        if (f.dataset.ready !== before[1]) resolve([first === null ? performance.now() - t0 : first, performance.now() - t0]);
    }).observe(f, {attributes: true});
    input.value = term; input.dispatchEvent(new Event('input'));
})"""


# tells the benchmark when the finder first shows cards, to count the bytes fetched before that
FIRST_CARDS_JS = """new MutationObserver((records, obs) => {
    if (document.querySelector('.hb-finder[data-first]')) { window.__hbFirstCards(); obs.disconnect(); }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-first']});"""


COMPRESSED = (".gz", ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".png", ".jpg", ".woff2", ".wasm")


def _kind(path: str) -> str:
    """A label for what a fetched file is, to show where the finder's bytes go."""
    name = path.rsplit("/", 1)[-1]
    if "/pagefind/" in path:
        for ext in ("pf_fragment", "pf_index", "pf_meta", "pf_filter", "wasm", "js"):
            if ext in name:
                return f"pagefind {ext}"
        return "pagefind other"
    if "/assets/javascripts/" in path:
        return "theme js"
    if "/assets/stylesheets/" in path:
        return "theme css"
    if path.endswith(".js"):
        return "site js"
    if path.endswith(".css"):
        return "site css"
    if path.endswith("/") or path.endswith(".html"):
        return "html"
    return "other"


def measure_browser(site: Path, query: str = "物业") -> dict:
    """Bytes fetched until the finder shows its first result for ?q=query; keystroke → results ms."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    server, url = serve_dir(site)
    res: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # 1. cold load of the finder with a query, bytes until the first result
                ctx = browser.new_context()
                page = ctx.new_page()
                finished: list = []
                problems: list = []
                page.on("requestfinished", lambda req: finished.append(req))
                page.on("requestfailed", lambda req: problems.append(f"failed {req.url}: {req.failure}"))
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
                first_seen: list[int] = []  # how many requests had finished when the first cards appeared
                page.expose_function("__hbFirstCards", lambda: first_seen.append(len(finished)))
                page.add_init_script(FIRST_CARDS_JS)
                t0 = time.perf_counter()
                page.goto(f"{url}cases/?q={quote(query)}")
                try:
                    page.wait_for_selector(".hb-finder[data-first]", timeout=120_000)
                except Exception as exc:
                    status = page.eval_on_selector(".hb-results__status", "e => e.textContent") \
                        if page.query_selector(".hb-results__status") else ""
                    raise RuntimeError(f"finder not ready after 120 s ({len(finished)} requests finished; "
                                       f"status {status!r}; {problems[:5]}): {exc}") from None
                res["load_to_ready_s"] = time.perf_counter() - t0
                # only what had arrived when the first cards appeared (the rest of the step follows them)
                cut = first_seen[0] if first_seen else len(finished)
                snapshot = finished[:cut]
                raw = gz = 0
                kinds: dict[str, int] = {}
                for req in snapshot:
                    try:
                        sizes = req.sizes()
                        body = sizes["responseBodySize"]
                        head = sizes["responseHeadersSize"]
                    except Exception:
                        body = head = 0
                    raw += max(body, 0) + max(head, 0)
                    path = req.url.split("?")[0]
                    kind = _kind(path)
                    kinds[kind] = kinds.get(kind, 0) + max(body, 0) + max(head, 0)
                    if path.endswith(COMPRESSED) or body <= 0:
                        gz += max(body, 0)
                    else:
                        try:
                            gz += len(gzip.compress(req.response().body(), 6))
                        except Exception:
                            gz += body
                res["requests"] = len(snapshot)
                res["kb_by_kind"] = {k: round(v / 1024) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])}
                res["first_result_kb"] = raw / 1024
                res["first_result_kb_gzip"] = gz / 1024
                res["results_shown"] = page.eval_on_selector_all(".hb-results__list li", "els => els.length")
                ctx.close()
                # 2. keystroke → results, on a fresh page (index chunks for the term not yet fetched)
                ctx = browser.new_context()
                page = ctx.new_page()
                page.goto(f"{url}cases/")
                page.wait_for_selector(".hb-finder[data-ready]", timeout=120_000)
                res["keystroke_ms"], res["keystroke_all_ms"] = page.evaluate(KEYSTROKE_JS, query)
                warm = [page.evaluate(KEYSTROKE_JS, term) for term in ("电梯", "停车", "居民议事", "加装电梯", "物业")]
                res["keystroke_ms_warm"] = statistics.median(w[0] for w in warm)
                res["keystroke_all_ms_warm"] = statistics.median(w[1] for w in warm)
                ctx.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    return res
