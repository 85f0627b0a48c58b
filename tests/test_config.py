"""handbook.yml's options as load_settings reads them."""
from __future__ import annotations

import pytest

from handbook.config import ConfigError, load_settings


def settings_with(tmp_path, text: str):
    (tmp_path / "handbook.yml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def test_site_url_is_optional(tmp_path):
    assert settings_with(tmp_path, "title: 手册\n").site_url is None
    assert settings_with(tmp_path, "site_url:\n").site_url is None


@pytest.mark.parametrize("given,kept", [
    ("https://example.org/handbook/", "https://example.org/handbook/"),
    ("https://example.org/handbook", "https://example.org/handbook/"),  # the site is a folder
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
])
def test_site_url_ends_in_a_slash(tmp_path, given, kept):
    assert settings_with(tmp_path, f"site_url: {given}\n").site_url == kept


@pytest.mark.parametrize("given", ["example.org/handbook/", "/handbook/", "ftp://example.org/", "https://",
                                   "https://example.org/?page=1", "javascript:alert(1)"])
def test_site_url_must_be_an_http_address(tmp_path, given):
    with pytest.raises(ConfigError, match="site_url"):
        settings_with(tmp_path, f"site_url: '{given}'\n")
