#!/usr/bin/env python3
"""Benchmark of the handbook build: generated cases → site (+ PDF), stages, memory, size, browser, reference.

    .venv/bin/python benchmarks/bench.py --cases 100 1000 5000 --pdf-cases 200
    .venv/bin/python benchmarks/bench.py --quick            # 100 and 300 cases, PDF of 50

Progress goes to stderr, the result tables (Markdown) to stdout. See benchmarks/README.md.
Needs, beyond the project's requirements: jieba (for the reference build only: mkdocs-material's
Chinese search segments with jieba when it is installed) — `.venv/bin/pip install jieba`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# one module per measure, with one shared timing and memory helper (measure.py)
from bench_book import measure_pdf, measure_pdf_scale, pdf_scale_child, pdf_scale_table
from bench_browser import measure_browser
from bench_case_pdfs import measure_pdf_parts, pdf_parts_child, pdf_parts_table
from bench_reference import measure_reference
from bench_serve import measure_edit_reload
from bench_site import measure_stages, stages_child
from cases_gen import clean_build_outputs, cli_features, make_project
from measure import PY, ROOT, dir_size, log, run_measured
from tables import notes, pdf_table, table


# ----------------------------------------------------------------- one N

def measure_n(n: int, parent: Path, args) -> dict:
    log(f"N={n}: generating cases ...")
    t0 = time.perf_counter()
    project = make_project(n, parent)
    size, _ = dir_size(project / "cases")
    row: dict = {"n": n, "project": str(project), "cases_mb": size / 2**20}
    log(f"N={n}: generated in {time.perf_counter() - t0:.1f} s ({size / 2**20:.1f} MB of case files) in {project}")
    feats = cli_features(project)
    row["features"] = {k: v for k, v in feats.items() if k != "help"}
    pdf_wanted = args.pdf_per_n and n <= args.full_pdf_max
    row["load_before"] = os.getloadavg()

    # 2. full builds
    if feats["no_pdf"]:
        clean_build_outputs(project)
        log(f"N={n}: build.py --no-pdf ...")
        r = run_measured([PY, "build.py", "build", "--no-pdf"], project)
        row["site_build"] = r if r["rc"] == 0 else None
        if r["rc"] != 0:
            log(f"build --no-pdf failed: {r['stderr'][-1500:]}")
    if pdf_wanted or not feats["no_pdf"]:
        clean_build_outputs(project)
        log(f"N={n}: build.py ...")
        r = run_measured([PY, "build.py"], project)
        if r["rc"] != 0:
            log(f"build failed: {r['stderr'][-1500:]}")
            r = None
        has_pdf = bool(r) and any((project / "site").glob("*.pdf"))
        if has_pdf:
            row["full_build"] = r
        elif not feats["no_pdf"]:
            row["site_build"] = r  # the build makes no PDF yet: it is the site alone
    for key in ("site_build", "full_build"):
        if row.get(key):
            log(f"N={n}: {key}: {row[key]['seconds']:.1f} s, {row[key]['rss_mb']:.0f} MB")
            row[key] = {k: v for k, v in row[key].items() if k not in ("stdout", "stderr")}

    site = project / "site"
    if site.is_dir():
        size, files = dir_size(site, exclude=("handbook.pdf",))
        row["site_mb"], row["site_files"] = size / 2**20, files

    # 3. stages in a child process
    log(f"N={n}: stages in a child process ...")
    row["stages"] = measure_stages(project, with_pdf=pdf_wanted and n <= args.stage_pdf_max)
    log(f"N={n}: stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in row["stages"].get("stages", {}).items()))

    # 4. browser
    if not args.no_browser and site.is_dir():
        log(f"N={n}: browser ...")
        try:
            row["browser"] = measure_browser(site)
            log(f"N={n}: browser: {row['browser']}")
        except Exception as exc:
            log(f"browser measurement failed: {type(exc).__name__}: {exc}")
            row["browser"] = {"error": str(exc)}

    # 5. edit → reload
    if feats["serve"] and not args.no_serve:
        log(f"N={n}: build.py serve, edit → reload ...")
        row["serve"] = measure_edit_reload(project)
        log(f"N={n}: serve: {row['serve']}")

    # 6. reference
    if not args.no_reference:
        log(f"N={n}: reference (plain mkdocs-material + search lang zh + jieba) ...")
        row["reference"] = measure_reference(project, parent)
        log(f"N={n}: reference: {row['reference'].get('seconds', 0):.1f} s")
    row["load_after"] = os.getloadavg()
    return row


# ----------------------------------------------------------------- output


def code_stamp() -> dict:
    """Modification times of the project's code, templates and config: a change during a run skews its figures
    (and invalidates the PDF cache, whose key covers handbook/pdf/book.py and the templates)."""
    stamp = {}
    for folder in ("handbook", "templates"):
        for p in (ROOT / folder).rglob("*"):
            if p.is_file():
                stamp[p.relative_to(ROOT).as_posix()] = p.stat().st_mtime_ns
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        if (ROOT / name).exists():
            stamp[name] = (ROOT / name).stat().st_mtime_ns
    return stamp


def measure_alone(ns: list[int], measure, keep: bool) -> list[dict]:
    """measure(n, parent) for each n, in a temporary folder removed afterwards unless keep."""
    parent = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    try:
        return [measure(n, parent) for n in ns]
    finally:
        if not keep:
            shutil.rmtree(parent, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, nargs="+", metavar="N", help="numbers of generated cases (default 100 1000 5000)")
    ap.add_argument("--pdf-cases", type=int, metavar="N", help="cases in the PDF benchmark (default 200; 0 skips it)")
    ap.add_argument("--quick", action="store_true",
                    help="100 and 300 cases, site only per N, PDF of 50 (a few minutes)")
    ap.add_argument("--no-reference", action="store_true", help="skip the plain mkdocs-material reference build")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    ap.add_argument("--no-serve", action="store_true", help="skip edit → reload with build.py serve")
    ap.add_argument("--no-pdf", action="store_true", help="skip every PDF measurement (site builds only)")
    ap.add_argument("--stage-pdf-max", type=int, default=300, metavar="N",
                    help="time the PDF stage in-process only up to N cases (default 300); above, the PDF column "
                         "shows ≈ (site+PDF build) − (site build)")
    ap.add_argument("--full-pdf-max", type=int, default=1000, metavar="N",
                    help="time the site+PDF build only up to N cases (default 1000: a 5,000-case book is "
                         "~16,000 pages and takes a quarter of an hour)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects")
    ap.add_argument("--json", metavar="FILE", help="also write every measurement as JSON")
    ap.add_argument("--pdf-parts", type=int, nargs="+", metavar="N",
                    help="measure the book, its completeness check and the case PDFs for N generated cases "
                         "(0: the shipped cases); alone, nothing else is measured")
    ap.add_argument("--tag-cost", action="store_true", help="with --pdf-parts: also render the book untagged")
    ap.add_argument("--pdf-scale", type=int, nargs="+", metavar="N",
                    help="the book of N generated cases laid out in pieces (cold, one case edited, unchanged) "
                         "against one WeasyPrint document; alone, nothing else is measured")
    ap.add_argument("--pdf-scale-reference-max", type=int, default=1000, metavar="N",
                    help="with --pdf-scale: lay the book out as one document only up to N cases (default 1000)")
    ap.add_argument("--_stages", metavar="PROJECT", help=argparse.SUPPRESS)
    ap.add_argument("--_stages-pdf", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--_pdf-parts", metavar="PROJECT", help=argparse.SUPPRESS)
    ap.add_argument("--_tag-cost", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--_pdf-scale", nargs=2, metavar=("PROJECT", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._stages:
        stages_child(Path(args._stages), args._stages_pdf)
        return 0
    if args._pdf_parts:
        pdf_parts_child(Path(args._pdf_parts), args._tag_cost)
        return 0
    if args._pdf_scale:
        pdf_scale_child(Path(args._pdf_scale[0]), args._pdf_scale[1])
        return 0
    if args.pdf_scale and not args.cases:
        print(pdf_scale_table(measure_alone(
            args.pdf_scale, lambda n, parent: measure_pdf_scale(n, parent, args.pdf_scale_reference_max), args.keep)))
        return 0
    if args.pdf_parts and not args.cases:
        print(pdf_parts_table(measure_alone(
            args.pdf_parts, lambda n, parent: measure_pdf_parts(n, parent, args.tag_cost), args.keep)))
        return 0
    cases = args.cases or ([100, 300] if args.quick else [100, 1000, 5000])
    pdf_cases = args.pdf_cases if args.pdf_cases is not None else (50 if args.quick else 200)
    if args.no_pdf:
        pdf_cases = 0
    # --quick times the PDF once (the PDF table), not per N: site+PDF builds of 100 and 300 cases take minutes
    args.pdf_per_n = not args.no_pdf and not args.quick
    if not args.no_reference:
        try:
            import jieba  # noqa: F401
        except ImportError:
            log("warning: jieba is not installed: the reference search would not segment Chinese "
                "(`.venv/bin/pip install jieba`)")
    stamp = code_stamp()
    parent = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    log(f"temporary projects in {parent}")
    rows, pdf = [], None
    try:
        for n in cases:
            rows.append(measure_n(n, parent, args))
        if pdf_cases:
            pdf = measure_pdf(pdf_cases, parent)
    finally:
        if args.keep:
            log(f"kept {parent}")
        else:
            shutil.rmtree(parent, ignore_errors=True)
    print(table(rows))
    if pdf:
        print()
        print(pdf_table(pdf))
    text = notes(rows)
    after = code_stamp()
    changed = sorted(k for k in stamp.keys() | after.keys() if stamp.get(k) != after.get(k))
    if changed:
        text += ("\n- warning: project files changed while the benchmark ran (figures may mix two versions; "
                 "the PDF cache key covers the PDF code): " + ", ".join(changed[:10]))
        log("warning: code changed during the run: " + ", ".join(changed[:10]))
    if text:
        print()
        print(text)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "pdf": pdf}, ensure_ascii=False, indent=1, default=str),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
