"""Publishing settings (handbook/config.py, handbook/publish.py): each edition its own address, the sample config."""
from __future__ import annotations

import pytest

from handbook.config import ConfigError, load_settings

from .test_cli import run

PUBLIC = "https://anli.example.net/shouce/"  # not the guide's own example address


def add_settings(project, text: str) -> None:
    path = project / "handbook.yml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_instructor_edition_never_points_at_the_public_address(project):
    add_settings(project, f"site_url: {PUBLIC}\n")
    assert run(project, "build", "--no-pdf", "--edition", "both").returncode == 0
    trainee = (project / "site" / "cases" / "xiqiao-yueyuetan" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PUBLIC}cases/xiqiao-yueyuetan/">' in trainee
    assert 'name="robots"' not in trainee and not (project / "site" / "robots.txt").exists()
    instructor = project / "site-instructor"
    for page in instructor.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert PUBLIC not in text, page
        if "pagefind" not in page.parts:
            assert '<meta name="robots" content="noindex, nofollow">' in text, page
    assert not list(instructor.glob("sitemap.xml*")) or "<loc>" not in (instructor / "sitemap.xml").read_text()
    assert (instructor / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_instructor_site_url_is_its_own_and_not_the_public_one(project):
    add_settings(project, f"site_url: {PUBLIC}\ninstructor_site_url: https://anli.example.net/jiaoshi\n")
    settings = load_settings(project)
    assert settings.for_edition("instructor").site_url == "https://anli.example.net/jiaoshi/"
    assert settings.for_edition("trainee").site_url == PUBLIC
    add_settings(project, "")
    (project / "handbook.yml").write_text(f"site_url: {PUBLIC}\ninstructor_site_url: {PUBLIC}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_settings(project)
    assert exc.value.args[0] == ("handbook.yml: instructor_site_url 不能与 site_url 相同：教师版要有自己的地址 "
                                 "/ the instructor edition needs its own address, not site_url")


def test_publish_config_prints_the_sample_for_this_project(project):
    add_settings(project, f"site_url: {PUBLIC}\ninstructor_site_url: https://anli.example.net/jiaoshi/\n")
    out = run(project, "publish-config")
    assert out.returncode == 0, out.stderr
    assert "    location /shouce/pagefind/ {" in out.stdout and "    location /jiaoshi/ {" in out.stdout
    assert "            application/wasm pagefind;" in out.stdout
    assert "        auth_basic_user_file /etc/nginx/handbook-instructor.htpasswd;" in out.stdout
    assert "    server_name anli.example.net;" in out.stdout
    out = run(project, "publish-config", "-o", "handbook.conf")
    assert out.returncode == 0 and (project / "handbook.conf").read_text(encoding="utf-8").startswith("# 社区治理案例手册")
