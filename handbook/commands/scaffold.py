"""`build.py new`: a new case file from cases/_template.md, with what the instructor already knows filled in."""
from __future__ import annotations

import re
from pathlib import Path

from ..content.canonical import scalar
from ..errors import UsageError
from ..content.schema import FIELDS, ID_RE

TEMPLATE = "_template.md"


class ScaffoldError(UsageError):
    """The new case cannot be written; the message says why, in both languages."""


def _set_line(text: str, field: str, value: str) -> str:
    return re.sub(rf"(?m)^{field}:.*$", lambda m: f"{field}: {value}", text, count=1)


def _yaml_text(value: str) -> str:
    """A value written as in every case file (canonical.scalar: plain unless YAML would misread it)."""
    return scalar(value.strip())


def new_case(cases_dir: Path, case_id: str, title: str | None = None, district: str | None = None,
             problem_types: list[str] | None = None, city: str | None = None) -> Path:
    if not (3 <= len(case_id) <= 80 and ID_RE.match(case_id)):
        raise ScaffoldError(
            f"编号“{case_id}”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，例如 xiqiao-yueyuetan "
            f"(bad case id '{case_id}': use lowercase letters, digits and single hyphens, 3 to 80 characters)")
    target = cases_dir / f"{case_id}.md"
    clash = [p for p in cases_dir.glob("*.md") if p.name.lower() == target.name.lower()]
    if clash:
        raise ScaffoldError(f"{clash[0].relative_to(cases_dir.parent).as_posix()} 已经存在，请换一个编号 "
                            f"(case '{case_id}' already exists)")
    template = cases_dir / TEMPLATE
    if not template.exists():
        raise ScaffoldError(f"找不到模板 cases/{TEMPLATE} (template cases/{TEMPLATE} is missing)")
    text = template.read_text(encoding="utf-8-sig")
    if title:
        text = _set_line(text, "title", _yaml_text(title))
    if city:
        text = _set_line(text, "city", _yaml_text(city))
    if district:
        text = _set_line(text, "district", _yaml_text(district))
    if problem_types:
        items = "\n".join(f"  - {_yaml_text(p)}" for p in problem_types)
        text = re.sub(r"(?m)^problem_types:\n  -[^\n]*$", lambda m: f"problem_types:\n{items}", text, count=1)
    target.write_text(text, encoding="utf-8")
    return target


def new_pack(packs_dir: Path, pack_id: str) -> Path:
    """packs/<id>.yml from the pack template (packs.template_text)."""
    from ..content.packs import template_text

    if not (3 <= len(pack_id) <= 80 and ID_RE.match(pack_id)):
        raise ScaffoldError(
            f"编号“{pack_id}”不符合规则：只能用小写英文字母、数字和单个连字符，长度 3 到 80，例如 jiazhuang-dianti "
            f"(bad pack id '{pack_id}': use lowercase letters, digits and single hyphens, 3 to 80 characters)")
    target = packs_dir / f"{pack_id}.yml"
    if target.exists():
        raise ScaffoldError(f"packs/{target.name} 已经存在，请换一个编号 (pack '{pack_id}' already exists)")
    packs_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(template_text(), encoding="utf-8")
    return target
