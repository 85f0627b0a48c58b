"""Large photos scaled at build time: the site gets ≤ 1600 px, the PDF print resolution; originals are kept.

A phone photo is 4000 px and 5–10 MB: put in as it is, it made one case PDF grow from
151 KB to 9.6 MB and the book from 2.4 to 11.9 MB. The instructor keeps the original in
cases/images/ (it is the archive copy); each output gets a copy no larger than it can show:
1600 px on the longest side for the site (a full-width image on a 2× phone or a laptop),
2000 px for the PDF (the 16 cm text block at about 300 dpi, print resolution).

Pillow is used because WeasyPrint already depends on it (no new library) and because it
reads the EXIF orientation of phone photos (ImageOps.exif_transpose), which a plain resize
would lose. Scaled copies are cached by the original's content hash under .cache/images/,
so an unchanged photo is scaled once, whatever its name or time stamp.
"""
from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

SITE_MAX_PX = 1600
PRINT_MAX_PX = 2000
WARN_BYTES = 5 * 1024 * 1024  # above this an image is a warning: scaled for the outputs, but heavy in the repository
SCALABLE = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def scaled(source: Path, max_px: int, cache_dir: Path) -> Path:
    """source itself when it is small enough (or not a raster photo), else its scaled copy in cache_dir."""
    fmt = SCALABLE.get(source.suffix.lower())
    if fmt is None:
        return source
    stat = source.stat()
    digest = _digest(str(source), stat.st_mtime_ns, stat.st_size)
    target = cache_dir / f"{digest}-{max_px}{source.suffix.lower()}"
    if target.exists():
        return target
    from PIL import Image, ImageOps

    try:
        with Image.open(source) as image:
            if max(image.size) <= max_px and not _rotated(image):
                return source
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_px, max_px), Image.LANCZOS)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=source.suffix.lower())
            os.close(fd)
            options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            image.save(tmp, fmt, **options)
            os.replace(tmp, target)
    except (OSError, ValueError):  # not a readable image: the outputs get it as it is
        return source
    return target


@functools.lru_cache(maxsize=4096)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    """The content hash, read once per file version in a process (`serve` rebuilds on every save)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:24]


def _rotated(image) -> bool:
    try:
        return image.getexif().get(0x0112, 1) != 1
    except Exception:  # noqa: BLE001 - a broken EXIF block is only "not rotated"
        return False


def for_site(source: Path, cache_root: Path) -> Path:
    return scaled(source, SITE_MAX_PX, cache_root / "images")


def for_print(source: Path, cache_root: Path) -> Path:
    return scaled(source, PRINT_MAX_PX, cache_root / "images")
