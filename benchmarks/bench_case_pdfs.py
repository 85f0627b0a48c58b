"""The PDF's parts: the cost of tagging, the completeness gate and the per-case PDFs.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench_book import pdf_pages
from cases_gen import make_project
from measure import BENCH, NA, PY, ROOT, log, run_measured, timed
from tables import fmt


def pdf_parts_child(project: Path, tag_cost: bool) -> None:
    """In a child process: the book (tagged, and untagged with --tag-cost), its completeness check, the case PDFs
    (cold, then from the cache). Prints one JSON line."""
    sys.path.insert(0, str(ROOT))
    from handbook.config import load_settings
    from handbook.pdf.book import build_pdf, PdfWriter
    from handbook.pdf.cases import case_pdfs
    from handbook.pdf.gate import check_book
    from handbook.pipeline import check

    settings = load_settings(project)
    library = check(settings).library
    res: dict = {"cases": library.count}

    shutil.rmtree(settings.cache_dir / "pdf", ignore_errors=True)
    if tag_cost:  # a first render pays for loading fonts and code: warm up, so that both timed renders are warm
        build_pdf(library, settings, project / "warm-up.pdf", tagged=False)
    writer = PdfWriter(settings)
    box = {}
    res["book_s"], res["book_cpu_s"] = timed(lambda: box.setdefault("book", writer.cached(library)))
    book = box["book"]
    res["book_mb"] = book.stat().st_size / 2**20
    res["pages"] = pdf_pages(book)
    res["gate_s"], res["gate_cpu_s"] = timed(lambda: check_book(book, library))
    if tag_cost:
        plain = project / "untagged.pdf"
        res["untagged_s"], res["untagged_cpu_s"] = timed(lambda: build_pdf(library, settings, plain, tagged=False))
        res["untagged_mb"] = plain.stat().st_size / 2**20
    cache, out = settings.cache_dir / "case-pdf" / "bench", project / "case-out"
    shutil.rmtree(cache, ignore_errors=True)
    res["case_pdfs_s"], _ = timed(lambda: case_pdfs(book, library, settings, cache, out))
    sizes = [p.stat().st_size for p in (out / "cases").glob("*.pdf")]
    res["case_pdfs"], res["case_pdfs_mb"] = len(sizes), sum(sizes) / 2**20
    res["case_pdf_kb_max"] = max(sizes) / 1024 if sizes else 0
    res["case_pdfs_cached_s"], _ = timed(lambda: case_pdfs(book, library, settings, cache, out))
    print(json.dumps(res))


def measure_pdf_parts(n: int, parent: Path, tag_cost: bool) -> dict:
    """The PDF parts for n generated cases, or for the shipped cases when n is 0."""
    if n:
        project = make_project(n, parent)
    else:
        project = Path(tempfile.mkdtemp(prefix="shipped-", dir=parent))
        for name in ("templates", "content", "cases"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "handbook.yml", project / "handbook.yml")
    log(f"PDF parts of {'the shipped cases' if not n else f'{n} cases'} ...")
    r = run_measured([PY, str(BENCH), "--_pdf-parts", str(project)] + (["--_tag-cost"] if tag_cost else []), ROOT)
    if r["rc"] != 0:
        log(f"PDF parts failed: {r['stderr'][-1500:]}")
        return {"n": n, "error": r["stderr"][-300:]}
    res = json.loads(r["stdout"].strip().splitlines()[-1])
    res.update(n=n, rss_mb=r["rss_mb"])
    log(f"PDF parts: {res}")
    return res


def pdf_parts_table(rows: list[dict]) -> str:
    head = ["cases", "book s (CPU s)", "pages", "book MB", "untagged s (CPU s)", "untagged MB", "tags: CPU / size",
            "gate s", "case PDFs cold s (×book)", "case PDFs MB (max KB)", "case PDFs cached s", "peak RSS MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n'] or 'shipped'} | error |" + " |" * (len(head) - 2))
            continue
        tags = (f"+{100 * (r['book_cpu_s'] / r['untagged_cpu_s'] - 1):.0f}% / +{100 * (r['book_mb'] / r['untagged_mb'] - 1):.0f}%"
                if "untagged_s" in r else NA)
        lines.append("| " + " | ".join([
            f"{r['cases']}" + (" (shipped)" if not r["n"] else ""), f"{r['book_s']:.1f} ({r['book_cpu_s']:.1f})",
            str(r.get("pages")), f"{r['book_mb']:.2f}",
            f"{r['untagged_s']:.1f} ({r['untagged_cpu_s']:.1f})" if "untagged_s" in r else NA,
            fmt(r.get("untagged_mb"), 2), tags, f"{r['gate_s']:.1f}",
            f"{r['case_pdfs_s']:.1f} ({r['case_pdfs_s'] / r['book_s']:.2f})",
            f"{r['case_pdfs_mb']:.1f} ({r['case_pdf_kb_max']:.0f})", f"{r['case_pdfs_cached_s']:.1f}",
            fmt(r.get("rss_mb"), 0)]) + " |")
    return "\n".join(lines)
