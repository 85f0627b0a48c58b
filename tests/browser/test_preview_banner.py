"""The preview in a real browser: a failed save shows its located messages as a banner; fixing it removes it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ..conftest import case_text
from ..test_serve import free_port, get, wait_for

BAD_LINE = ("cases/xiqiao-yueyuetan.md:5: error: 武汉市没有“江汉”这个区。是否应为“江汉区”？如果案例不在武汉市，请把 city "
            "改为案例所在的城市；如果是武汉市新的区，请先添加到 cases/taxonomy.yml (武汉市 has no district '江汉'. Did you "
            "mean '江汉区'? If the case is in another city, change city; a new district is added to cases/taxonomy.yml)")


@pytest.fixture
def preview(project):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for(lambda: "西桥社区月月谈" in get(f"http://127.0.0.1:{port}/cases/xiqiao-yueyuetan/"), 60)
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def test_errors_show_as_a_banner_and_vanish_when_fixed(preview, page):
    project, url = preview
    page.page.goto(url + "cases/xiqiao-yueyuetan/")
    banner = page.page.locator("#hb-preview-errors")
    assert banner.count() == 0
    path = project / "cases" / "xiqiao-yueyuetan.md"
    # a title that would be markup if the banner used innerHTML
    path.write_text(case_text(district="江汉", title="<img src=x onerror=alert(1)>月月谈"), encoding="utf-8")
    banner.wait_for(state="visible", timeout=20000)
    lines = banner.inner_text().split("\n")
    assert lines[0] == "内容有错误，下面是上一次保存时的问题；改好并保存后，这里会自动消失（页面仍是上一次成功生成的）："
    assert lines[1:] == [BAD_LINE]
    assert page.page.locator("#hb-preview-errors img").count() == 0
    path.write_text(case_text(title="西桥社区月月谈（改好）"), encoding="utf-8")
    page.page.wait_for_function("document.title.indexOf('改好') >= 0", timeout=20000)
    assert page.page.locator("#hb-preview-errors").count() == 0
    assert page.errors == []
