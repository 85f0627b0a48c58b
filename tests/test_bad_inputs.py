"""The bad-input corpus: each broken case file in tests/bad_inputs/ yields exactly its error lines.

tests/bad_inputs/expected.yml maps every kind of broken file to the full `error:` lines that
`python build.py check` must print for it. Each kind is copied into a project next to its two good
cases and checked by the command line's own entry point (`cli.main`, what build.py calls): exit status
1, exactly those error lines, no traceback, one problem per line and the summary line last. The kinds
run in this process, not one interpreter each (65 starts were 13 s of CPU, measured); every kind at
once, the full build and the hostile files run as real processes, as instructors run them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import subprocess
import sys
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from handbook.commands.cli import main
from handbook.content.cases import load_case

from .conftest import ROOT

CORPUS = ROOT / "tests" / "bad_inputs"
EXPECTED: dict = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))
GOOD_CASES = ("xiqiao-yueyuetan.md", "wuchang-lift.md")  # put in cases/ by the project fixture

SUMMARY_RE = re.compile(r"^(\d+) 个案例，(\d+) 个错误，(\d+) 个警告（\1 cases, \2 errors, \3 warnings）$")
PROBLEM_RE = re.compile(r"^cases/[^:\n]+\.md:[1-9]\d*: (error|warning): \S")
PADDING = b"Padding text that makes this case file larger than the size limit.\n"


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=project, capture_output=True, text=True,
                          timeout=300)


def check_here(project: Path) -> subprocess.CompletedProcess:
    """`build.py check` in project, run by cli.main in this process: its exit status and what it printed. An
    exception that escapes main fails the test with its traceback, as one would reach the instructor."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["check"], root=project)
    return subprocess.CompletedProcess(["build.py", "check"], status, out.getvalue(), err.getvalue())


def installed_name(corpus_name: str) -> str:
    """The name a corpus file gets in cases/: .bin files (bytes that matter) become .md."""
    return corpus_name[: -len(".bin")] + ".md" if corpus_name.endswith(".bin") else corpus_name


def install(project: Path, entry: dict) -> list[str]:
    """Copy a kind's file(s) into the project's cases/; return their names there."""
    names = []
    for i, corpus_name in enumerate([entry["file"], *entry.get("also", [])]):
        data = (CORPUS / corpus_name).read_bytes()
        if i == 0 and "pad_to" in entry:
            size = entry["pad_to"]
            data += (PADDING * (size // len(PADDING) + 1))[: size - len(data)]
            assert len(data) == size
        name = installed_name(corpus_name)
        (project / "cases" / name).write_bytes(data)
        names.append(name)
    return names


def expected_lines(entry: dict) -> set[str]:
    next_year = str(dt.date.today().year + 1)
    return {line.replace("{next_year}", next_year) for line in entry["errors"]}


def error_lines(stderr: str, names, kind: str = "error") -> list[str]:
    prefixes = tuple(f"cases/{n}:" for n in names)
    return [l for l in stderr.splitlines() if f": {kind}: " in l and l.startswith(prefixes)]


def all_error_lines(stderr: str) -> list[str]:
    return [l for l in stderr.splitlines() if ": error: " in l]


def summary(stderr: str) -> tuple[int, int, int]:
    """The counts of the summary line, which must be the last line."""
    last = stderr.splitlines()[-1] if stderr.strip() else ""
    m = SUMMARY_RE.match(last)
    assert m, f"the last line is not the summary: {last!r}\n{stderr}"
    return int(m[1]), int(m[2]), int(m[3])


def kinds():
    for kind, entry in EXPECTED.items():
        marks = [pytest.mark.xfail(strict=True, reason=" ".join(entry["xfail"].split()))] if entry.get("xfail") else []
        yield pytest.param(kind, id=kind, marks=marks)


def test_corpus_is_complete():
    """Every corpus file is used, every used file exists, and there are enough kinds."""
    used = {n for e in EXPECTED.values() for n in [e["file"], *e.get("also", [])]}
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".md", ".bin") and not p.name.startswith("ok-")}
    assert used == on_disk
    assert len(EXPECTED) >= 32
    for kind, entry in EXPECTED.items():
        names = [installed_name(n) for n in [entry["file"], *entry.get("also", [])]]
        for line in entry["errors"]:
            assert ": error: " in line and line.startswith(tuple(f"cases/{n}:" for n in names)), (kind, line)
        for line in entry.get("warnings", []):
            assert ": warning: " in line and line.startswith(tuple(f"cases/{n}:" for n in names)), (kind, line)
        assert entry["errors"] or entry.get("warnings"), kind


@pytest.mark.parametrize("kind", list(kinds()))
def test_bad_input_gives_exactly_its_errors(cold_project, kind):
    project = cold_project  # only checked: no build cache needed
    entry = EXPECTED[kind]
    names = install(project, entry)
    out = check_here(project)
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout, out.stderr
    assert out.returncode == (1 if entry["errors"] else 0), out.stderr
    got = error_lines(out.stderr, names)
    assert len(got) == len(set(got)), out.stderr
    assert set(got) == expected_lines(entry), out.stderr
    if "warnings" in entry:
        assert set(error_lines(out.stderr, names, "warning")) == set(entry["warnings"]), out.stderr
    # nothing is blamed on the good cases, and nothing but the error lines is an error
    assert all_error_lines(out.stderr) == got, out.stderr
    cases, errors, _ = summary(out.stderr)
    assert (cases, errors) == (len(GOOD_CASES) + len(names), len(got))
    # one problem per line: a message never spills onto further lines
    for line in out.stderr.splitlines()[:-1]:
        assert PROBLEM_RE.match(line), f"not a path:line: problem line: {line!r}"


def test_all_bad_files_at_once(cold_project):
    """One `build.py` run reports every file's errors, exits 1, and builds nothing."""
    project = cold_project  # only checked: no build cache needed
    installed = {kind: install(project, entry) for kind, entry in EXPECTED.items()}
    out = run(project)
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout, out.stderr
    assert out.returncode == 1, out.stderr
    for kind, entry in EXPECTED.items():
        got = set(error_lines(out.stderr, installed[kind]))
        if entry.get("xfail"):
            assert got, f"{kind}: no error reported"  # its exact wording is the xfail'ed test's business
        else:
            assert got == expected_lines(entry), kind
    assert not error_lines(out.stderr, GOOD_CASES)
    cases, errors, _ = summary(out.stderr)
    n_files = sum(len(names) for names in installed.values())
    assert cases == len(GOOD_CASES) + n_files
    assert errors == len(all_error_lines(out.stderr))
    assert not (project / "site").exists()


def tree_hashes(path: Path) -> dict[str, str]:
    """Every file and directory under path: relative name → sha256 of the bytes (directories: 'dir')."""
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(path.rglob("*"))}


# one kind per stage that can fail: encoding, size, YAML, aliases, fields, taxonomy, body
BUILD_KINDS = ("encoding-gbk", "too-large", "yaml-tab-indent", "yaml-alias-bomb", "missing-sources",
               "district-other-city", "link-broken")


def test_failed_build_leaves_previous_site_byte_identical(built_project):
    project = built_project
    site = project / "site"
    before = tree_hashes(site)
    assert "index.html" in before
    for kind in BUILD_KINDS:
        entry = EXPECTED[kind]
        names = install(project, entry)
        out = run(project)  # the full build, not only check
        assert "Traceback" not in out.stderr, out.stderr
        assert out.returncode == 1, (kind, out.stderr)
        assert set(error_lines(out.stderr, names)) == expected_lines(entry), kind
        assert tree_hashes(site) == before, f"{kind}: site/ changed"
        for name in names:
            (project / "cases" / name).unlink()
    assert not [p for p in project.iterdir() if p.name.startswith((".build-", ".site.old"))]


def test_bom_and_crlf_case_is_accepted(cold_project):
    project = cold_project  # only checked: no build cache needed
    data = (CORPUS / "ok-bom-crlf.bin").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n") > 20
    path = project / "cases" / "ok-bom-crlf.md"
    path.write_bytes(data)
    out = run(project, "check", "--strict")
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == ["3 个案例，0 个错误，0 个警告（3 cases, 0 errors, 0 warnings）"]
    case, problems = load_case(path)
    assert problems == []
    assert case.title == "带BOM和CRLF的案例"
    assert case.line_of("district") == 5 and case.body_line == 15
    assert "\r" not in case.body and case.body.startswith("## 背景")


# --- time and memory: run in a fresh interpreter so that its peak RSS is its own

MEASURE = textwrap.dedent("""\
    import json, resource, subprocess, sys, time
    from pathlib import Path

    root, path = Path(sys.argv[1]), Path(sys.argv[2])
    sys.path.insert(0, str(root))
    from handbook.content.cases import load_case

    unit = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / unit
    t = time.perf_counter()
    case, problems = load_case(path)
    load_seconds = time.perf_counter() - t
    load_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / unit
    t = time.perf_counter()
    cli = subprocess.run([sys.executable, "build.py", "check"], cwd=root, capture_output=True, text=True)
    cli_seconds = time.perf_counter() - t
    cli_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / unit
    print(json.dumps({"codes": [p.code for p in problems], "rss_before_mb": rss_before,
                      "load_seconds": load_seconds, "load_peak_mb": load_peak,
                      "cli_seconds": cli_seconds, "cli_peak_mb": cli_peak, "cli_status": cli.returncode,
                      "cli_traceback": "Traceback" in cli.stderr}))
""")


def measure(project: Path, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(project), str(path)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    print(f"{path.name}: {result}")
    return result


@pytest.mark.parametrize("kind,code,max_seconds", [
    ("yaml-alias-bomb", "yaml-alias", 1.0),   # billion laughs, 9 levels: refused at its first alias
    ("too-large", "too-large", 3.0),          # 2 MiB: refused by size before decoding or parsing
])
def test_hostile_file_is_refused_fast_with_flat_memory(cold_project, kind, code, max_seconds):
    project = cold_project  # only checked: no build cache needed
    (name,) = install(project, EXPECTED[kind])
    m = measure(project, project / "cases" / name)
    assert m["codes"] == [code]
    assert m["load_seconds"] < max_seconds
    assert m["load_peak_mb"] < 200 and m["load_peak_mb"] - m["rss_before_mb"] < 50
    # the whole `build.py check` process, interpreter start included
    assert m["cli_status"] == 1 and not m["cli_traceback"]
    assert m["cli_seconds"] < 10 and m["cli_peak_mb"] < 200


def test_oversized_file_is_refused_without_reading_it(cold_project):
    project = cold_project  # only checked: no build cache needed
    path = project / "cases" / "huge-sparse.md"
    with open(path, "wb") as f:
        f.truncate(256 * 1024 * 1024)  # sparse: no disk space, but 256 MiB if read
    m = measure(project, path)
    assert m["codes"] == ["too-large"]
    assert m["load_peak_mb"] < 200
