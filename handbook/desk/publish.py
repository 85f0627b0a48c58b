"""The publish button: the full build of both editions, in a process of its own, its progress on the page.

The build is `build.py build --edition both` as the command line runs it (check, then every writer of each
edition, swapped into site/ and site-instructor/ only when complete). It runs as a child process
(`python -m handbook.desk.publish ROOT`) so that the PDF workers it forks never share the desk's threads,
and prints one line per stage, which the desk shows as they come.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from ..config import EDITIONS, Settings


class Publishing:
    """One full build at a time; its lines, its end and its result, for the page that polls them."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lines: list[str] = []
        self.running = False
        self.ok: bool | None = None
        self.seconds = 0.0
        self._lock = threading.Lock()

    def start(self) -> bool:
        with self._lock:
            if self.running:
                return False
            self.running, self.ok, self.lines = True, None, []
        threading.Thread(target=self._run, name="desk-publish", daemon=True).start()
        return True

    def _run(self) -> None:
        started = time.perf_counter()
        root = Path(__file__).resolve().parents[2]
        child = subprocess.Popen([sys.executable, "-m", "handbook.desk.publish", str(self.settings.root)],
                                 cwd=str(root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 encoding="utf-8", errors="replace")
        for line in child.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))
        self.ok = child.wait() == 0
        self.seconds = time.perf_counter() - started
        self.running = False

    def where(self) -> list[tuple[str, Path]]:
        return [(edition, self.settings.edition_dir(edition)) for edition in EDITIONS]


def main(root: str) -> int:
    from ..report import STAGES
    from ..config import load_settings
    from ..errors import HandbookError
    from ..pipeline import build, check, default_writers

    settings = load_settings(Path(root))
    say = lambda text: print(text, flush=True)  # noqa: E731
    try:
        writers = {edition: default_writers(settings, edition) for edition in EDITIONS}
        say("检查案例 / checking cases")
        result = check(settings, writers=writers[EDITIONS[-1]], edition=EDITIONS[-1])
        for problem in result.problems:
            say(problem.format(settings.root))
        if not result.ok:
            say("内容有错误，没有生成；上一次生成的网站保持不变 (content errors: nothing built)")
            return 1
        for edition in EDITIONS:
            label = "学员版" if edition == "trainee" else "教师版"
            build(settings, result.library, writers[edition], settings.edition_dir(edition),
                  stage=lambda name, label=label: say(f"{label}：{STAGES.get(name, name)}"))
            where = settings.edition_dir(edition).relative_to(settings.root).as_posix()
            say(f"{label}已生成：{where}/（{result.library.count} 个案例）")
    except HandbookError as exc:
        say(exc.line())
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
