"""mammoth's HTML → the Markdown a case body is written in, with markdownify.

markdownify (chosen for being a maintained HTML → Markdown converter whose output is set
by options rather than fixed: ATX headings, "-" bullets, ** and *) does the conversion;
before it, the HTML is put in the case's terms with BeautifulSoup (which markdownify uses
anyway): heading levels shifted so that the sections are ##, section headings named
exactly (一、背景 → 背景, 教学说明（仅教师版） → 教学说明), footnotes that cite a source moved to
`sources`, a trailing 来源 section read as sources, images given their file names. After
it, blank lines and list markers are made canonical. Text is never rewritten: Chinese
punctuation and quotation marks come through as they are.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

from . import form

_CASE_LINK = re.compile(r"^(?!https?:|mailto:)(?:.*[/\\])?([a-z0-9]+(?:-[a-z0-9]+)*\.md(?:#[^/]*)?)$")
SOURCE_HEADINGS = ("来源", "资料来源", "参考资料", "参考文献", "信息来源")


class CaseConverter(MarkdownConverter):
    """markdownify with the case format's choices."""

    def __init__(self, **options):
        super().__init__(heading_style="ATX", bullets="-", strong_em_symbol="*", escape_underscores=True,
                         escape_asterisks=True, escape_misc=False, newline_style="SPACES", **options)

    def convert_li(self, el, text, parent_tags):
        # markdownify pads an ordered marker to the longest one; a case writes "1. " and "10. " alike
        text = (text or "").strip()
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent.get("start") or 1)
            # by identity: BeautifulSoup's tags compare equal by content, so two identical items had one number
            position = next(i for i, s in enumerate(parent.find_all("li", recursive=False)) if s is el)
            bullet = f"{start + position}."
        else:
            bullet = "-"
        indent = "    "  # Python-Markdown nests what is indented by four spaces
        lines = text.split("\n")
        body = lines[0] + "".join("\n" + (indent + line if line else "") for line in lines[1:])
        return f"{bullet} {body}\n"


def _shift_headings(soup) -> None:
    """The sections' level becomes ## (h2), the rest keep their distance to it."""
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    levels = [int(h.name[1]) for h in headings if form.is_section(h.get_text())]
    top = min(levels) if levels else min((int(h.name[1]) for h in headings), default=1)
    for h in headings:
        level = max(2, min(6, int(h.name[1]) - top + 2))
        h.name = f"h{level}"
        section = form.is_section(h.get_text())
        if section and level == 2:
            h.clear()
            h.append(section)


_NOTE_ID = re.compile(r"^(?:footnote|endnote)-\d+$")
_NOTE_BACK = re.compile(r"^#(?:footnote|endnote)-ref-")
_NOTE_REF = re.compile(r"^#(?:footnote|endnote)-\d+$")


def _footnotes(soup) -> list[str]:
    """Footnote texts that stand for sources are removed with their markers and returned; others go inline."""
    notes = {}
    for li in soup.find_all("li", id=_NOTE_ID):
        for back in li.find_all("a", href=_NOTE_BACK):
            back.decompose()
        links = [a.get("href") for a in li.find_all("a") if (a.get("href") or "").startswith("http")]
        notes[li["id"]] = (li.get_text(" ", strip=True).replace(" ，", "，"), links[0] if links else None)
        parent = li.parent
        li.decompose()
        if parent is not None and not parent.find_all("li"):
            parent.decompose()
    sources = []
    for ref in soup.find_all("a", href=_NOTE_REF):
        key = ref["href"][1:]
        text, link = notes.get(key, ("", None))
        holder = ref.parent if ref.parent is not None and ref.parent.name == "sup" else ref
        try:
            form.parse_source(text, link)
            sources.append((text, link))
            holder.decompose()
        except form.CellProblem:
            holder.replace_with(NavigableString(f"（注：{text}）") if text else NavigableString(""))
    return sources


def _source_section(soup) -> list[tuple[str, str | None]]:
    """A last section headed 来源 (or 参考资料 …): its lines are sources and leave the body."""
    found = []
    for h in soup.find_all(re.compile(r"^h[1-6]$")):
        if form.normal_heading(h.get_text()) in SOURCE_HEADINGS:
            for sibling in list(h.find_next_siblings()):
                if re.match(r"^h[1-6]$", sibling.name or ""):
                    break
                items = sibling.find_all("li") or [sibling]
                for item in items:
                    links = [a.get("href") for a in item.find_all("a") if (a.get("href") or "").startswith("http")]
                    text = item.get_text("", strip=True)
                    if text:
                        found.append((text, links[0] if links else None))
                sibling.decompose()
            h.decompose()
    return found


def html_to_markdown(html: str, image_names: list[str]) -> tuple[str, list[tuple[str, str | None]]]:
    """(Markdown body, source lines found in footnotes or a 来源 section)."""
    soup = BeautifulSoup(html, "html.parser")
    for img in soup.find_all("img"):
        src = img.get("src") or ""
        if src.startswith("word-image:"):
            img["src"] = image_names[int(src.split(":", 1)[1]) - 1]
    for a in soup.find_all("a"):
        case_link = _CASE_LINK.match(a.get("href") or "")
        if case_link:  # LibreOffice saves x.md as ../x.md, Word sometimes as a file:/// path: a case link is its file name
            a["href"] = case_link.group(1)
        if not a.get("href") and not a.get_text():
            a.decompose()
        elif not a.get("href"):
            a.unwrap()
    sources = _footnotes(soup) + _source_section(soup)
    _shift_headings(soup)
    for table in soup.find_all("table"):  # a Markdown table needs a header: a Word table's first row is one
        first = table.find("tr")
        if first is not None and not table.find("th"):
            for cell in first.find_all("td", recursive=False):
                cell.name = "th"
    text = CaseConverter().convert_soup(soup)
    return tidy(text), sources


_BLANKS = re.compile(r"\n{3,}")
_LIST_ITEM = re.compile(r"^(?:\s*)(?:-|\d+\.) ")


def tidy(text: str) -> str:
    """One blank line between blocks, none inside a list, no trailing spaces except a line break's two."""
    lines = []
    for line in text.replace("\r", "").split("\n"):
        stripped = line.rstrip()
        if line.endswith("  ") and stripped:
            stripped += "  "
        lines.append(stripped)
    text = _BLANKS.sub("\n\n", "\n".join(lines)).strip("\n")
    out: list[str] = []
    parts = text.split("\n")
    for i, line in enumerate(parts):
        if line == "" and out and _LIST_ITEM.match(out[-1]) and i + 1 < len(parts) and _LIST_ITEM.match(parts[i + 1]) \
                and _same_list(out[-1], parts[i + 1]):
            continue
        out.append(line)
    return "\n".join(out) + "\n" if out else ""


def _same_list(a: str, b: str) -> bool:
    return (a.lstrip().startswith("-")) == (b.lstrip().startswith("-"))
