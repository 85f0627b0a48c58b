"""Every internal link, image, stylesheet and script of the built site resolves: zero 404s."""
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
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key):
                self.refs.append(a[key])


def resolve(site: Path, page: Path, ref: str) -> Path | None:
    """The file a relative reference from page points at, or None for an outside link."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:", "data:")):
        return None
    page_url = "/" + page.relative_to(site).as_posix()
    target = unquote(urlsplit(urljoin(page_url, parts.path)).path) if parts.path else page_url
    path = site / target.lstrip("/")
    if target.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def test_no_broken_internal_links(project):
    (project / "cases" / "wuchang-lift.md").write_text(
        (project / "cases" / "wuchang-lift.md").read_text(encoding="utf-8") + "\n参见[月月谈](xiqiao-yueyuetan.md)。\n",
        encoding="utf-8")
    assert run(project).returncode == 0
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    broken, checked = [], 0
    for page in pages:
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            target = resolve(site, page, ref)
            if target is None:
                continue
            checked += 1
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {ref}")
    assert broken == []
    assert checked > 100
