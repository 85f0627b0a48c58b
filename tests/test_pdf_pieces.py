"""The book in pieces (handbook/pdf/pieces.py): cut, placed, laid out apart and cached, and the same book as one document."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pikepdf
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from handbook.pdf import book as pdf
from handbook.config import load_settings
from handbook.errors import OutputError
from handbook.pdf.pieces import Book, Laid, Piece, piece_html, place, run_jobs, split_book
from handbook.pipeline import check
from .conftest import case_text, link_project, shorten_guide

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


# ----------------------------------------------------------------- cutting and placing (no layout)

def test_the_book_is_cut_at_its_marks():
    html = ('<html lang="zh-CN"><head><style>a::after{content: target-counter(attr(href), page)}'
            '@page{@bottom-center{content: counter(page); width: 100%}}</style></head><body data-x="1">'
            "<p>cover</p><!--hb-piece contents right--><nav>toc</nav><!--hb-piece see-also-x any--><aside>s</aside>"
            "</body></html>")
    book = split_book(html)
    assert [(p.name, p.side, p.body) for p in book.pieces] == [
        ("front", "right", "<p>cover</p>"), ("contents", "right", "<nav>toc</nav>"), ("see-also-x", "any", "<aside>s</aside>")]
    assert "attr(data-page)" in book.opening and "target-counter" not in book.opening
    assert 'content: "";' in book.opening and "counter(page)" not in book.opening
    with pytest.raises(ValueError, match="one name"):
        split_book(html.replace("see-also-x", "contents"))


@given(st.text(alphabet=st.characters(blacklist_characters="<>"), max_size=30),
       st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), st.sampled_from(["right", "any"]),
                          st.text(alphabet=st.characters(blacklist_characters="<>"), max_size=30)),
                max_size=8, unique_by=lambda part: part[0]))
def test_cutting_gives_back_the_pieces_the_book_was_made_of(front, parts):
    assume(all(name != "front" for name, _, _ in parts))
    html = ('<html lang="zh-CN"><head></head><body data-booktitle="书">' + front
            + "".join(f"<!--hb-piece {name} {side}-->{body}" for name, side, body in parts) + "</body></html>")
    book = split_book(html)
    assert [(p.name, p.side, p.body) for p in book.pieces] == [("front", "right", front), *parts]


def test_a_piece_prints_the_page_numbers_it_is_given():
    book = Book('<html lang="zh-CN"><head></head><body>', ())
    piece = Piece("p", "any", '<a href="#case-a">A</a><a href="#case-b">B</a>')
    html = piece_html(book, piece, {"case-a": 17}, left_first=True, unknown="000")
    assert '<a href="hbref:case-a" data-page="17">A</a>' in html
    assert '<a href="hbref:case-b" data-page="000">B</a>' in html
    assert html.startswith('<html style="break-before: left" lang="zh-CN">')


def test_pieces_that_start_on_a_recto_get_a_blank_page_before_them():
    def laid(name, side, pages, anchors=()):
        return Laid(Piece(name, side, ""), None, {"pages": pages, "anchors": {a: [0, 0, 0] for a in anchors}})

    items = [laid("front", "right", 5), laid("chapter-a", "right", 3, ["chapter-a"]),
             laid("see-also-a", "any", 1, ["see-also-a"]), laid("chapter-b", "right", 2, ["chapter-b"])]
    numbers, total = place(items)
    assert [i.padded for i in items] == [False, True, False, False]
    assert numbers == {"chapter-a": 7, "see-also-a": 10, "chapter-b": 11}
    assert total == 12


# ----------------------------------------------------------------- laid out

def write_library_cases(project):
    """Five cases in two chapters, one piece per case: a chapter goes on in later pieces, a "see also" page
    follows straight on, and a case links to a case of another chapter. The appendix is the guide's first pages
    (with two of its screenshots), not all 45: these tests lay the book out as one document too, and the whole
    guide was 3 s of every such layout."""
    shorten_guide(project)
    cases = project / "cases"
    for i in range(1, 4):
        (cases / f"gulou-parking-{i}.md").write_text(
            case_text(title=f"鼓楼停车治理之{'一二三'[i - 1]}", city="南京市", district="鼓楼区",
                      problem_types="[停车管理]", year="2022"), encoding="utf-8")
    lift = case_text(title="武昌老楼加装电梯", district="武昌区", problem_types="[加装电梯]", year="2021")
    (cases / "wuchang-lift.md").write_text(
        lift.replace("做法文字。", "做法文字，可对照[西桥社区的议事会](xiqiao-yueyuetan.md)。"), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def library_cache(tmp_path_factory, warm_cache):
    """The cache of the five cases' book in pieces, laid out once for this file: each test starts from it, so
    its first build is all hits and what it changes is all it lays out."""
    project = write_library_cases(link_project(tmp_path_factory.mktemp("library"), warm_cache))
    _build(project, project / "book.pdf")
    return project / ".cache"


@pytest.fixture
def library_project(tmp_path, library_cache):
    return write_library_cases(link_project(tmp_path, library_cache))


def _texts(path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def _build(project, target, **kwargs):
    settings = load_settings(project)
    library = check(settings).library
    return settings, library, pdf.build_pdf_in_pieces(library, settings, target, piece_cases=1, **kwargs)


def test_the_pieces_make_the_same_book_as_one_document(library_project, tmp_path):
    settings, library, renderer = _build(library_project, tmp_path / "pieces.pdf")
    pdf.build_pdf(library, settings, tmp_path / "one.pdf", piece_cases=1)
    pieces, one = _texts(tmp_path / "pieces.pdf"), _texts(tmp_path / "one.pdf")
    assert len(pieces) == len(one) > 10
    assert pieces == one  # every page: text, footers, running heads, contents and index numbers, "见第 N 页"
    assert len(renderer.used) >= 8  # front, contents, 5 case pieces, see also, appendix, index, the probe
    joined = "".join(pieces)
    assert "见第" in joined and "（见第" in joined


def test_a_copy_elsewhere_lays_out_nothing_and_gives_the_same_bytes(library_cache, library_project, tmp_path):
    """Images are named apart from the project's folder (engine.asset_uri): the copy finds every piece, the appendix
    with its screenshots too, and its book is the very file the original folder made."""
    _, _, renderer = _build(library_project, tmp_path / "book.pdf")
    assert renderer.laid_out == 0
    assert (tmp_path / "book.pdf").read_bytes() == (library_cache.parent / "book.pdf").read_bytes()


def test_the_joined_book_is_one_tagged_document(library_project, tmp_path):
    _build(library_project, tmp_path / "book.pdf")
    with pikepdf.open(tmp_path / "book.pdf") as book:
        pages = {page.objgen: n for n, page in enumerate(book.pages)}
        tree = book.Root.StructTreeRoot
        assert str(tree.K[0].S) == "/Document" and book.Root.MarkInfo.Marked and str(book.Root.Lang) == "zh-CN"
        keys = [int(k) for k in tree.ParentTree.Nums[0::2]]
        assert keys == sorted(set(keys)) and int(tree.ParentTreeNextKey) == keys[-1] + 1
        parents = [int(p.obj.StructParents) for p in book.pages if "/StructParents" in p.obj]
        assert len(parents) == len(set(parents))

        def walk(element, parent):
            assert element.P.objgen == parent.objgen
            if "/Pg" in element:
                assert element.Pg.objgen in pages
            for kid in element.get("/K", []) if isinstance(element.get("/K"), pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    walk(kid, element)
        walk(tree.K[0], tree)
        names = dict(pikepdf.NameTree(book.Root.Names.Dests).items())
        links = [a for p in book.pages for a in p.obj.get("/Annots", []) if "/Dest" in a]
        assert links and all(str(a.Dest) in names for a in links)
        assert not any("/A" in a and str(a.A.get("/URI", "")).startswith("hbref:")
                       for p in book.pages for a in p.obj.get("/Annots", []))
        with book.open_outline() as outline:
            chapters = {str(item.title): [str(c.title) for c in item.children] for item in outline.root}
        assert sorted(chapters["第二章\u3000停车管理"]) == ["鼓楼停车治理之一", "鼓楼停车治理之三", "鼓楼停车治理之二"]


def test_an_edit_lays_out_only_its_piece_and_an_unchanged_book_nothing(library_project, tmp_path):
    _build(library_project, tmp_path / "first.pdf")
    case = library_project / "cases" / "gulou-parking-2.md"
    case.write_text(case.read_text(encoding="utf-8").replace("成效文字。", "成效文字！"), encoding="utf-8")
    _, _, renderer = _build(library_project, tmp_path / "edited.pdf")
    assert renderer.laid_out == 1
    _, _, renderer = _build(library_project, tmp_path / "again.pdf")
    assert renderer.laid_out == 0
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "edited.pdf").read_bytes()


def test_a_picture_lays_out_only_the_piece_that_shows_it(library_project, tmp_path):
    """A piece's key holds the files it draws, not every file of the project: a new or changed picture lays out
    the case that shows it, and an unrelated file (another picture, content/synonyms.yml) lays out nothing."""
    from .test_pdf import tiny_png

    _build(library_project, tmp_path / "first.pdf")
    images = library_project / "cases" / "images"
    images.mkdir(exist_ok=True)
    (images / "plan.png").write_bytes(tiny_png())
    case = library_project / "cases" / "gulou-parking-2.md"
    case.write_text(case.read_text(encoding="utf-8").replace("成效文字。", "成效文字。\n\n![议事流程](images/plan.png)"),
                    encoding="utf-8")
    _, _, renderer = _build(library_project, tmp_path / "with-picture.pdf")
    assert renderer.laid_out >= 1
    before = case_piece(renderer, "gulou-parking-2")
    (images / "plan.png").write_bytes(tiny_png(8, 5))  # the same file name, other pixels
    _, _, renderer = _build(library_project, tmp_path / "other-picture.pdf")
    assert renderer.laid_out == 1 and case_piece(renderer, "gulou-parking-2") != before
    (images / "unused.png").write_bytes(tiny_png(4, 4))
    synonyms = library_project / "content" / "synonyms.yml"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, _, renderer = _build(library_project, tmp_path / "unrelated.pdf")
    assert renderer.laid_out == 0


def test_a_longer_case_moves_the_numbers_after_it(library_project, tmp_path):
    _build(library_project, tmp_path / "first.pdf")
    case = library_project / "cases" / "gulou-parking-1.md"
    case.write_text(case.read_text(encoding="utf-8").replace("成效文字。", "成效文字。\n\n" + "补充说明。" * 900),
                    encoding="utf-8")
    settings, library, renderer = _build(library_project, tmp_path / "longer.pdf")
    assert renderer.laid_out >= 3  # the case, and the contents and index whose numbers moved
    pdf.build_pdf(library, settings, tmp_path / "one.pdf", piece_cases=1)
    assert _texts(tmp_path / "longer.pdf") == _texts(tmp_path / "one.pdf")


def case_piece(renderer, case_id: str):
    """The cached piece that holds the case itself."""
    return next(p for p in renderer.used
                if f"case-{case_id}" in json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["anchors"])


def test_a_damaged_cached_piece_is_laid_out_again(library_project, tmp_path):
    settings, _, renderer = _build(library_project, tmp_path / "first.pdf")
    damaged = case_piece(renderer, "gulou-parking-3")  # one case's pages: laid out again in a second, not 10
    with pikepdf.open(damaged, allow_overwriting_input=True) as piece:
        del piece.pages[-1]
        piece.save(damaged)
    _, _, renderer = _build(library_project, tmp_path / "second.pdf")
    assert renderer.laid_out == 1
    assert _texts(tmp_path / "second.pdf") == _texts(tmp_path / "first.pdf")


def test_a_piece_that_lost_a_case_fails_the_gate_and_keeps_the_old_pdf(library_project, tmp_path):
    target = tmp_path / "book.pdf"
    settings, library, renderer = _build(library_project, target)
    before = target.read_bytes()
    damaged = case_piece(renderer, "gulou-parking-2")
    with pikepdf.open(damaged, allow_overwriting_input=True) as piece:  # same page count, the text gone
        for page in piece.pages:
            page.Contents = piece.make_stream(b"")
        piece.save(damaged)
    facts = json.loads(damaged.with_suffix(".json").read_text(encoding="utf-8"))
    facts["bytes"] = damaged.stat().st_size  # a damage the cache cannot see: only the finished book shows it
    damaged.with_suffix(".json").write_text(json.dumps(facts), encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        pdf.build_pdf_in_pieces(library, settings, target, piece_cases=1)
    assert "gulou-parking-2" in caught.value.line() and "鼓楼停车治理之二" in caught.value.line()
    assert target.read_bytes() == before


class _KillsItsWorker:
    """A job that ends the worker process that unpickles it, as the kernel's out-of-memory killer would."""

    def __reduce__(self):
        return (os._exit, (1,))


def test_a_worker_that_dies_is_one_clear_error():
    with pytest.raises(OutputError) as caught:
        run_jobs([_KillsItsWorker()], 1, lambda: None)
    assert caught.value.line() == ("error: 排版 PDF 的进程意外中止（可能是内存不足），未替换原有文件 "
                                   "(a process laying out the PDF ended unexpectedly, perhaps out of memory; "
                                   "the previous PDF is kept)")


# ----------------------------------------------------------------- the fork server's head start

def test_the_fork_servers_warm_up_leaves_weasyprint_as_it_was():
    from weasyprint.pdf import fonts as weasy_fonts

    from handbook.pdf.warm import warm_up

    before = dict(vars(weasy_fonts.Font)), weasy_fonts.get_hb_object_data
    assert warm_up() is True
    assert (dict(vars(weasy_fonts.Font)), weasy_fonts.get_hb_object_data) == before
