"""The one atomic write: everything reaches its final place by rename only.

A folder (the whole site) or a single file (a PDF, a cache entry, a data file) is built beside its
target and swapped in (swap_into), so a reader never sees half an output and a failed build leaves the
last good one. atomic_path is the only spelling of write-to-a-partial-file-then-rename in the project;
remove_stale clears what a killed build left beside its targets.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

STALE_PATTERNS = (".build-*", ".*.old-*", ".*.partial-*")


def swap_into(new: Path, target: Path) -> None:
    """Put new (a folder or a file) at target with renames only: target is never half-written."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        old.unlink()


def partial_path(target: Path) -> Path:
    """Where to build something that swap_into will move to target (same folder, so the rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.partial-{os.getpid()}")


def remove_stale(folder: Path) -> None:
    """Remove what a killed build left in folder (callers hold the build lock)."""
    if not folder.is_dir():
        return
    for pattern in STALE_PATTERNS:
        for stale in folder.glob(pattern):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A path beside target to write the new file into. Leaving the block without an error puts it at
    target by a rename (readable by all, as a published file is); an error leaves target as it was."""
    target = Path(target)
    tmp = partial_path(target)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        swap_into(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes | str) -> None:
    """Write bytes (or UTF-8 text) to target through atomic_path."""
    with atomic_path(target) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
