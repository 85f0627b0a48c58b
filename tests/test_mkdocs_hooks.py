"""handbook/site/mkdocs_hooks.py: the theme's compiled templates are kept between builds, and an edited template
is compiled again (Jinja checks each template's source against what it kept)."""
from __future__ import annotations

from .test_cli import run


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
