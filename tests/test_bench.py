"""Smoke test of benchmarks/bench.py: 20 generated cases, site only, no browser, no reference (well under 60 s);
every other benchmark script loads, and the desk's prints its table."""
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


def test_every_benchmark_script_loads_and_the_desk_one_prints_its_table():
    """bench_desk.py and bench_offline.py (which `make bench` runs) took helpers from bench.py that it no longer
    had once it was split by what it measures: one failed on its table after a minute's work, the other at once."""
    program = (
        "import sys; sys.path.insert(0, 'benchmarks'); import importlib, pathlib\n"
        "for p in sorted(pathlib.Path('benchmarks').glob('bench*.py')): importlib.import_module(p.stem)\n"
        "import bench_desk\n"
        "print(bench_desk.table([{'n': 62, 'desk': {'first_preview_s': 5.0, 'save_s': 0.1, 'save_to_preview_s': 1.0,"
        " 'save_to_both_editions_s': 2.0}, 'serve': {'edit_reload_s': 0.8}}]))")
    out = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.splitlines()[-1] == "| 62 | 5.0 | 0.10 | 1.00 | 2.00 | 0.80 | 1.25 |"
