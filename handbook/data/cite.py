"""How a case is cited: one GB/T 7714-2015 reference string, and the same facts as Google Scholar meta tags.

GB/T 7714-2015, electronic resource ([EB/OL]): 主要责任者. 题名[EB/OL]. 出版者, 出版日期.
获取和访问路径. The author is the academy (handbook.yml `academy`), the container the handbook
(`title`), the date the edition date (Library.edition_date(): the newest date the cases state, or
SOURCE_DATE_EPOCH), so the same cases cite the same way on every build. The access date
([引用日期]) is the reader's, not ours, and is left out.

The string is made here once: the site's case page shows it (and copies it), the PDF writer can
print it (`citation(entry, settings, library.edition_date())`), and nothing re-assembles it in a
template. The address is absolute when handbook.yml has a site_url, else the page's address
relative to the site root (a site without a known address cannot print a better one).

Google Scholar reads Highwire Press tags (citation_*); its inclusion guidelines ask for
citation_publication_date as "2010/5/12" (or the year alone), so that tag is written that way,
not as the ISO date of the reference string.
"""
from __future__ import annotations

import datetime as dt

from ..outputs.urls import absolute, url_for


def case_address(entry, settings) -> tuple[str, bool]:
    """The case page's address and whether it is absolute (only with a site_url)."""
    path = url_for("case", entry)
    full = absolute(settings.site_url, path)
    return (full, True) if full else (path, False)


def _day(edition_date: dt.date | dt.datetime | None) -> dt.date | None:
    if edition_date is None:
        return None
    return edition_date.date() if isinstance(edition_date, dt.datetime) else edition_date


def citation(entry, settings, edition_date: dt.date | dt.datetime | None) -> str:
    """The case as a GB/T 7714-2015 reference, e.g.
    `武汉社区干部学院. 西桥社区“月月谈”：……[EB/OL]. 社区治理案例手册, 2025-04-28. https://…/cases/xiqiao-yueyuetan/.`

    edition_date: Library.edition_date() (None, for a library stating no date: the date is left out).
    """
    day = _day(edition_date)
    address, _ = case_address(entry, settings)
    container = settings.title + (f", {day.isoformat()}" if day else "")
    return f"{settings.academy}. {entry.case.title}[EB/OL]. {container}. {address}."


def scholar_meta(entry, settings, edition_date: dt.date | dt.datetime | None, pdf_url: str | None = None) -> dict:
    """Google Scholar's citation_* tags for the case page (name → value; values unescaped: the template escapes).

    citation_public_url and citation_pdf_url only when they are absolute addresses (a crawler cannot use others).
    """
    day = _day(edition_date)
    address, is_absolute = case_address(entry, settings)
    meta = {
        "citation_title": entry.case.title,
        "citation_author": settings.academy,
        "citation_inbook_title": settings.title,
        "citation_publisher": settings.academy,
        "citation_language": "zh",
    }
    if day:
        meta["citation_publication_date"] = f"{day.year}/{day.month}/{day.day}"
    if is_absolute:
        meta["citation_public_url"] = address
    if pdf_url and "://" in pdf_url:
        meta["citation_pdf_url"] = pdf_url
    return meta
