"""content/synonyms.yml → Synonyms: the field's short forms, found by search (加梯 finds 加装电梯).

The model is Algolia's: a one-way synonym (加梯 → 加装电梯) makes a search for the short form find every
case that uses the long form, not the reverse; a two-way group (物业费 / 物业收费) makes each word find
the others. Pagefind has no synonym or alias feature (its issue #777 is open), so one of two things
had to do it; both were built and measured on the 54 shipped cases (Debian chromium, the site served
on 127.0.0.1, a fresh page per query, median of 5; script: benchmarks/bench_offline.py --synonyms):

| | query expansion in search.js | alias words in the index (chosen) |
|---|---|---|
| 加梯 finds lift cases (7 without either) | 10 / 10 | 10 / 10 |
| searches | 4 (加梯, 加装电梯, 装电梯, 增设电梯), merged by score | 1 |
| requests after Pagefind is loaded | 13 | 6 |
| time to results | 209 ms | 88 ms (first 5 cards' data included) |
| facet counts | none from Pagefind for a union of searches: every merged result's fragment is fetched to count (344 ms) | exact, from the one search |
| ranking | scores of different queries merged | the alias stands where the long form is (title, summary or body) |
| index (pagefind/, bytes) | 604,998 | 605,363 (+0.06 %) |

So the aliases go into the index: each indexing copy of a page (never a page readers see: see
handbook/search.py) gets, beside a section's text, the other words of every rule whose word that text
contains. search.js needs nothing: a short form's pairs are simply there. A rule is applied once to the
text, not again to its own aliases (no chains), and a word is indexed once per page as before.
In the trainee edition the aliases come from public text only: a teaching note's words are aliased
only in the instructor edition's records (search.indexed_note).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


from . import yamlfm
from .problems import Problem, error

FILE_NAME = "synonyms.yml"
_WORD_RE = re.compile(r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")
SECTIONS = ("one_way", "two_way")


@dataclass(frozen=True)
class Rule:
    """When a text contains one of `words`, the index also gets `adds` (the words a search should find it by)."""

    words: tuple[str, ...]
    adds: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Synonyms:
    rules: tuple[Rule, ...] = ()

    def aliases(self, text: str) -> str:
        """The words to index beside text: for each rule one of whose words it contains, the rule's adds."""
        found: list[str] = []
        for rule in self.rules:
            if any(w in text for w in rule.words):
                found += [a for a in rule.adds if a not in text and a not in found]
        return " ".join(found)

    @property
    def key(self) -> tuple:
        """What the search text depends on (a changed table makes every record again)."""
        return tuple((r.words, r.adds) for r in self.rules)


NONE = Synonyms()


def load_synonyms(path: Path) -> tuple[Synonyms, list[Problem]]:
    """The table, or (NONE, problems): every problem at once, each at its line."""
    if not path.exists():
        return NONE, []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return NONE, [error(path, 1, "synonyms-yaml", detail="不是 UTF-8 编码", detail_en="not UTF-8")]
    try:
        data, lines = yamlfm.parse(text)
    except yamlfm.LOAD_ERRORS as exc:
        line = yamlfm.error_line(exc)
        detail = str(getattr(exc, "problem", None) or exc)
        return NONE, [error(path, line, "synonyms-yaml", detail=detail, detail_en=detail)]
    if data is None:
        return NONE, []
    problems: list[Problem] = []

    def where(*key) -> int:
        while key and key not in lines:
            key = key[:-1]
        return lines.get(key, 0) + 1

    if not isinstance(data, dict):
        return NONE, [error(path, 1, "synonyms-not-mapping")]
    for key in data:
        if key not in SECTIONS:
            problems.append(error(path, where(key), "synonyms-unknown-key", key=key))

    def words_of(value, *key) -> list[str] | None:
        """The words of one entry, each checked; None when one is bad (its problem recorded)."""
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            return None
        good, ok = [], True
        for i, w in enumerate(items):
            at = where(*key, i) if not isinstance(value, str) else where(*key)
            w = w.strip() if isinstance(w, str) else w
            if not isinstance(w, str) or not _WORD_RE.match(w):
                problems.append(error(path, at, "synonyms-bad-word", word=str(w)))
                ok = False
            elif w in good:
                problems.append(error(path, at, "synonyms-repeat", word=w))
                ok = False
            else:
                good.append(w)
        return good if ok else []

    rules: list[Rule] = []
    one_way = data.get("one_way") or {}
    if not isinstance(one_way, dict):
        problems.append(error(path, where("one_way"), "synonyms-one-way"))
        one_way = {}
    for long_form, shorts in one_way.items():
        long_ok = words_of(str(long_form), "one_way", long_form)
        found = words_of(shorts, "one_way", long_form)
        if found is None:
            problems.append(error(path, where("one_way", long_form), "synonyms-one-way"))
        elif found and long_ok:
            if long_form in found:
                problems.append(error(path, where("one_way", long_form), "synonyms-repeat", word=long_form))
                continue
            rules.append(Rule((str(long_form),), tuple(found), where("one_way", long_form)))
    two_way = data.get("two_way") or []
    if not isinstance(two_way, list):
        problems.append(error(path, where("two_way"), "synonyms-two-way"))
        two_way = []
    for i, group in enumerate(two_way):
        found = words_of(group, "two_way", i) if isinstance(group, list) else None
        if found is None or (found and len(found) < 2):
            problems.append(error(path, where("two_way", i), "synonyms-two-way"))
        elif found:
            rules += [Rule((w,), tuple(x for x in found if x != w), where("two_way", i)) for w in found]
    if problems:
        return NONE, sorted(problems, key=lambda p: p.line)
    return Synonyms(tuple(rules)), []
