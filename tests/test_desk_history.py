"""Every save keeps the previous version: git commits in a repository, .desk-history/ elsewhere."""
from __future__ import annotations

import subprocess

from handbook.desk.history import HISTORY_DIR, History


def test_outside_git_the_previous_version_goes_to_the_history_folder(tmp_path):
    path = tmp_path / "cases" / "a-case.md"
    path.parent.mkdir()
    history = History(tmp_path)
    assert not history.git
    history.keep(path, b"one\n", "new case")
    assert history.versions(path) == []
    history.keep(path, b"two\n", "save")
    history.keep(path, b"three\n", "save")
    versions = history.versions(path)
    assert [history.read(path, v.id) for v in versions] == [b"two\n", b"one\n"]
    assert path.read_bytes() == b"three\n"
    assert all(HISTORY_DIR in str(p) for p in (tmp_path / HISTORY_DIR).rglob("*.md"))
    assert not list((tmp_path / "cases").glob(".*"))  # no temporary file left behind


def test_in_git_a_hand_edit_and_the_save_are_both_commits(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    path = tmp_path / "cases" / "a-case.md"
    path.parent.mkdir()
    other = tmp_path / "other.txt"
    other.write_text("not the desk's\n")
    history = History(tmp_path)
    assert history.git
    history.keep(path, b"one\n", "new case")
    path.write_bytes(b"edited by hand\n")
    history.keep(path, b"two\n", "save")
    versions = history.versions(path)
    assert [history.read(path, v.id) for v in versions] == [b"edited by hand\n", b"one\n"]
    assert versions[0].what.startswith("desk:")
    status = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout.strip() == "?? other.txt"  # only the desk's file was committed


def test_a_version_name_is_never_a_path(tmp_path):
    history = History(tmp_path)
    path = tmp_path / "cases" / "a-case.md"
    assert history.read(path, "../../etc/passwd") is None
    assert history.read(path, "HEAD") is None
