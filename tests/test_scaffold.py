"""`build.py new`: a scaffold an instructor fills in, and clear refusals."""
from __future__ import annotations

import re

from .test_cli import run


def fill(path, **values):
    text = path.read_text(encoding="utf-8")
    for field, value in values.items():
        text = re.sub(rf"(?m)^{field}:.*$", f"{field}: {value}", text, count=1)
    path.write_text(text, encoding="utf-8")


def test_new_then_fill_required_fields_passes_check(project):
    out = run(project, "new", "hanyang-tingche", "--title", "汉阳某社区错峰停车", "--district", "江汉区",
              "--problem-type", "停车管理")
    assert out.returncode == 0, out.stderr
    path = project / "cases" / "hanyang-tingche.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: 汉阳某社区错峰停车\n' in text and '  - 停车管理\n' in text  # plain, as the guide writes values
    for section in ("## 背景", "## 做法", "## 成效", "## 启示"):
        assert section in text
    # unfilled, check names every missing required field
    out = run(project, "check")
    assert out.returncode == 1
    assert "cases/hanyang-tingche.md:5: error: 缺少必填字段 summary（摘要），请填写" in out.stderr
    assert "required field 'sources' is missing" in out.stderr
    fill(path, summary="社区与周边单位协商错峰共享车位，缓解夜间停车难。")
    text = path.read_text(encoding="utf-8").replace(
        "  - title:\n    publisher:\n    date:\n",
        "  - title: 某报道\n    publisher: 某报\n    date: \"2024-01-02\"\n")
    path.write_text(text, encoding="utf-8")
    out = run(project, "check", "--strict")
    assert out.returncode == 0, out.stderr


def test_new_refuses_bad_or_existing_id(project):
    out = run(project, "new", "Bad_Id")
    assert out.returncode == 2
    assert out.stderr.startswith("error: 编号“Bad_Id”不符合规则")
    out = run(project, "new", "xiqiao-yueyuetan")
    assert out.returncode == 2
    assert out.stderr == "error: cases/xiqiao-yueyuetan.md 已经存在，请换一个编号 (case 'xiqiao-yueyuetan' already exists)\n"
    assert not (project / "cases" / "Bad_Id.md").exists()
