"""The kit's files cached under the hash of their inputs, like the per-case PDFs (pdf_cases.py).

A file's key is its kind, the code and templates that make it, the edition, the pack and the
cases it shows (their whole data, so an edit anywhere in a case changes the key of exactly the
packs that contain it). An unchanged pack is copied from the cache, not made again.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Callable

from ..config import Settings
from ..library import Library
from ..content.packs import Pack

_CODE = Path(__file__).parent


@functools.lru_cache(maxsize=4)
def _code_hash(templates: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(_CODE.glob("*.py")) + sorted((templates / "classroom").glob("*")) + \
        sorted((templates / "pdf").glob("*.css"))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def inputs_key(kind: str, pack: Pack, library: Library, settings: Settings, edition: str, extra: str = "") -> str:
    digest = hashlib.sha256()
    for part in (kind, edition, _code_hash(settings.templates_dir), repr(pack), settings.title, settings.academy,
                 settings.page_size, extra, str(library.edition_date())):
        digest.update(str(part).encode() + b"\0")
    for cid in pack.case_ids:
        e = library.get(cid)
        digest.update(repr(e.case).encode() if e else b"-")
        digest.update(b"\0")
    return digest.hexdigest()


class KitCache:
    """.cache/classroom/<kind>/<key>.<suffix>; `made` lists what this process had to make."""

    def __init__(self, settings: Settings, kind: str, suffix: str):
        self.folder = settings.cache_dir / "classroom" / kind
        self.suffix = suffix
        self.made: list[str] = []

    def get(self, key: str, label: str, make: Callable[[Path], None]) -> Path:
        cached = self.folder / f"{key}{self.suffix}"
        if cached.exists():
            return cached
        self.folder.mkdir(parents=True, exist_ok=True)
        work = cached.with_name(f".{key}.{os.getpid()}{self.suffix}")
        try:
            make(work)
            os.replace(work, cached)
        finally:
            work.unlink(missing_ok=True)
        self.made.append(label)
        return cached

    def keep(self, used: list[Path], spare: int) -> None:
        """Keep the files just used and the `spare` newest others (the other edition, a recent version)."""
        keep = set(used)
        others = sorted((p for p in self.folder.glob(f"*{self.suffix}") if p not in keep),
                        key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[spare:]:
            old.unlink(missing_ok=True)
        for path in used:
            os.utime(path)
