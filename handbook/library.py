"""The Library: validated cases placed in the taxonomy, with everything derived from them once.

The site and the PDF both read the Library; neither groups or sorts cases again.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from .content.cases import Case
from .places.order import PlaceGroup, ordered, place_groups
from .content.taxonomy import District, ProblemType, Taxonomy
from .content.synonyms import NONE as NO_SYNONYMS, Synonyms

MAX_RELATED = 5


@dataclass(eq=False)
class Entry:
    """A case with its taxonomy values resolved."""

    case: Case
    district: District
    problem_types: list[ProblemType]
    related: list["Entry"] = field(default_factory=list)
    prev: "Entry | None" = None
    next: "Entry | None" = None
    order: int = 0

    @property
    def id(self) -> str:
        return self.case.id

    def __repr__(self) -> str:  # related/prev/next point back: keep repr flat
        return f"Entry({self.id!r})"

    @property
    def primary_type(self) -> ProblemType:
        return self.problem_types[0]

    @property
    def place_parts(self) -> list[str]:
        """City, district (when readers see it: District.shown), street, community: the one place string,
        joined by each output its own way."""
        c = self.case
        d = self.district
        return [d.city_name, *([d.name] if d.shown else []), *(v for v in (c.street, c.community) if v)]

    @property
    def place(self) -> str:
        return "·".join(self.place_parts)


def _padded(date: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD → YYYY-MM-DD, for comparing."""
    parts = date.split("-")
    return "-".join([parts[0], *(parts[1:] + ["01", "01"])[:2]])


def _order(entry: Entry):
    """Newest year first, then title; cases without a year last."""
    return (-(entry.case.year or 0), entry.case.title, entry.id)


@dataclass
class Library:
    taxonomy: Taxonomy
    entries: list[Entry]
    by_type: dict[str, list[Entry]]
    by_district: dict[str, list[Entry]]
    packs: list = field(default_factory=list)  # course packs (packs.Pack), in file order
    edition: str = "instructor"  # "trainee" for a Library made by for_edition: it holds no note
    handout: bool = False  # a class handout from `pdf` (handout.py): its cases only, no overviews nor guide
    synonyms: Synonyms = NO_SYNONYMS  # content/synonyms.yml: what search also finds a case by

    @property
    def count(self) -> int:
        return len(self.entries)

    def get(self, case_id: str) -> Entry | None:
        return self._index.get(case_id)

    def __post_init__(self):
        self._index = {e.id: e for e in self.entries}
        self._trainee: Library | None = None
        self.packs_of: dict[str, list] = defaultdict(list)  # case id → the packs that use it
        for pack in self.packs:
            for cid in pack.case_ids:
                self.packs_of[cid].append(pack)
        # book numbering: chapter by chapter, each case once, under its first problem type
        self.numbers: dict[str, int] = {}
        for _, own, _ in self.chapters():
            for e in own:
                self.numbers[e.id] = len(self.numbers) + 1

    @property
    def holds_notes(self) -> bool:
        """Whether this Library carries teaching notes (the instructors'): a trainee Library never does."""
        return self.edition != "trainee"

    def for_edition(self, edition: str) -> "Library":
        """The Library a writer of this edition may see.

        The instructor edition sees everything. The trainee edition gets a Library rebuilt from
        copies of the cases without their teaching notes and of the packs without session notes,
        so that a writer of it cannot show a note: the note is not in the data it is handed.
        """
        if edition == "instructor" or self.edition == "trainee":
            return self
        if self._trainee is not None:
            return self._trainee
        cases = [replace(e.case, teaching_note=None, teaching_note_line=0) for e in self.entries]
        packs = [replace(p, sessions=[replace(s, note=None) for s in p.sessions]) for p in self.packs]
        trainee = build_library(cases, self.taxonomy, include_drafts=True, packs=packs)
        trainee.edition = "trainee"
        trainee.handout, trainee.synonyms = self.handout, self.synonyms
        self._trainee = trainee  # made once: every writer of the edition shares it
        return trainee

    def district_index(self) -> list[dict]:
        """Place group (武汉市, 全市, 外地) → its districts in use → their cases in book order (the PDF's index)."""
        return [{"name": g.title, "districts": [{"d": d, "label": g.short(d),
                                                 "entries": sorted(self.by_district[d.key],
                                                                   key=lambda e: self.numbers.get(e.id, 0))}
                                                for d in g.districts]}
                for g in self.place_groups()]

    def types_in_use(self) -> list[ProblemType]:
        return [p for p in self.taxonomy.problem_types if self.by_type.get(p.slug)]

    def districts_in_use(self) -> list[District]:
        """In reading order: the home city's districts, its 全市, then other cities (places/order.py)."""
        return ordered([d for d in self.taxonomy.districts() if self.by_district.get(d.key)])

    def place_groups(self, with_empty: bool = False) -> list[PlaceGroup]:
        """The districts in use (with_empty: every taxonomy district) under their headings, in reading order."""
        return place_groups([d for d in self.taxonomy.districts() if with_empty or self.by_district.get(d.key)])

    def matrix(self) -> dict[tuple[str, str], int]:
        """(problem type slug, district key) → number of cases."""
        counts = Counter()
        for e in self.entries:
            for p in e.problem_types:
                counts[(p.slug, e.district.key)] += 1
        return counts

    def edition_date(self) -> dt.datetime | None:
        """SOURCE_DATE_EPOCH if set, else the newest date the cases state (updated or source dates).

        Both writers stamp their output with it, so the same cases give the same bytes.
        """
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            try:
                return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
            except (ValueError, OverflowError, OSError):
                pass
        dates = []
        for e in self.entries:
            if e.case.updated:
                dates.append(_padded(e.case.updated))
            dates += [_padded(s.date) for s in e.case.sources if s.date]
        if not dates:
            return None
        return dt.datetime.fromisoformat(max(dates)).replace(tzinfo=dt.timezone.utc)

    def newest(self, n: int = 6) -> list[Entry]:
        return self.entries[:n]

    def chapters(self) -> list[tuple[ProblemType, list[Entry], list[Entry]]]:
        """Book chapters: (type, cases whose first type it is, cases that only mention it)."""
        out = []
        for p in self.types_in_use():
            own = [e for e in self.by_type[p.slug] if e.primary_type.slug == p.slug]
            others = [e for e in self.by_type[p.slug] if e.primary_type.slug != p.slug]
            out.append((p, own, others))
        return out


def build_library(cases: list[Case], taxonomy: Taxonomy, include_drafts: bool = False, packs=()) -> Library:
    """Cases must have passed validation: every taxonomy value resolves."""
    entries = []
    for case in cases:
        if case.is_draft and not include_drafts:
            continue
        city = taxonomy.city(case.city)
        entries.append(Entry(case, city.district(case.district),
                             [taxonomy.problem_type(v) for v in case.problem_types]))
    entries.sort(key=_order)
    for i, e in enumerate(entries):
        e.order = i
    by_type: dict[str, list[Entry]] = defaultdict(list)
    by_district: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        for p in e.problem_types:
            by_type[p.slug].append(e)
        by_district[e.district.key].append(e)
    _link_neighbours(entries, by_type, by_district)
    return Library(taxonomy, entries, dict(by_type), dict(by_district),
                   [p for p in packs if include_drafts or not p.is_draft])


def _link_neighbours(entries, by_type, by_district):
    position = {id(e): i for i, e in enumerate(entries)}
    index_in = {}
    for group in (*by_type.values(), *by_district.values()):
        index_in[id(group)] = {id(e): i for i, e in enumerate(group)}

    def window(group: list[Entry], entry: Entry, size: int = 40) -> list[Entry]:
        """Candidates near the entry in the group's order: keeps related cases linear in library size."""
        i = index_in[id(group)][id(entry)]
        return group[max(0, i - size): i + size + 1]

    for e in entries:
        same_type = by_type[e.primary_type.slug]
        i = index_in[id(same_type)][id(e)]
        e.prev = same_type[i - 1] if i > 0 else None
        e.next = same_type[i + 1] if i + 1 < len(same_type) else None
        scores: Counter = Counter()
        for p in e.problem_types:
            for other in window(by_type[p.slug], e):
                scores[id(other)] += 2
        for other in window(by_district[e.district.key], e):
            scores[id(other)] += 1
        scores.pop(id(e), None)
        best = sorted(scores, key=lambda k: (-scores[k], position[k]))[:MAX_RELATED]
        e.related = [entries[position[k]] for k in best]


def select(library: Library, problem_types: list[str], districts: list[str], city: str | None):
    """The cases matching a selection (values by name or slug), as a Library of their own.

    Returns (library, problems, label): problems are messages for unknown values;
    label describes the selection in Chinese for the PDF cover.
    """
    tax = library.taxonomy
    problems, labels = [], []
    types = []
    for value in problem_types:
        found = tax.problem_type(value)
        if found is None:
            problems.append(f"未知的问题类型“{value}” (unknown problem type '{value}')")
        else:
            types.append(found)
    chosen_city = None
    if city:
        chosen_city = tax.city(city)
        if chosen_city is None:
            problems.append(f"未知的城市“{city}” (unknown city '{city}')")
    keys = set()
    for value in districts:
        found = [d for d in tax.find_district(value) if chosen_city is None or d.city_slug == chosen_city.slug]
        if not found:
            problems.append(f"未知的区“{value}” (unknown district '{value}')")
        keys |= {d.key for d in found}
    if problems:
        return library, problems, ""
    if types:
        labels.append("问题类型：" + "、".join(p.name for p in types))
    if chosen_city:
        labels.append("城市：" + chosen_city.name)
    if districts:
        labels.append("地区：" + "、".join(sorted({d.label for d in tax.districts() if d.key in keys})))
    slugs = {p.slug for p in types}
    entries = [e for e in library.entries
               if (not slugs or slugs & {p.slug for p in e.problem_types})
               and (not keys or e.district.key in keys)
               and (chosen_city is None or e.district.city_slug == chosen_city.slug)]
    sub = build_library([e.case for e in entries], tax, include_drafts=True)
    return sub, [], "；".join(labels)
