"""The teaching note exists only in the instructor edition: a canary in a note is in no byte of the trainee edition."""
from __future__ import annotations

import gzip
import subprocess
import zipfile

import pytest

from handbook.config import load_settings
from handbook.commands.preview import Preview
from handbook.site.search import index_text

from .conftest import VALID
from .test_cli import run

CANARY = "Canary7f3kQ"
CANARY_ZH = "鹦鹉螺暗号"
NOTE = f"""
## 教学说明

### 教学目标

先分组讨论，再看做法。{CANARY} {CANARY_ZH}

### 课堂安排

1. 分组讨论（20 分钟）
"""


def needles() -> list[bytes]:
    """The canary as written, and as the search index writes it (lower case, Chinese as pair tokens)."""
    tokens = index_text(CANARY_ZH).split()
    return [CANARY.encode(), CANARY.lower().encode(), CANARY_ZH.encode(), *(t.encode() for t in tokens[:2])]


def every_byte(folder) -> dict[str, bytes]:
    """Every file under folder, gzip-compressed ones (Pagefind's index and fragments) decompressed, and a
    zip (a slide deck) as its members' bytes."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            pass
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(name) for name in z.namelist())
        out[path.relative_to(folder).as_posix()] = data
    return out


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


PACK_CANARY = "Canary4packNote"
PACK = f"""\
title: 议事课程包
sessions:
  - title: 第一讲
    cases: [xiqiao-yueyuetan]
    note: 教师备注 {PACK_CANARY}
"""


@pytest.fixture
def noted(project):
    case = project / "cases" / "xiqiao-yueyuetan.md"
    case.write_text(VALID + NOTE, encoding="utf-8")
    (project / "packs").mkdir()
    (project / "packs" / "class.yml").write_text(PACK, encoding="utf-8")
    return project


def all_pdf_text(folder) -> str:
    return "".join(pdf_text(p).replace("\n", "") for p in sorted(folder.rglob("*.pdf")))


def test_trainee_edition_holds_no_byte_of_a_teaching_note(noted):
    assert run(noted).returncode == 0
    files = every_byte(noted / "site")
    assert any(name.startswith("pagefind/fragment/") for name in files)
    leaks = [(name, n) for name, data in files.items() for n in needles() + [PACK_CANARY.encode()] if n in data]
    assert leaks == []
    pdfs = sorted(p.relative_to(noted / "site").as_posix() for p in (noted / "site").rglob("*.pdf"))
    assert pdfs == ["cases/wuchang-lift.pdf", "cases/xiqiao-yueyuetan.pdf", "handbook.pdf", "packs/class-reading.pdf",
                    "packs/class-worksheet.pdf", "packs/class.pdf"]
    assert "packs/class.pptx" in files
    text = all_pdf_text(noted / "site")  # the PDFs' text streams are compressed: read through pdftotext
    assert CANARY not in text and CANARY_ZH not in text and PACK_CANARY not in text
    cover = subprocess.run(["pdftotext", "-l", "2", str(noted / "site" / "handbook.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "教师版" not in cover


def test_instructor_edition_shows_the_note_in_page_search_and_pdf(noted):
    out = run(noted, "build", "--edition", "instructor")
    assert out.returncode == 0, out.stderr
    site = noted / "site-instructor"
    assert not (noted / "site").exists()  # the trainee site is another build
    page = (site / "cases" / "xiqiao-yueyuetan" / "index.html").read_text(encoding="utf-8")
    assert CANARY in page and 'class="hb-teaching-note"' in page
    assert page.count("教师版 · 内部资料，请勿向学员分发") >= 2  # the banner and the panel
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "教师版 · 内部资料，请勿向学员分发" in home  # every page is marked
    fragments = b"".join(data for name, data in every_byte(site).items() if name.startswith("pagefind/fragment/"))
    assert CANARY.lower().encode() in fragments and index_text(CANARY_ZH).split()[0].encode() in fragments
    text = pdf_text(site / "handbook.pdf")
    assert CANARY in text.replace("\n", "") and "教师版 · 内部资料，请勿向学员分发" in text
    assert CANARY in pdf_text(site / "cases" / "xiqiao-yueyuetan.pdf").replace("\n", "")
    assert PACK_CANARY in pdf_text(site / "packs" / "class.pdf").replace("\n", "")
    assert PACK_CANARY in (site / "packs" / "class" / "index.html").read_text(encoding="utf-8")
    deck = every_byte(site)["packs/class.pptx"]  # speaker notes: the case's teaching note, the session's note
    assert b"notesSlide" in deck and PACK_CANARY.encode() in deck and CANARY.encode() in deck


def preview_files(project, edition: str) -> dict[str, bytes]:
    preview = Preview(load_settings(project), edition)
    try:
        result = preview.check()
        preview.build(result.library)
    finally:
        preview.close()
    return every_byte(preview.site_dir)


def test_trainee_preview_holds_no_note_and_the_instructor_preview_does(noted):
    files = preview_files(noted, "trainee")
    leaks = [(name, n) for name, data in files.items() for n in needles() + [PACK_CANARY.encode()] if n in data]
    assert leaks == []
    files = preview_files(noted, "instructor")
    assert CANARY.encode() in files["cases/xiqiao-yueyuetan/index.html"]
    assert PACK_CANARY.encode() in files["packs/class/index.html"]


def test_second_note_and_near_miss_heading_are_errors(project):
    case = project / "cases" / "xiqiao-yueyuetan.md"
    case.write_text(VALID + NOTE + "\n## 教学说明\n\n又一节。\n\n### 教学说明\n", encoding="utf-8")
    out = run(project, "check")
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if ": error: " in line]
    first = VALID.count("\n") + NOTE.count("\n") + 2
    assert lines == [
        f"cases/xiqiao-yueyuetan.md:{first}: error: 教学说明只能有一节，这里又出现了“## 教学说明”，请把两节合并 "
        f"(a second '## 教学说明' section: a case has at most one teaching note)",
        f"cases/xiqiao-yueyuetan.md:{first + 4}: error: “### 教学说明”看起来是教学说明的标题，但写法不对：请写成“## 教学说明”"
        f"（两个井号、一个空格），否则这段内容会被学员看到 ('### 教学说明' looks like a teaching-note heading: write it "
        f"exactly '## 教学说明', or trainees will see it)",
    ]


def test_missing_note_is_a_warning_only_for_the_instructor_edition(project):
    assert ": warning: " not in run(project, "check").stderr
    out = run(project, "check", "--edition", "instructor")
    assert out.returncode == 0
    assert ("cases/wuchang-lift.md:14: warning: 这个案例还没有教学说明（“## 教学说明”一节），教师版中它没有教学建议 "
            "(no teaching note ('## 教学说明'): the instructor edition has no guidance for this case)") in out.stderr
