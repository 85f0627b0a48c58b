"""Every file in cases/ is accounted for: a case, an image, the taxonomy, the template, or a message.

Instructors work in Word and Notepad: a case arrives as a .docx, as Notepad's `x.md.txt`,
or saved into a subfolder. The loader reads only `cases/*.md`, so without this check such
a file passes with "0 个错误" and is simply not on the site. Decisions (documented in
content/instructors.md, “文件放错了地方”):

- a file clearly meant as a case that the build would skip (`.md.txt`, `.txt`, `.markdown`,
  `.MD`, a `.md` in a subfolder) is an error: the instructor expects it on the site;
- a Word file is an error that names the import command, unless a case of the same name
  already exists (then it is the original, kept: a warning that it is not used);
- any other file (a photo outside images/, a PDF) is a warning that it is not used.

Names starting with `.`, `_` or `~` are the system's, the template's or Word's lock files: not cases by contract.
"""
from __future__ import annotations

from pathlib import Path

from ..content.problems import Problem, error, warning

KNOWN = {"taxonomy.yml", "images"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".heic", ".bmp", ".tif", ".tiff"}
TEXT_SUFFIXES = (".md.txt", ".markdown", ".txt", ".mdown", ".md.md")


def _ignored(name: str) -> bool:
    return name.startswith((".", "_", "~")) or name in KNOWN


def _id_of(name: str) -> str:
    lower = name.lower()
    for suffix in TEXT_SUFFIXES + (".md", ".docx", ".doc", ".wps"):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def stray_problems(cases_dir: Path) -> list[Problem]:
    """One located problem for every file or folder in cases/ that the build would silently skip."""
    if not cases_dir.is_dir():
        return []
    problems: list[Problem] = []
    case_names = {p.name for p in cases_dir.glob("*.md")}
    for path in sorted(cases_dir.iterdir()):
        name, lower = path.name, path.name.lower()
        if _ignored(name):
            continue
        rel = f"cases/{name}"
        if path.is_dir():
            problems += _folder(path, rel)
        elif name.endswith(".md"):
            continue
        elif lower.endswith((".docx", ".doc", ".wps")):
            stem = _id_of(name)
            if f"{stem}.md" in case_names:
                problems.append(warning(path, 1, "stray-word-original", name=name, case=f"{stem}.md"))
            elif lower.endswith(".docx"):
                problems.append(error(path, 1, "stray-docx", file=rel))
            else:
                problems.append(error(path, 1, "stray-doc", docx=f"cases/{stem}.docx"))
        elif lower.endswith(".md") or lower.endswith(TEXT_SUFFIXES):
            problems.append(error(path, 1, "stray-text", name=name, new=f"{_id_of(name)}.md"))
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            problems.append(warning(path, 1, "stray-image", name=name))
        else:
            problems.append(warning(path, 1, "stray-file", name=name))
    return problems


def _folder(folder: Path, rel: str) -> list[Problem]:
    """A case saved in a subfolder is an error at that file; a folder without cases, one warning."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and not _ignored(p.name)
                   and (p.name.lower().endswith((".md",) + TEXT_SUFFIXES)))
    if found:
        return [error(p, 1, "stray-folder-case", folder=rel + "/", name=p.name) for p in found]
    return [warning(folder, 1, "stray-folder", folder=rel + "/")]
