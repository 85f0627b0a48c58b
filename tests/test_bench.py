"""Smoke test of benchmarks/bench.py: 20 generated cases, site only, no browser, no reference (well under 60 s)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_prints_the_table():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--cases", "20", "--no-reference", "--no-browser",
         "--no-serve", "--no-pdf"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("| N | site build s |"), out.stdout
    assert lines[1].startswith("|---|")
    row = [cell.strip() for cell in lines[2].strip("|").split("|")]
    assert row[0] == "20"
    assert float(row[1]) > 0, row  # the site was built
    for stage in row[3:5]:  # check, the site writer: each timed, none failed
        assert float(stage) >= 0, row
    assert float(row[5].split()[0]) > 0, row  # the instructor edition's site, with its ratio to the trainee one
