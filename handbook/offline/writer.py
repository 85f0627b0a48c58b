"""OfflineWriter: the web app manifest, the list "离线保存全部案例" saves, and the service worker (workbox-build).

It runs last (pipeline.default_writers), over the finished site folder, so that what it lists and
versions is exactly what was built: the build id is a hash of every file of the site, so any change
to any page gives new cache names and the new service worker replaces the old build's caches whole.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..config import Settings
from ..errors import OutputError
from ..library import Library
from ..outputs.cache import ContentCache, content_key
from ..outputs.claims import Claim
from ..outputs.urls import url_for
from ..outputs.writer import Writer

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "node_modules"
GENERATE = Path(__file__).with_name("generate_sw.cjs")
SW_FILE, EXTRA_FILE, MANIFEST_FILE, SAVED_FILE = "sw.js", "sw-handbook.js", "manifest.webmanifest", "offline/saved.json"
ICONS = ("icon-192.png", "icon-512.png", "icon-512-maskable.png")
THEME_COLOR = "#b71c1c"  # the academy's red (handbook.css)

# What is precached when the service worker installs: the app shell (theme and our assets), the finder with
# the Pagefind files it loads (its UI bundles are not used), the home, index, problem-type, district and
# pack pages, the offline page and the list "save all" reads. Case pages are kept when read or saved.
PRECACHE = [
    "index.html", "cases/index.html", "problems/**/index.html", "districts/**/index.html", "packs/**/index.html",
    "offline/index.html", SAVED_FILE, MANIFEST_FILE, "offline/icons/*.png",
    "assets/*.{js,css}", "assets/stylesheets/*.css", "assets/javascripts/bundle.*.js", "assets/images/*",
    "pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/*.pf_meta", "pagefind/wasm.*.pagefind",
    "pagefind/index/*", "pagefind/filter/*", "pagefind/fragment/*",
]


class OfflineError(OutputError):
    """workbox-build is missing or failed."""


def build_id(site: Path) -> str:
    """A hash of every file of the site (names and contents): the caches' version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0")
        with path.open("rb") as f:
            digest.update(hashlib.file_digest(f, "sha256").digest())
    return digest.hexdigest()[:12]


def cache_prefix(edition: str) -> str:
    """Every cache of one edition starts so; the other edition's never do."""
    return f"handbook-{edition}-"


def saved_list(library: Library, site: Path, cache: str) -> dict:
    """What "离线保存全部案例" stores: every case page and image, with their sizes; the PDF handbook as an option."""
    pages = [url_for("case", e) for e in library.entries]
    files = [(u, (site / u / "index.html").stat().st_size) for u in pages]
    images = site / "cases" / "images"
    if images.is_dir():
        files += [(p.relative_to(site).as_posix(), p.stat().st_size) for p in sorted(images.rglob("*")) if p.is_file()]
    pdf = site / "handbook.pdf"
    return {"cache": cache, "cases": len(pages), "files": files, "bytes": sum(size for _, size in files),
            "pdf": ["handbook.pdf", pdf.stat().st_size] if pdf.exists() else None}


def manifest(settings: Settings, edition: str) -> dict:
    name = settings.title + ("（教师版）" if edition == "instructor" else "")
    return {"name": name, "short_name": "案例手册" + ("·教师版" if edition == "instructor" else ""),
            "description": "社区治理案例手册：案例检索、全文搜索，没有网络时也能阅读已保存的案例。",
            "lang": "zh-CN", "dir": "ltr", "start_url": "./", "scope": "./", "id": "./",
            "display": "standalone", "background_color": "#ffffff", "theme_color": THEME_COLOR,
            "icons": [{"src": f"offline/icons/{name}", "sizes": "512x512" if "512" in name else "192x192",
                       "type": "image/png", "purpose": "maskable" if "maskable" in name else "any"}
                      for name in ICONS]}


class OfflineWriter(Writer):
    """The installable offline site of one edition (see handbook/offline/__init__.py)."""

    name = "offline"

    def __init__(self, settings: Settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(SW_FILE, "离线用的 service worker", "the service worker"),
                Claim(EXTRA_FILE, "离线用的 service worker", "the service worker"),
                Claim(MANIFEST_FILE, "网站的应用清单", "the web app manifest"),
                Claim(SAVED_FILE, "离线保存的案例清单", "the list of pages saved for offline use"),
                Claim("offline/icons/", "应用图标", "the app icons")]

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        icons = out / "offline" / "icons"
        icons.mkdir(parents=True, exist_ok=True)
        for icon in ICONS:
            shutil.copyfile(self.settings.templates_dir / "offline" / icon, icons / icon)
        (out / MANIFEST_FILE).write_text(json.dumps(manifest(self.settings, self.edition), ensure_ascii=False,
                                                    indent=1), encoding="utf-8")
        for stale in (SW_FILE, EXTRA_FILE, SAVED_FILE):
            (out / stale).unlink(missing_ok=True)
        cache_id = cache_prefix(self.edition) + build_id(out)
        (out / SAVED_FILE).write_text(json.dumps(saved_list(library, out, cache_id + "-pages"), ensure_ascii=False),
                                      encoding="utf-8")
        extra = (self.settings.templates_dir / "offline" / EXTRA_FILE).read_text(encoding="utf-8")
        config = {"cacheId": cache_id, "prefix": cache_prefix(self.edition), "saved": SAVED_FILE}
        (out / EXTRA_FILE).write_text(f"self.HB_OFFLINE = {json.dumps(config)};\n{extra}", encoding="utf-8")
        generate_sw(out, cache_id)

    def can_update(self, out: Path) -> bool:
        return True  # no state: everything is written again over the updated site


PRECACHE_SLOT, CACHE_ID_SLOT = "__handbook_precache__", "__handbook_cache_id__"
TEMPLATE_SLOT = '[{url:"%s",revision:null}]' % PRECACHE_SLOT  # how generateSW's minifier writes the slot's entry
TEMPLATES_KEPT = 4  # templates of other code or Workbox versions kept (switching branches)
# beside the tools that make it, where npm tools keep their caches: one template for every project of this checkout
TEMPLATE_CACHE = TOOLS / ".cache" / "handbook-sw"


def node_and_workbox() -> tuple[str, Path]:
    node = shutil.which("node")
    workbox = TOOLS / "workbox-build"
    if node is None or not (workbox / "package.json").is_file():
        raise OfflineError("离线版网站需要 Node.js 和 workbox-build，请先运行 bash scripts/setup.sh "
                           "(the offline site needs Node.js and workbox-build: run bash scripts/setup.sh)")
    return node, workbox


def run_generator(args: dict) -> str:
    """generate_sw.cjs run with args; its standard output."""
    node, workbox = node_and_workbox()
    done = subprocess.run([node, str(GENERATE), json.dumps({"workbox": str(workbox), **args})], capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        raise OfflineError(f"workbox-build: {done.stderr.strip()[-2000:]}")
    return done.stdout


def sw_template(folder: Path) -> str:
    """generateSW's sw.js with the two slots, from the cache when this code and Workbox's version made it before."""
    _, workbox = node_and_workbox()
    version = json.loads((workbox / "package.json").read_text(encoding="utf-8"))["version"]
    cache = ContentCache(folder, ".js")
    key = content_key(GENERATE.read_bytes(), version, EXTRA_FILE, PRECACHE_SLOT, CACHE_ID_SLOT)
    hit = cache.hit(key)
    if hit is None:
        with tempfile.TemporaryDirectory() as tmp:
            empty, dest = Path(tmp) / "empty", Path(tmp) / SW_FILE
            empty.mkdir()
            run_generator({"step": "template", "dest": str(dest), "empty": str(empty), "precacheSlot": PRECACHE_SLOT,
                           "cacheId": CACHE_ID_SLOT, "extra": EXTRA_FILE})
            template = dest.read_text(encoding="utf-8")
        if template.count(TEMPLATE_SLOT) != 1:
            raise OfflineError(f"workbox-build {version}: the precache slot is not in its sw.js once")
        hit = cache.put(key, template)
    cache.keep(TEMPLATES_KEPT)
    return hit.read_text(encoding="utf-8")


def precache_entry(entry: dict) -> str:
    """One entry of the precache list, written as generateSW writes it."""
    return "{url:%s,revision:%s}" % (json.dumps(entry["url"]), json.dumps(entry.get("revision")))


def generate_sw(site: Path, cache_id: str, templates: Path = TEMPLATE_CACHE) -> dict:
    """The site's sw.js: the template (sw_template) with getManifest's list of the site's files and the cache id in
    its slots; the count and total size of the precached files."""
    template = sw_template(templates)
    found = json.loads(run_generator({"step": "manifest", "site": str(site), "precache": PRECACHE}))
    entries = "[" + ",".join(precache_entry(e) for e in found["entries"]) + "]"
    sw = template.replace(TEMPLATE_SLOT, entries).replace(CACHE_ID_SLOT, cache_id)
    (site / SW_FILE).write_text(sw, encoding="utf-8")
    return {"count": found["count"], "size": found["size"]}
