"""The Library: grouping, order, related cases, neighbours, counts."""
from __future__ import annotations


from handbook.content.cases import load_case
from handbook.library import MAX_RELATED, build_library
from handbook.content.taxonomy import load_taxonomy

from .conftest import case_text


def make(project, specs):
    tax, _ = load_taxonomy(project / "cases" / "taxonomy.yml")
    cases = []
    for i, (types, district, year) in enumerate(specs):
        text = case_text(title=f"案例标题{i:03d}", district=district, year=year, problem_types=f"[{types}]")
        case, problems = load_case(project / "cases" / f"case-{i:03d}.md", text.encode())
        assert not problems, problems
        cases.append(case)
    return tax, cases


def test_order_groups_counts(project):
    tax, cases = make(project, [("加装电梯", "江汉区", 2020), ("加装电梯, 停车管理", "武昌区", 2023),
                                ("停车管理", "江汉区", None), ("协商议事", "全市", 2023)])
    lib = build_library(cases, tax)
    assert [e.case.title for e in lib.entries] == ["案例标题001", "案例标题003", "案例标题000", "案例标题002"]
    assert [e.id for e in lib.by_type["parking"]] == ["case-001", "case-002"]
    assert [e.id for e in lib.by_district["wuhan/jianghan"]] == ["case-000", "case-002"]
    assert lib.matrix()[("elevator", "wuhan/jianghan")] == 1
    assert [p.slug for p in lib.types_in_use()] == ["elevator", "parking", "deliberation"]
    chapters = {p.slug: ([e.id for e in own], [e.id for e in other]) for p, own, other in lib.chapters()}
    assert chapters["parking"] == (["case-002"], ["case-001"])


def test_related_best_first_and_capped(project):
    specs = [("加装电梯, 停车管理", "江汉区", 2020)] + [("协商议事", "武昌区", 2020)] * 8 + \
            [("停车管理", "武昌区", 2019), ("加装电梯, 停车管理", "江汉区", 2018)] + [("加装电梯", "武昌区", 2017)] * 6
    tax, cases = make(project, specs)
    lib = build_library(cases, tax)
    first = lib.get("case-000")
    assert first.related[0].id == "case-010"  # shares both types and the district
    assert len(first.related) == MAX_RELATED
    assert first not in first.related
    assert all(set(p.slug for p in r.problem_types) & {"elevator", "parking"} for r in first.related)


def test_prev_next_within_primary_type(project):
    tax, cases = make(project, [("加装电梯", "江汉区", 2023), ("加装电梯", "江汉区", 2022), ("停车管理", "江汉区", 2021)])
    lib = build_library(cases, tax)
    a, b = lib.get("case-000"), lib.get("case-001")
    assert a.next is b and b.prev is a and a.prev is None and b.next is None


def test_drafts_left_out_unless_asked(project):
    tax, cases = make(project, [("加装电梯", "江汉区", 2023)])
    cases[0].status = "draft"
    assert build_library(cases, tax).count == 0
    assert build_library(cases, tax, include_drafts=True).count == 1


def test_the_trainee_library_holds_no_note_of_the_shipped_cases():
    """What a trainee writer is handed has no teaching note and no pack note at all, not even hidden."""
    from handbook.config import load_settings
    from handbook.pipeline import check

    from .conftest import ROOT

    full = check(load_settings(ROOT)).library
    assert any(e.case.teaching_note for e in full.entries)
    assert any(s.note for p in full.packs for s in p.sessions)
    trainee = full.for_edition("trainee")
    assert [e.id for e in trainee.entries] == [e.id for e in full.entries]
    assert not any(e.case.teaching_note for e in trainee.entries)
    assert not any(s.note for p in trainee.packs for s in p.sessions)
    assert trainee.for_edition("trainee") is trainee and full.for_edition("instructor") is full
    assert trainee.numbers == full.numbers
    assert [[r.id for r in e.related] for e in trainee.entries] == [[r.id for r in e.related] for e in full.entries]
    # the full Library is left as it was
    assert any(e.case.teaching_note for e in full.entries)
