"""The comparison on the site: cases side by side (problem, mechanism, actors, outcome as rows).

A pack page shows its own cases' table, rendered with the page. The finder lets a reader tick
2–4 of any cases and opens compare/?cases=a,b,c: a static page whose script (assets/compare.js)
reads compare/cases.json and draws the same table, so the address can be shared and no server
is needed. The rows come from material.CaseMaterial.comparison, the same as the deck's
comparison slide; only public front-matter fields are in it, so neither edition's data holds a note.
"""
from __future__ import annotations

import json

from ..library import Library
from ..outputs.urls import url_for
from .material import COMPARISON_ROWS, case_material

DATA_FILE = "compare/cases.json"
MAX_CASES = 4


def comparison_columns(entries) -> list[dict]:
    """One column per case: its title, address, place, year and the four rows."""
    out = []
    for e in entries:
        m = case_material(e)
        out.append({"id": e.id, "title": e.case.title, "url": url_for("case", e), "place": e.place,
                    "year": e.case.year, **m.comparison()})
    return out


def compare_data(library: Library) -> str:
    """compare/cases.json: the rows (labels) and every published case's column, by id."""
    columns = comparison_columns(library.entries)
    data = {"rows": [{"key": k, "label": label} for k, label in COMPARISON_ROWS],
            "max": MAX_CASES, "cases": {c["id"]: c for c in columns}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def pack_kit(library: Library, pack, downloads: dict) -> dict:
    """What a pack page shows of the kit: its files with sizes (kit.downloads) and its comparison table."""
    return {"downloads": downloads.get(pack.id),
            "comparison": comparison_columns([library.get(c) for c in pack.case_ids if library.get(c)]),
            "comparison_rows": COMPARISON_ROWS}
