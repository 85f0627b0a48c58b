"""Every internal link, image, stylesheet, script and form of the built site resolves, and every #anchor
names an element of its page: zero 404s, zero dead anchors."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .test_cli import run


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src", "action"):
            if a.get(key):
                self.refs.append(a[key])


def parse(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, page: Path, ref: str, base_path: str = "/") -> Path | None:
    """The file a reference from page points at, or None for an outside link.

    base_path is the site's path on its host (site_url's path): absolute references, as on the 404 page, start with it.
    """
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:", "data:")):
        return None
    page_url = base_path + page.relative_to(site).as_posix()
    target = unquote(urlsplit(urljoin(page_url, parts.path)).path) if parts.path else page_url
    if not target.startswith(base_path):
        return site / "outside-the-site" / target.lstrip("/")  # missing: reported as broken
    path = site / target[len(base_path):]
    if target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def crawl(site: Path, base_path: str = "/") -> tuple[list[str], int]:
    """Every page's internal references and their #anchors: (what is broken, how many were checked)."""
    pages = {page: parse(page) for page in sorted(site.rglob("*.html")) if "pagefind" not in page.relative_to(site).parts}
    broken, checked = [], 0
    for page, refs in pages.items():
        for ref in refs.refs:
            where = f"{page.relative_to(site)} → {ref}"
            if ref.startswith("//"):  # a host's name, not a path: "//cases/" was the 404 page's search
                broken.append(where)
                continue
            target = resolve(site, page, ref, base_path)
            if target is None:
                continue
            checked += 1
            if not target.exists():
                broken.append(where)
                continue
            fragment = unquote(urlsplit(ref).fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    broken.append(f"{where} (no element with this id)")
    return broken, checked


def test_no_broken_internal_links_or_anchors(project):
    (project / "cases" / "wuchang-lift.md").write_text(
        (project / "cases" / "wuchang-lift.md").read_text(encoding="utf-8")
        + "\n参见[月月谈](xiqiao-yueyuetan.md)、它的[做法](xiqiao-yueyuetan.md#做法)和本页的[背景](#背景)。\n",
        encoding="utf-8")
    assert run(project).returncode == 0
    site = project / "site"
    assert len(list(site.rglob("*.html"))) > 10
    broken, checked = crawl(site)
    assert broken == []
    assert checked > 100
    page = (site / "cases" / "wuchang-lift" / "index.html").read_text(encoding="utf-8")
    assert "#背景" in page or "#%E8%83%8C%E6%99%AF" in page  # the anchors above were checked


def test_a_dead_anchor_and_a_host_for_a_path_are_reported(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<h2 id="做法">做法</h2><a href="a/#none">x</a><form action="//cases/"></form>',
                                         encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<a href="../#做法">ok</a><a href="/#%E5%81%9A%E6%B3%95">ok</a>',
                                               encoding="utf-8")
    broken, checked = crawl(tmp_path)
    assert broken == ["index.html → a/#none (no element with this id)", "index.html → //cases/"]
    assert checked == 3


def test_without_site_url_the_site_has_no_sitemap(site_without_pdf):
    site = site_without_pdf
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    # the 404 page, served for a missing address anywhere, links from the host's root
    page = (site / "404.html").read_text(encoding="utf-8")
    assert 'action="/cases/"' in page and "//cases/" not in page
    # --no-pdf leaves no dead link: no "下载 PDF 手册" to a file that is not there
    assert crawl(site)[0] == [] and "下载 PDF 手册" not in (site / "index.html").read_text("utf-8")


def test_with_site_url_the_sitemap_lists_every_page(project):
    settings = project / "handbook.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "site_url: https://example.org/handbook\n", encoding="utf-8")
    assert run(project, "build", "--no-pdf").returncode == 0
    site = project / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    pages = [p for p in site.rglob("index.html") if "pagefind" not in p.parts]
    assert sitemap.count("<loc>") == len(pages) > 10
    assert "<loc>https://example.org/handbook/cases/xiqiao-yueyuetan/</loc>" in sitemap
    page = (site / "404.html").read_text(encoding="utf-8")
    assert 'action="/handbook/cases/"' in page
    broken, _ = crawl(site, "/handbook/")
    assert broken == []  # built without the PDF: the home page does not offer it
