"""Large photos (handbook/photos.py): scaled for the site and the PDF, originals kept, cached by content hash."""
from __future__ import annotations

import html

import os

from PIL import Image

from handbook.pdf import book as pdf, engine
from handbook.config import load_settings
from handbook.photos import PRINT_MAX_PX, SITE_MAX_PX, for_print, scaled

from .test_cli import run


def phone_photo(path, size=(4000, 3000), quality=95, orientation=None):
    """A noisy photo: it compresses as badly as a real one (several MB at 4000 px)."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=quality, exif=exif)
    return path


def test_small_images_are_used_as_they_are(tmp_path):
    small = tmp_path / "small.png"
    Image.new("RGB", (800, 600), "white").save(small)
    assert scaled(small, SITE_MAX_PX, tmp_path / "cache") == small
    svg = tmp_path / "map.svg"
    svg.write_text("<svg/>")
    assert scaled(svg, SITE_MAX_PX, tmp_path / "cache") == svg
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    assert scaled(broken, SITE_MAX_PX, tmp_path / "cache") == broken


def test_a_phone_photo_is_scaled_upright_and_cached_by_content(tmp_path):
    photo = phone_photo(tmp_path / "a.jpg", size=(3000, 2000), orientation=6)  # taken with the phone turned
    before = photo.read_bytes()
    out = scaled(photo, SITE_MAX_PX, tmp_path / "cache")
    assert out.parent == tmp_path / "cache" and out.name.endswith(f"-{SITE_MAX_PX}.jpg")
    with Image.open(out) as image:
        assert image.size == (1067, 1600)  # turned upright (EXIF 6), then the long side to 1600
    assert photo.read_bytes() == before  # the original is kept
    copy = tmp_path / "other-name.jpg"
    copy.write_bytes(before)
    stamp = out.stat().st_mtime_ns
    assert scaled(copy, SITE_MAX_PX, tmp_path / "cache") == out and out.stat().st_mtime_ns == stamp


def test_site_and_pdf_get_scaled_copies_and_a_heavy_original_is_warned(project):
    photo = phone_photo(project / "cases" / "images" / "yishihui.jpg")
    size = photo.stat().st_size
    assert size > 5 * 1024 * 1024
    case = project / "cases" / "wuchang-lift.md"
    text = case.read_text(encoding="utf-8").replace("做法文字。", "做法文字。\n\n![议事会现场](images/yishihui.jpg)")
    case.write_text(text, encoding="utf-8")
    line = text.split("\n").index("![议事会现场](images/yishihui.jpg)") + 1
    out = run(project, "build", "--no-pdf")
    assert out.returncode == 0, out.stderr
    mb = f"{size / 1024 / 1024:.1f}"
    assert out.stderr.splitlines()[0] == (
        f"cases/wuchang-lift.md:{line}: warning: 图片“images/yishihui.jpg”有 {mb} MB（超过 5 MB）：网站和 PDF 会自动使用"
        f"缩小的副本，原图保留；但这么大的原图会让资料库变大，建议先缩小到 2000 像素宽左右再放进来 (image "
        f"'images/yishihui.jpg' is {mb} MB (over 5 MB): the outputs use a scaled copy; consider scaling the original "
        f"to about 2000 px)")
    on_site = project / "site" / "cases" / "images" / "yishihui.jpg"
    with Image.open(on_site) as image:
        assert max(image.size) == SITE_MAX_PX
    assert on_site.stat().st_size < size / 5 and photo.stat().st_size == size
    # the PDF draws the print copy
    settings = load_settings(project)
    uri = pdf._image_uri(settings.cases_dir, engine.asset_roots(settings), "images/yishihui.jpg")
    drawn = engine.asset_path(engine.asset_roots(settings), html.unescape(uri))
    assert drawn is not None and drawn.parent == (settings.cache_dir / "images").resolve()
    with Image.open(for_print(photo, settings.cache_dir)) as image:
        assert max(image.size) == PRINT_MAX_PX
