#!/usr/bin/env python3
"""Benchmark of the case desk: the time from a save in the desk to the updated preview page.

    .venv/bin/python benchmarks/bench_desk.py                 # the 54 shipped cases and 1,000 generated ones
    .venv/bin/python benchmarks/bench_desk.py --cases 54 300  # 54 means the shipped cases

For each size, in a throwaway copy of the project: `build.py desk` in its own process; once its first preview
is built, one save through the desk's HTTP form (the new title posted with the session's CSRF token and the
version the form was opened on), timed until the trainee preview page of the case shows the new title, and
until both editions are rebuilt. The reference, measured in the same run on the same copy: `build.py serve`
picking up the same kind of edit written to the file by hand (benchmarks/bench.py measure_edit_reload),
i.e. what the preview costs without the desk. The ratio desk / serve is the desk's own cost (checks,
canonical text, the kept version) on top of the preview both share. Results as a Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_serve import measure_edit_reload  # noqa: E402
from cases_gen import make_project, shipped_project  # noqa: E402
from measure import log  # noqa: E402
from tables import fmt  # noqa: E402

PY = sys.executable


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as answer:
            return answer.read().decode("utf-8")

    def post(self, path: str, pairs: list[tuple[str, str]]) -> int:
        data = urllib.parse.urlencode(pairs).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=120) as answer:
            return answer.status


def status(client: Client) -> dict:
    return json.loads(client.get("/preview-status"))


def measure_desk(project: Path, case_id: str, timeout: float = 1800) -> dict:
    from handbook.desk import caseform

    proc = subprocess.Popen([PY, "build.py", "desk", "--port", "0", "--no-browser"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    res: dict = {}
    try:
        line = ""
        while "case desk:" not in line:
            line = proc.stderr.readline()
            if not line:
                return {"error": "desk did not start"}
        # the rest of its messages are read and dropped: a pipe nobody reads fills up and stops the desk
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        client = Client(line.split("case desk:")[1].split()[0].rstrip("/"))
        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = status(client)
            if s["generation"] >= 1 and s["generation"] >= s["requested"]:
                break
            time.sleep(0.2)
        res["first_preview_s"] = time.perf_counter() - t0
        page = client.get(f"/cases/{case_id}")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        base = re.search(r'name="base" value="([^"]*)"', page).group(1)
        path = project / "cases" / f"{case_id}.md"
        form = caseform.from_text(path, path.read_bytes())
        new_title = f"基准测试保存后的标题{int(time.time()) % 100000}"
        form.values["title"] = new_title
        pairs = [("csrf", csrf), ("base", base), ("case_id", case_id)] + caseform.posted(form)
        before = status(client)["generation"]
        t0 = time.perf_counter()
        client.post(f"/cases/{case_id}/save", pairs)
        res["save_s"] = time.perf_counter() - t0
        while time.monotonic() < deadline:
            try:
                if new_title in client.get(f"/preview/trainee/cases/{case_id}/"):
                    res["save_to_preview_s"] = time.perf_counter() - t0
                    break
            except OSError:
                pass
            time.sleep(0.1)
        while time.monotonic() < deadline:
            s = status(client)
            if s["generation"] > before and s["generation"] >= s["requested"]:
                res["save_to_both_editions_s"] = time.perf_counter() - t0
                break
            time.sleep(0.1)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return res


def measure(n: int, parent: Path) -> dict:
    if n == 54:
        project = shipped_project(parent)
        case_id = sorted(p.stem for p in (project / "cases").glob("[a-z]*.md"))[0]
    else:
        project = make_project(n, parent)
        case_id = sorted(p.stem for p in (project / "cases").glob("case-*.md"))[0]
    count = len([p for p in (project / "cases").glob("*.md") if not p.name.startswith("_")])
    log(f"{count} cases: desk")
    desk = measure_desk(project, case_id)
    log(f"{count} cases: reference (serve)")
    serve = measure_edit_reload(project) if n != 54 else _serve_on_shipped(project, case_id)
    return {"n": count, "desk": desk, "serve": serve}


def _serve_on_shipped(project: Path, case_id: str) -> dict:
    """measure_edit_reload edits the first case-*.md; the shipped cases have other names: one is renamed."""
    target = project / "cases" / "case-bench-0.md"
    (project / "cases" / f"{case_id}.md").rename(target)
    for pack in (project / "packs").glob("*.yml"):
        pack.write_text(pack.read_text(encoding="utf-8").replace(case_id, "case-bench-0"), encoding="utf-8")
    return measure_edit_reload(project)


def table(rows: list[dict]) -> str:
    out = ["| cases | desk: first preview s | desk: save s | desk: save → trainee preview s | desk: save → both "
           "editions s | serve: file edit → preview s (reference) | ratio desk / serve |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        d, s = r["desk"], r["serve"]
        ratio = (d["save_to_preview_s"] / s["edit_reload_s"]
                 if d.get("save_to_preview_s") and s.get("edit_reload_s") else None)
        out.append("| {} | {} | {} | {} | {} | {} | {} |".format(
            r["n"], fmt(d.get("first_preview_s")), fmt(d.get("save_s"), 2),
            fmt(d.get("save_to_preview_s"), 2), fmt(d.get("save_to_both_editions_s"), 2),
            fmt(s.get("edit_reload_s"), 2), f"{ratio:.2f}" if ratio else "n/a"))
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[54, 1000], help="sizes; 54 = the shipped cases")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    parent = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    try:
        rows = [measure(n, parent) for n in args.cases]
    finally:
        if not args.keep:
            shutil.rmtree(parent, ignore_errors=True)
    print(table(rows))
    for r in rows:
        for name in ("desk", "serve"):
            if r[name].get("error"):
                print(f"\n{r['n']} cases, {name}: {r[name]['error']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
