"""The reference a user would have without this project: plain mkdocs-material over the same cases.
"""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from measure import PY, dir_size, log, run_measured


REFERENCE_MKDOCS = """site_name: 社区治理案例手册
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
nav:
  - index.md
"""


def _front_and_body(text: str) -> tuple[dict, str]:
    import yaml
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def measure_reference(project: Path, parent: Path) -> dict:
    ref = Path(tempfile.mkdtemp(prefix="ref-", dir=parent))
    docs = ref / "docs"
    (docs / "cases").mkdir(parents=True)
    (docs / "index.md").write_text("# 社区治理案例手册\n\n案例见搜索。\n", encoding="utf-8")
    for path in sorted((project / "cases").glob("*.md")):
        meta, body = _front_and_body(path.read_text(encoding="utf-8"))
        (docs / "cases" / path.name).write_text(f"# {meta['title']}\n\n{meta['summary']}\n\n{body}", encoding="utf-8")
    (ref / "mkdocs.yml").write_text(REFERENCE_MKDOCS, encoding="utf-8")
    r = run_measured([PY, "-m", "mkdocs", "build", "-q"], ref)
    res = {"seconds": r["seconds"], "rss_mb": r["rss_mb"], "rc": r["rc"], "dir": str(ref)}
    if r["rc"] != 0:
        log(f"reference build failed: {r['stderr'][-1500:]}")
        return res
    size, files = dir_size(ref / "site")
    res["site_mb"], res["site_files"] = size / 2**20, files
    index = ref / "site" / "search" / "search_index.json"
    if index.exists():
        res["search_index_mb"] = index.stat().st_size / 2**20
        data = json.loads(index.read_text(encoding="utf-8"))
        sep = data.get("config", {}).get("separator", "")
        text = "".join(d.get("text", "") for d in data.get("docs", [])[:50])
        res["separator"] = sep
        res["jieba_used"] = "\u200b" in text
        res["separator_splits_zwsp"] = bool(re.search(sep, "a\u200bb")) if sep else False
    return res
