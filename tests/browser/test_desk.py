"""The case desk in a real browser (Debian's Chromium through Playwright), served by `build.py desk` in its
own process on a free port: a case written from nothing through the form (Chinese typed through IME
composition), a misspelt district, the saved bytes, the preview, a conflict, a restore, a picture, a pack,
unsaved contents, and the refusals. The screenshots of the instructors' guide are taken here, so they show the
desk as it is: into test-artifacts/desk/ on every run, and over the guide's own (content/images/desk/) only
with HANDBOOK_UPDATE_SCREENSHOTS=1, so that a test run leaves the checkout as it was."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handbook.content import canonical
from handbook.content.problems import MESSAGES

from ..conftest import link_cache
from .desk_server import ROOT, SHIPPED, DeskProcess, small_project
from .test_site_checks import FAILING_IMPACTS, axe_url  # noqa: F401 (axe_url: a fixture)

SHOTS = ROOT / "content" / "images" / "desk" if os.environ.get("HANDBOOK_UPDATE_SCREENSHOTS") == "1" \
    else ROOT / "test-artifacts" / "desk"
CASE_ID = "jianghan-desk-test"
TITLE = "江汉区某社区加装电梯：楼栋议事会算清分摊账"
SUMMARY = "一栋老楼的居民在楼栋议事会上逐户算清加装电梯的分摊账，低层住户的顾虑得到回应，电梯顺利开工。"
BACKGROUND = "这栋楼建于上世纪九十年代，住着许多老人。"
NOTE = "### 教学目标\n\n学员能说出分摊方案的三种做法。"


@pytest.fixture(scope="module")
def desk(tmp_path_factory, warm_cache):
    """The desk on a small project whose build cache holds what any project's first build makes (the fonts, the
    guide's pages of the book: conftest.warm_cache), as an instructor's desk has after its first publish."""
    project = small_project(tmp_path_factory.mktemp("desk-project"))
    link_cache(warm_cache, project)
    process = DeskProcess(project, tmp_path_factory.mktemp("desk-config"))
    process.wait_for_preview()
    yield process
    process.stop()


def shot(page, name: str, selector: str | None = None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector) if selector else page
    target.screenshot(path=str(SHOTS / f"{name}.png"))


def ime_type(page, selector: str, pinyin: str, text: str) -> None:
    """Type text as an input method does: a composition grows letter by letter, then the chosen words.
    While the composition is open, the desk sends no check (it would be of half-typed pinyin)."""
    page.focus(selector)
    checks = []
    listen = lambda r: checks.append(r.url) if r.url.endswith("/check") else None  # noqa: E731
    page.wait_for_timeout(800)  # what earlier typing asked for has gone out
    page.on("request", listen)
    cdp = page.context.new_cdp_session(page)
    for i in range(1, len(pinyin) + 1):
        cdp.send("Input.imeSetComposition", {"text": pinyin[:i], "selectionStart": i, "selectionEnd": i})
    page.wait_for_timeout(900)  # longer than the desk's pause before a check
    composing = list(checks)
    cdp.send("Input.insertText", {"text": text})
    cdp.detach()
    page.wait_for_timeout(900)
    page.remove_listener("request", listen)
    assert composing == [] and len(checks) >= 1, (composing, checks)
    assert text in page.input_value(selector) and pinyin not in page.input_value(selector)


def district_message(value: str, near: str) -> str:
    zh, en = MESSAGES["unknown-district"]
    params = dict(city="武汉市", value=value, hint=f"是否应为“{near}”？", hint_en=f" Did you mean '{near}'?")
    return f"{zh.format(**params)} ({en.format(**params)})"


def expected_text() -> str:
    values = {"title": TITLE, "summary": SUMMARY, "city": "武汉市", "district": "江汉区", "problem_types": ["加装电梯"],
              "year": 2021,
              "sources": [{"title": "老楼加装电梯的一本明白账", "publisher": "长江日报", "date": "2021-07-05"}],
              "status": "published"}
    body = (f"## 背景\n\n{BACKGROUND}\n\n## 做法\n\n楼栋长挨家挨户上门。\n\n## 成效\n\n电梯当年建成。\n\n"
            f"## 启示\n\n先算账，再表决。\n")
    return canonical.case_text(values, body, NOTE)


def check_project(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "check"], cwd=project, capture_output=True, text=True)


def test_a_case_from_nothing_through_the_form(desk, page):
    p = page.page
    p.goto(desk.url + "/cases/new")
    requests_404 = []
    p.on("response", lambda r: requests_404.append(r.url) if r.status == 404 else None)
    p.fill("#f-case_id", CASE_ID)
    ime_type(p, "#f-title", "jianghanqu", TITLE)  # a field, through IME composition
    p.fill("#f-summary", SUMMARY)
    p.fill("#f-district", "江汉去")
    p.fill("#f-problem_types", "加装电梯")
    p.fill("#f-year", "2021")
    p.fill("[name='source.title']", "老楼加装电梯的一本明白账")
    p.fill("[name='source.publisher']", "长江日报")
    p.fill("[name='source.date']", "2021-07-05")
    ime_type(p, "#f-section-0", "zhedonglou", BACKGROUND)  # a section, through IME composition
    p.fill("#f-section-1", "楼栋长挨家挨户上门。")
    p.fill("#f-section-2", "电梯当年建成。")
    p.fill("#f-section-3", "先算账，再表决。")
    p.fill("#f-note", NOTE)
    message = district_message("江汉去", "江汉区")
    p.wait_for_function("t => document.querySelector('#msg-district').textContent.includes(t)", arg=message)
    assert p.locator("#field-district #msg-district").inner_text().strip() == "错误：" + message or \
        message in p.locator("#field-district").inner_text()
    assert "<p" in p.inner_html("#pv-section-0") and BACKGROUND in p.inner_text("#pv-section-0")
    shot(p, "district-message", "#field-district")
    # a save with errors writes nothing and says why, beside the field
    p.click("#save")
    p.wait_for_load_state()
    assert not (desk.project / "cases" / f"{CASE_ID}.md").exists()
    assert message in p.inner_text("#field-district")
    p.fill("#f-district", "江汉区")
    p.wait_for_function("() => document.querySelector('#msg-district').textContent.trim() === ''")
    assert p.input_value("#f-title") == TITLE and p.input_value("#f-section-0") == BACKGROUND
    shot(p, "case-form")
    before = desk.status()["generation"]
    p.click("#save")
    p.wait_for_selector("#saved")
    refused_save = "the server responded with a status of 422"  # the save with an error, answered as such
    assert requests_404 == [] and [e for e in page.errors if refused_save not in e] == [], (requests_404, page.errors)
    saved = (desk.project / "cases" / f"{CASE_ID}.md").read_bytes()
    assert saved == expected_text().encode("utf-8")
    done = check_project(desk.project)
    assert done.returncode == 0, done.stderr
    desk.wait_for_preview(after=before)
    for edition in ("trainee", "instructor"):
        p.goto(f"{desk.url}/preview/{edition}/cases/{CASE_ID}/")
        assert TITLE in p.inner_text("h1")
        assert (NOTE.split("\n")[-1] in p.inner_text("body")) == (edition == "instructor")
    deadline = time.time() + 90  # the preview's search index is written in the background
    while True:
        p.goto(desk.url + "/preview/trainee/cases/")
        p.wait_for_selector(".hb-finder[data-ready]", timeout=20000)
        ids = [h.rstrip("/").rsplit("/", 1)[-1] for h in
               p.eval_on_selector_all(".hb-results__list a.hb-card__title", "els => els.map(e => e.href)")]
        if CASE_ID in ids or time.time() > deadline:
            break
        time.sleep(1)
    assert CASE_ID in ids
    assert [e for e in page.errors if refused_save not in e] == [], page.errors


def test_publish_builds_both_editions_and_leaves_the_desk_out(desk, page):
    """Right after the first new case, before the tests that add a picture, a pack and a Word file: each of those
    would be laid out here too (both editions of a pack's kit), and publishing them is the full build's business,
    tested on its own (test_pipeline.py, test_packs.py)."""
    p = page.page
    p.goto(desk.url + "/publish")
    with p.expect_navigation():  # the form posts, and the desk answers with the page again (303)
        p.click("#publish")
    p.wait_for_function("() => /已生成（|没有生成成功/.test(document.querySelector('#publish-status')?.textContent)",
                        timeout=600000)
    status = p.inner_text("#publish-status")
    assert "已生成（" in status, status
    assert "学员版已生成：site/" in status and "教师版已生成：site-instructor/" in status
    assert str(desk.project / "site") in status and str(desk.project / "site-instructor") in status
    shot(p, "publish")
    for folder in ("site", "site-instructor"):
        out = desk.project / folder
        assert (out / "cases" / CASE_ID / "index.html").is_file()
        names = {q.name for q in out.rglob("*")}
        assert not names & {"desk.js", "desk.css", "htmx.min.js", "Sortable.min.js", ".desk-history"}
        for html in out.rglob("*.html"):
            text = html.read_text(encoding="utf-8", errors="replace")
            assert "desk_session" not in text and "/static/vendor/" not in text
    assert "分摊方案的三种做法" not in (desk.project / "site" / "cases" / CASE_ID / "index.html").read_text("utf-8")


def test_the_list_shows_status_and_finds_by_title_and_id(desk, page):
    p = page.page
    (desk.project / "cases" / "broken-case.md").write_text("---\ntitle: 短\n---\n", encoding="utf-8")
    try:
        p.goto(desk.url + "/")
        row = p.locator(f"#cases tr[data-id='{CASE_ID}']")
        assert "已发布" in row.inner_text()
        broken = p.locator("#cases tr[data-id='broken-case']").inner_text()
        assert "有 " in broken and "处错误" in broken
        shot(p, "list")
        p.fill("#q", "分摊账")
        p.click(".search button")
        assert p.locator("#cases tbody tr").count() == 1 and CASE_ID in p.inner_text("#cases")
        p.goto(desk.url + "/?q=qingsong")
        assert "wuhan-qingsong-chepeng-tingche" in p.inner_text("#cases") and CASE_ID not in p.inner_text("#cases")
    finally:
        (desk.project / "cases" / "broken-case.md").unlink()


def test_a_save_never_overwrites_a_newer_file(desk, page):
    p = page.page
    path = desk.project / "cases" / f"{CASE_ID}.md"
    p.goto(f"{desk.url}/cases/{CASE_ID}")
    theirs = path.read_text(encoding="utf-8").replace("先算账，再表决。", "先算账，再表决；另一位教师补充的一句。")
    path.write_text(theirs, encoding="utf-8")
    p.fill("#f-section-2", "电梯当年建成，居民满意。")
    p.click("#save")
    p.wait_for_selector("#conflict")
    assert "另一位教师补充的一句" in p.inner_text("#conflict-theirs")
    assert "居民满意" in p.inner_text("#conflict-mine")
    assert path.read_text(encoding="utf-8") == theirs
    shot(p, "conflict", "#conflict")
    p.click("#keep-mine")
    p.wait_for_selector("#saved")
    mine = path.read_text(encoding="utf-8")
    assert "居民满意" in mine and "另一位教师补充的一句" not in mine
    kept = list((desk.project / ".desk-history" / "cases" / CASE_ID).glob("*.md"))
    assert any(k.read_text(encoding="utf-8") == theirs for k in kept)


def test_a_version_is_restored_from_the_history(desk, page):
    p = page.page
    path = desk.project / "cases" / f"{CASE_ID}.md"
    p.goto(f"{desk.url}/cases/{CASE_ID}")  # one more save, so that there is an earlier version whatever ran before
    p.fill("#f-section-3", p.input_value("#f-section-3") + "再补一句。")
    p.click("#save")
    p.wait_for_selector("#saved")
    current = path.read_bytes()
    p.goto(f"{desk.url}/cases/{CASE_ID}/history")
    rows = p.locator("#versions tbody tr")
    assert rows.count() >= 1
    version = rows.first.get_attribute("data-version")
    wanted = (desk.project / ".desk-history" / "cases" / CASE_ID / f"{version}.md").read_bytes()
    assert wanted != current
    shot(p, "history")
    rows.first.locator("button").click()
    p.wait_for_selector("#saved")
    assert path.read_bytes() == wanted
    p.goto(f"{desk.url}/cases/{CASE_ID}/history")
    assert any((desk.project / ".desk-history" / "cases" / CASE_ID).glob("*.md"))
    assert current in [k.read_bytes() for k in (desk.project / ".desk-history" / "cases" / CASE_ID).glob("*.md")]


def test_a_picture_is_uploaded_checked_and_inserted(desk, page, tmp_path):
    from PIL import Image

    p = page.page
    picture = tmp_path / "photo.png"
    Image.new("RGB", (40, 30), (200, 80, 40)).save(picture)
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"<script>alert(1)</script>")
    p.goto(f"{desk.url}/cases/{CASE_ID}")
    p.click("#f-section-1")
    p.press("#f-section-1", "End")
    p.set_input_files("#image-file", str(fake))
    p.wait_for_function("() => document.querySelector('#image-state').textContent.includes('不是可用的图片')")
    p.set_input_files("#image-file", str(picture))
    p.wait_for_function("() => document.querySelector('#image-state').textContent.includes('已插入')")
    assert f"![图片说明](images/{CASE_ID}-1.png)" in p.input_value("#f-section-1")
    stored = desk.project / "cases" / "images" / f"{CASE_ID}-1.png"
    assert stored.read_bytes() == picture.read_bytes()
    assert not list((desk.project / "cases" / "images").glob("fake*"))
    p.wait_for_selector("#pv-section-1 img")
    p.click("#save")
    p.wait_for_selector("#saved")
    assert f"![图片说明](images/{CASE_ID}-1.png)" in (desk.project / "cases" / f"{CASE_ID}.md").read_text("utf-8")
    assert check_project(desk.project).returncode == 0


def test_a_pack_is_built_in_the_pack_editor(desk, page):
    p = page.page
    p.goto(desk.url + "/packs/new")
    p.fill("#f-pack_id", "desk-test-pack")
    p.fill("#f-title", "加装电梯专题（编辑台测试）")
    p.fill("#s-0-title", "第一讲　动员与协商")
    for cid in (CASE_ID, SHIPPED[0], SHIPPED[1]):
        p.fill("#s-0-pick", cid)
        p.click(".session[data-index='0'] .add-case")
    items = p.locator("#s-0-cases li")
    assert items.count() == 3
    items.nth(2).drag_to(items.nth(0))  # SortableJS: the third case first
    order = p.eval_on_selector_all("#s-0-cases input", "els => els.map(e => e.value)")
    assert order == [SHIPPED[1], CASE_ID, SHIPPED[0]]
    p.fill("#s-0-questions", "低层住户反对时，社区能做什么？")
    p.fill("#s-0-note", "分组阅读背景（10 分钟），讨论（20 分钟）。")
    shot(p, "pack")
    p.click("#save")
    p.wait_for_selector("#saved")
    text = (desk.project / "packs" / "desk-test-pack.yml").read_text(encoding="utf-8")
    assert text == ("title: 加装电梯专题（编辑台测试）\nsessions:\n  - title: 第一讲　动员与协商\n"
                    f"    cases: [{SHIPPED[1]}, {CASE_ID}, {SHIPPED[0]}]\n    questions:\n"
                    "      - 低层住户反对时，社区能做什么？\n    note: 分组阅读背景（10 分钟），讨论（20 分钟）。\nstatus: published\n")
    assert check_project(desk.project).returncode == 0


def test_unsaved_contents_survive_a_closed_tab(desk, browser):
    context = browser.new_context()
    p = context.new_page()
    p.goto(f"{desk.url}/cases/{CASE_ID}")
    p.fill("#f-summary", "还没有保存的摘要：关掉标签页以后也不会丢。")
    p.wait_for_timeout(300)
    p.close()
    p = context.new_page()
    p.goto(f"{desk.url}/cases/{CASE_ID}")
    p.wait_for_selector("#draft-banner:not([hidden])")
    shot(p, "draft", "#draft-banner")
    p.click("#draft-restore")
    assert p.input_value("#f-summary") == "还没有保存的摘要：关掉标签页以后也不会丢。"
    context.close()


def test_writes_without_the_csrf_token_and_paths_outside_are_refused(desk, page):
    p = page.page
    p.goto(f"{desk.url}/cases/{CASE_ID}")
    path = desk.project / "cases" / f"{CASE_ID}.md"
    before = path.read_bytes()
    answer = p.request.post(f"{desk.url}/cases/{CASE_ID}/save", form={"field.title": "被篡改的标题"})
    assert answer.status == 403 and "CSRF" in answer.text()
    forged = p.evaluate("""url => fetch(url, {method: 'POST', body: new URLSearchParams({'field.title': 'x',
        csrf: 'guessed'})}).then(r => r.status)""", f"{desk.url}/cases/{CASE_ID}/save")
    assert forged == 403 and path.read_bytes() == before
    for address in ("/cases/..%2F..%2Fhandbook.yml", "/cases/images/..%2Ftaxonomy.yml",
                    "/preview/trainee/..%2F..%2F..%2F..%2Fhandbook.yml", "/cases/%2E%2E/history",
                    "/packs/..%2F..%2Fbuild.py"):
        got = p.request.get(desk.url + address)
        assert got.status == 404, address
        assert "site_url" not in got.text() and "import" not in got.text()
    csrf = p.get_attribute("body", "data-csrf")
    sneaky = p.request.post(f"{desk.url}/cases/..%2Fevil/save", form={"csrf": csrf, "field.title": "x"})
    assert sneaky.status == 404
    assert not (desk.project / "evil.md").exists()
    foreign = p.request.post(f"{desk.url}/cases/{CASE_ID}/save", form={"csrf": csrf},
                             headers={"Origin": "http://evil.example"})
    assert foreign.status == 403 and path.read_bytes() == before


def test_another_address_needs_a_password(desk, browser, tmp_path):
    config = tmp_path / "config"
    refused = subprocess.run([sys.executable, "build.py", "desk", "--host", "0.0.0.0", "--port", "0", "--no-browser"],
                             cwd=desk.project, env=dict(os.environ, HANDBOOK_DESK_CONFIG=str(config)),
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "请先由维护人设置密码：python build.py desk --set-password" in refused.stderr
    set_it = subprocess.run([sys.executable, "build.py", "desk", "--set-password"], cwd=desk.project,
                            input="correct horse battery\n", env=dict(os.environ, HANDBOOK_DESK_CONFIG=str(config)),
                            capture_output=True, text=True, timeout=60)
    assert set_it.returncode == 0, set_it.stderr
    stored = (config / "password").read_text()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert not list(desk.project.rglob("password"))
    open_desk = DeskProcess(desk.project.parent / "second", config, "--host", "0.0.0.0") \
        if False else None  # the same project cannot run two desks: a copy serves the second one
    second = small_project(tmp_path / "second")
    open_desk = DeskProcess(second, config, "--host", "0.0.0.0")
    try:
        context = browser.new_context()
        p = context.new_page()
        p.goto(open_desk.url + "/")
        assert p.url.endswith("/login")
        assert p.request.get(open_desk.url + f"/cases/{SHIPPED[0]}", max_redirects=0).status == 303
        p.fill("#password", "wrong password")
        p.click("button[type=submit]")
        assert "密码不对" in p.inner_text("main")
        shot(p, "login")
        p.fill("#password", "correct horse battery")
        p.click("button[type=submit]")
        p.wait_for_selector("#cases")
        assert SHIPPED[0] in p.inner_text("#cases")
        context.close()
    finally:
        open_desk.stop()


def test_a_case_pdf_of_each_edition_is_one_click_away(desk, page, tmp_path):
    p = page.page
    p.goto(f"{desk.url}/cases/{CASE_ID}")
    texts = {}
    for edition in ("trainee", "instructor"):
        href = p.get_attribute(f"a[href='/cases/{CASE_ID}/pdf/{edition}']", "href")
        answer = p.request.get(desk.url + href, timeout=300000)
        assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
        pdf = tmp_path / f"{edition}.pdf"
        pdf.write_bytes(answer.body())
        texts[edition] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for edition, text in texts.items():
        assert "分摊账" in text
        assert ("分摊方案的三种做法" in text) == (edition == "instructor")
        assert "编写指南" not in text and "案例：" + TITLE in text  # the handout of `pdf --case`, not a one-case book


def test_the_desk_pages_pass_axe(desk, browser, axe_url):
    """Each page of the desk in one tab, axe-core from its cached address (test_site_checks.axe_url)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    found = []
    try:
        p = context.new_page()
        for path in ("/", f"/cases/{CASE_ID}", "/cases/new", "/packs/desk-test-pack", f"/cases/{CASE_ID}/history",
                     "/publish"):
            p.goto(desk.url + path)
            p.add_script_tag(url=axe_url)
            result = p.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found += [f"{path}: {v['id']} ({v['impact']}): {' '.join(map(str, n['target']))}"
                      for v in result["violations"] if v["impact"] in FAILING_IMPACTS for n in v["nodes"]]
    finally:
        context.close()
    assert found == [], "\n".join(found)


def test_a_word_file_dropped_on_the_list_is_imported(desk, page, tmp_path):
    from handbook.word.exporter import export_docx

    p = page.page
    case = desk.project / "cases" / f"{SHIPPED[2]}.md"
    original = case.read_bytes()
    docx = export_docx(desk.project / "cases", SHIPPED[2], tmp_path / "从Word来的案例.docx")
    case.unlink()
    p.goto(desk.url + "/")
    data = list(docx.read_bytes())
    transfer = p.evaluate_handle("""bytes => { const t = new DataTransfer();
        t.items.add(new File([new Uint8Array(bytes)], '从Word来的案例.docx',
                    {type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'}));
        return t; }""", data)
    p.dispatch_event("#import", "drop", {"dataTransfer": transfer})
    p.wait_for_url(f"**/cases/{SHIPPED[2]}")
    assert case.read_bytes() == original  # the importer's canonical text: the file as it was
    assert p.input_value("#f-title") in original.decode("utf-8")
    # a second drop of the same file would replace the case: the importer refuses, the desk says so
    p.goto(desk.url + "/")
    p.set_input_files("#docx", str(docx))
    p.click("#import button[type=submit]")
    assert "已经存在" in p.inner_text("#import-problems")
    assert case.read_bytes() == original
    p.set_input_files("#docx", {"name": "not-word.docx", "mimeType": "application/octet-stream", "buffer": b"plain"})
    p.click("#import button[type=submit]")
    assert "不是 Word 文档" in p.inner_text("#import-problems")


def test_a_hand_edit_outside_the_desk_updates_the_preview_too(desk, page):
    path = desk.project / "cases" / f"{SHIPPED[0]}.md"
    text = path.read_text(encoding="utf-8")
    before = desk.wait_for_preview()["generation"]
    path.write_text(text.replace("title: ", "title: 手改", 1), encoding="utf-8")
    try:
        desk.wait_for_preview(after=before)
        page.page.goto(f"{desk.url}/preview/trainee/cases/{SHIPPED[0]}/")
        assert page.page.inner_text("h1").startswith("手改")
    finally:
        path.write_text(text, encoding="utf-8")
