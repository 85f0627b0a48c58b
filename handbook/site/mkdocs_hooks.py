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

Before any page, mkdocs lists every file of the theme to copy its static ones, and drops what starts with a dot
(its patterns `.*` and `*/.*`). Material keeps its 14,348 icons under `.icons/`, so most of the listing was of
files that are dropped: 0.48 s of a profiled 0.59 s of mkdocs in the desk's preview rebuild after a save (two
editions, handbook/desk/previews.py). The theme's loader (on_config) therefore does not walk into folders whose
names start with a dot; the files it lists after mkdocs' patterns are the same (tests/test_mkdocs_hooks.py), and
templates still load from those folders. Measured on the desk's three-case project, a preview rebuild of both
editions after a save: 0.61 s of CPU before, 0.31 s after.
"""
from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, Template
from mkdocs.structure.toc import get_toc


class ThemeLoader(FileSystemLoader):
    """The theme's template loader, whose list of files leaves out what is inside folders named with a dot."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [name for name in dirnames if not name.startswith(".")]
                for filename in filenames:
                    template = os.path.join(dirpath, filename)[len(searchpath):].strip(os.path.sep)
                    template = template.replace(os.path.sep, "/")
                    found.add(template[2:] if template[:2] == "./" else template)
        return sorted(found)


def on_config(config):
    theme = config.theme
    make_env = type(theme).get_env  # the class's: this theme's get_env is replaced below

    def get_env():
        env = make_env(theme)
        env.loader = ThemeLoader(env.loader.searchpath)
        return env

    theme.get_env = get_env
    return config


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
