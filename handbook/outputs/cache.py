"""The one content-addressed cache: a file kept under the hash of everything it is made of.

Every cache of the build (the book's PDFs, its pieces, the case bodies as book HTML, the case PDFs, the
pack PDFs) is a ContentCache: an entry is found by its key, a hit is touched (recently used is kept
longest), an entry is written through the one atomic write, and what is old goes by the same rule
everywhere. A key that is to cover the code that renders takes code_digest(...) of the modules by name:
a module that is not there is an error, not a key that silently covers nothing.
"""
from __future__ import annotations

import hashlib
import importlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .atomic import atomic_path, write_atomic


def content_key(*parts: str | bytes) -> str:
    """The sha256 of the parts, each closed by a NUL byte (so that ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def code_digest(*names: str) -> str:
    """A digest of the source of the named modules; a package's name stands for all of its modules."""
    files: list[Path] = []
    for name in names:
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            files += sorted(Path(module.__file__).parent.rglob("*.py"))
        else:
            files.append(Path(module.__file__))
    if not files:
        raise ValueError(f"no code found for {names}")
    return content_key(*(f"{p.name}\0".encode() + p.read_bytes() for p in files))


class ContentCache:
    """Files named <key><suffix> in one folder; companions: other suffixes stored with an entry, gone with it."""

    def __init__(self, folder: Path, suffix: str, companions: tuple[str, ...] = ()):
        self.folder, self.suffix, self.companions = Path(folder), suffix, companions
        self.used: set[Path] = set()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{self.suffix}"

    def hit(self, key: str) -> Path | None:
        """The entry of key if it is there (touched: recently used), else None."""
        path = self.path(key)
        if not path.is_file():
            return None
        self.use(path)
        return path

    def use(self, path: Path) -> None:
        self.used.add(path)
        if path.exists():
            os.utime(path)

    @contextmanager
    def writing(self, key: str) -> Iterator[Path]:
        """A partial file to write the entry of key into; it becomes the entry when the block succeeds."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(key)
        with atomic_path(path) as tmp:
            yield tmp
        self.used.add(path)

    def put(self, key: str, data: bytes | str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(key)
        write_atomic(path, data)
        self.used.add(path)
        return path

    def entries(self) -> list[Path]:
        """The entries, the most recently used first."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"*{self.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)

    def keep(self, newest: int, also: Iterable[Path] = ()) -> None:
        """Remove all but the newest entries (and always keep those used in this run and also)."""
        keep = self.used | set(also)
        for path in self.entries()[max(newest, 0):]:
            if path not in keep:
                self.remove(path)

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Remove every entry but these."""
        wanted = set(paths)
        for path in self.entries():
            if path not in wanted:
                self.remove(path)

    def remove(self, path: Path) -> None:
        stem = path.name[:-len(self.suffix)]
        for suffix in (self.suffix, *self.companions):
            (path.parent / f"{stem}{suffix}").unlink(missing_ok=True)
