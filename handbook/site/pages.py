"""The site's pages: the Library rendered by our own Jinja2 templates into a docs folder for mkdocs.

Every generated page (home, finder, list, problem types, districts, packs, chapters, data, cases) is
written here, and only pages that changed are written again (DocsWriter), so mkdocs' dirty mode leaves
the others alone. MkDocs itself is writer.py's.
"""
from __future__ import annotations

import json
import shutil
from html import escape as html_escape
from pathlib import Path
from typing import Callable

from .bodies import convert_bodies
from ..data.cite import citation, scholar_meta
from ..classroom.compare import DATA_FILE as COMPARE_DATA, compare_data, pack_kit
from ..classroom.kit import downloads as classroom_downloads
from ..config import CHAPTERS, Settings
from ..content.schema import CASE_KINDS
from ..data.tables import CSV_FILE, JSON_FILE, codebook
from ..library import Entry, Library
from ..photos import for_site
from ..places.order import ordered
from ..outputs.render import jinja_env, markdown_to_html, point_links, split_title
from ..outputs.urls import absolute, page_source, url_for


LIST_STEP = 100  # cases a page in the finder's list for readers without JavaScript


def _page(meta: dict, html: str) -> str:
    # the theme prints title and description unescaped (its templates do not autoescape),
    # so they are escaped here, where untrusted case text enters the theme
    meta = {k: html_escape(v, quote=True) if isinstance(v, str) else v for k, v in meta.items()}
    meta["prerendered"] = True  # see mkdocs_hooks.py
    front = json.dumps(meta, ensure_ascii=False, sort_keys=True)  # JSON is YAML, and 20x faster to write
    return f"---\n{front}\n---\n\n{html.strip()}\n"


def site_links(html: str, root: str) -> str:
    """A case body's links to other cases and its images, pointed at their pages in the site."""
    return point_links(html, lambda cid: root + url_for("case", cid), lambda src: root + url_for("image", src))


class DocsWriter:
    """Writes the generated pages into docs and remembers them: a page that did not change is not
    written again, so its file keeps its time and mkdocs' dirty mode leaves its output alone."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.previous: dict[str, object] = {}
        self.current: dict[str, object] = {}

    def write(self, rel: str, text: str) -> None:
        self.current[rel] = text
        if self.previous.get(rel) != text:
            target = self.docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def copy(self, rel: str, source: Path) -> None:
        stat = source.stat()
        key = ("file", stat.st_mtime_ns, stat.st_size)
        self.current[rel] = key
        if self.previous.get(rel) != key:
            target = self.docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    def copy_tree(self, rel: str, source: Path) -> None:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.copy(f"{rel}/{path.relative_to(source).as_posix()}", path)

    def finish(self) -> list[str]:
        """End a round of writes; delete and return the pages of the last round not written in this one."""
        gone = [rel for rel in self.previous if rel not in self.current]
        for rel in gone:
            (self.docs / rel).unlink(missing_ok=True)
        self.previous, self.current = self.current, {}
        return gone


def overview_html(settings: Settings, slug: str) -> str:
    path = settings.content_dir / "problems" / f"{slug}.md"
    if not path.exists():
        return ""
    return markdown_to_html(split_title(path.read_text(encoding="utf-8-sig"))[1])


def labels(library: Library) -> dict:
    """Filter values → names shown in the finder."""
    types, districts = library.taxonomy.problem_types, library.taxonomy.districts()
    return {
        "type": {p.slug: p.name for p in types},
        "district": {d.key: d.label for d in districts},
        "kind": {slug: name for name, slug in CASE_KINDS.items()},
        "order": {"type": [p.slug for p in types], "district": [d.key for d in ordered(districts)]},
    }


def _root(rel: str) -> str:
    """The relative path from a generated page (docs-relative .md name) to the site root."""
    return "../" * (rel.count("/") + (0 if rel.endswith("index.md") else 1))


def output_of(rel: str) -> str:
    """What mkdocs makes of a docs file (directory URLs): x/index.md → x/index.html, x/y.md → x/y/index.html."""
    if rel.endswith("index.md"):
        return rel[:-3] + ".html"
    if rel.endswith(".md"):
        return rel[:-3] + "/index.html"
    return rel


def list_steps(library: Library) -> list[list[Entry]]:
    """The no-JavaScript list of every case, LIST_STEP a page: the finder itself stays light however many cases."""
    return [library.entries[i:i + LIST_STEP] for i in range(0, library.count, LIST_STEP)] or [[]]


def write_docs(library: Library, settings: Settings, docs: Path | DocsWriter, cache: dict | None = None,
               on_records: Callable[[list[dict]], None] | None = None, edition: str = "trainee",
               with_pdfs: bool = True) -> list[dict]:
    """Write every page into docs; return the search records (given to on_records as soon as they exist)."""
    library = library.for_edition(edition)
    env = jinja_env(settings.templates_dir, settings.cache_dir / "jinja")
    out = docs if isinstance(docs, DocsWriter) else DocsWriter(docs)
    out.docs.mkdir(parents=True, exist_ok=True)

    def write(rel: str, meta: dict, template: str, **context):
        html = env.get_template(template).render(root=_root(rel), library=library, settings=settings,
                                                 edition=edition, **context)
        out.write(rel, _page(meta, html))

    case_tpl = env.get_template("site/case.html")
    converted_bodies = convert_bodies(library.entries, cache, library.synonyms)
    records = [record for _, _, record in converted_bodies]
    if on_records is not None:
        on_records(records)
    day = library.edition_date()  # the citations' date, the same for every case (cite.py)
    for e, (converted, note, _) in zip(library.entries, converted_bodies):
        rel = page_source("case", e)
        html = case_tpl.render(e=e, body=site_links(converted, _root(rel)),
                               note=site_links(note, _root(rel)) if note else None, root=_root(rel), edition=edition,
                               packs=library.packs_of.get(e.id, []), citation=citation(e, settings, day),
                               with_pdf=with_pdfs)
        pdf_url = absolute(settings.site_url, url_for("case_pdf", e)) if with_pdfs else None
        out.write(rel, _page({"title": e.case.title, "description": e.case.summary, "hide": ["toc"],
                              "citation": scholar_meta(e, settings, day, pdf_url=pdf_url)}, html))
    write(page_source("home"), {"title": "首页", "hide": ["toc"]}, "site/home.html", with_pdf=with_pdfs)
    if edition == "instructor":  # kept out of search engines, besides its password (content/instructors.md, 发布)
        out.write("robots.txt", "User-agent: *\nDisallow: /\n")
    steps = list_steps(library)
    write(page_source("finder"), {"title": "案例检索", "hide": ["toc"]}, "site/finder.html", labels=labels(library),
          listing=steps[0], step=1, steps=len(steps))
    for k, listing in enumerate(steps[1:], start=2):
        write(f"cases/list/{k}.md", {"title": f"全部案例（第 {k} 页）", "hide": ["toc"]}, "site/case_list.html",
              listing=listing, step=k, steps=len(steps))
    write(page_source("types"), {"title": "问题类型"}, "site/problems_index.html")
    write("offline/index.md", {"title": "没有网络", "hide": ["toc"]}, "site/offline.html")
    write(page_source("packs"), {"title": "课程包"}, "site/packs_index.html")
    kit = classroom_downloads(library, settings, edition) if with_pdfs else {}
    for pack in library.packs:
        write(page_source("pack", pack), {"title": pack.title, "hide": ["toc"]}, "site/pack.html", pack=pack,
              entries_of=lambda session: [library.get(cid) for cid in session.cases if library.get(cid)],
              with_pdf=with_pdfs, **pack_kit(library, pack, kit))
    write("compare/index.md", {"title": "案例比较", "hide": ["toc"]}, "classroom/compare.html")
    out.write(COMPARE_DATA, compare_data(library))
    write(page_source("districts"), {"title": "地区"}, "site/districts_index.html")
    write(page_source("data"), {"title": "数据下载"}, "site/data.html", fields=codebook(library),
          files={"json": JSON_FILE, "csv": CSV_FILE})
    for p in library.types_in_use():
        write(page_source("type", p), {"title": p.name, "hide": ["toc"]}, "site/problem.html",
              ptype=p, entries=library.by_type[p.slug], overview=overview_html(settings, p.slug))
    for d in library.districts_in_use():
        write(page_source("district", d), {"title": d.label, "hide": ["toc"]}, "site/district.html",
              district=d, entries=library.by_district[d.key])
    for chapter in CHAPTERS:
        source = settings.content_dir / chapter.file
        if source.exists():
            out.copy(chapter.file, source)
    out.copy_tree("assets", settings.templates_dir / "site" / "assets")
    images = settings.cases_dir / "images"
    if images.is_dir():  # large photos as scaled copies (photos.py); the originals stay in cases/images/
        for path in sorted(p for p in images.rglob("*") if p.is_file()):
            out.copy(f"cases/images/{path.relative_to(images).as_posix()}", for_site(path, settings.cache_dir))
    guide_images = settings.content_dir / "images"  # the chapters' own pictures (the guide's desk screenshots)
    if guide_images.is_dir():
        out.copy_tree("images", guide_images)
    return records
