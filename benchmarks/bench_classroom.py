#!/usr/bin/env python3
"""Benchmark of the classroom kit (handbook/classroom/): decks, readings and worksheets per course pack.

    .venv/bin/python benchmarks/bench_classroom.py                 # the 3 shipped packs; 50 packs over 1,000 cases
    .venv/bin/python benchmarks/bench_classroom.py --cases 300 --packs 10

For each library: every kit writer cold (empty cache), warm (nothing changed: nothing is made) and after
one edited case (only the packs containing it are made again), each as seconds and as a ratio to the
pack PDFs (handbook/pack_pdf.py) of the same packs, measured in the same run. Progress to stderr,
the table (Markdown) to stdout. Generated cases come from benchmarks/bench.py (Gen, make_project).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from cases_gen import make_project  # noqa: E402
from measure import log  # noqa: E402

from handbook.classroom.kit import kit_writers  # noqa: E402
from handbook.config import load_settings  # noqa: E402
from handbook.pdf.packs import PackPdfWriter  # noqa: E402
from handbook.pipeline import check  # noqa: E402
from cases_gen import shipped_project  # noqa: E402


def add_packs(project: Path, packs: int, seed: int = 7) -> None:
    """packs course packs, each two sessions of three cases drawn from the generated ones."""
    ids = sorted(p.stem for p in (project / "cases").glob("case-*.md"))
    r = random.Random(seed)
    (project / "packs").mkdir(exist_ok=True)
    for k in range(packs):
        chosen = r.sample(ids, 6)
        sessions = "".join(f"  - title: 第{n}讲　专题\n    cases: [{', '.join(chosen[3 * i:3 * i + 3])}]\n"
                           f"    questions:\n      - 三个案例的做法各适合什么样的社区？\n    note: 先读背景，再讨论（20 分钟）。\n"
                           for i, n in enumerate("一二"))
        (project / "packs" / f"pack-{k:03d}.yml").write_text(f"title: 生成的课程包第 {k} 号\nsessions:\n{sessions}",
                                                             encoding="utf-8")


def timed(writers, library, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    for w in writers:
        w.write(library, out)
    return time.perf_counter() - start, sum(len(getattr(w, "cache", None).made) if hasattr(w, "cache") else 0
                                            for w in writers)


def measure(project: Path, label: str, edition: str = "trainee") -> list[dict]:
    settings = load_settings(project)
    result = check(settings)
    assert result.ok, [p.format(project) for p in result.problems[:5]]
    library = result.library
    out = project / "out"
    rows = []
    log(f"{label}: pack PDFs (reference)")
    start = time.perf_counter()
    PackPdfWriter(settings, edition).write(library, out)
    reference = time.perf_counter() - start
    for name in ("slides", "reading", "worksheet"):
        def fresh():
            return [w for w in kit_writers(settings, edition) if w.name == name]
        log(f"{label}: {name} cold")
        cold, made_cold = timed(fresh(), library, out)
        log(f"{label}: {name} warm")
        warm, made_warm = timed(fresh(), library, out)
        rows.append({"library": label, "writer": name, "cold": cold, "made cold": made_cold, "warm": warm,
                     "made warm": made_warm, "reference": reference})
    # one edited case: only its packs are made again
    first = library.packs[0].case_ids[0]
    path = library.get(first).case.path
    path.write_text(path.read_text(encoding="utf-8").replace("## 背景\n\n", "## 背景\n\n（修订）", 1), encoding="utf-8")
    result = check(settings)
    containing = sum(first in p.case_ids for p in result.library.packs)
    for row in rows:
        writers = [w for w in kit_writers(settings, edition) if w.name == row["writer"]]
        log(f"{label}: {row['writer']} after one edit")
        row["edit"], row["made edit"] = timed(writers, result.library, out)
        row["packs with the case"] = containing
    return rows


def table(rows: list[dict]) -> str:
    head = ("| library | writer | cold s | made | ÷ pack PDFs | warm s | made | one edit s | made (packs with the case) |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    return head + "".join(
        f"| {r['library']} | {r['writer']} | {r['cold']:.1f} | {r['made cold']} | {r['cold'] / r['reference']:.2f} | "
        f"{r['warm']:.2f} | {r['made warm']} | {r['edit']:.1f} | {r['made edit']} ({r['packs with the case']}) |\n"
        for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--packs", type=int, default=50)
    parser.add_argument("--no-shipped", action="store_true", help="skip the 3 shipped packs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as tmp:
        rows = []
        if not args.no_shipped:
            rows += measure(shipped_project(Path(tmp)), "3 shipped packs")
        if args.packs:
            log(f"generating {args.cases} cases, {args.packs} packs")
            project = make_project(args.cases, Path(tmp))
            add_packs(project, args.packs)
            rows += measure(project, f"{args.packs} packs / {args.cases} cases")
    print(table(rows))


if __name__ == "__main__":
    main()
