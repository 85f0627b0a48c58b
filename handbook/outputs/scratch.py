"""Where the site build keeps its intermediate files, and how its result reaches the disk.

The build writes thousands of small files it throws away (generated pages, search
pages) and thousands it keeps. On disks where creating a file is slow (a virtual
machine's disk: ~1 ms a file, one at a time) that is most of a large build. So the
intermediate files go to memory (/dev/shm) when it has room, and the finished site is
copied to the project with many files in flight at once, which such disks absorb
(~0.15 ms a file with 16 at a time). Without /dev/shm, or without room, everything
stays beside the project as before. A killed build's scratch directory is removed by
the next build of the same project.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

MEMORY_DIR = Path("/dev/shm")
BYTES_PER_CASE = 150_000  # generous: ~70 KB a case were measured (pages, search pages, site, index)
BASE_BYTES = 64 * 2**20
COPY_THREADS = 16


def scratch_prefix(root: Path) -> str:
    """The names of this project's scratch directories in memory start with this."""
    return "handbook-build-" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:10] + "-"


def memory_has_room(cases: int, memory_dir: Path = MEMORY_DIR) -> bool:
    try:
        stat = os.statvfs(memory_dir)
    except OSError:
        return False
    free = stat.f_bavail * stat.f_frsize
    return os.access(memory_dir, os.W_OK) and free >= 2 * (BASE_BYTES + BYTES_PER_CASE * cases)


def remove_stale_scratch(root: Path, memory_dir: Path = MEMORY_DIR) -> None:
    """Remove this project's scratch folders in memory that a killed build left (callers hold the build lock)."""
    for stale in memory_dir.glob(scratch_prefix(root) + "*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def scratch_dir(root: Path, fallback: Path, cases: int, memory_dir: Path = MEMORY_DIR):
    """A fresh directory for intermediate files, removed afterwards: in memory when possible, else under fallback.

    What a killed build left is removed by remove_stale_scratch (pipeline.build, under the lock).
    """
    if memory_has_room(cases, memory_dir):
        path = Path(tempfile.mkdtemp(prefix=scratch_prefix(root), dir=memory_dir))
    else:
        path = Path(tempfile.mkdtemp(prefix="scratch-", dir=fallback))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def move_tree(src: Path, dst: Path) -> None:
    """Put the tree src at dst (which must not exist): a rename on the same filesystem, else a parallel copy."""
    try:
        os.rename(src, dst)
        return
    except OSError:
        pass
    dirs, files = [], []
    for here, subdirs, names in os.walk(src):
        rel = Path(here).relative_to(src)
        dirs.append(dst / rel)
        files += [(Path(here) / name, dst / rel / name) for name in names]
    with ThreadPoolExecutor(COPY_THREADS) as pool:
        by_depth: dict[int, list[Path]] = {}
        for d in dirs:
            by_depth.setdefault(len(d.parts), []).append(d)
        for depth in sorted(by_depth):  # parents before children, each level in parallel
            list(pool.map(lambda d: d.mkdir(exist_ok=True), by_depth[depth]))
        list(pool.map(lambda pair: shutil.copyfile(*pair), files))
