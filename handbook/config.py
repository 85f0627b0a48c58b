"""Settings: the one place that reads handbook.yml and knows where the project's files live."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PAGE_SIZES = ("A4", "A5", "B5")


class ConfigError(Exception):
    """handbook.yml is unusable; the message says why, in the instructors' words."""


@dataclass(frozen=True)
class Settings:
    root: Path
    title: str = "社区治理案例手册"
    subtitle: str = ""
    academy: str = "社区干部学院"
    page_size: str = "A4"

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

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
    known = {"title", "subtitle", "academy", "pdf"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{path.name}: 未知选项 / unknown option: {', '.join(sorted(unknown))}")
    return Settings(root=root, title=str(data.get("title") or Settings.title), subtitle=str(data.get("subtitle") or ""),
                    academy=str(data.get("academy") or Settings.academy), page_size=size)
