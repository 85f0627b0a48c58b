"""Cite this case: one GB/T 7714 reference made in Python, shown on the case page, and Google Scholar's tags in its head."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

from handbook.data.cite import citation, scholar_meta
from handbook.config import load_settings
from handbook.pipeline import check

from .conftest import case_text

CITED = "武汉社区干部学院. 西桥社区月月谈[EB/OL]. 社区治理案例手册, 2025-04-28. "


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}  # the date comes from the cases
    return subprocess.run([sys.executable, "build.py", "build", "--no-pdf", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def case_page(project: Path, case_id: str = "xiqiao-yueyuetan") -> str:
    return (project / "site" / "cases" / case_id / "index.html").read_text(encoding="utf-8")


def head_tags(page: str) -> dict[str, str]:
    head = page.split("</head>", 1)[0]
    return dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', head))


def set_site_url(project: Path, url: str) -> None:
    settings = project / "handbook.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"site_url: {url}\n", encoding="utf-8")


def test_citation_string_and_scholar_tags(project):
    settings = load_settings(project)
    library = check(settings).library
    e = library.get("xiqiao-yueyuetan")
    day = dt.datetime(2025, 4, 28, tzinfo=dt.timezone.utc)
    assert citation(e, settings, day) == CITED + "cases/xiqiao-yueyuetan/."
    assert citation(e, settings, None) == "武汉社区干部学院. 西桥社区月月谈[EB/OL]. 社区治理案例手册. cases/xiqiao-yueyuetan/."
    assert scholar_meta(e, settings, day) == {
        "citation_title": "西桥社区月月谈", "citation_author": "武汉社区干部学院", "citation_inbook_title": "社区治理案例手册",
        "citation_publisher": "武汉社区干部学院", "citation_language": "zh", "citation_publication_date": "2025/4/28"}
    set_site_url(project, "https://example.org/handbook")
    settings = load_settings(project)
    assert citation(e, settings, day) == CITED + "https://example.org/handbook/cases/xiqiao-yueyuetan/."
    meta = scholar_meta(e, settings, day, pdf_url="https://example.org/handbook/handbook.pdf")
    assert meta["citation_public_url"] == "https://example.org/handbook/cases/xiqiao-yueyuetan/"
    assert meta["citation_pdf_url"] == "https://example.org/handbook/handbook.pdf"
    assert "citation_pdf_url" not in scholar_meta(e, settings, day, pdf_url="handbook.pdf")


def test_case_page_shows_the_citation_before_related_cases_and_tags_in_head(project):
    out = build(project)
    assert out.returncode == 0, out.stderr
    page = case_page(project)
    assert f'<p class="hb-cite__text" id="cite-text">{CITED}cases/xiqiao-yueyuetan/.</p>' in page
    assert page.index('<h2 id="sources">') < page.index('<h2 id="cite">引用本案例</h2>') < page.index('class="hb-pager"')
    assert '<p class="hb-cite__actions" hidden><button type="button" class="md-button hb-cite__copy" data-copy="cite-text">' \
           '复制引用</button>' in page
    assert head_tags(page) == {
        "citation_title": "西桥社区月月谈", "citation_author": "武汉社区干部学院", "citation_inbook_title": "社区治理案例手册",
        "citation_publisher": "武汉社区干部学院", "citation_language": "zh", "citation_publication_date": "2025/4/28"}
    assert head_tags((project / "site" / "index.html").read_text(encoding="utf-8")) == {}  # case pages only
    assert 'src="../../assets/cite.js"' in page and 'href="../../assets/print.css"' in page


def test_with_a_site_url_the_citation_and_tags_hold_the_absolute_address(project):
    set_site_url(project, "https://example.org/handbook")
    assert build(project).returncode == 0
    page = case_page(project)
    assert f"{CITED}https://example.org/handbook/cases/xiqiao-yueyuetan/.</p>" in page
    assert head_tags(page)["citation_public_url"] == "https://example.org/handbook/cases/xiqiao-yueyuetan/"


def test_untrusted_title_is_escaped_in_the_citation_and_the_head(project):
    title = '攻击"><script>alert(1)</script>&amp'
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(case_text(title="'" + title + "'"), encoding="utf-8")
    out = build(project)
    assert out.returncode == 0, out.stderr
    page = case_page(project)
    assert "<script>alert(1)" not in page
    tag = head_tags(page)["citation_title"]  # the pattern stops at the first ": a quote in it would cut it short
    assert unescape(tag) == title and "<" not in tag and "&amp;amp" in tag
    text = re.search(r'id="cite-text">([^<]*)</p>', page).group(1)
    assert unescape(text) == f"武汉社区干部学院. {title}[EB/OL]. 社区治理案例手册, 2025-04-28. cases/xiqiao-yueyuetan/."
