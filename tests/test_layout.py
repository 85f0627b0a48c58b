"""The layout keeps its promises: imports point one way (no circle, no arrow back up a stage), no file is
over 450 lines, and the README's layout section names every module there is.

The import graph is read with ast from the source (every `import`, also those inside functions), so
the test needs nothing installed and sees an import that only runs on some path. A stage is a rank:
a module may import from its own rank or below, never above. Inside a package, the order of its
modules is given too, so that a circle inside a stage fails as well.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "handbook"

# bottom first: a module may import only from its own rank or a lower one
STAGES = [
    ("base", ["handbook", "handbook.errors", "handbook.config", "handbook.photos"]),
    ("content", ["handbook.content", "handbook.mistakes", "handbook.places"]),
    ("report", ["handbook.report"]),
    ("library", ["handbook.library"]),
    ("output base", ["handbook.outputs"]),
    ("data", ["handbook.data"]),
    ("site and pdf", ["handbook.site", "handbook.pdf", "handbook.classroom", "handbook.word", "handbook.offline"]),
    ("orchestrator", ["handbook.pipeline"]),
    ("commands", ["handbook.commands", "handbook.desk"]),
]
# inside a package, bottom first (modules not named here sit above the named ones)
WITHIN = {
    "handbook.content": ["yamlfm", "problems", "schema", "teaching_note", "taxonomy", "cases", "packs", "validate", "synonyms", "canonical"],
    "handbook.outputs": ["urls", "atomic", "claims", "scratch", "cartogram", "render", "cache", "writer"],
    "handbook.data": ["cite", "tables"],
    "handbook.site": ["mkdocs_hooks", "search", "bodies", "pages", "writer"],
    "handbook.pdf": ["access", "fonts", "engine", "pieces", "warm", "join", "gate", "book", "cases", "packs"],
    "handbook.commands": ["scaffold", "preview", "serve_banner", "serve", "publish_config", "word", "cli"],
}
MAX_LINES = 450


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The handbook modules this module imports: `from x import y` is the module x.y when there is one,
    else x (or the nearest package above it that exists)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def nearest(dotted: str) -> str:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(nearest(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                module = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for a in node.names:
                full = f"{module}.{a.name}"
                found.add(full if full in known else nearest(module))
    return {t for t in found if t and t != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: {t for t in imports(name, path, known) if t != name} for name, path in found.items()}


def rank(name: str) -> tuple[int, int]:
    for i, (_, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if name == prefix or (prefix != "handbook" and name.startswith(prefix + ".")):
                order = WITHIN.get(prefix, [])
                leaf = name[len(prefix) + 1:].split(".")[0] if name != prefix else ""
                within = order.index(leaf) if leaf in order else (-1 if not leaf else len(order))
                return i, within
    raise AssertionError(f"{name} is in no stage of tests/test_layout.py STAGES")


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_module_graph_has_no_circle():
    assert circles(graph()) == []


def test_no_import_runs_back_up_a_stage():
    back = []
    for name, targets in graph().items():
        for t in targets:
            if t == "handbook":
                continue
            mine, theirs = rank(name), rank(t)
            same_package = mine[0] == theirs[0] and name.rpartition(".")[0] == t.rpartition(".")[0]
            if theirs[0] > mine[0] or (same_package and theirs[1] > mine[1]):
                back.append(f"{name} → {t}")
    assert back == []


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_is_in_a_stage():
    for name in modules():
        rank(name)


@pytest.mark.parametrize("folder", ["handbook", "benchmarks"])
def test_no_file_is_over_the_limit(folder):
    long = {p.relative_to(ROOT).as_posix(): n for p in sorted((ROOT / folder).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_readme_layout_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    block = layout.split("```", 2)[1]
    named, folder = set(), None
    for line in block.splitlines():
        m = re.match(r"^(\s*)(\S+)", line)
        if not m:
            continue
        indent, word = len(m.group(1)), m.group(2)
        if word.endswith("/"):
            folder = word if indent <= 2 else (folder.split("/")[0] + "/" + word if folder else word)
        elif word.endswith(".py") and indent >= 2:
            named.add(("handbook/" + (folder if folder and indent > 2 else "") + word).replace("//", "/"))
    on_disk = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    assert sorted(on_disk - named) == [] and sorted(named - on_disk) == []
