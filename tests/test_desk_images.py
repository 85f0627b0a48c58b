"""Pictures: checked by what they are, limited in size, named by the desk."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from handbook.config import load_settings
from handbook.desk import images
from handbook.desk.paths import DeskRefused


def picture(kind: str = "PNG", size=(20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, kind)
    return out.getvalue()


def test_a_picture_lands_in_cases_images_under_a_name_the_desk_gives(project):
    settings = load_settings(project)
    first, markdown = images.save_image(settings, "xiqiao-yueyuetan", picture())
    second, _ = images.save_image(settings, "xiqiao-yueyuetan", picture("JPEG"))
    assert first == settings.cases_dir / "images" / "xiqiao-yueyuetan-1.png"
    assert second.name == "xiqiao-yueyuetan-2.jpg"
    assert markdown == "![图片说明](images/xiqiao-yueyuetan-1.png)"


@pytest.mark.parametrize("data", [b"<svg onload=alert(1)>", b"GIF89a but not really", b"", b"\x89PNG\r\n\x1a\n broken"])
def test_what_is_no_picture_is_refused(project, data):
    with pytest.raises(DeskRefused, match="不是可用的图片"):
        images.save_image(load_settings(project), "xiqiao-yueyuetan", data)
    assert not (project / "cases" / "images").exists() or not any((project / "cases" / "images").iterdir())


def test_too_many_bytes_or_pixels_are_refused(project, monkeypatch):
    settings = load_settings(project)
    monkeypatch.setattr(images, "MAX_BYTES", 100)
    with pytest.raises(DeskRefused, match="超过上限"):
        images.save_image(settings, "xiqiao-yueyuetan", picture(size=(200, 200)) + b"\0" * 200)
    monkeypatch.setattr(images, "MAX_BYTES", 10**7)
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(DeskRefused, match="图片太大"):
        images.save_image(settings, "xiqiao-yueyuetan", picture(size=(20, 10)))


def test_a_picture_for_a_bad_id_is_refused(project):
    with pytest.raises(DeskRefused):
        images.save_image(load_settings(project), "../evil", picture())
