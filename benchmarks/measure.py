"""The benchmark's one timing and memory helper: a child process measured (wall, CPU, peak RSS of its tree,
shared memory), in-process timings (timed), peak RSS, folder sizes, the progress log.
"""
from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path



ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "bench.py"  # the command line; a measure's child process runs it again


PY = sys.executable


CHROMIUM = "/usr/bin/chromium"


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


TIMEOUT = 4 * 3600


NA = "n/a"


T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f}s] {msg}", file=sys.stderr, flush=True)


def _tree_rss(pid: int) -> tuple[int, int]:
    """(resident bytes now of pid and all its descendants, largest high-water mark of any one of them)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * page
    total, hwm, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        try:
            with open(f"/proc/{p}/status") as f:
                m = re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.M)
            hwm = max(hwm, int(m.group(1)) * 1024 if m else 0)
        except OSError:
            pass
        todo += children.get(p, [])
    return total, hwm


def _shmem() -> int:
    """Bytes in shared memory (tmpfs such as /dev/shm, where the build keeps its scratch files)."""
    try:
        with open("/proc/meminfo") as f:
            m = re.search(r"^Shmem:\s+(\d+) kB", f.read(), re.M)
        return int(m.group(1)) * 1024 if m else 0
    except OSError:
        return 0


def run_measured(cmd: list[str], cwd: Path, timeout: float = TIMEOUT, env: dict | None = None) -> dict:
    """Run cmd: wall seconds; peak memory in MB: the larger of the polled process-tree RSS sum plus the growth of
    shared memory (the build's scratch files in /dev/shm) and any one process's VmHWM."""
    shmem0 = _shmem()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    peak = [0, 0, 0]
    done = threading.Event()

    def poll():
        while not done.is_set():
            tree, hwm = _tree_rss(proc.pid)
            shm = max(0, _shmem() - shmem0)
            peak[0], peak[1], peak[2] = max(peak[0], tree + shm), max(peak[1], hwm), max(peak[2], shm)
            done.wait(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    out, err = proc.communicate(timeout=timeout)
    seconds = time.perf_counter() - t0
    done.set()
    poller.join()
    # the polled sum over the process tree can miss a short spike; a process's own high-water mark cannot
    return {"seconds": seconds, "rss_mb": max(peak[:2]) / 2**20, "tree_rss_mb": peak[0] / 2**20,
            "max_process_hwm_mb": peak[1] / 2**20, "scratch_shmem_mb": peak[2] / 2**20,
            "rc": proc.returncode, "stdout": out, "stderr": err}


def dir_size(path: Path, exclude: tuple[str, ...] = ()) -> tuple[int, int]:
    size = files = 0
    for p in path.rglob("*"):
        if p.is_file() and p.name not in exclude:
            size += p.stat().st_size
            files += 1
    return size, files


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of fn(): every in-process timing of the benchmark."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def peak_rss_mb(children: bool = False) -> float:
    """The peak resident memory (MB) of this process, or of its waited-for children."""
    return resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF).ru_maxrss / 1024
