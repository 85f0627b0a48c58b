"""Image references that cannot work, as located errors; heavy images as a warning.

Markdown lets an instructor write anything between the brackets, and each of these
gave a broken or missing picture with no message: a path with a space (Markdown ends
the address at the space: a broken <img>), a path on the writer's own computer
(`C:\\Users\\…`, `/home/…`: an <img> with no src), and a web address (hotlinked on the site,
so the site asks another host for it, and silently dropped from the PDF). The fix is
the same each time: the picture goes into cases/images/ under a plain name.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from ..photos import WARN_BYTES
from ..content.problems import Problem, error, warning

IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\(([^)\n]*)\)")
_TITLE_RE = re.compile(r"""\s+(["'])[^"'\n]*\1\s*$""")
_WEB_RE = re.compile(r"^(https?:)?//|^(ftp|data):", re.I)
_ABSOLUTE_RE = re.compile(r"^([A-Za-z]:[\\/]|[\\/]|file:)", re.I)


def _target(inside: str) -> str:
    text = _TITLE_RE.sub("", inside.strip())
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def _plain_name(target: str) -> str:
    name = PureWindowsPath(target).name if "\\" in target else PurePosixPath(target.split("?")[0]).name
    name = re.sub(r"[\s\u3000]+", "-", name.strip()) or "tupian.jpg"
    return name


def unusable(target: str) -> bool:
    """An image address that no check of the file can help: it is reported by image_reference_problems."""
    return bool(_WEB_RE.match(target) or _ABSOLUTE_RE.match(target) or re.search(r"[\s\u3000]", target))


def image_reference_problems(case) -> list[Problem]:
    """The body's image references that cannot work, each at its own line."""
    problems = []
    for match in IMAGE_RE.finditer(case.body):
        target = _target(match.group(1))
        line = case.body_line + case.body.count("\n", 0, match.start())
        name = _plain_name(target)
        if _WEB_RE.match(target):
            problems.append(error(case.path, line, "image-web", target=target, name=name))
        elif _ABSOLUTE_RE.match(target):
            problems.append(error(case.path, line, "image-absolute", target=target, name=name))
        elif re.search(r"[\s\u3000]", target):
            problems.append(error(case.path, line, "image-space", target=target,
                                  new=re.sub(r"[\s\u3000]+", "-", target.strip())))
    return problems


def heavy_image_problems(case, cases_dir) -> list[Problem]:
    """A warning for every existing image of the case above photos.WARN_BYTES."""
    problems = []
    images = (cases_dir / "images").resolve()
    for match in IMAGE_RE.finditer(case.body):
        target = _target(match.group(1))
        if unusable(target):
            continue
        path = (cases_dir / target).resolve()
        if images in path.parents and path.is_file() and path.stat().st_size > WARN_BYTES:
            line = case.body_line + case.body.count("\n", 0, match.start())
            problems.append(warning(case.path, line, "image-heavy", target=target,
                                    mb=f"{path.stat().st_size / 1024 / 1024:.1f}", limit=WARN_BYTES // 1024 // 1024))
    return problems
