"""handbook/outputs/render.py's template environment: one per folder for the process, an edited template used at
once, and the compiled templates kept as bytecode for the next build process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from handbook.outputs.render import jinja_env

ROOT = Path(__file__).resolve().parent.parent


def test_one_environment_per_folder_and_an_edited_template_is_used_at_once(tmp_path):
    templates, compiled = tmp_path / "templates", tmp_path / ".cache" / "jinja"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("第一版 {{ n }}", encoding="utf-8")
    env = jinja_env(templates, compiled)
    assert jinja_env(templates, compiled) is env
    assert jinja_env(tmp_path / "other", compiled) is not env
    assert env.get_template("page.html").render(n=1) == "第一版 1"
    page.write_text("第二版 {{ n }}", encoding="utf-8")
    os.utime(page, ns=(page.stat().st_mtime_ns + 10**9,) * 2)  # a later save, as an editor makes it
    assert env.get_template("page.html").render(n=2) == "第二版 2"


def test_a_build_process_loads_what_the_previous_one_compiled(tmp_path):
    templates, compiled = tmp_path / "templates", tmp_path / ".cache" / "jinja"
    templates.mkdir()
    (templates / "page.html").write_text("{% for i in range(3) %}{{ i }}{% endfor %}", encoding="utf-8")
    program = ("import sys; from pathlib import Path; from handbook.outputs.render import jinja_env; "
               "env = jinja_env(Path(sys.argv[1]), Path(sys.argv[2])); compiled = []; "
               "env.compile = lambda *a, **k: compiled.append(1) or type(env).compile(env, *a, **k); "
               "print(env.get_template('page.html').render(), len(compiled))")

    def run() -> str:
        return subprocess.run([sys.executable, "-c", program, str(templates), str(compiled)], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()

    assert run() == "012 1"  # compiled, and kept
    assert len(list(compiled.iterdir())) == 1
    assert run() == "012 0"  # loaded from the bytecode
