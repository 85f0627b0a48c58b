"""Rules that need more than one file: the taxonomy, links between cases, images, sections.

Pure functions over loaded data; they return problems and never raise.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..mistakes.duplicates import duplicate_problems
from ..mistakes.sections import section_problems
from ..mistakes.images import heavy_image_problems, image_reference_problems, unusable
from .schema import TEACHING_NOTE, Case, suggest
from .problems import Problem, error, warning
from .taxonomy import Taxonomy

LINK_RE = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
HEADING_RE = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _unknown(path, line, kind_zh, kind_en, value, candidates) -> Problem:
    near = suggest(str(value), candidates)
    hint = f"是否应为“{near}”？" if near else ""
    hint_en = f" Did you mean '{near}'?" if near else ""
    return error(path, line, "unknown-value", kind_zh=kind_zh, kind_en=kind_en, value=value, hint=hint, hint_en=hint_en)


def validate_case(case: Case, taxonomy: Taxonomy, case_ids: set[str], cases_dir: Path,
                  edition: str = "trainee") -> list[Problem]:
    problems: list[Problem] = []
    path = case.path
    city = taxonomy.city(case.city) if case.city else None
    if case.city and city is None:
        problems.append(_unknown(path, case.line_of("city"), "城市", "city", case.city,
                                 [v for c in taxonomy.cities for v in (c.name, c.slug)]))
    elif city is not None and case.district and city.district(case.district) is None:
        elsewhere = list(dict.fromkeys(d.city_name for d in taxonomy.find_district(case.district)))
        if len(elsewhere) == 1:
            problems.append(error(path, case.line_of("district"), "district-other-city", value=case.district,
                                  city=city.name, other_city=elsewhere[0]))
        elif elsewhere:
            problems.append(error(path, case.line_of("district"), "district-other-cities", value=case.district,
                                  city=city.name, other_cities="、".join(elsewhere)))
        else:
            near = suggest(str(case.district), [v for d in city.districts for v in (d.name, d.slug)])
            problems.append(error(path, case.line_of("district"), "unknown-district", value=case.district,
                                  city=city.name, hint=f"是否应为“{near}”？" if near else "",
                                  hint_en=f" Did you mean '{near}'?" if near else ""))
    seen = {}
    for i, value in enumerate(case.problem_types):
        line = case.line_of("problem_types", i)
        ptype = taxonomy.problem_type(value)
        if ptype is None:
            problems.append(_unknown(path, line, "问题类型", "problem type", value,
                                     [v for p in taxonomy.problem_types for v in (p.name, p.slug)]))
        elif ptype.slug in seen:
            problems.append(error(path, line, "repeat", field="problem_types", value=f"{seen[ptype.slug]} / {value}"))
        else:
            seen[ptype.slug] = value
    problems += check_body(case, case_ids, cases_dir)
    if edition == "instructor" and not case.is_draft and case.teaching_note is None:
        problems.append(warning(path, case.body_line, "teaching-note-missing", heading=f"## {TEACHING_NOTE}"))
    return problems


def check_body(case: Case, case_ids: set[str], cases_dir: Path) -> list[Problem]:
    problems = image_reference_problems(case) + heavy_image_problems(case, cases_dir)
    problems += section_problems(case)
    for match in LINK_RE.finditer(case.body):
        is_image, target = match.group(1) == "!", match.group(2)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("#"):
            continue
        line = case.body_line + case.body.count("\n", 0, match.start())
        local = unquote(parts.path)
        if is_image:
            if unusable(target):
                continue  # reported with its own cause by mistakes/images.py
            image = (cases_dir / local).resolve()
            images = (cases_dir / "images").resolve()
            if not image.is_file() or images not in image.parents:
                problems.append(error(case.path, line, "missing-image", target=target))
        elif local.endswith(".md"):
            if Path(local).name[:-3] not in case_ids or "/" in local.strip("./"):
                problems.append(error(case.path, line, "broken-case-link", target=target))
    return problems


def validate_cases(cases: list[Case], taxonomy: Taxonomy, cases_dir: Path, edition: str = "trainee") -> list[Problem]:
    ids = {c.id for c in cases}
    problems = duplicate_problems(cases)
    for case in cases:
        problems += validate_case(case, taxonomy, ids, cases_dir, edition)
    return problems
