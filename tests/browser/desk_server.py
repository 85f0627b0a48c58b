"""The case desk as an instructor gets it: `build.py desk` in its own process, on a free port, on a small
copy of the project (the shipped taxonomy and template, three shipped cases, no packs)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("jianghan-yinfa-guanjiatuan", "wuhan-qingsong-chepeng-tingche", "xiangjiang-xincun-louyu-gongjian")


def small_project(dest: Path) -> Path:
    for name in ("templates", "content"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "cases").mkdir()
    for name in ("taxonomy.yml", "_template.md", *(f"{c}.md" for c in SHIPPED)):
        shutil.copy(ROOT / "cases" / name, dest / "cases" / name)
    for name in ("mkdocs.yml", "handbook.yml", "build.py"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "handbook").symlink_to(ROOT / "handbook")
    return dest


class DeskProcess:
    def __init__(self, project: Path, config: Path, *args: str):
        self.project = project
        env = dict(os.environ, HANDBOOK_DESK_CONFIG=str(config), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "build.py", "desk", "--port", "0", "--no-browser", *args],
                                     cwd=project, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = None
        deadline = time.time() + 60
        lines = []
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            lines.append(line)
            if "case desk:" in line:
                self.url = line.split("case desk:")[1].split()[0].rstrip("/")
                break
        if self.url is None:
            self.proc.kill()
            raise RuntimeError("desk did not start: " + "".join(lines))
        self.log = lines
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True).start()

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "/preview-status") as answer:
            return json.load(answer)

    def wait_for_preview(self, after: int = 0, timeout: float = 300) -> dict:
        """Until every rebuild asked for so far (and at least one after `after`) is done."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.status()
            if s["generation"] > after and s["generation"] >= s["requested"]:
                return s
            time.sleep(0.2)
        raise TimeoutError(f"preview not rebuilt: {self.status()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
