"""DeckWriter: site/packs/<id>.pptx for every course pack, the slides an instructor projects.

The order follows how a case is taught: per case the place and the problem first (a neutral
title, never the case's own title that names the solution), then 背景 and the dilemma, the key
facts and actors, the discussion questions; only after them the "reveal" slides with the case's
title, summary, 做法 and 成效. Each session ends with its own questions and a comparison table
of its cases; the deck closes with 启示 and the sources. The instructor edition's Library holds
the notes, and they become speaker notes (the case's teaching note on its title slide, the
session's note on the session slide); the trainee Library has none, so its deck has no notes part.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..config import EDITION_MARK, Settings
from ..library import Library
from ..outputs.claims import Claim
from ..content.packs import Pack, pack_sources
from ..pdf.book import chinese_number
from ..outputs.urls import url_for
from ..outputs.writer import Writer
from . import measure
from .cache import KitCache, inputs_key
from .deck import ACCENT, BODY, FOOTER, MUTED, TITLE, Box, Deck, shorten_cells
from .material import COMPARISON_ROWS, CaseMaterial, case_material, first_sentence

BODY_PT, TITLE_PT, TABLE_PT = 20, 30, 12
COLUMNS_PER_SLIDE = 4
_MINUTES_RE = re.compile(r"(\d+)\s*分钟")


def place_of(m: CaseMaterial) -> str:
    return m.neutral_title.split("：", 1)[0]


class DeckBuilder:
    def __init__(self, pack: Pack, library: Library, settings: Settings, edition: str):
        self.pack, self.library, self.settings = pack, library, settings
        self.instructor = edition == "instructor"
        self.deck = Deck(pack.title, settings.academy, library.edition_date())
        self.materials = {cid: case_material(library.get(cid)) for cid in pack.case_ids if library.get(cid)}
        self.number = {cid: n for n, cid in enumerate(self.materials, start=1)}  # 材料N, as in the reading

    # ----------------------------------------------------------------- one kind of slide each

    def page(self, title: str, paragraphs: list[str], notes: str | None = None, size: float = BODY_PT,
             color=None) -> None:
        """A titled slide per page of paragraphs (续 on the following ones)."""
        w, h = BODY.inner
        pages = measure.paginate(paragraphs, w, h, size)
        for k, paras in enumerate(pages):
            s = self.deck.slide(notes if k == 0 else None)
            self.deck.fitted(s, TITLE, title + ("（续）" if k else ""), TITLE_PT, 18, bold=True, color=ACCENT)
            if paras:
                self.deck.text(s, BODY, paras, size, **({"color": color} if color else {}))
            self.footer(s)

    def footer(self, s) -> None:
        n = len(self.deck.frames)
        self.deck.fitted(s, FOOTER, f"{self.pack.title}　·　{n}", 11, 8, color=MUTED)

    def cover(self) -> None:
        s = self.deck.slide()
        self.deck.fitted(s, Box(48, 96, 864, 130), self.pack.title, 40, 24, bold=True, color=ACCENT)
        meta = "　".join(x for x in (self.pack.audience and f"对象：{self.pack.audience}", self.pack.date,
                                     self.settings.academy) if x)
        self.deck.fitted(s, Box(48, 232, 864, 40), meta, 18, 10, color=MUTED)
        plan = [self.session_plan(i, session) for i, session in enumerate(self.pack.sessions, start=1)]
        box = Box(48, 284, 864, 170)
        size = next((sz for sz in (18, 16, 14, 12, 10) if sum(measure.height(p, box.inner[0], sz) for p in plan)
                     <= box.inner[1]), None)
        if size is None:
            plan = [measure.fit_size("；".join(plan), *box.inner, 10, 10)[1]]
            size = 10
        self.deck.text(s, box, plan, size, gap=0)
        if self.instructor:
            self.deck.fitted(s, Box(48, 460, 864, 34), EDITION_MARK, 16, 10, bold=True, color=(0xB0, 0x2A, 0x2A))

    def session_plan(self, i: int, session) -> str:
        cases = [place_of(self.materials[c]) for c in session.cases if c in self.materials]
        minutes = sum(int(x) for x in _MINUTES_RE.findall(session.note or ""))
        plan = "读背景 → 讨论 → 揭晓做法与成效 → 比较"
        return (f"{session.title}：{len(cases)} 个案例，{plan}" + (f"，约 {minutes} 分钟" if minutes else ""))

    def goals(self) -> None:
        paras = ["学完本课，学员能够："]
        for session in self.pack.sessions:
            places = "、".join(place_of(self.materials[c]) for c in session.cases if c in self.materials)
            paras.append(f"• {session.title.split('　')[-1]}：分析{places}面对的难题，比较各自的做法和成效")
        paras.append("• 把案例中的办法对照本社区的情况，说出可以借鉴和需要调整的地方")
        if self.pack.summary:
            paras.insert(0, self.pack.summary)
        self.page("学习目标", paras)

    def case(self, m: CaseMaterial) -> None:
        c = m.entry.case
        s = self.deck.slide(m.note)
        self.deck.fitted(s, Box(48, 110, 864, 36), f"材料{self.number[m.id]}", 18, 12, color=MUTED)
        self.deck.fitted(s, Box(48, 150, 864, 130), m.neutral_title, 36, 20, bold=True, color=ACCENT)
        facts = "　".join(x for x in (m.entry.place, m.year, getattr(c, "case_kind", None)) if x)
        self.deck.fitted(s, Box(48, 290, 864, 70), facts, 20, 12, color=MUTED)
        self.deck.fitted(s, Box(48, 370, 864, 70), "问题类型：" + "、".join(p.name for p in m.entry.problem_types),
                         20, 12)
        self.footer(s)
        if m.background:
            self.page(f"背景 · {place_of(m)}", m.background)
        if m.dilemma:
            self.page(f"难题 · {place_of(m)}", [m.dilemma])
        facts = [f"地点：{m.entry.place}", f"时间：{m.year}",
                 "问题类型：" + "、".join(p.name for p in m.entry.problem_types)]
        if c.actors:
            facts.append("参与方：" + "、".join(c.actors))
        self.page(f"关键事实与参与方 · {place_of(m)}", facts)
        if c.discussion_questions:
            self.page(f"讨论 · {place_of(m)}", [f"{i}. {q}" for i, q in enumerate(c.discussion_questions, 1)])
        self.page(f"揭晓 · {c.title}", [c.summary])
        if m.practice:
            self.page(f"做法 · {place_of(m)}", ([f"做法要点：{'、'.join(c.mechanisms)}"] if c.mechanisms else [])
                      + m.practice)
        if m.outcomes:
            self.page(f"成效 · {place_of(m)}", [f"• {o}" for o in m.outcomes])

    def comparison(self, title: str, materials: list[CaseMaterial]) -> None:
        for k in range(0, len(materials), COLUMNS_PER_SLIDE):
            chunk = materials[k:k + COLUMNS_PER_SLIDE]
            header = [""] + [f"材料{self.number[m.id]} {place_of(m)}" for m in chunk]
            rows = [(label, [m.comparison()[key] for m in chunk]) for key, label in COMPARISON_ROWS]
            s = self.deck.slide()
            self.deck.fitted(s, TITLE, title + ("（续）" if k else ""), TITLE_PT, 18, bold=True, color=ACCENT)
            cells = shorten_cells(header, rows, BODY, TABLE_PT)
            self.deck.table(s, BODY, header, cells, TABLE_PT)
            self.footer(s)

    def session(self, i: int, session) -> None:
        materials = [self.materials[c] for c in session.cases if c in self.materials]
        s = self.deck.slide(session.note)
        self.deck.fitted(s, Box(48, 150, 864, 110), session.title, 40, 24, bold=True, color=ACCENT)
        self.deck.text(s, Box(48, 280, 864, 200), [f"{n}. {m.neutral_title}" for n, m in enumerate(materials, 1)]
                       if self._fits_list(materials) else [measure.fit_size(
                           "；".join(m.neutral_title for m in materials), 856, 190, 12, 12)[1]],
                       BODY_PT if self._fits_list(materials) else 12, gap=0.2, color=MUTED)
        self.footer(s)
        for m in materials:
            self.case(m)
        if session.questions:
            self.page(f"本讲讨论题 · 第{chinese_number(i)}讲",
                      [f"{n}. {q}" for n, q in enumerate(session.questions, 1)])
        if len(materials) > 1:
            self.comparison(f"比较 · {session.title.split('　')[-1]}", materials)

    def _fits_list(self, materials) -> bool:
        return (sum(measure.height(f"{n}. {m.neutral_title}", 849.6, BODY_PT) for n, m in enumerate(materials, 1))
                + 0.2 * BODY_PT * measure.LINE_PITCH * (len(materials) - 1)) <= 192.8

    def closing(self) -> None:
        paras = []
        for m in self.materials.values():
            for insight in m.insights[:2]:
                paras.append(f"• {place_of(m)}：{first_sentence(insight)}")
        self.page("启示", paras or ["请结合本社区的情况，说出可以借鉴的做法。"])
        sources = [f"{s.publisher}《{s.title}》，{s.date}" + (f"，{s.url}" if s.url else "")
                   for s in pack_sources(self.pack, self.library)]
        self.page("来源", sources, size=14)

    def build(self) -> bytes:
        self.cover()
        self.goals()
        for i, session in enumerate(self.pack.sessions, start=1):
            self.session(i, session)
        self.closing()
        return self.deck.save()


def deck_bytes(pack: Pack, library: Library, settings: Settings, edition: str) -> bytes:
    return DeckBuilder(pack, library, settings, edition).build()


class DeckWriter(Writer):
    """packs/<id>.pptx for every pack, made from the edition's Library and cached by its inputs."""

    name = "slides"

    def __init__(self, settings: Settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition
        self.cache = KitCache(settings, f"slides-{edition}", ".pptx")

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(url_for("pack_deck", p), f"课程包 {p.id} 的幻灯片", f"the slide deck of pack {p.id}", p.path)
                for p in library.packs]

    def cached(self, pack: Pack, library: Library) -> Path:
        key = inputs_key("slides", pack, library, self.settings, self.edition)
        return self.cache.get(key, pack.id, lambda path: path.write_bytes(
            deck_bytes(pack, library, self.settings, self.edition)))

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        library = library.for_edition(self.edition)
        used = []
        for pack in library.packs:
            target = out / url_for("pack_deck", pack)
            target.parent.mkdir(parents=True, exist_ok=True)
            used.append(self.cached(pack, library))
            shutil.copyfile(used[-1], target)
        self.cache.keep(used, spare=len(used) + 2)
