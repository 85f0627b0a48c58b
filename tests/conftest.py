"""Shared fixtures: a small project in a temporary directory, built from the real templates."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent

VALID = textwrap.dedent("""\
    ---
    title: 西桥社区月月谈
    summary: 社区每月召集居民围绕小区难题议事，用打分法排出优先事项。
    city: 武汉市
    district: 江汉区
    problem_types:
      - 协商议事
      - parking
    sources:
      - title: 夯实城市治理基层基础
        publisher: 瞭望
        date: "2025-04-28"
    ---

    ## 背景

    背景文字。

    ## 做法

    做法文字。

    ## 成效

    成效文字。

    ## 启示

    启示文字。
    """)

TAXONOMY = textwrap.dedent("""\
    problem_types:
      - name: 加装电梯
        slug: elevator
        description: 老旧小区加装电梯。
      - name: 停车管理
        slug: parking
        description: 停车。
      - name: 协商议事
        slug: deliberation
        description: 议事协商。
    cities:
      - name: 武汉市
        slug: wuhan
        districts:
          - name: 江汉区
            slug: jianghan
          - name: 武昌区
            slug: wuchang
          - name: 全市
            slug: citywide
      - name: 南京市
        slug: nanjing
        districts:
          - name: 鼓楼区
            slug: gulou
    """)


def case_text(**changes) -> str:
    """VALID with front-matter lines replaced: case_text(title="x") or title=None to drop it."""
    lines = VALID.splitlines(keepends=True)
    out = []
    present = set()
    skipping = False
    for line in lines:
        key = line.split(":", 1)[0]
        if skipping and line.startswith("  - "):
            continue
        skipping = False
        if line.startswith("sources:"):
            out += [f"{k}: {v}\n" for k, v in changes.items() if k not in present and v is not None]
        if key in changes and not line.startswith(" "):
            present.add(key)
            skipping = True
            if changes[key] is not None:
                out.append(f"{key}: {changes[key]}\n")
            continue
        out.append(line)
    return "".join(out)


def fill_project(dest: Path) -> Path:
    """The real templates, config and content, and two fixture cases, in dest."""
    for name in ("templates", "content"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "handbook").symlink_to(ROOT / "handbook")
    cases = dest / "cases"
    cases.mkdir()
    (cases / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    shutil.copy(ROOT / "cases" / "_template.md", cases / "_template.md")
    (cases / "xiqiao-yueyuetan.md").write_text(VALID, encoding="utf-8")
    (cases / "wuchang-lift.md").write_text(
        case_text(title="武昌老楼加装电梯", district="武昌区", problem_types="[加装电梯]", year="2021"), encoding="utf-8")
    return dest


GUIDE_END = "### 新建案例"


def shorten_guide(project: Path) -> None:
    """The book's appendix cut to the instructors' guide's first pages, with two of its screenshots: for tests that
    lay a book out cold where the appendix is not what they test (the whole guide is 45 pages, 3 s of CPU each
    time it is laid out)."""
    guide = project / "content" / "instructors.md"
    text = guide.read_text(encoding="utf-8")
    first_pages = text[:text.index(GUIDE_END)]
    assert first_pages.count("](images/") >= 2
    guide.write_text(first_pages, encoding="utf-8")


def shared_dir(tmp_path_factory, name: str) -> Path:
    """A folder that every xdist worker of this test run sees (one run's workers share the parent of their
    temporary folders); without xdist, the run's own temporary folder."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / name
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """folder's lock, shared by the workers (released when the block ends)."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def made_once(folder: Path) -> Iterator[bool]:
    """Under folder's lock: yields True to the worker that must make folder's content (then marked done),
    False to every later one, which finds it made."""
    with locked(folder):
        done = folder / ".done"
        if done.exists():
            yield False
            return
        yield True
        done.touch()


def shared_project(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A project that make(project) fills, made once per test run for all workers: the first one makes it under
    the lock (over what a failed attempt left), the others wait and reuse it. Tests only read it."""
    folder = shared_dir(tmp_path_factory, name)
    project = folder / "project"
    with made_once(folder) as first:
        if first:
            shutil.rmtree(project, ignore_errors=True)
            make(project)
    return project


def build_ok(project: Path, *args: str) -> None:
    """`build.py *args` in project, which must succeed."""
    out = subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory) -> Path:
    """The build cache (.cache) of a full build of the two-case project, made once per test run for all workers.

    Every `project` starts with a copy of it (link_cache): a build of the unchanged fixture cases takes its
    book, case PDFs and fonts from it. Measured: a full build of the fixture project takes 9.9 s cold and 3.0 s warm.
    A test about the cache itself starts from `cold_project`.
    """
    def make(project: Path) -> None:
        build_ok(fill_project(project), "build", "--edition", "both")
    return shared_project(tmp_path_factory, "warm-project", make) / ".cache"


@pytest.fixture(scope="session")
def site_without_pdf(tmp_path_factory, warm_cache) -> Path:
    """site/ of the unchanged two-case project built with --no-pdf, made once per test run for all workers, for
    the tests that only read such a site (each used to build its own: 1.5 s of CPU a build, measured)."""
    def make(project: Path) -> None:
        build_ok(link_project(project, warm_cache), "build", "--no-pdf")
    return shared_project(tmp_path_factory, "no-pdf-project", make) / "site"


def link_cache(cache: Path, project: Path) -> None:
    """A copy of cache as project/.cache, its lock files left out. The fonts (90 MB of the cache, only ever
    replaced by rename) are hard links; the rest is copied, since some tests damage a cached piece in place."""
    def copy(src, dst):
        return os.link(src, dst) if src.endswith(".font") else shutil.copy2(src, dst)
    shutil.copytree(cache, project / ".cache", copy_function=copy, ignore=shutil.ignore_patterns("*.lock"))


def link_project(folder: Path, cache: Path) -> Path:
    """The two-case project in folder, starting from a copy of cache (link_cache)."""
    fill_project(folder)
    link_cache(cache, folder)
    return folder


@pytest.fixture
def cold_project(tmp_path) -> Path:
    """The two-case project with an empty build cache: for tests of what a build lays out, caches and reuses."""
    return fill_project(tmp_path)


@pytest.fixture
def project(tmp_path, warm_cache) -> Path:
    """The two-case project, its build cache warm (see warm_cache)."""
    return link_project(tmp_path, warm_cache)


@pytest.fixture
def built_project(project, warm_cache) -> Path:
    """`project` as a full build leaves it: the site/ that warm_cache's build wrote, copied in. A build of the
    unchanged fixture cases writes these very bytes (checked: `diff -r` of the two is empty; builds are
    reproducible, test_pipeline.py), so a test that needs a last good site to keep starts from one without
    building it again (a full build of the project: 1.4-1.6 s of CPU with the warm cache, measured)."""
    shutil.copytree(warm_cache.parent / "site", project / "site")
    return project
