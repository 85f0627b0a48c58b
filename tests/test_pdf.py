"""The PDF handbook, checked with poppler's own tools on real output.

Two books: the shipped cases' (the shipped site's book, built once per test run on a copy of
the cases, so that edits made meanwhile cannot change the input), and, once per module, a
small A5 project with a draft and a subset label.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from handbook.pdf import book as pdf, engine
from handbook.config import load_settings
from handbook.library import build_library
from handbook.pipeline import check
from handbook.outputs.render import markdown_to_html, split_title

from .conftest import ROOT, TAXONOMY, VALID, case_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    """Text of each page (index 0 is page 1), from one pdftotext run."""
    return run("pdftotext", "-layout", str(path), "-").split("\f")


def outline(path: Path) -> list[tuple[str, int, list]]:
    """The PDF's bookmarks as (title, page, children), read by pdftohtml from the file."""
    xml = run("pdftohtml", "-xml", "-i", "-q", "-stdout", "-f", "1", "-l", "1", str(path))
    start, end = xml.find("<outline>"), xml.rfind("</outline>")
    if start < 0:
        return []

    def walk(node):
        items, children = [], list(node)
        for i, child in enumerate(children):
            if child.tag == "item":
                sub = children[i + 1] if i + 1 < len(children) and children[i + 1].tag == "outline" else None
                items.append(((child.text or "").strip(), int(child.get("page")), walk(sub) if sub is not None else []))
        return items

    return walk(ET.fromstring(xml[start:end + len("</outline>")]))


def shipped_book(tmp_path_factory) -> Path:
    """The project of the shipped cases with its book (site/handbook.pdf): the shipped site the browser tests read
    (tests/browser/shared_site.py), built once per test run for every worker by build.py with no
    SOURCE_DATE_EPOCH. This file and test_pdf_typography read it, and no test writes into it."""
    from .browser.shared_site import shipped_build

    project, _, _ = shipped_build(tmp_path_factory)
    return project


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped cases' book, with its texts and bookmarks."""
    from .browser.shared_site import shipped_book_text

    root = shipped_book(tmp_path_factory)
    settings = load_settings(root)
    result = check(settings)
    out = root / "site" / "handbook.pdf"
    return {"root": root, "settings": settings, "library": result.library, "pdf": out,
            "pages": shipped_book_text(tmp_path_factory).split("\f"), "outline": outline(out)}


DRAFT_TITLE = "草稿案例不应出现在手册"
BODY_SENTENCE = "居民代表在楼栋议事会上逐户说明电梯费用分摊方案"


def tiny_png(width: int = 8, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x8c\x2f\x23" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """An A5 book of a small project: one case links to another, one is a draft, a subset label."""
    root = tmp_path_factory.mktemp("small")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "content").mkdir()
    (root / "content" / "preface.md").write_text("# 前言\n\n这是前言的正文。\n", encoding="utf-8")
    (root / "handbook.yml").write_text("title: 测试手册\nacademy: 测试学院\npdf:\n  page_size: A5\n", encoding="utf-8")
    cases = root / "cases"
    cases.mkdir()
    (cases / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    (cases / "images").mkdir()
    (cases / "images" / "plan.png").write_bytes(tiny_png())
    (cases / "xiqiao-yueyuetan.md").write_text(VALID.replace(
        "做法文字。", f"做法文字。{BODY_SENTENCE}。另见[武昌的做法](wuchang-lift.md)。\n\n"
        "![议事流程](images/plan.png)"), encoding="utf-8")  # a web image is a check error (mistakes/images.py)
    (cases / "wuchang-lift.md").write_text(
        case_text(title="武昌老楼加装电梯", district="武昌区", problem_types="[加装电梯]", year="2021"), encoding="utf-8")
    (cases / "draft-case.md").write_text(case_text(title=DRAFT_TITLE, status="draft"), encoding="utf-8")
    settings = load_settings(root)
    result = check(settings)
    assert result.ok, [p.format(root) for p in result.problems]
    out = root / "book.pdf"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        pdf.build_pdf_in_pieces(result.library, settings, out, selection="问题类型：加装电梯")
    return {"root": root, "settings": settings, "library": result.library, "pdf": out,
            "pages": page_texts(out), "outline": outline(out)}


# ------------------------------------------------------------------ content

def test_every_published_case_is_in_the_book(shipped):
    text = squash("".join(shipped["pages"]))
    for e in shipped["library"].entries:
        assert squash(e.case.title) in text, e.id
        assert squash(e.case.summary) in text, e.id


def test_drafts_are_left_out_and_the_cover_names_the_subset(small):
    text = squash("".join(small["pages"]))
    assert DRAFT_TITLE not in text
    assert "武昌老楼加装电梯" in text
    cover = squash(small["pages"][0])
    assert "测试手册" in cover and "问题类型：加装电梯" in cover and "收录案例2个" in cover


def without_furniture(page: str) -> str:
    """A page's text without its running head (first line) and folio (last line), so that a sentence
    that runs over a page break reads whole."""
    lines = [line for line in page.strip().split("\n") if line.strip()]
    if lines and re.fullmatch(r"\s*\d+\s*", lines[-1]):
        lines = lines[:-1]
    if len(lines) > 1 and len(lines[0].strip()) < 40 and "。" not in lines[0]:
        lines = lines[1:]
    return "\n".join(lines)


def test_chinese_text_round_trip(shipped):
    """Sentences from every case body come out of the PDF whole: no glyph was dropped."""
    text = squash("".join(without_furniture(p) for p in shipped["pages"]))
    checked = 0
    for e in shipped["library"].entries:
        body = markdown_to_html(e.case.body)
        for para in re.findall(r"<p>(.*?)</p>", body, re.S):
            if "<a " in para:
                continue  # links get a page reference appended
            plain = html.unescape(re.sub(r"<[^>]+>", "", para))
            for sentence in [s for s in re.split(r"[。！？；]", plain) if len(s) >= 8][:2]:
                assert squash(sentence) in text, (e.id, sentence)
                checked += 1
    assert checked >= len(shipped["library"].entries)


def test_body_text_and_case_links(small):
    text = squash("".join(small["pages"]))
    assert BODY_SENTENCE in text
    assert "这是前言的正文" in text
    # a link to another case carries that case's page number
    target = next(page for _, _, cases in small["outline"] for title, page, _ in cases if title == "武昌老楼加装电梯")
    assert f"武昌的做法（见第{target}页）" in text


# ------------------------------------------------------------------ page numbers, bookmarks

def toc_pages(book) -> list[int]:
    top = {title: page for title, page, _ in book["outline"]}
    first_chapter = min(page for title, page, _ in book["outline"] if title.startswith("第"))
    return list(range(top["目录"], first_chapter))


def test_contents_page_numbers_are_right(shipped):
    pages = shipped["pages"]
    toc = "\n".join(pages[n - 1] for n in toc_pages(shipped))
    assert "目录" in toc
    for e in shipped["library"].entries:
        pattern = r"\s*".join(map(re.escape, squash(e.case.title))) + r"[\s.…]*?(\d+)\s"
        m = re.search(pattern, toc)
        assert m, f"{e.id} is not in the contents"
        page = int(m.group(1))
        assert squash(e.case.title) in squash(pages[page - 1]), (e.id, page)


def test_bookmarks_one_per_chapter_and_case(shipped):
    library, marks = shipped["library"], shipped["outline"]
    chapters = library.chapters()
    chapter_marks = [m for m in marks if m[0].startswith("第") and "章" in m[0]]
    assert [m[0].split("　", 1)[1] for m in chapter_marks] == [p.name for p, _, _ in chapters]
    for (p, own, _), (_, page, children) in zip(chapters, chapter_marks):
        assert [c[0] for c in children] == [e.case.title for e in own]
        assert all(not grand for _, _, grand in children), "only two levels"
    cases = [c for _, _, children in marks for c in children]
    assert len(cases) == library.count
    others = [m[0] for m in marks if m not in chapter_marks]
    assert others == ["前言", "案例分布", "目录", "附录　" + (split_title(
        (shipped["root"] / "content" / "instructors.md").read_text(encoding="utf-8"))[0] or "培训教师指南"),
        "索引　按地区查找案例"]
    # a bookmark and the contents agree on where each case starts
    pages = shipped["pages"]
    for title, page, _ in cases:
        assert squash(title) in squash(pages[page - 1])


def test_front_matter_carries_the_map_of_cases(shipped):
    """The schematic map (handbook/places/cartogram.py) before the contents: its tiles, its 示意图 mark, the counts
    table and the other cities' cases with their numbers in the book."""
    top = {title: page for title, page, _ in shipped["outline"]}
    assert top["前言"] < top["案例分布"] < top["目录"]
    text = "".join(shipped["pages"][top["案例分布"] - 1:top["目录"] - 1])
    library = shipped["library"]
    assert "示意图" in text and "不表示实际边界" in text
    for tile in ("东西湖", "黄陂", "新洲", "江岸", "江汉", "硚口", "汉阳", "武昌", "青山", "洪山", "东湖高新", "江夏"):
        assert tile in text, tile
    flat = squash(text)
    assert f"{len(library.by_district['wuhan/jianghan'])}例" in flat
    for e in library.entries:
        if not e.district.home:
            assert squash(e.case.title) in flat, e.id
    assert "武汉市各区案例数" in text


def test_index_lists_every_case_under_its_district(shipped):
    top = {title: page for title, page, _ in shipped["outline"]}
    start = top["索引　按地区查找案例"]
    index = squash("".join(shipped["pages"][start - 1:]))
    for e in shipped["library"].entries:
        assert squash(e.case.title) in index, e.id
    for d in shipped["library"].districts_in_use():
        assert d.name in index


# ------------------------------------------------------------------ fonts, pages, metadata

def book_fonts(path: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of every font any page of the PDF draws with (pikepdf: pdffonts took 6 s on the book)."""
    import pikepdf

    seen, fonts = set(), []
    with pikepdf.open(path) as book:
        for page in book.pages:
            for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
                described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = described.get("/FontDescriptor", {})
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.append((str(font.BaseFont), embedded))
    return fonts


def test_fonts_are_embedded_subsets(shipped, small):
    for book in (shipped, small):
        fonts = book_fonts(book["pdf"])
        assert fonts
        for name, embedded in fonts:
            assert embedded and re.fullmatch(r"/[A-Z]{6}\+\S+", name), name  # embedded, as a tagged subset
        assert any("NotoSerifCJK" in name or "Noto-Serif-CJK" in name for name, _ in fonts)


def info(path: Path) -> dict:
    lines = run("pdfinfo", "-isodates", str(path)).splitlines()
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in lines if ":" in line)}


def page_size_mm(data: dict) -> tuple[int, int]:
    w, h = re.match(r"([\d.]+) x ([\d.]+) pts", data["Page size"]).groups()
    return round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)


def test_page_size_and_metadata(shipped, small, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a4, a5 = info(shipped["pdf"]), info(small["pdf"])
    assert page_size_mm(a4) == (210, 297)
    assert page_size_mm(a5) == (148, 210)
    settings = shipped["settings"]
    assert a4["Title"] == settings.title
    assert a4["Author"] == settings.academy
    newest = shipped["library"].edition_date()
    assert a4["CreationDate"] == newest.strftime("%Y-%m-%dT%H:%M:%SZ") == a4["ModDate"]
    assert a5["CreationDate"] == "2023-11-14T22:13:20Z"
    assert int(a4["Pages"]) > 3 * len(shipped["library"].chapters())


def test_page_numbers_and_running_heads(shipped):
    pages = shipped["pages"]
    settings = shipped["settings"]
    lines = lambda n: [line.strip() for line in pages[n - 1].splitlines() if line.strip()]  # noqa: E731
    # the cover and its verso: no number
    for n in (1, 2):
        assert not any(re.fullmatch(r"\d+", line) for line in lines(n))
    # every other page with text carries its own number in the footer
    for n in range(3, len(pages)):
        if lines(n):
            assert lines(n)[-1] == str(n), (n, lines(n)[-1:])
    # a chapter opens without running head; the next page has one
    for title, page, children in shipped["outline"]:
        if title.startswith("第") and children:
            assert lines(page)[0] == title.split("　")[0], lines(page)[:2]
            following = lines(page + 1)[0]
            assert following in (title, settings.title), following


# ------------------------------------------------------------------ cheap unit tests

def test_inputs_hash_follows_inputs(small):
    settings, library = small["settings"], small["library"]
    first = pdf.pdf_inputs_hash(library, settings, "x")
    assert pdf.pdf_inputs_hash(library, settings, "x") == first
    assert pdf.pdf_inputs_hash(library, settings, "y") != first
    css = settings.templates_dir / "pdf" / "book.css"
    original = css.read_bytes()
    try:
        css.write_bytes(original + b"\n/* changed */\n")
        assert pdf.pdf_inputs_hash(library, settings, "x") != first
    finally:
        css.write_bytes(original)
    assert pdf.pdf_inputs_hash(library, settings, "x") == first
    case = library.entries[0].case.path
    text = case.read_text(encoding="utf-8")
    try:
        case.write_text(text + "\n补充。\n", encoding="utf-8")
        assert pdf.pdf_inputs_hash(library, settings, "x") != first
    finally:
        case.write_text(text, encoding="utf-8")


def test_links_to_cases_outside_the_book_keep_their_text(small):
    library = small["library"]
    subset = build_library([e.case for e in library.entries if e.id == "xiqiao-yueyuetan"], library.taxonomy)
    body = pdf.book_case_html(subset.entries[0], subset, small["settings"])
    assert "武昌的做法" in re.sub(r"<[^>]+>", "", body) and "<a" not in body
    full = pdf.book_case_html(library.get("xiqiao-yueyuetan"), library, small["settings"])
    assert 'href="#case-wuchang-lift"' in full
    assert 'id="case-xiqiao-yueyuetan--' in full  # heading ids are unique across the book


def test_case_images_are_embedded_and_remote_ones_are_not_fetched(small):
    rows = run("pdfimages", "-list", str(small["pdf"])).splitlines()[2:]
    assert len(rows) == 1 and rows[0].split()[3:5] == ["8", "4"], rows


def test_leading_h1_is_dropped():
    assert split_title("# 前言\n\n正文。\n") == ("前言", "\n正文。\n")
    assert split_title("---\ntitle: x\n---\n# 概述\n正文") == ("概述", "正文")
    assert split_title("正文\n\n# 不是开头") == (None, "正文\n\n# 不是开头")
    assert split_title("标题\n===\n正文") == ("标题", "正文")


def test_only_local_files_are_fetched(small):
    fetcher = engine.url_fetcher(engine.asset_roots(small["settings"]))
    for url in ("http://example.com/a.png", "https://example.com/a.png", "file:///etc/passwd",
                "hbfile:0/../../../../etc/passwd", "hbfile:9/a.png", "hbfile:x/a.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    roots = engine.asset_roots(small["settings"])
    image = small["root"].resolve() / "cases" / "images" / "plan.png"
    assert engine.asset_uri(roots, image) == "hbfile:0/images/plan.png"
    assert fetcher.fetch("hbfile:0/images/plan.png").read() == image.read_bytes()
    assert engine.asset_uri(roots, Path("/etc/passwd")) is None


def test_chinese_numbers():
    assert [pdf.chinese_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_full_collections_are_rarer_only_while_the_book_is_made():
    import gc

    from handbook.pdf.engine import fewer_full_collections

    before = gc.get_threshold()
    with fewer_full_collections(5000):
        assert gc.get_threshold() == (before[0], before[1], max(before[2], 5000))
    assert gc.get_threshold() == before
    try:
        with fewer_full_collections(5000):
            raise KeyError
    except KeyError:
        pass
    assert gc.get_threshold() == before


# ------------------------------------------------------------------ tagged PDF (PDF/UA-1)

def struct_tree(path: Path):
    """(pdf, every structure element reachable from the root as (S, element, parent S), MCIDs per page)."""
    import pikepdf

    doc = pikepdf.open(path)
    elements = []

    def walk(node, parent):
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return
        elements.append((str(node.S), node, parent))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            walk(kid, str(node.S))

    for top in doc.Root.StructTreeRoot.K:
        walk(top, "")
    return doc, elements


def page_index(doc, element) -> int:
    return next(i for i, p in enumerate(doc.pages) if p.obj.objgen == element.Pg.objgen)


def test_pdf_is_tagged_with_language_title_and_marked(shipped):
    import pikepdf

    doc, elements = struct_tree(shipped["pdf"])
    root = doc.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "zh-CN"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(doc.docinfo.Title) == shipped["settings"].title
    with doc.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title") == shipped["settings"].title
    assert doc.pdf_version == "1.7"
    assert doc.Root.Outlines.Count != 0
    assert elements[0][0] == "/Document" and isinstance(root.StructTreeRoot.ParentTree, pikepdf.Dictionary)


def test_chapters_are_h1_and_cases_h2_in_the_structure(shipped):
    doc, elements = struct_tree(shipped["pdf"])
    h1_pages = {page_index(doc, e) + 1 for s, e, _ in elements if s == "/H1"}
    case_h2 = [e for s, e, parent in elements if s == "/H2" and parent == "/Art"]
    for title, page, children in shipped["outline"]:
        assert page in h1_pages, title  # every chapter, the preface, the contents, appendix and index
        for _, case_page, _ in children:
            assert case_page in {page_index(doc, e) + 1 for e in case_h2}
    assert len(case_h2) == shipped["library"].count  # one H2 per case: its sections are H3
    assert sum(s == "/H3" for s, _, _ in elements) >= 3 * shipped["library"].count  # 背景, 做法, ... 资料来源
    tables = [e for s, e, _ in elements if s == "/TD"]
    headers = [e for s, e, _ in elements if s == "/TH"]
    if headers:  # the shipped cases have tables with a header row: each data cell names its headers
        assert all(len(td.A.Headers) > 0 for td in tables)


def test_running_heads_and_folios_are_artifacts(shipped):
    """Every marked sequence with an MCID on a page belongs to the structure tree; the margin boxes are
    /Artifact /Pagination sequences with no MCID."""
    import pikepdf

    doc, elements = struct_tree(shipped["pdf"])
    reachable = {e.objgen for _, e, _ in elements}
    parent_tree = doc.Root.StructTreeRoot.ParentTree.Nums
    per_page = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
    furniture = 0
    for n, page in enumerate(doc.pages):
        mcids = 0
        for operands, op in pikepdf.parse_content_stream(page, "BDC"):
            props = operands[1]
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                mcids += 1
            elif str(operands[0]) == "/Artifact" and props.get("/Type") == "/Pagination":
                furniture += 1
        owners = per_page.get(int(page.obj.StructParents), []) if "/StructParents" in page.obj else []
        assert mcids == len(owners), n
        assert all(owner.objgen in reachable for owner in owners), n
    numbered = sum(1 for t in shipped["pages"][2:] if t.strip())
    assert furniture >= numbered  # at least the folio of every numbered page
