"""The offline site's budgets, synonym search's two candidates, and Lighthouse on three page types.

    .venv/bin/python benchmarks/bench_offline.py                    # sizes at 54 and 1,000 cases, synonyms, Lighthouse
    .venv/bin/python benchmarks/bench_offline.py --cases 54 --no-lighthouse
    .venv/bin/python benchmarks/bench_offline.py --site DIR --lighthouse-only   # Lighthouse on a built site

- **precache KB gzip**: every file sw.js precaches (its Workbox manifest), each gzipped at level 6 as a
  server would send it (Pagefind's files are compressed already and stay about their size). Budget 1.5 MB at
  the 54 shipped cases.
- **save all MB**: what "离线保存全部案例" stores (offline/saved.json: every case page and image), as bytes on disk
  and gzipped; the PDF handbook, an option, apart.
- **synonyms**: the shipped cases built with and without content/synonyms.yml; in Chromium, 加梯 searched with
  the aliases in the index (one search) against query expansion on the index without them (4 searches merged,
  each result's fragment fetched for the facet counts); median of 5 fresh pages. See handbook/synonyms.py.
- **Lighthouse** (npm lighthouse, pinned in benchmarks/tools; `make bench` installs it) with Debian's chromium,
  mobile and its default throttling, on the home page, the finder and a case page, the site served on
  127.0.0.1 with gzip (as any web server sends it): performance, accessibility, best practices, SEO.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from cases_gen import make_project  # noqa: E402
from measure import CHROMIUM_ARGS, log  # noqa: E402

LIGHTHOUSE = HERE / "tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
PREFIX = "/handbook/"
BUDGET_PRECACHE = 1.5 * 1024 * 1024
TEXT = (".html", ".js", ".css", ".json", ".xml", ".svg", ".webmanifest", ".txt")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX, text gzipped for a client that accepts it."""

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX):])

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not path.endswith(TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        if not self.path.split("?")[0].endswith("/") and os.path.isdir(self.translate_path(self.path)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"


def build(project: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "build.py", "build", *args], cwd=project, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)


def copy_shipped(parent: Path, synonyms: bool = True) -> Path:
    from tests.browser.conftest import copy_project
    project = copy_project(Path(tempfile.mkdtemp(prefix="shipped-", dir=parent)))
    if not synonyms:
        (project / "content" / "synonyms.yml").unlink()
    return project


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def precached(site: Path) -> list[str]:
    """The URLs (relative to the site) in sw.js's Workbox precache manifest."""
    return re.findall(r'url:"([^"]+)"', (site / "sw.js").read_text(encoding="utf-8"))


def sizes(site: Path) -> dict:
    urls = precached(site)
    files = [site / u for u in urls]
    saved = json.loads((site / "offline" / "saved.json").read_text(encoding="utf-8"))
    saved_files = [site / (f + "index.html" if f.endswith("/") else f) for f, _ in saved["files"]]
    return {"precache_files": len(files), "precache_bytes": sum(f.stat().st_size for f in files),
            "precache_gzip": sum(gz(f) for f in files), "save_all_files": len(saved_files),
            "save_all_bytes": saved["bytes"], "save_all_gzip": sum(gz(f) for f in saved_files),
            "pdf_bytes": saved["pdf"][1] if saved["pdf"] else None}


def measure_synonyms(parent: Path) -> dict:
    from playwright.sync_api import sync_playwright
    expand = """async (variants) => {
      const t0 = performance.now(); const byId = {};
      const all = await Promise.all(variants.map(v => hbSearch.run(v)));
      all.forEach(r => r.results.forEach(x => { if (!byId[x.id] || byId[x.id].score < x.score) byId[x.id] = x; }));
      const merged = Object.values(byId).sort((a, b) => b.score - a.score);
      const t1 = performance.now();
      await Promise.all(merged.map(r => r.data()));
      return {n: merged.length, ms: t1 - t0, ms_counts: performance.now() - t0}; }"""
    one = """async (q) => { const t0 = performance.now(); const r = await hbSearch.run(q);
      await Promise.all(r.results.slice(0, 5).map(x => x.data()));
      return {n: r.results.length, ms: performance.now() - t0, ms_counts: performance.now() - t0}; }"""
    out = {}
    projects = {"expansion": copy_shipped(parent, synonyms=False), "aliases": copy_shipped(parent)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, project in projects.items():
            build(project, "--no-pdf")
            server, url = serve(project / "site")
            runs = []
            for _ in range(5):
                ctx = browser.new_context()
                page = ctx.new_page()
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                page.goto(url)
                page.evaluate("hbSearch.load()")
                before = len(requests)
                r = page.evaluate(expand, ["加梯", "加装电梯", "装电梯", "增设电梯"]) if name == "expansion" \
                    else page.evaluate(one, "加梯")
                r["requests"] = len(requests) - before
                runs.append(r)
                ctx.close()
            server.shutdown()
            index = sum(f.stat().st_size for f in (project / "site" / "pagefind").rglob("*") if f.is_file())
            out[name] = {"found": runs[0]["n"], "ms": statistics.median(r["ms"] for r in runs),
                         "ms_with_counts": statistics.median(r["ms_counts"] for r in runs),
                         "requests": statistics.median(r["requests"] for r in runs), "index_bytes": index}
            log(f"synonyms {name}: {out[name]}")
        browser.close()
    return out


def lighthouse(site: Path, pages: dict[str, str], runs: int = 3) -> dict:
    """Median Lighthouse scores (0-100) per page; needs benchmarks/tools (make bench)."""
    if not LIGHTHOUSE.exists():
        log("Lighthouse not installed (npm ci --prefix benchmarks/tools): skipped")
        return {}
    server, url = serve(site)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    results = {}
    try:
        for name, rel in pages.items():
            scores = []
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as tmp:
                    report = Path(tmp) / "report.json"
                    done = subprocess.run(
                        ["node", str(LIGHTHOUSE), url + rel, "--quiet", "--output=json", f"--output-path={report}",
                         "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={flags}"],
                        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                        timeout=300)
                    if done.returncode != 0 or not report.exists():
                        log(f"lighthouse {name} failed: {done.stderr[-500:]}")
                        continue
                    data = json.loads(report.read_text())
                    cats = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
                    audits = data["audits"]
                    cats["fcp_ms"] = round(audits["first-contentful-paint"]["numericValue"])
                    cats["lcp_ms"] = round(audits["largest-contentful-paint"]["numericValue"])
                    cats["tbt_ms"] = round(audits["total-blocking-time"]["numericValue"])
                    cats["cls"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
                    scores.append(cats)
            if scores:
                scores.sort(key=lambda s: s["performance"])
                results[name] = scores[len(scores) // 2]
                log(f"lighthouse {name}: {results[name]}")
    finally:
        server.shutdown()
    return results


PAGES = {"home": "", "finder": "cases/", "case": "cases/wuhan-jiati-tiaoli-xiuding/"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, nargs="+", default=[54, 1000], help="54 = the shipped cases; others generated")
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--no-synonyms", action="store_true")
    ap.add_argument("--lighthouse-only", action="store_true", help="only Lighthouse, on --site")
    ap.add_argument("--site", type=Path, help="a built site folder for --lighthouse-only")
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is kept)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result: dict = {}
    if args.lighthouse_only:
        result["lighthouse"] = lighthouse(args.site, PAGES, args.runs)
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    parent = Path(tempfile.mkdtemp(prefix="bench-offline-"))
    try:
        result["sizes"] = {}
        for n in args.cases:
            log(f"building {n} cases")
            project = copy_shipped(parent) if n == 54 else make_project(n, parent)
            build(project, *([] if n == 54 else ["--no-pdf"]))  # the PDF's size (an option of "save all") at 54
            result["sizes"][n] = sizes(project / "site")
            log(f"{n}: {result['sizes'][n]}")
            if n == 54 and not args.no_lighthouse:
                result["lighthouse"] = lighthouse(project / "site", PAGES, args.runs)
        if not args.no_synonyms:
            result["synonyms"] = measure_synonyms(parent)
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def report(result: dict) -> str:
    mb = lambda b: f"{b / 1048576:.2f}"  # noqa: E731
    lines = ["| cases | precache files | precache KB gzip (budget 1,536 at 54) | save all files | save all MB (gzip) | PDF MB |",
             "|---|---|---|---|---|---|"]
    for n, s in result.get("sizes", {}).items():
        lines.append(f"| {n} | {s['precache_files']} | {s['precache_gzip'] / 1024:.0f} | {s['save_all_files']} | "
                     f"{mb(s['save_all_bytes'])} ({mb(s['save_all_gzip'])}) | {mb(s['pdf_bytes']) if s['pdf_bytes'] else '-'} |")
    if result.get("lighthouse"):
        lines += ["", "| page | performance | accessibility | best practices | SEO | FCP ms | LCP ms | TBT ms | CLS |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for page, s in result["lighthouse"].items():
            lines.append(f"| {page} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | "
                         f"{s['fcp_ms']} | {s['lcp_ms']} | {s['tbt_ms']} | {s['cls']} |")
    if result.get("synonyms"):
        lines += ["", "| 加梯 | found | ms to results | ms with facet counts | requests | index bytes |", "|---|---|---|---|---|---|"]
        for name, s in result["synonyms"].items():
            lines.append(f"| {name} | {s['found']} | {s['ms']:.0f} | {s['ms_with_counts']:.0f} | {s['requests']:.0f} | "
                         f"{s['index_bytes']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
