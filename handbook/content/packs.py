"""Course packs: packs/<id>.yml → typed Pack objects, checked against the cases (case-format.md, "Course packs").

A pack is the material for one class: sessions in order, each an ordered list of
cases with extra questions and an instructor-only note. Its fields are declared in
two tables (schema.PACK_FIELDS, SESSION_FIELDS) and checked by the same processors as case
fields (schema.KINDS), so a pack's mistakes read exactly like a case's:
`packs/<id>.yml:<line>: error: ...`, every one at once, with did-you-mean hints.
A session's `note` is instructor-only, like a case's teaching note: the trainee
writers read Pack.sessions[i].note never (templates show it only for the instructor edition).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cases import _decode, _parse_front
from .problems import Problem, error, warning
from .schema import ID_RE, INVALID, KINDS, PACK_FIELDS, SESSION_FIELDS, FieldContext, FieldSpec, hint, suggest  # noqa: F401

MAX_BYTES = 256 * 1024
@dataclass
class Session:
    title: str
    cases: list[str]
    questions: list[str] = field(default_factory=list)
    note: str | None = None  # instructor-only
    line: int = 1
    case_lines: list[int] = field(default_factory=list)


@dataclass
class Pack:
    id: str
    path: Path
    title: str = ""
    summary: str | None = None
    audience: str | None = None
    date: str | None = None
    sessions: list[Session] = field(default_factory=list)
    status: str = "published"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def case_ids(self) -> list[str]:
        """Every case of the pack once, in order of first use."""
        return list(dict.fromkeys(cid for s in self.sessions for cid in s.cases))


def pack_files(packs_dir: Path) -> list[Path]:
    if not packs_dir.is_dir():
        return []
    return sorted(p for p in packs_dir.glob("*.yml") if not p.name.startswith(("_", ".")))


def load_packs(packs_dir: Path) -> tuple[list[Pack], list[Problem]]:
    packs, problems = [], []
    for path in pack_files(packs_dir):
        pack, found = load_pack(path)
        problems += found
        if pack is not None:
            packs.append(pack)
    return packs, problems


def load_pack(path: Path) -> tuple[Pack | None, list[Problem]]:
    problems: list[Problem] = []
    pack_id = path.stem
    if not (3 <= len(pack_id) <= 80 and ID_RE.match(pack_id)):
        problems.append(error(path, 1, "bad-id", name=path.name))
    if path.stat().st_size > MAX_BYTES:
        return None, problems + [error(path, 1, "too-large", size=path.stat().st_size, limit=MAX_BYTES)]
    text, problem = _decode(path, path.read_bytes())
    if problem:
        return None, problems + [problem]
    meta, lines, found = _parse_front(path, text)
    problems += found  # keyboard slips come with the repaired fields
    if meta is None:
        return None, problems
    ctx = FieldContext(path, {k: v + 1 for k, v in lines.items()})
    values = _fields(ctx, meta, PACK_FIELDS, ())
    pack = Pack(id=pack_id, path=path, **values)
    return pack, problems + ctx.problems


def _fields(ctx: FieldContext, meta: dict, table: dict[str, FieldSpec], at: tuple) -> dict:
    """Typed values of one mapping (the pack, or one session at `at`), problems into ctx."""
    values: dict = {}
    for key in meta:
        if str(key) not in table:
            zh, en = hint(str(key), table)
            ctx.add(ctx.line(*at, str(key), default=ctx.line(*at)), "unknown-field", field=key, hint=zh, hint_en=en)
    for name, spec in table.items():
        line = ctx.line(*at, name, default=ctx.line(*at) if at else 1)
        value = meta.get(name)
        if value in (None, "", []):
            if spec.required:
                ctx.add(line, "missing-field", field=name, label=spec.doc)
            continue
        if spec.kind == "sessions":
            result = _sessions(ctx, spec, value, line)
        else:
            local = FieldContext(ctx.path, {k[len(at):]: v for k, v in ctx.lines.items() if k[:len(at)] == at})
            result = KINDS[spec.kind].process(local, spec, value, line)
            ctx.problems += local.problems
        if result is not INVALID:
            values[name] = result
    return values


def _sessions(ctx: FieldContext, spec: FieldSpec, value, line: int):
    if not isinstance(value, list):
        ctx.wrong_type(line, spec.name, "list", value)
        return INVALID
    if not (spec.min <= len(value) <= spec.max):
        ctx.add(line, "count", field=spec.name, min=spec.min, max=spec.max, n=len(value))
    sessions = []
    for i, item in enumerate(value):
        item_line = ctx.line("sessions", i, default=line)
        if not isinstance(item, dict):
            ctx.wrong_type(item_line, f"sessions[{i + 1}]", "mapping", item)
            continue
        values = _fields(ctx, item, SESSION_FIELDS, ("sessions", i))
        cases = values.get("cases", [])
        sessions.append(Session(title=values.get("title", ""), cases=cases, questions=values.get("questions", []),
                                note=values.get("note"), line=item_line,
                                case_lines=[ctx.line("sessions", i, "cases", k, default=item_line)
                                            for k in range(len(cases))]))
    return sessions


def validate_packs(packs: list[Pack], cases, broken: set[str] = frozenset()) -> list[Problem]:
    """Every listed case exists and is published; a case twice in one pack is a warning.

    broken: ids of case files that failed to load; their own errors are reported at the case,
    so the pack says only that (no "does not exist, did you mean" for a file that is there).
    """
    published = {c.id for c in cases if not c.is_draft}
    drafts = {c.id for c in cases if c.is_draft}
    by_title = {c.title: c.id for c in cases if c.title and not c.is_draft}
    problems = []
    for pack in packs:
        seen: set[str] = set()
        for session in pack.sessions:
            for cid, line in zip(session.cases, session.case_lines):
                if cid in drafts:
                    problems.append(error(pack.path, line, "pack-draft-case", id=cid))
                elif cid in broken:
                    problems.append(warning(pack.path, line, "pack-broken-case", id=cid))
                elif cid not in published and (title := _title_match(cid, by_title)):
                    problems.append(error(pack.path, line, "pack-title-case", title=cid, id=by_title[title]))
                elif cid not in published:
                    zh, en = hint(cid, sorted(published))
                    problems.append(error(pack.path, line, "pack-unknown-case", id=cid, hint=zh, hint_en=en))
                elif cid in seen:
                    problems.append(warning(pack.path, line, "pack-repeat-case", id=cid))
                seen.add(cid)
    return problems


def _title_match(entry: str, by_title: dict[str, str]) -> str | None:
    """The case title an entry spells (exactly, or nearly: a missing or extra character or quote)."""
    if entry in by_title:
        return entry
    near = suggest(entry, by_title, cutoff=0.8)
    return near


def pack_sources(pack: Pack, library) -> list:
    """The sources of the pack's cases, each once, in order of first use (the pack PDF's sources list)."""
    out = []
    for cid in pack.case_ids:
        entry = library.get(cid)
        for s in entry.case.sources if entry else []:
            if s not in out:
                out.append(s)
    return out


def template_text() -> str:
    """The scaffold of `build.py new-pack`: every field of the tables, with what to write."""
    return f"""# 课程包：一次培训课用到的案例，按课次排列（规则见 content/instructors.md，“课程包”一节）
# 标题（必填，4 到 60 个字）
title: 
# 简介（可不填，200 字以内）
summary: 
# 学员对象（可不填）
audience: 
# 上课日期（可不填）：YYYY-MM-DD
date: 
# 课次（必填，1 到 20 次），每次课：标题、案例编号（1 到 12 个，cases/ 里的文件名去掉 .md）、讨论题、教师备注
sessions:
  - title: 第一讲　
    cases: []
    questions: []
    # 教师备注只出现在教师版里，学员看不到
    note: 
status: published
"""

