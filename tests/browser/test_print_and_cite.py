"""A case page printed from the browser is a clean handout, and its citation can be copied (or, failing that, selected)."""
from __future__ import annotations

import subprocess

from .conftest import ARTIFACTS

CASE = "cases/gongshu-liushuiyuan-gongxiang-dianti/"  # a case whose source has a web address
TITLE = "拱墅区流水苑25幢：一部电梯服务两个单元31户"
SOURCE_URL = "https://dangshi.hangzhou.com.cn/content/content_8443913.html"


def flat(text: str) -> str:
    """pdftotext's text without line breaks and spaces (a Chinese line breaks anywhere)."""
    return "".join(text.split())


def test_printed_case_page_has_the_case_and_none_of_the_site(page, shipped_site):
    _, url = shipped_site
    page.page.goto(url + CASE)
    page.page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "print-case.pdf"
    page.page.pdf(path=str(pdf), format="A4")
    text = flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for present in (TITLE, "背景", "流水苑25幢位于杭州市拱墅区", "课堂讨论", "资料来源", "引用本案例",
                    f"一部电梯方便两个单元楼({SOURCE_URL})"):
        assert flat(present) in text, present
    # the header's search box, the tabs and sidebar (labels no case page uses), the footer, buttons, cards of other
    # pages ("课程包", a tab too, stays: the case page names the packs that use it)
    for absent in ("搜索案例", "案例检索", "使用指南", "编写指南", "本站使用", "MaterialforMkDocs", "复制引用", "相关案例"):
        assert absent not in text, absent
    page.page.emulate_media(media="print")
    colours = page.page.evaluate("""() => [".hb-case h1", ".hb-summary", ".hb-meta a"].map(s => {
        const st = getComputedStyle(document.querySelector(s)); return st.color + " on " + st.backgroundColor; })""")
    assert set(colours) <= {"rgb(0, 0, 0) on rgba(0, 0, 0, 0)", "rgb(0, 0, 0) on rgb(255, 255, 255)"}, colours
    assert page.errors == []


def test_copy_button_copies_the_citation(browser, shipped_site):
    _, url = shipped_site
    context = browser.new_context(service_workers="block")  # nothing offline here: no precache download
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    p = context.new_page()
    p.goto(url + CASE)
    cited = p.inner_text("#cite-text")
    assert cited.startswith(f"武汉社区干部学院. {TITLE}[EB/OL]. 社区治理案例手册, ")
    assert cited.endswith(f". {url}{CASE}.")  # the site knows its address: the citation holds it
    tags = dict(p.eval_on_selector_all('meta[name^="citation_"]', "els => els.map(e => [e.name, e.content])"))
    assert tags["citation_title"] == TITLE and tags["citation_public_url"] == url + CASE
    p.click("text=复制引用")
    p.wait_for_selector(".hb-cite__status:has-text('已复制到剪贴板')")
    assert p.evaluate("navigator.clipboard.readText()") == cited
    context.close()


def test_without_the_clipboard_api_the_citation_is_selected(browser, shipped_site):
    _, url = shipped_site
    context = browser.new_context(service_workers="block")  # nothing offline here: no precache download
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
    p = context.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(url + CASE)
    p.click("text=复制引用")
    status = p.inner_text(".hb-cite__status")
    assert status in ("已复制到剪贴板", "已选中引用文字，请按 Ctrl+C（苹果电脑按 ⌘+C）复制")
    assert p.evaluate("window.getSelection().toString().trim()") == p.inner_text("#cite-text")
    assert errors == []
    context.close()


def test_without_javascript_there_is_no_dead_button(browser, shipped_site):
    _, url = shipped_site
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(url + CASE)
    assert p.is_visible("#cite-text") and not p.is_visible("text=复制引用")
    context.close()
