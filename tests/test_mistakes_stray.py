"""Every file in cases/ is accounted for (handbook/mistakes/stray.py): one real `check` with every stray file at once."""
from __future__ import annotations

import shutil

from .conftest import VALID
from .test_bad_inputs import run

STRAYS = {  # file placed in cases/ → the exact line `check` prints for it
    "laonian-shitang.docx":
        "cases/laonian-shitang.docx:1: error: 这是 Word 文件，网站不会收录：请运行 python build.py import "
        "cases/laonian-shitang.docx 导入 (a Word file is not a case: run python build.py import "
        "cases/laonian-shitang.docx to import it)",
    "jiuban.doc":
        "cases/jiuban.doc:1: error: 这是旧版 Word 文件（.doc），网站不会收录：请在 Word 中另存为 cases/jiuban.docx，"
        "再运行 python build.py import cases/jiuban.docx 导入 (an old Word file is not a case: save it as "
        "cases/jiuban.docx in Word, then run python build.py import cases/jiuban.docx)",
    "xiqiao-yueyuetan.docx":
        "cases/xiqiao-yueyuetan.docx:1: warning: Word 原稿 xiqiao-yueyuetan.docx 不会被网站使用（案例是 "
        "xiqiao-yueyuetan.md）；可以把它移出 cases/ (the Word original xiqiao-yueyuetan.docx is not used "
        "(the case is xiqiao-yueyuetan.md); it may be moved out of cases/)",
    "jizhuang-xiang.md.txt":
        "cases/jizhuang-xiang.md.txt:1: error: 文件名以 .md 以外的扩展名结尾，网站不会收录：请把 jizhuang-xiang.md.txt "
        "改名为 jizhuang-xiang.md（记事本保存时请把“保存类型”选为“所有文件”） (not a .md file, so it is not on the "
        "site: rename jizhuang-xiang.md.txt to jizhuang-xiang.md)",
    "wuye-tiaojie.txt":
        "cases/wuye-tiaojie.txt:1: error: 文件名以 .md 以外的扩展名结尾，网站不会收录：请把 wuye-tiaojie.txt "
        "改名为 wuye-tiaojie.md（记事本保存时请把“保存类型”选为“所有文件”） (not a .md file, so it is not on the "
        "site: rename wuye-tiaojie.txt to wuye-tiaojie.md)",
    "daxie-kuozhan.MD":
        "cases/daxie-kuozhan.MD:1: error: 文件名以 .md 以外的扩展名结尾，网站不会收录：请把 daxie-kuozhan.MD "
        "改名为 daxie-kuozhan.md（记事本保存时请把“保存类型”选为“所有文件”） (not a .md file, so it is not on the "
        "site: rename daxie-kuozhan.MD to daxie-kuozhan.md)",
    "2025/hongshan-yizhan.md":
        "cases/2025/hongshan-yizhan.md:1: error: 案例文件放在了子文件夹 cases/2025/ 里，网站不会收录：请把 "
        "hongshan-yizhan.md 移到 cases/ 下 (a case in the subfolder cases/2025/ is not on the site: move "
        "hongshan-yizhan.md into cases/)",
    "ziliao/baodao.pdf":
        "cases/ziliao:1: warning: 子文件夹 cases/ziliao/ 里没有案例，网站不使用它；图片请放在 cases/images/ 下 "
        "(the subfolder cases/ziliao/ is not used; images go under cases/images/)",
    "xianchang.jpg":
        "cases/xianchang.jpg:1: warning: 图片 xianchang.jpg 没有放在 cases/images/ 下，网站不使用它：请把它移到 "
        "cases/images/ (the image xianchang.jpg is not under cases/images/ and is not used: move it there)",
    "baodao.pdf":
        "cases/baodao.pdf:1: warning: 文件 baodao.pdf 不是案例（案例文件以 .md 结尾），网站不使用它；请把它移出 cases/ "
        "(baodao.pdf is not a case (case files end in .md) and is not used; move it out of cases/)",
}
QUIET = ("~$laonian.docx", ".DS_Store", "_notes.txt", "images/a.png", "taxonomy.yml", "_template.md")


def test_every_stray_file_gets_its_located_message(project):
    for name in STRAYS:
        path = project / "cases" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(VALID, encoding="utf-8")
    for name in QUIET[:4]:
        path = project / "cases" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    out = run(project, "check")
    assert "Traceback" not in out.stderr
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    for name, expected in STRAYS.items():
        assert expected in lines, (name, out.stderr)
    assert not [l for l in lines if any(f"cases/{q}" in l for q in QUIET)], out.stderr
    assert lines[-1] == "2 个案例，6 个错误，4 个警告（2 cases, 6 errors, 4 warnings）"


def test_no_stray_file_in_a_clean_project(project):
    out = run(project, "check", "--strict")
    assert out.returncode == 0, out.stderr
    shutil.rmtree(project / "cases" / "images", ignore_errors=True)
