"""A PDF for every case (site/cases/<id>.pdf), cut out of the rendered book instead of laid out again.

The book already lays each case out on pages of its own (`.case { break-before: page }`, the
chapter's "see also" list on a page of its own), with its title, metadata block, body, questions,
sources, its GB/T 7714-2015 reference and its web address (templates/pdf/macros.html). So a case's
PDF is its page range of the book: from the page of its anchor (`#case-<id>`, a named destination
WeasyPrint writes) up to the page before the next case, chapter, "see also" list, appendix or index,
blank pages left out. Laying the cases out again would cost as much as the book itself.

The cut pages still name the book's fonts, subset for the whole book (1.6 MB for the shipped
library): copied as they are, 56 case PDFs would weigh ~90 MB. So each font is subset again to the
glyphs the case's pages draw, with HarfBuzz (as WeasyPrint does, keeping glyph ids, so the pages'
text and the font's widths and ToUnicode map stay valid): a case PDF is then ~150-300 KB.

Each case PDF is cached by a content hash of what it is made of (the page content streams, the
fonts' names, the links, the metadata): an unchanged case is copied from
.cache/case-pdf/<edition>/, not cut again, even when other cases changed the book around it
(its folios then change, and so does its hash). The cut PDFs are not tagged: the book's structure
tree is not carried over (a structure tree per case would need the book's tree split; the book is
the accessible document).

Cost, measured (2026-11-30, 2 cores): see benchmarks/README.md ("Case PDFs").
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from .. import report
from ..config import Settings
from ..errors import OutputError
from ..library import Library
from ..outputs.claims import Claim
from ..outputs.atomic import atomic_path
from ..outputs.urls import url_for
from ..outputs.writer import Writer
from ..outputs.cache import ContentCache, code_digest
from .fonts import cid_keyed, subset_font, subset_tag

FORMAT_VERSION = "1"




# ----------------------------------------------------------------- where each case is in the book

def case_ranges(book, library: Library) -> dict[str, tuple[int, int]]:
    """{case id: (first page index, last page index + 1)} in the open book (pikepdf), from its named destinations."""
    import pikepdf

    index = {page.objgen: n for n, page in enumerate(book.pages)}
    dests: dict[str, int] = {}
    tree = pikepdf.NameTree(book.Root.Names.Dests) if "/Names" in book.Root and "/Dests" in book.Root.Names else {}
    case_ids = {e.id for e in library.entries}
    for name, dest in tree.items():
        if name.startswith("case-") and name[5:] in case_ids or name.startswith(("chapter-", "see-also-")) \
                and "--" not in name or name in ("appendix", "index"):
            target = dest[0] if isinstance(dest, pikepdf.Array) else dest.D[0]
            dests[name] = index[target.objgen]
    starts = sorted(set(dests.values()))
    ranges = {}
    for cid in case_ids:
        first = dests.get(f"case-{cid}")
        if first is None:
            continue
        after = next((p for p in starts if p > first), len(book.pages))
        last = after
        while last - 1 > first and _blank(book.pages[last - 1]):
            last -= 1
        ranges[cid] = (first, last)
    return ranges


def _blank(page) -> bool:
    import pikepdf

    return not any(op in (pikepdf.Operator("TJ"), pikepdf.Operator("Tj"))
                   for _, op in pikepdf.parse_content_stream(page, "TJ Tj"))


# ----------------------------------------------------------------- one case

def _glyphs_by_font(pages) -> dict[tuple, set[int]]:
    """{font dictionary objgen: glyph ids drawn} over pages (WeasyPrint writes 2-byte glyph ids, Identity-H)."""
    import pikepdf

    used: dict[tuple, set[int]] = {}
    for page in pages:
        fonts = page.Resources.get("/Font", {})
        current = None
        for operands, op in pikepdf.parse_content_stream(page, "Tf TJ Tj"):
            name = str(op)
            if name == "Tf":
                font = fonts.get(operands[0])
                current = used.setdefault(font.objgen, set()) if font is not None else None
            elif current is not None:
                strings = operands[0] if name == "TJ" else [operands[0]]
                for s in strings:
                    if isinstance(s, pikepdf.String):
                        raw = bytes(s)
                        current.update(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2))
    return used


@functools.cache
def _code() -> str:
    """The code that cuts a case out, in every case PDF's key."""
    return code_digest("handbook.pdf.cases", "handbook.pdf.fonts")


def case_key(book, first: int, last: int, meta: dict) -> str:
    """A hash of everything the case's PDF is made of (book-wide font subset prefixes left out)."""
    import pikepdf

    h = hashlib.sha256(f"{FORMAT_VERSION}\0{_code()}\0{sorted(meta.items())}".encode())
    pages = book.pages[first:last]
    for page in pages:
        h.update(b"page\0" + repr([float(x) for x in page.MediaBox]).encode())
        for stream in (page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]):
            h.update(stream.read_bytes())
        # the glyphs drawn are the codes in the content (glyph ids of the font, not of its subset), so the
        # content bytes and each font's name without the book's subset prefix say which glyphs the case needs
        for name, font in sorted(page.Resources.get("/Font", {}).items()):
            h.update(f"{name}={str(font.BaseFont).split('+')[-1]}".encode())
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                h.update(b"uri\0" + bytes(action.URI) + repr([float(x) for x in annot.Rect]).encode())
    return h.hexdigest()


def cut_case(book, first: int, last: int, meta: dict, target: Path) -> None:
    """Write pages [first, last) of the open book as a PDF of their own, fonts subset to what they draw."""
    import pikepdf

    out = pikepdf.new()
    for page in book.pages[first:last]:  # not pages.extend: the book's named destinations stay behind
        out.pages.append(page)
    for page in out.pages:
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]
        if "/Annots" in page.obj:  # links inside the book (to other cases) lead nowhere here; web links stay
            keep = [a for a in page.obj.Annots if "/A" in a and "/URI" in a.A]
            for a in keep:
                if "/StructParent" in a:
                    del a["/StructParent"]
            if keep:
                page.obj.Annots = pikepdf.Array(keep)
            else:
                del page.obj["/Annots"]
    _subset_fonts(out)
    out.Root.Lang = pikepdf.String("zh-CN")
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    with out.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(meta["Title"], 0))
    out.docinfo = out.make_indirect(pikepdf.Dictionary({f"/{k}": pikepdf.String(v) for k, v in meta.items() if v}))
    out.remove_unreferenced_resources()
    with atomic_path(target) as tmp:
        out.save(tmp, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


def _cids(font: bytes) -> dict[int, int] | None:
    """{CID: glyph id} of a CID-keyed OpenType CFF font, from its charset (read by fontTools)."""
    import io

    from fontTools.ttLib import TTFont

    try:
        order = TTFont(io.BytesIO(font), lazy=True).getGlyphOrder()
    except Exception:  # noqa: BLE001 - not a font fontTools reads: keep the glyph ids instead
        return None
    out = {0: 0}
    for gid, name in enumerate(order):
        if name.startswith("cid") and name[3:].isdigit():
            out[int(name[3:])] = gid
    return out


def _subset_fonts(out) -> None:
    """Subset every font of the PDF out to the glyphs its pages draw.

    WeasyPrint writes glyph ids as the codes (CIDs) of Identity-H fonts, and PDF readers take a CID of an
    OpenType CFF font as its glyph id. Kept glyph ids would leave the Noto CJK fonts (ids up to 63,000)
    with 63,000 slots in hmtx, vmtx and CharStrings: 187 KB for the serif font of a 2-page case. So the
    glyphs of a CID-keyed font are packed instead (47 KB), and the pages' text, the widths (/W) and the
    ToUnicode map are renumbered to match; a font of another kind keeps its ids."""
    import pikepdf

    by_file: dict[tuple, dict] = {}  # font file objgen → {"stream", "gids", "fonts"}
    for objgen, gids in _glyphs_by_font(out.pages).items():
        font = out.get_object(objgen)
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor")
        stream = next((descriptor[k] for k in ("/FontFile3", "/FontFile2") if descriptor is not None and k in descriptor),
                      None)
        if stream is None:
            continue
        entry = by_file.setdefault(stream.objgen, {"stream": stream, "gids": set(), "fonts": []})
        entry["gids"] |= gids
        entry["fonts"].append((font, descendant, descriptor))
    remap: dict[tuple, dict[int, int]] = {}  # font dictionary objgen → old code → new code
    for entry in by_file.values():
        data, gids = entry["stream"].read_bytes(), entry["gids"]
        packed = subset_font(data, gids, retain=False) if cid_keyed(data) else None
        mapping = _cids(packed) if packed is not None else None
        if mapping is not None and gids <= mapping.keys():
            smaller = packed
        else:
            smaller, mapping = subset_font(data, gids, retain=True), None
        if not smaller:
            continue
        entry["stream"].write(smaller)
        tag = subset_tag(gids)
        for font, descendant, descriptor in entry["fonts"]:
            for d in (font, descendant, descriptor):
                for field in ("/BaseFont", "/FontName"):
                    if field in d:
                        d[field] = pikepdf.Name("/" + tag + "+" + str(d[field])[1:].split("+")[-1])
            if "/CIDSet" in descriptor:
                del descriptor["/CIDSet"]
            if mapping is not None:
                remap[font.objgen] = mapping
                _renumber_font(out, font, descendant, mapping)
    if remap:
        for page in out.pages:
            _renumber_text(out, page, remap)


def _renumber_font(out, font, descendant, mapping: dict[int, int]) -> None:
    """/W and /ToUnicode of a font whose glyphs were packed: keyed by the new codes."""
    import pikepdf

    from .fonts import CMAP_PAIR, cid_widths, unicode_cmap

    widths = cid_widths(descendant)
    default = descendant.get("/DW", 1000)
    by_new = {new: widths.get(old, default) for old, new in mapping.items()}
    descendant.W = pikepdf.Array([0, pikepdf.Array([by_new.get(n, default) for n in range(max(by_new) + 1)])])
    if "/ToUnicode" in font:
        pairs = {int(g, 16): u for g, u in CMAP_PAIR.findall(font.ToUnicode.read_bytes())}
        font.ToUnicode = out.make_stream(unicode_cmap({mapping[old]: u for old, u in pairs.items() if old in mapping}))


def _renumber_text(out, page, remap: dict[tuple, dict[int, int]]) -> None:
    """Rewrite the 2-byte codes of the page's text in fonts whose glyphs were packed."""
    import pikepdf

    fonts = page.Resources.get("/Font", {})
    current = None
    commands = []
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "Tf":
            font = fonts.get(operands[0])
            current = remap.get(font.objgen) if font is not None else None
        elif current is not None and name in ("TJ", "Tj"):
            def recode(s, m=current):
                raw = bytes(s)
                return pikepdf.String(b"".join(m.get(int.from_bytes(raw[i:i + 2], "big"), 0).to_bytes(2, "big")
                                               for i in range(0, len(raw) - 1, 2)))
            if name == "TJ":
                operands = [pikepdf.Array([recode(x) if isinstance(x, pikepdf.String) else x for x in operands[0]])]
            else:
                operands = [recode(operands[0])]
        commands.append((operands, op))
    page.Contents = out.make_stream(pikepdf.unparse_content_stream(commands))


# ----------------------------------------------------------------- all cases

def _cut_some(book_path: str, jobs: list[list], done=lambda cid: None) -> None:
    """Cut the given cases [id, first, last, metadata, target] out of the book."""
    import pikepdf

    with pikepdf.open(book_path) as book:
        for cid, first, last, meta, target in jobs:
            cut_case(book, first, last, meta, Path(target))
            done(cid)


def _in_workers(book_path: Path, todo: list, workers: int, advance) -> None:
    """Cut the cases in worker processes (`python -m handbook.pdf.cases BOOK`, the jobs as JSON on stdin, one
    finished case id a line on stdout). Fresh interpreters, not forks: a fork would inherit the memory of the
    process that has just laid the book out (~500 MB for the shipped library, 2.6 GB for 1,000 cases), and
    multiprocessing's spawn would run the calling script's __main__ again."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent.parent.parent),
                                                                     os.environ.get("PYTHONPATH", "")]))}
    procs = []
    for chunk in (todo[i::workers] for i in range(workers)):
        proc = subprocess.Popen([sys.executable, "-m", "handbook.pdf.cases", str(book_path)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        proc.stdin.write(json.dumps(chunk))
        proc.stdin.close()
        procs.append(proc)

    def follow(proc):
        for _ in proc.stdout:
            advance()

    readers = [threading.Thread(target=follow, args=(proc,), daemon=True) for proc in procs]
    for reader in readers:
        reader.start()
    failed = []
    for proc, reader in zip(procs, readers):
        err = proc.stderr.read()
        if proc.wait() != 0:
            failed.append(err.strip()[-500:])
        reader.join()
    if failed:
        raise OutputError(f"案例 PDF 生成失败 (cutting the case PDFs failed): {failed[0]}")


def case_pdfs(book_path: Path, library: Library, settings: Settings, cache: Path, out: Path,
              workers: int | None = None) -> dict[str, Path]:
    """Every case's PDF under out (url_for("case_pdf")), from the cache when its content hash is there."""
    import pikepdf

    cache = ContentCache(cache, ".pdf")
    cache.folder.mkdir(parents=True, exist_ok=True)
    when = None
    todo, made = [], {}
    with pikepdf.open(book_path) as book:
        info = book.docinfo
        when = {k: str(info[f"/{k}"]) for k in ("CreationDate", "ModDate") if f"/{k}" in info}
        ranges = case_ranges(book, library)
        for e in library.entries:
            if e.id not in ranges:
                continue
            first, last = ranges[e.id]
            meta = {"Title": e.case.title, "Author": settings.academy, "Subject": e.case.summary,
                    "Creator": settings.title, **when}
            key = case_key(book, first, last, meta)
            cached = cache.path(key)
            made[e.id] = cached
            if not cached.exists():
                todo.append((e.id, first, last, meta, str(cached)))
    if todo:
        workers = max(1, min(workers or os.cpu_count() or 1, len(todo) // 8 or 1))
        with report.task("案例 PDF / case PDFs", len(todo)) as advance:
            if workers == 1:
                _cut_some(str(book_path), todo, lambda cid: advance())
            else:
                _in_workers(book_path, todo, workers, advance)
    for path in made.values():
        cache.use(path)
    cache.keep_only(made.values())
    written = {}
    for cid, path in made.items():
        target = out / url_for("case_pdf", cid)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written[cid] = target
    return written


class CasePdfWriter(Writer):
    """cases/<id>.pdf for every case of the library, cut out of the edition's book (PdfWriter's cached PDF)."""

    name = "case-pdfs"

    def __init__(self, settings: Settings, edition: str = "trainee"):
        self.settings, self.edition = settings, edition

    def claims(self, library: Library) -> list[Claim]:
        return [Claim(url_for("case_pdf", e), f"案例 {e.id} 的 PDF", f"the PDF of case {e.id}", e.case.path)
                for e in library.entries]

    def write(self, library: Library, out: Path, *, incremental: bool = False) -> None:
        from .book import PdfWriter

        book = PdfWriter(self.settings, self.edition).cached(library)
        case_pdfs(book, library, self.settings, self.settings.cache_dir / "case-pdf" / self.edition, out)


if __name__ == "__main__":  # a worker of _in_workers
    _cut_some(sys.argv[1], json.loads(sys.stdin.read()), lambda cid: print(cid, flush=True))
