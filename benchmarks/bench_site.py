"""The site and its editions, stage by stage in a child process: check, the trainee site, the instructor
site in the same process (sharing the public bodies), the PDF stage.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from measure import BENCH, PY, ROOT, log, peak_rss_mb, run_measured


def stages_child(project: Path, with_pdf: bool) -> None:
    """Time each stage in-process; print one JSON object on stdout."""
    sys.path.insert(0, str(ROOT))
    res: dict = {"stages": {}, "maxrss_mb": {}, "errors": {}}

    def stage(name, fn):
        t0 = time.perf_counter()
        try:
            value = fn()
        except Exception as exc:  # a stage that fails is reported, not fatal
            res["errors"][name] = f"{type(exc).__name__}: {exc}"
            value = None
        res["stages"][name] = time.perf_counter() - t0
        res["maxrss_mb"][name] = peak_rss_mb()
        return value

    from handbook.config import load_settings
    from handbook.pdf.book import PdfWriter
    from handbook.pipeline import build, check
    from handbook.site.writer import SiteWriter

    settings = load_settings(project)
    work = Path(tempfile.mkdtemp(prefix=".bench-stages-", dir=project))
    result = stage("check", lambda: check(settings))
    library = result.library if result else None
    if library is None:
        res["errors"]["check"] = res["errors"].get("check", "cases did not validate")
    else:
        # the writers through the one orchestrator, as build.py runs them; the instructor edition second,
        # in the same process, as `build --edition instructor` after a trainee build would share caches
        stage("site", lambda: build(settings, library, [SiteWriter(settings)], work / "site"))
        stage("instructor", lambda: build(settings, library, [SiteWriter(settings, "instructor")], work / "site-i"))
        res["index_children_maxrss_mb"] = peak_rss_mb(children=True)
        if with_pdf:
            stage("pdf", lambda: build(settings, library, [PdfWriter(settings)], work / "pdf"))
    shutil.rmtree(work, ignore_errors=True)
    res["children_maxrss_mb"] = peak_rss_mb(children=True)
    print(json.dumps(res))


def measure_stages(project: Path, with_pdf: bool) -> dict:
    r = run_measured([PY, str(BENCH), "--_stages", str(project)] + (["--_stages-pdf"] if with_pdf else []), ROOT)
    try:
        data = json.loads(r["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        log(f"stages child failed (rc {r['rc']}): {r['stderr'][-2000:]}")
        return {"stages": {}, "errors": {"child": r["stderr"][-500:]}, "rss_mb": r["rss_mb"]}
    data["rss_mb"] = r["rss_mb"]
    for name, err in data["errors"].items():
        log(f"stage {name} failed: {err}")
    return data
