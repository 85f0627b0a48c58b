"""Every save keeps the previous version: a git commit in a git repository, else a copy in .desk-history/.

In a git repository the desk commits the one file it writes (and only it: `git commit --only`), first the
version found on disk when that is not yet committed (a hand edit made outside the desk), then the new one.
Elsewhere the version being replaced is copied to .desk-history/<folder>/<name>/<time>.<ext>, outside cases/
and packs/, so that it is never read as a case. A version is listed with its time and what it was, and
restoring one saves it like any other save (so the restore itself can be undone).
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

HISTORY_DIR = ".desk-history"
_AUTHOR = ["-c", "user.name=案例编辑台", "-c", "user.email=desk@localhost"]
_VERSION_RE = re.compile(r"^[0-9a-f]{40}$|^\d{8}T\d{6}\.\d{6}$")


@dataclass(frozen=True)
class Version:
    id: str  # a commit, or a history file's time stamp
    when: str  # shown to the instructor
    what: str


class History:
    def __init__(self, root: Path):
        self.root = root
        self.git = _in_git(root)

    def keep(self, path: Path, new: bytes, what: str) -> None:
        """Write new to path, keeping the version it replaces."""
        rel = path.relative_to(self.root).as_posix()
        old = path.read_bytes() if path.exists() else None
        if old == new:  # already written (an import): only recorded, there is no earlier version to keep
            if self.git:
                self._commit(rel, f"desk: {what} {rel}")
            return
        if self.git:
            if old is not None and self._dirty(rel):
                self._commit(rel, f"desk: {rel} as found on disk before a save")
            _write(path, new)
            self._commit(rel, f"desk: {what} {rel}")
            return
        if old is not None:
            folder = self._folder(path)
            folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S.%f")
            (folder / f"{stamp}{path.suffix}").write_bytes(old)
        _write(path, new)

    def versions(self, path: Path) -> list[Version]:
        """Earlier versions, newest first (the file as it is now is not among them)."""
        rel = path.relative_to(self.root).as_posix()
        if self.git:
            out = _git(self.root, "log", "--format=%H%x09%ad%x09%s", "--date=format:%Y-%m-%d %H:%M:%S", "--", rel)
            found = [Version(*line.split("\t", 2)) for line in out.splitlines() if line.count("\t") >= 2]
            current = path.read_bytes() if path.exists() else None
            if found and current is not None and self.read(path, found[0].id) == current:
                found = found[1:]
            return found
        folder = self._folder(path)
        stamps = sorted((p.stem for p in folder.glob(f"*{path.suffix}")), reverse=True) if folder.is_dir() else []
        return [Version(s, dt.datetime.strptime(s, "%Y%m%dT%H%M%S.%f").strftime("%Y-%m-%d %H:%M:%S"), "保存前的版本")
                for s in stamps]

    def read(self, path: Path, version: str) -> bytes | None:
        if not _VERSION_RE.match(version):
            return None
        rel = path.relative_to(self.root).as_posix()
        if self.git:
            if len(version) != 40:
                return None
            done = subprocess.run(["git", "-C", str(self.root), "show", f"{version}:{rel}"], capture_output=True)
            return done.stdout if done.returncode == 0 else None
        file = self._folder(path) / f"{version}{path.suffix}"
        return file.read_bytes() if file.is_file() else None

    def _folder(self, path: Path) -> Path:
        return self.root / HISTORY_DIR / path.parent.relative_to(self.root).as_posix() / path.stem

    def _dirty(self, rel: str) -> bool:
        return bool(_git(self.root, "status", "--porcelain", "--", rel).strip())

    def _commit(self, rel: str, message: str) -> None:
        _git(self.root, "add", "--", rel)
        if subprocess.run(["git", "-C", str(self.root), "diff", "--cached", "--quiet", "--", rel]).returncode:
            _git(self.root, *_AUTHOR, "commit", "-q", "--no-verify", "-m", message, "--only", "--", rel)


def _write(path: Path, data: bytes) -> None:
    """Replace path in one step: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.desk-tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _in_git(root: Path) -> bool:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return done.returncode == 0 and Path(done.stdout.strip()).resolve() == root.resolve()


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout
