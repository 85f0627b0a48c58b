"""Settings: the one place that reads handbook.yml and knows where the project's files live."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError  # noqa: F401  (raised here; re-exported for callers)

PAGE_SIZES = ("A4", "A5", "B5")
EDITIONS = ("trainee", "instructor")
EDITION_MARK = "教师版 · 内部资料，请勿向学员分发"  # on every page, cover and running head of the instructor edition


@dataclass(frozen=True)
class Chapter:
    """A hand-written chapter in content/: its file, its title in the site's navigation, its place in the book."""

    file: str
    title: str
    in_book: str | None = None  # "front" (before the cases), "appendix" (after them) or None (site only)


CHAPTERS = (
    Chapter("preface.md", "前言", "front"),
    Chapter("guide.md", "使用指南"),
    Chapter("instructors.md", "编写指南", "appendix"),
)




@dataclass(frozen=True)
class Settings:
    root: Path
    title: str = "社区治理案例手册"
    subtitle: str = ""
    academy: str = "社区干部学院"
    page_size: str = "A4"
    instructor_dir: str = "site-instructor"  # where the instructor edition goes (handbook.yml: instructor_site_dir)
    site_url: str | None = None  # the site's public address, ending in "/"; none: no sitemap, 404 page for a root host
    instructor_site_url: str | None = None  # the instructor edition's own address (handbook.yml: instructor_site_url)

    def for_edition(self, edition: str) -> "Settings":
        """The settings an edition's writers see: the instructor edition has its own address, never the public one
        (its canonical links, sitemap and citations would otherwise point at the trainees' site)."""
        if edition != "instructor":
            return self
        return dataclasses.replace(self, site_url=self.instructor_site_url)

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def packs_dir(self) -> Path:
        return self.root / "packs"

    @property
    def taxonomy_file(self) -> Path:
        return self.cases_dir / "taxonomy.yml"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def mkdocs_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def edition_dir(self, edition: str) -> Path:
        """Where an edition's site and PDF go: site/ for trainees, site-instructor/ (configurable) for instructors."""
        return self.site_dir if edition == "trainee" else self.root / self.instructor_dir

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"


def load_settings(root: Path) -> Settings:
    path = root / "handbook.yml"
    if not path.exists():
        return Settings(root=root)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: YAML 格式错误 / YAML error: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: 应为“选项: 值”映射 / must be a mapping")
    pdf = data.get("pdf") or {}
    size = str(pdf.get("page_size", "A4")).upper()
    if size not in PAGE_SIZES:
        raise ConfigError(f"{path.name}: pdf.page_size 只能是 {'、'.join(PAGE_SIZES)} / must be one of {', '.join(PAGE_SIZES)}")
    instructor_dir = str(data.get("instructor_site_dir") or Settings.instructor_dir).strip("/")
    if not instructor_dir or instructor_dir in ("site", ".", "..") or "/" in instructor_dir or instructor_dir.startswith("."):
        raise ConfigError(f"{path.name}: instructor_site_dir 应为项目文件夹下的一个文件夹名（不能是 site） "
                          f"/ must be one folder name in the project, not site")
    site_url = _site_url(data.get("site_url"), path.name)
    instructor_site_url = _site_url(data.get("instructor_site_url"), path.name, "instructor_site_url")
    if site_url and instructor_site_url == site_url:
        raise ConfigError(f"{path.name}: instructor_site_url 不能与 site_url 相同：教师版要有自己的地址 "
                          f"/ the instructor edition needs its own address, not site_url")
    known = {"title", "subtitle", "academy", "pdf", "instructor_site_dir", "site_url", "instructor_site_url"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{path.name}: 未知选项 / unknown option: {', '.join(sorted(unknown))}")
    return Settings(root=root, title=str(data.get("title") or Settings.title), subtitle=str(data.get("subtitle") or ""),
                    academy=str(data.get("academy") or Settings.academy), page_size=size,
                    instructor_dir=instructor_dir, site_url=site_url, instructor_site_url=instructor_site_url)


def _site_url(value, name: str, key: str = "site_url") -> str | None:
    """handbook.yml's site_url: an http(s) address with a host, given a final "/" (the site is a folder)."""
    if value is None or value == "":
        return None
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{name}: {key} 应为以 http:// 或 https:// 开头的网站地址，例如 https://example.org/handbook/ "
                          f"/ must be an http(s) address such as https://example.org/handbook/")
    return parts.geturl() if parts.path.endswith("/") else parts._replace(path=parts.path + "/").geturl()
