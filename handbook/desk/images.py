"""Pictures for a case: an upload is checked by what it is (Pillow opens and verifies it), not by its name.

Limits: MAX_BYTES per file, MAX_PIXELS per picture (a decompression bomb is refused before decoding),
only PNG, JPEG, GIF and WebP. The desk names the file itself, <case id>-<n>.<ext> in cases/images/, so an
upload can never choose where it lands; the Markdown it returns is what the form inserts into the text.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image

from ..config import Settings
from .paths import DeskRefused, case_path, image_path, images_dir

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def save_image(settings: Settings, case_id: str, data: bytes) -> tuple[Path, str]:
    """(where it was written, the Markdown that shows it from the case file)."""
    case_path(settings, case_id)  # the id is checked like any other
    if len(data) > MAX_BYTES:
        raise DeskRefused(f"图片有 {len(data)} 字节，超过上限 {MAX_BYTES // (1024 * 1024)} MB，请先缩小 "
                          f"(image too large: {len(data)} bytes, limit {MAX_BYTES} bytes)")
    kind = picture_kind(data)
    folder = images_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while any(folder.glob(f"{case_id}-{n}.*")):
        n += 1
    target = image_path(settings, f"{case_id}-{n}.{kind}")
    tmp = target.with_name(f".{target.name}.desk-tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target, f"![图片说明](images/{target.name})"


def picture_kind(data: bytes) -> str:
    refused = DeskRefused("这个文件不是可用的图片：只接受 PNG、JPEG、GIF 或 WebP 图片 "
                          "(not a picture: PNG, JPEG, GIF or WebP only)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                kind = picture.format
                if picture.width * picture.height > MAX_PIXELS:
                    raise DeskRefused(f"图片太大（{picture.width}×{picture.height} 像素），请先缩小 "
                                      f"(picture too large: {picture.width}x{picture.height} pixels)")
                picture.verify()
    except DeskRefused:
        raise
    except Exception:  # Pillow's many ways of saying "not an image I can read"
        raise refused from None
    if kind not in FORMATS:
        raise refused
    return FORMATS[kind]
