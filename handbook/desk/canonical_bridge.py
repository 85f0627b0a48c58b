"""The one door from the desk to the canonical case serializer (handbook/canonical.py).

A save writes canonical.case_text's bytes and nothing else. The form may hold front-matter keys the schema
does not know (kept from a hand-written file); canonical.case_text refuses those, so they are appended to
the front matter as YAML only for the text the check reads, which then reports them as `check` would
(unknown field, with its did-you-mean). Such a text never reaches the disk: a save with errors is refused.
"""
from __future__ import annotations

import yaml

from ..content import canonical
from ..content.schema import FIELDS


def case_text(meta: dict, body: str, note: str | None) -> str:
    known = {k: v for k, v in meta.items() if k in FIELDS}
    unknown = {k: v for k, v in meta.items() if k not in FIELDS}
    text = canonical.case_text(known, body, note)
    if unknown:
        extra = yaml.safe_dump(unknown, allow_unicode=True, sort_keys=False, width=10**9)
        head, rest = text[4:].split("---\n", 1)
        text = "---\n" + head + extra + "---\n" + rest
    return text


def scalar(value: str) -> str:
    return canonical.scalar(value)
