"""MkDocs hooks for the generated pages (mkdocs.yml `hooks:`).

Our pages are finished HTML written by handbook/site/writer.py. Handing them to
Python-Markdown would only make it re-parse the HTML (most of the engine's time
at 1,000 cases), and building a Markdown converter for each page costs ~0.4 ms
more; so a pre-rendered page skips the conversion and keeps its HTML as it is.
Links in these pages are checked by the tests (tests/test_links.py), not by mkdocs.

Without a site_url (handbook.yml) mkdocs still writes sitemap.xml, but with no <url>
at all (its entries need absolute addresses): measured, the 40-case site's sitemap
listed 0 of its 73 pages. So the sitemap is written only when the site knows its address.

The theme's templates are compiled once and kept as bytecode in the project's .cache/jinja/ (Jinja's own
FileSystemBytecodeCache, which checks each template's source and writes atomically): compiling the 47 templates
was 0.48 s of a profiled warm build of the two-case test project; unprofiled, the build went from 1.31 s to 1.27 s.
"""
from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache, Template
from mkdocs.structure.toc import get_toc


def on_env(env, config, files):
    folder = os.path.join(os.path.dirname(config.config_file_path), ".cache", "jinja")
    os.makedirs(folder, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(folder)
    return env


def on_pre_template(template, template_name, config):
    if template_name == "sitemap.xml" and not config.site_url:
        return Template("")  # mkdocs writes no file (nor its .gz copy) for an empty template
    return template


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("prerendered"):
        def render(config, files, _page=page, _html=markdown):
            _page.content = _html
            _page.toc = get_toc([])
            _page.present_anchor_ids = set()
        page.render = render
    return markdown
