"""The book: `python build.py pdf` of N cases, and the book at library scale, in pieces against one document.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from cases_gen import cli_features, make_project
from measure import BENCH, NA, PY, ROOT, log, run_measured


def pdf_pages(path: Path) -> int | None:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


PDF_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from handbook.config import load_settings
from handbook.pipeline import check
from handbook.pdf.book import build_pdf
settings = load_settings(Path({project!r}))
result = check(settings)
assert result.library is not None, [str(p) for p in result.problems][:5]
build_pdf(result.library, settings, Path({out!r}))
"""


def measure_pdf(n: int, parent: Path) -> dict:
    project = make_project(n, parent)
    feats = cli_features(project)
    out = project / "bench.pdf"
    res: dict = {"n": n, "project": str(project)}
    if feats["pdf"]:
        cmd = [PY, "build.py", "pdf", "-o", str(out)]
        res["how"] = "build.py pdf -o FILE"
    elif (ROOT / "handbook" / "pdf" / "book.py").exists():
        cmd = [PY, "-c", PDF_CHILD.format(root=str(ROOT), project=str(project), out=str(out))]
        res["how"] = "handbook.pdf.build_pdf (no `pdf` command yet)"
    else:
        res["how"] = NA
        return res
    log(f"PDF of {n} cases ({res['how']}) ...")
    first = run_measured(cmd, project)
    if first["rc"] != 0 or not out.exists():
        log(f"PDF build failed: {first['stderr'][-1500:]}")
        res["error"] = first["stderr"][-300:]
        return res
    res.update(seconds=first["seconds"], rss_mb=first["rss_mb"], mb=out.stat().st_size / 2**20, pages=pdf_pages(out))
    log(f"PDF: {first['seconds']:.1f} s, {res['pages']} pages; second run ...")
    if feats["pdf"]:
        second = run_measured(cmd, project)
        res["second_seconds"] = second["seconds"] if second["rc"] == 0 else None
    else:
        res["second_seconds"] = None  # build_pdf has no skip path; the second run is measured only through the CLI
    return res


def pdf_scale_child(project: Path, mode: str) -> None:
    """In a child process, one of: "single" (the book as one WeasyPrint document, the reference), "pieces" (in
    pieces, cache emptied first: cold), "edit" (one case in the middle of the book gets a sentence more, then the
    book in pieces again), "again" (nothing changed: every piece from cache). Prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from handbook.config import load_settings
    from handbook.pdf.book import build_pdf, build_pdf_in_pieces
    from handbook.pipeline import check

    settings = load_settings(project)
    out = project / f"book-{mode}.pdf"
    if mode == "edit":
        case = sorted((project / "cases").glob("case-*.md"))[len(list((project / "cases").glob("case-*.md"))) // 2]
        text = case.read_text(encoding="utf-8")
        case.write_text(text.rstrip("\n") + "\n\n这次修订补充了一段说明，记录居民议事会后来的回访情况。\n", encoding="utf-8")
    library = check(settings).library
    w, c = time.perf_counter(), time.process_time()
    res: dict = {"mode": mode, "cases": library.count}
    if mode == "single":
        build_pdf(library, settings, out)
    else:
        if mode == "pieces":
            shutil.rmtree(settings.cache_dir / "pdf", ignore_errors=True)
        renderer = build_pdf_in_pieces(library, settings, out)
        res["laid_out"] = renderer.laid_out
        res["pieces"] = len(renderer.used)
    res["seconds"], res["cpu_s"] = time.perf_counter() - w, time.process_time() - c
    res["pages"], res["mb"] = pdf_pages(out), out.stat().st_size / 2**20
    print(json.dumps(res))


def measure_pdf_scale(n: int, parent: Path, reference_max: int) -> dict:
    """The n-case book: one document (up to reference_max cases) against pieces cold, after an edit, unchanged."""
    project = make_project(n, parent)
    res: dict = {"n": n}
    for mode in (["single"] if n <= reference_max else []) + ["pieces", "edit", "again"]:
        log(f"book of {n} cases: {mode} ...")
        r = run_measured([PY, str(BENCH), "--_pdf-scale", str(project), mode], ROOT)
        if r["rc"] != 0:
            log(f"book of {n} cases, {mode}: failed: {r['stderr'][-1500:]}")
            res[mode] = {"error": r["stderr"][-300:]}
            continue
        one = json.loads(r["stdout"].strip().splitlines()[-1])
        one["rss_mb"] = r["rss_mb"]
        res[mode] = one
        log(f"book of {n} cases, {mode}: {one}")
    return res


def pdf_scale_table(rows: list[dict]) -> str:
    head = ["cases", "pages", "one document s (peak MB)", "pieces cold s (× one document)", "peak MB",
            "one case edited s (× cold)", "pieces laid out again", "unchanged s", "book MB (one document)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        single, cold, edit, again = (r.get(k, {}) for k in ("single", "pieces", "edit", "again"))
        ok = lambda d: d and "error" not in d  # noqa: E731
        lines.append("| " + " | ".join([
            str(r["n"]), str(cold.get("pages", NA)),
            f"{single['seconds']:.1f} ({single['rss_mb']:.0f})" if ok(single) else NA,
            (f"{cold['seconds']:.1f}" + (f" ({cold['seconds'] / single['seconds']:.2f})" if ok(single) else ""))
            if ok(cold) else "error",
            f"{cold['rss_mb']:.0f}" if ok(cold) else NA,
            f"{edit['seconds']:.1f} ({edit['seconds'] / cold['seconds']:.2f})" if ok(edit) and ok(cold) else NA,
            f"{edit.get('laid_out', NA)} of {edit.get('pieces', NA)}" if ok(edit) else NA,
            f"{again['seconds']:.1f}" if ok(again) else NA,
            f"{cold['mb']:.1f}" + (f" ({single['mb']:.1f})" if ok(single) else "") if ok(cold) else NA,
        ]) + " |")
    return "\n".join(lines)
