"""The only files the desk reads or writes: a case, a pack, an image; every id checked before it becomes a path.

A name from a request is never joined to a folder as it is: it must match the id rule of the case format
(lowercase ASCII letters, digits, single hyphens, 3 to 80 characters) or, for an image, the names the desk
itself gives uploads. The resolved path must then sit directly in cases/, packs/ or cases/images/.
Anything else is DeskRefused, which the server answers with 404 and a message, never a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..config import Settings
from ..content.schema import ID_RE

IMAGE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.(?:png|jpg|gif|webp)$")


class DeskRefused(Exception):
    """A request names something the desk may not touch; the message says what, in Chinese and English."""


def valid_id(value: str) -> bool:
    return 3 <= len(value) <= 80 and bool(ID_RE.match(value))


def _inside(path: Path, folder: Path) -> Path:
    resolved = path.resolve()
    if resolved.parent != folder.resolve():
        raise DeskRefused(f"不允许访问这个位置（path outside {folder.name}/ refused）")
    return path


def case_path(settings: Settings, case_id: str) -> Path:
    if not valid_id(case_id):
        raise DeskRefused(f"案例编号“{case_id[:80]}”不符合规则 (bad case id)")
    return _inside(settings.cases_dir / f"{case_id}.md", settings.cases_dir)


def pack_path(settings: Settings, pack_id: str) -> Path:
    if not valid_id(pack_id):
        raise DeskRefused(f"课程包编号“{pack_id[:80]}”不符合规则 (bad pack id)")
    return _inside(settings.packs_dir / f"{pack_id}.yml", settings.packs_dir)


def images_dir(settings: Settings) -> Path:
    return settings.cases_dir / "images"


def image_path(settings: Settings, name: str) -> Path:
    if not IMAGE_RE.match(name) or len(name) > 100:
        raise DeskRefused(f"图片名“{name[:80]}”不符合规则 (bad image name)")
    return _inside(images_dir(settings) / name, images_dir(settings))
