"""handbook/site/mkdocs_hooks.py: the theme's compiled templates are kept between builds, and an edited template
is compiled again (Jinja checks each template's source against what it kept); the theme's files are listed
without walking its dot folders, and the same files are copied."""
from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemLoader
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from handbook.site.mkdocs_hooks import ThemeLoader, on_config

from .test_cli import run

ROOT = Path(__file__).resolve().parent.parent


def theme_files(env, config) -> list[str]:
    files = Files([])
    files.add_files_from_theme(env, config)
    return sorted(f.src_uri for f in files)


def test_the_theme_copies_the_same_files_without_walking_its_dot_folders(tmp_path):
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path))
    plain = config.theme.get_env()
    assert type(plain.loader) is FileSystemLoader
    walked = plain.loader.list_templates()
    on_config(config)
    ours = config.theme.get_env()
    assert isinstance(ours.loader, ThemeLoader)
    listed = ours.loader.list_templates()
    assert len([n for n in walked if n.startswith(".icons/")]) > 10000  # what the listing no longer walks
    assert not [n for n in listed if n.startswith(".") or "/." in n]
    assert theme_files(ours, config) == theme_files(plain, config) != []
    assert ours.get_template(".icons/material/magnify.svg").render().startswith("<svg")  # still loads from there


def test_compiled_templates_are_kept_and_an_edited_one_is_used(project):
    assert run(project).returncode == 0
    kept = {p.name: p.stat().st_mtime_ns for p in (project / ".cache" / "jinja").iterdir()}
    assert len(kept) > 20  # material's templates and ours
    main = project / "templates" / "theme" / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("{% block extrahead %}", "{% block extrahead %}<!-- edited-template -->", 1),
                    encoding="utf-8")
    assert run(project).returncode == 0
    assert "<!-- edited-template -->" in (project / "site" / "index.html").read_text(encoding="utf-8")
    again = {p.name: p.stat().st_mtime_ns for p in (project / ".cache" / "jinja").iterdir()}
    assert kept.keys() <= again.keys()
    assert [n for n in kept if again[n] != kept[n]] != []  # main.html's entry was written again
