"""Every page's address in one place: url_for(kind, thing) → a path relative to the site root.

Python (search records, the site writer, the PDF's printed addresses, citations) and
the templates (as the `url` global) use this one function, and the site writes and claims each
page at page_source(kind, thing), derived from it: a page cannot be linked in one place under one
address and written or claimed under another.
"""
from __future__ import annotations

PAGES = {
    "home": "",
    "finder": "cases/",
    "types": "problems/",
    "districts": "districts/",
    "packs": "packs/",
    "data": "data/",
    "word_template": "downloads/case-template.docx",  # the Word case template (handbook/word/template.py)
    "compare": "compare/",
}

# kind → (address pattern, the attribute of the thing that fills it; a plain string fills it as it is)
OF_THINGS = {
    "case": ("cases/{}/", "id"),
    "case_pdf": ("cases/{}.pdf", "id"),
    "type": ("problems/{}/", "slug"),
    "district": ("districts/{}/", "key"),
    "pack": ("packs/{}/", "id"),
    "pack_pdf": ("packs/{}.pdf", "id"),
    "pack_deck": ("packs/{}.pptx", "id"),
    "pack_reading": ("packs/{}-reading.pdf", "id"),
    "pack_worksheet": ("packs/{}-worksheet.pdf", "id"),
}


def url_for(kind: str, thing=None) -> str:
    """The address of a page, relative to the site root, with a trailing slash for folders."""
    if kind in OF_THINGS:
        pattern, attribute = OF_THINGS[kind]
        return pattern.format(getattr(thing, attribute, thing))
    if kind == "chapter":
        return f"{thing.removesuffix('.md')}/"
    if kind == "image":
        return f"cases/{thing.lstrip('./')}"
    if kind in PAGES:
        return PAGES[kind]
    raise KeyError(f"no page kind {kind!r}")


def page_source(kind: str, thing=None) -> str:
    """The generated Markdown page (in mkdocs' docs folder) that becomes url_for(kind, thing): what the site
    writes and claims for a page is derived from its one address. An index page is <folder>/index.md, any
    other page <address without its slash>.md (mkdocs' directory URLs turn both into <address>index.html)."""
    url = url_for(kind, thing)
    if url and not url.endswith("/"):
        raise KeyError(f"{kind!r} is a file, not a page")
    return url + "index.md" if kind in PAGES else url[:-1] + ".md"


def absolute(site_url: str | None, path: str) -> str | None:
    """The full address of a page when the site's public address is known."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + path
