"""Scratch space: in memory when there is room, beside the project otherwise; the result reaches the disk whole."""
from __future__ import annotations

from pathlib import Path

from handbook.outputs import scratch


def make_tree(root: Path) -> dict[str, bytes]:
    files = {"index.html": b"home", "cases/a/index.html": b"a" * 5000, "cases/b/index.html": b"b",
             "pagefind/fragment/x.pf_fragment": bytes(range(256)), "assets/deep/er/still/f.css": b"css"}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_move_tree_copies_across_filesystems_exactly(tmp_path, monkeypatch):
    src, dst = tmp_path / "src", tmp_path / "out" / "site"
    files = make_tree(src)
    (tmp_path / "out").mkdir()

    def no_rename(a, b):  # as between /dev/shm and the project's disk
        raise OSError(18, "Invalid cross-device link")
    monkeypatch.setattr(scratch.os, "rename", no_rename)
    scratch.move_tree(src, dst)
    assert read_tree(dst) == files


def test_move_tree_renames_on_one_filesystem(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "site"
    files = make_tree(src)
    scratch.move_tree(src, dst)
    assert read_tree(dst) == files and not src.exists()


def test_scratch_in_memory_when_there_is_room_and_stale_ones_go(tmp_path):
    memory = tmp_path / "shm"
    memory.mkdir()
    stale = memory / (scratch.scratch_prefix(tmp_path) + "killed")
    stale.mkdir()
    other_project = memory / (scratch.scratch_prefix(tmp_path / "other") + "running")
    other_project.mkdir()
    scratch.remove_stale_scratch(tmp_path, memory_dir=memory)
    assert not stale.exists() and other_project.exists()
    with scratch.scratch_dir(tmp_path, tmp_path / "fallback", 10, memory_dir=memory) as path:
        assert path.parent == memory and path.name.startswith(scratch.scratch_prefix(tmp_path))
    assert not path.exists()


def test_scratch_beside_the_project_without_room(tmp_path, monkeypatch):
    monkeypatch.setattr(scratch, "BYTES_PER_CASE", 2**60)
    (tmp_path / "fallback").mkdir()
    with scratch.scratch_dir(tmp_path, tmp_path / "fallback", 10, memory_dir=tmp_path) as path:
        assert path.parent == tmp_path / "fallback"
    assert not path.exists()
    assert not scratch.memory_has_room(1, tmp_path / "missing")
