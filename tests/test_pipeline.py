"""Builds are atomic, exclusive and reproducible."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from handbook.outputs.scratch import MEMORY_DIR, memory_has_room, scratch_prefix

from .conftest import shorten_guide
from .test_cli import run, tree_digest

# Pagefind writes its filter and metadata chunks in an order that changes from run to run
# (a known Pagefind limitation: only its fragment files are stable), so those files and the
# entry file naming them are left out of the byte-for-byte comparison.
UNSTABLE = ("pagefind/filter/", "pagefind/pagefind-entry.json", "pagefind/pagefind.")


def digests(site: Path) -> dict[str, bytes]:
    out = {}
    for f in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = f.relative_to(site).as_posix()
        if not rel.startswith(UNSTABLE):
            out[rel] = f.read_bytes()
    return out


def test_two_builds_give_identical_site_and_pdf(project, tmp_path_factory):
    """A second build, of a copy of the project in another folder, in another process with another hash seed and
    nothing in cache (the PDF laid out again), gives the identical site and PDF: images in the book are named apart
    from the folder (engine.asset_uri), and nothing is ordered by a hash."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    shorten_guide(project)  # its screenshots stay: the book's images are what could differ
    assert subprocess.run([sys.executable, "build.py"], cwd=project, env=env, capture_output=True).returncode == 0
    first = digests(project / "site")
    copy = tmp_path_factory.mktemp("elsewhere") / "copy"

    def outputs(folder: str, names: list[str]) -> list[str]:  # the project's own, not templates/site/
        return [n for n in names if n in (".cache", "site", "site-instructor")] if folder == str(project) else []

    shutil.copytree(project, copy, symlinks=True, ignore=outputs)
    assert subprocess.run([sys.executable, "build.py"], cwd=copy, env=env | {"PYTHONHASHSEED": "12345"},
                          capture_output=True).returncode == 0
    second = digests(copy / "site")
    assert first.keys() == second.keys()
    different = [k for k in first if first[k] != second[k]]
    assert different == []
    assert "handbook.pdf" in first and re.search(rb"/ID ?\[", first["handbook.pdf"])


def test_killed_build_leaves_previous_site_intact(built_project):
    project = built_project
    before = tree_digest(project / "site")
    (project / "cases" / "xiqiao-yueyuetan.md").write_text(
        (project / "cases" / "xiqiao-yueyuetan.md").read_text(encoding="utf-8").replace("月月谈", "月月谈新版"),
        encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "build.py"], cwd=project, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    # kill it midway: once it has started writing its temporary build
    scratch = f"{scratch_prefix(project)}*/docs/cases" if memory_has_room(2) else ".build-*/scratch-*/docs/cases"
    where = MEMORY_DIR if memory_has_room(2) else project
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(where.glob(scratch)):
        time.sleep(0.05)
    assert list(project.glob(".build-*")), "the build never started writing"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tree_digest(project / "site") == before
    # the next build cleans up and succeeds
    assert run(project).returncode == 0
    assert "月月谈新版" in (project / "site" / "cases" / "xiqiao-yueyuetan" / "index.html").read_text(encoding="utf-8")
    assert not list(project.glob(".build-*")) and not list(MEMORY_DIR.glob(scratch_prefix(project) + "*"))


def test_second_concurrent_build_is_refused_clearly(project):
    first = subprocess.Popen([sys.executable, "build.py"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(project.glob(".build-*")):
        time.sleep(0.05)
    second = run(project)
    assert first.wait(timeout=300) == 0
    assert second.returncode == 1
    assert "另一个生成过程正在运行" in second.stderr and "another build is running" in second.stderr
    assert (project / "site" / "index.html").exists()


def test_a_trainee_writer_is_handed_no_note(tmp_path):
    """pipeline.build hands each writer library.for_edition(writer.edition): a writer that shows every note
    it can find still finds none in the trainee edition, with no gate of its own (its claims see the same)."""
    import pickle

    from handbook.config import load_settings
    from handbook.outputs.claims import Claim
    from handbook.outputs.writer import Writer
    from handbook.pipeline import build, check

    from .conftest import ROOT

    class ShowsEveryNote(Writer):
        name = "notes"

        def __init__(self, edition):
            self.edition = edition

        def claims(self, library):
            self.claimed_with = library
            return [Claim(f"notes-{self.edition}.txt", "教学说明", "the notes")]

        def write(self, library, out, *, incremental=False):
            notes = [e.case.teaching_note for e in library.entries if e.case.teaching_note]
            notes += [s.note for p in library.packs for s in p.sessions if s.note]
            (out / f"notes-{self.edition}.txt").write_text("\n".join(notes), encoding="utf-8")
            self.dump = pickle.dumps([(e.case, e.related) for e in library.entries] + list(library.packs))

    settings = load_settings(ROOT)
    full = check(settings).library
    note = next(e.case.teaching_note for e in full.entries if e.case.teaching_note)
    trainee, instructor = ShowsEveryNote("trainee"), ShowsEveryNote("instructor")
    build(settings, full, [trainee, instructor], tmp_path / "out")
    assert (tmp_path / "out" / "notes-trainee.txt").read_text(encoding="utf-8") == ""
    assert note in (tmp_path / "out" / "notes-instructor.txt").read_text(encoding="utf-8")
    assert note.encode("utf-8") not in trainee.dump and note.encode("utf-8") in instructor.dump
    assert not trainee.claimed_with.holds_notes and instructor.claimed_with.holds_notes
