#!/usr/bin/env python3
"""The handbook's one command line: `python build.py --help`.

Any Python can start it: one that lacks the project's packages (or is too old) hands the
command to the project's own .venv (made by scripts/setup.sh), or, when there is none,
prints one line saying what to run. An instructor never sees a traceback for it.
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NEEDED = (3, 11)
VENV_PYTHONS = (ROOT / ".venv" / "bin" / "python", ROOT / ".venv" / "Scripts" / "python.exe")
HANDED_OVER = "HANDBOOK_VENV_HANDOVER"


def _missing():
    """What this Python lacks to run the handbook ('' when nothing)."""
    if sys.version_info < NEEDED:
        return "Python %d.%d" % NEEDED
    for module in ("yaml", "frontmatter", "markdown", "jinja2", "nh3"):
        try:
            __import__(module)
        except ImportError:
            return module
    return ""


def _hand_over(missing):
    venv = next((p for p in VENV_PYTHONS if p.is_file()), None)
    # not by comparing executables: a venv's python is a link to the very system Python that lacks the packages
    inside = Path(sys.prefix).resolve() == venv.parent.parent.resolve() if venv else False
    if venv is not None and not inside and not os.environ.get(HANDED_OVER):
        os.environ[HANDED_OVER] = "1"
        try:
            os.execv(str(venv), [str(venv), str(Path(__file__).resolve())] + sys.argv[1:])
        except OSError:
            pass
    sys.stderr.write("这个 Python 缺少运行手册所需的 %s：请先运行 bash scripts/setup.sh，再运行 .venv/bin/python build.py "
                     "(this Python lacks %s: run bash scripts/setup.sh, then .venv/bin/python build.py)\n"
                     % (missing, missing))
    sys.exit(1)


if __name__ == "__main__":
    missing = _missing()
    if missing:
        _hand_over(missing)
    from handbook.commands.cli import main

    sys.exit(main(root=ROOT))
