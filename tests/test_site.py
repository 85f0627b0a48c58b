"""The site writer's pages, read from the generated docs (no mkdocs run, and no PDFs: the course packs' kit is
laid out only for a build with PDFs, and these pages do not show it)."""
from __future__ import annotations

import re
from pathlib import Path

from handbook.site import pages as site
from handbook.config import load_settings
from handbook.pipeline import check

ROOT = Path(__file__).resolve().parent.parent


def test_list_without_javascript_reaches_every_case_a_step_at_a_time(tmp_path, monkeypatch):
    settings = load_settings(ROOT)
    library = check(settings).library
    monkeypatch.setattr(site, "LIST_STEP", 7)
    site.write_docs(library, settings, tmp_path, with_pdfs=False)
    steps = -(-library.count // 7)
    pages = [tmp_path / "cases" / "index.md"] + [tmp_path / "cases" / "list" / f"{k}.md" for k in range(2, steps + 1)]
    assert not (tmp_path / "cases" / "list" / f"{steps + 1}.md").exists()
    linked = []
    for k, page in enumerate(pages, start=1):
        text = page.read_text(encoding="utf-8")
        listing = re.search(r'<div class="hb-all".*?</ul>', text, re.S).group(0)
        ids = re.findall(r'href="[./]*cases/([a-z0-9-]+)/"', listing)
        assert len(ids) == (7 if k < steps else library.count - 7 * (steps - 1))
        linked += ids
        assert f"第 {k} / {steps} 页" in text
        pager = re.search(r'<nav class="hb-pager".*?</nav>', text, re.S).group(0)
        assert len(re.findall(r"<a ", pager)) == steps - 1 and f"<strong>{k}</strong>" in pager
    assert linked == [e.id for e in library.entries]


def test_small_library_lists_every_case_on_the_finder_page(tmp_path):
    settings = load_settings(ROOT)
    library = check(settings).library
    site.write_docs(library, settings, tmp_path, with_pdfs=False)
    text = (tmp_path / "cases" / "index.md").read_text(encoding="utf-8")
    assert len(re.findall(r'<li><a href="../cases/', text)) == library.count <= site.LIST_STEP
    assert "hb-pager" not in text and not (tmp_path / "cases" / "list").exists()
