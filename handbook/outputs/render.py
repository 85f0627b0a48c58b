"""Case bodies → safe HTML, and the Jinja2 environment both writers use.

Case text is untrusted: Markdown output goes through nh3 (the Ammonia sanitiser),
which keeps only harmless tags and http/https/relative links. Writers then point
case links and images at their own targets.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

import markdown
import nh3
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from pymdownx.slugs import slugify

from ..config import EDITION_MARK
from .cartogram import place_map
from .urls import url_for

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"},
}
_HREF_RE = re.compile(r'(<a [^>]*?href=")([^"]*)(")')
_SRC_RE = re.compile(r'(<img [^>]*?src=")([^"]*)(")')


# The one Markdown configuration: case bodies, overviews and chapters in the PDF (here), and the
# chapters the site engine converts (site.mkdocs_overrides passes the same list to mkdocs).
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "admonition", "attr_list", "toc"]
MARKDOWN_CONFIG = {"toc": {"slugify": slugify(case="lower"), "permalink": False}}


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)


_md: markdown.Markdown | None = None


@lru_cache(maxsize=None)
def _convert(text: str) -> str:
    global _md
    if _md is None:
        _md = _markdown()  # one converter, reset between documents: building one costs 1 ms
    html = _md.reset().convert(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https"}, link_rel="noopener noreferrer")


def markdown_to_html(text: str) -> str:
    """Sanitised HTML for untrusted Markdown; links and images still as the author wrote them."""
    return _convert(text)


_H1_ATX_RE = re.compile(r"\A\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\n|\Z)")
_H1_SETEXT_RE = re.compile(r"\A\s*([^\n#][^\n]*)\n=+[ \t]*(?:\n|\Z)")


def split_title(text: str) -> tuple[str | None, str]:
    """(H1 text, rest) when a chapter's Markdown opens with a level-1 heading: the site page and the book
    print their own heading, so both take the text without it."""
    text = text.lstrip("\ufeff")
    if text.startswith("---"):
        parts = text.split("---", 2)
        if len(parts) == 3:
            text = parts[2]
    for regex in (_H1_ATX_RE, _H1_SETEXT_RE):
        m = regex.match(text)
        if m:
            return m.group(1).strip(), text[m.end():]
    return None, text


def point_links(html: str, case_href: Callable[[str], str], image_src: Callable[[str], str]) -> str:
    """Rewrite links to other cases (`x.md`) and relative images for one output (site or PDF)."""

    def href(m):
        target = m.group(2)
        if "://" in target or target.startswith(("#", "mailto:")):
            return m.group(0)
        path, _, anchor = target.partition("#")
        if path.endswith(".md"):
            new = case_href(Path(path).name[:-3])
            return m.group(1) + new + (f"#{anchor}" if anchor else "") + m.group(3)
        return m.group(0)

    def src(m):
        target = m.group(2)
        if "://" in target:
            return m.group(0)
        return m.group(1) + image_src(target) + m.group(3)

    return _SRC_RE.sub(src, _HREF_RE.sub(href, html))


def jinja_env(templates_dir: Path, compiled: Path | None = None) -> Environment:
    """The templates' environment: one per folder for the life of the process, its compiled templates kept as
    bytecode in `compiled` (the project's .cache/jinja, beside the theme's: handbook/site/mkdocs_hooks.py).

    A new environment for each build compiled every template again: in the desk's long-lived preview, 32 of them
    on every save (0.45 s of a profiled 0.65 s rebuild of both editions), and in every build process. Jinja checks
    a template's file before it uses what it compiled (auto_reload), so an edited template is used at once."""
    return _jinja_env(str(templates_dir), str(compiled) if compiled else None)


@lru_cache(maxsize=None)
def _jinja_env(templates_dir: str, compiled: str | None) -> Environment:
    if compiled:
        os.makedirs(compiled, exist_ok=True)
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml", "md"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(compiled) if compiled else None,
    )
    env.globals["url"] = url_for
    env.globals["edition_mark"] = EDITION_MARK
    env.globals["place_map"] = place_map
    return env
