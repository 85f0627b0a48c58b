"""The preview's incremental builds give the same pages as a full build, and touch only what changed."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from handbook.config import load_settings
from handbook.commands.preview import Preview

from .conftest import case_text


def pages(site: Path) -> dict[str, bytes]:
    """Every output file but the search index and the sitemap's compressed copy.

    The index is rebuilt by a background thread, which swaps in pagefind/ and removes the old copy
    (.pagefind.old-PID) while this walk may be running, so the walk never enters either folder.
    """
    found = {}
    for folder, subfolders, files in os.walk(site):
        subfolders[:] = [name for name in subfolders if "pagefind" not in name]
        for name in files:
            if name != "sitemap.xml.gz":
                path = Path(folder) / name
                found[path.relative_to(site).as_posix()] = path.read_bytes()
    return dict(sorted(found.items()))


def build(preview: Preview) -> bool:
    result = preview.check()
    assert result.ok, result.problems
    return preview.build(result.library)


def full_build_of(project: Path) -> dict[str, bytes]:
    fresh = Preview(load_settings(project))
    fresh.dir = project / ".cache" / "fresh"
    fresh.site_dir = fresh.dir / "site"
    assert build(fresh) is True
    return pages(fresh.site_dir)


@pytest.fixture
def preview(project):
    preview = Preview(load_settings(project))
    yield preview
    preview.close()


def test_edits_rebuild_incrementally_to_the_same_site_as_a_full_build(project, preview):
    assert build(preview) is True
    site = preview.site_dir
    assert (site / "pagefind" / "pagefind.js").exists()
    other = site / "cases" / "wuchang-lift" / "index.html"
    before = other.stat().st_mtime_ns
    time.sleep(0.05)

    # an edit: the page and the pages that show its title change, nothing else is rendered again
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(case_text(title="西桥社区月月谈改版"), encoding="utf-8")
    assert build(preview) is False
    assert "西桥社区月月谈改版" in (site / "cases" / "xiqiao-yueyuetan" / "index.html").read_text(encoding="utf-8")
    assert "西桥社区月月谈改版" in (site / "cases" / "index.html").read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == before
    assert pages(site) == full_build_of(project)

    # a new case and a removed one
    (project / "cases" / "new-lift-case.md").write_text(case_text(title="新加的电梯案例"), encoding="utf-8")
    (project / "cases" / "wuchang-lift.md").unlink()
    assert build(preview) is False
    assert (site / "cases" / "new-lift-case" / "index.html").exists()
    assert not (site / "cases" / "wuchang-lift").exists()
    assert pages(site) == full_build_of(project)


def test_search_index_follows_an_edit(project, preview):
    build(preview)
    entry = preview.site_dir / "pagefind" / "pagefind-entry.json"
    first = entry.read_text()
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(case_text(title="西桥社区议事厅"), encoding="utf-8")
    build(preview)
    deadline = time.monotonic() + 30
    while not entry.exists() or entry.read_text() == first:
        assert time.monotonic() < deadline, "the search index was not rebuilt"
        time.sleep(0.1)


def test_a_theme_change_makes_a_full_build(project, preview):
    build(preview)
    header = project / "templates" / "theme" / "main.html"
    text = header.read_text(encoding="utf-8").replace("{% block footer %}", "{% block footer %}<!-- changed -->", 1)
    assert "<!-- changed -->" in text
    header.write_text(text, encoding="utf-8")
    assert build(preview) is True
    assert "<!-- changed -->" in (preview.site_dir / "cases" / "wuchang-lift" / "index.html").read_text(encoding="utf-8")
