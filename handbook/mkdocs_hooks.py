"""MkDocs hooks for the generated pages (mkdocs.yml `hooks:`).

Our pages are finished HTML written by handbook/site.py. Handing them to
Python-Markdown would only make it re-parse the HTML (most of the engine's time
at 1,000 cases), so the body is set aside before conversion and put back after.
"""
from __future__ import annotations

_MARK = "HANDBOOK-PRERENDERED-BODY"
_bodies: dict[str, str] = {}


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("prerendered"):
        _bodies[page.file.src_uri] = markdown
        return _MARK
    return markdown


def on_page_content(html, page, config, files):
    body = _bodies.pop(page.file.src_uri, None)
    if body is None:
        return html
    return html.replace(f"<p>{_MARK}</p>", body, 1)
