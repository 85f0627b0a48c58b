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
fonts' names and glyph sets, the links, the metadata): an unchanged case is copied from
.cache/case-pdf/<edition>/, not cut again, even when other cases changed the book around it
(its folios then change, and so does its hash). The cut PDFs are not tagged: the book's structure
tree is not carried over (a structure tree per case would need the book's tree split; the book is
the accessible document).

Cost, measured (2026-11-30, 2 cores): see benchmarks/README.md ("Case PDFs").
"""
from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import report
from .config import Settings
from .library import Library
from .outputs import Claim
from .urls import url_for
from .writer import Writer

FORMAT_VERSION = "1"


# ----------------------------------------------------------------- HarfBuzz (the same library WeasyPrint subsets with)

_HB = None


def _harfbuzz():
    global _HB
    if _HB is None:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef("""
            typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
            typedef struct hb_subset_input_t hb_subset_input_t; typedef uint32_t hb_codepoint_t;
            hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data, void *destroy);
            void hb_blob_destroy(hb_blob_t *blob);
            const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
            hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
            void hb_face_destroy(hb_face_t *face);
            hb_blob_t *hb_face_reference_blob(hb_face_t *face);
            void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
            hb_subset_input_t *hb_subset_input_create_or_fail(void);
            void hb_subset_input_destroy(hb_subset_input_t *input);
            hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
            void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
            hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
        """)
        _HB = (ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0"))
    return _HB


RETAIN_GIDS, DESUBROUTINIZE, PASSTHROUGH = 2, 4, 32  # hb_subset_flags_t
NOTDEF_OUTLINE = 64


def subset_font(data: bytes, gids: set[int]) -> bytes | None:
    """The font (an OpenType file, as WeasyPrint embeds it) with only the glyphs gids, ids unchanged."""
    ffi, hb, hbs = _harfbuzz()
    buffer = ffi.from_buffer(data)
    blob = hb.hb_blob_create(buffer, len(data), 1, ffi.NULL, ffi.NULL)  # 1: HB_MEMORY_MODE_READONLY
    face = hb.hb_face_create(blob, 0)
    plan = hbs.hb_subset_input_create_or_fail()
    try:
        glyphs = hbs.hb_subset_input_glyph_set(plan)
        for gid in sorted(gids | {0}):
            hb.hb_set_add(glyphs, gid)
        hbs.hb_subset_input_set_flags(plan, RETAIN_GIDS | DESUBROUTINIZE | PASSTHROUGH | NOTDEF_OUTLINE)
        result = hbs.hb_subset_or_fail(face, plan)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        pointer = hb.hb_blob_get_data(out, length)
        subset = None if pointer == ffi.NULL else ffi.unpack(pointer, int(length[0]))
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return subset
    finally:
        hbs.hb_subset_input_destroy(plan)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


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


def case_key(book, first: int, last: int, meta: dict) -> str:
    """A hash of everything the case's PDF is made of (book-wide font subset prefixes left out)."""
    import pikepdf

    h = hashlib.sha256(f"{FORMAT_VERSION}\0{sorted(meta.items())}".encode())
    pages = book.pages[first:last]
    used = _glyphs_by_font(pages)
    for page in pages:
        h.update(b"page\0" + repr([float(x) for x in page.MediaBox]).encode())
        for stream in (page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]):
            h.update(stream.read_bytes())
        for name, font in sorted(page.Resources.get("/Font", {}).items()):
            h.update(f"{name}={str(font.BaseFont).split('+')[-1]}:{sorted(used.get(font.objgen, ()))}".encode())
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                h.update(b"uri\0" + bytes(action.URI) + repr([float(x) for x in annot.Rect]).encode())
    return h.hexdigest()


def cut_case(book, first: int, last: int, meta: dict, target: Path) -> None:
    """Write pages [first, last) of the open book as a PDF of their own, fonts subset to what they draw."""
    import pikepdf

    out = pikepdf.new()
    out.pages.extend(book.pages[first:last])
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
    seen = set()
    for objgen, gids in _glyphs_by_font(out.pages).items():
        if objgen in seen:
            continue
        seen.add(objgen)
        font = out.get_object(objgen)
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is None:
            continue
        for key in ("/FontFile3", "/FontFile2"):
            if key in descriptor:
                smaller = subset_font(descriptor[key].read_bytes(), gids)
                if smaller:
                    descriptor[key].write(smaller)  # written compressed (Flate) on save
                    tag = _tag(gids)
                    for d in (font, descendant, descriptor):
                        for field in ("/BaseFont", "/FontName"):
                            if field in d:
                                d[field] = pikepdf.Name("/" + tag + "+" + str(d[field])[1:].split("+")[-1])
                if "/CIDSet" in descriptor:
                    del descriptor["/CIDSet"]
                break
    out.Root.Lang = pikepdf.String("zh-CN")
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    with out.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(meta["Title"], 0))
    out.docinfo = out.make_indirect(pikepdf.Dictionary({f"/{k}": pikepdf.String(v) for k, v in meta.items() if v}))
    out.remove_unreferenced_resources()
    tmp = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        out.save(tmp, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _tag(gids: set[int]) -> str:
    """A subset tag (six capitals) derived from the glyph set, as WeasyPrint derives its own."""
    digest = hashlib.md5(",".join(map(str, sorted(gids))).encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


# ----------------------------------------------------------------- all cases

def _cut_some(book_path: str, jobs: list[tuple[str, int, int, dict, str]]) -> list[str]:
    """In a worker: cut the given cases (id, first, last, metadata, target) out of the book."""
    import pikepdf

    with pikepdf.open(book_path) as book:
        for _, first, last, meta, target in jobs:
            cut_case(book, first, last, meta, Path(target))
    return [cid for cid, *_ in jobs]


def case_pdfs(book_path: Path, library: Library, settings: Settings, cache: Path, out: Path,
              workers: int | None = None) -> dict[str, Path]:
    """Every case's PDF under out (url_for("case_pdf")), from the cache when its content hash is there."""
    import pikepdf

    cache.mkdir(parents=True, exist_ok=True)
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
            cached = cache / f"{key}.pdf"
            made[e.id] = cached
            if not cached.exists():
                todo.append((e.id, first, last, meta, str(cached)))
    if todo:
        workers = max(1, min(workers or os.cpu_count() or 1, len(todo) // 8 or 1))
        with report.task("案例 PDF / case PDFs", len(todo)) as advance:
            if workers == 1:
                for job in todo:
                    _cut_some(str(book_path), [job])
                    advance()
            else:
                chunks = [todo[i::workers * 4] for i in range(workers * 4)]
                with ProcessPoolExecutor(workers) as pool:
                    for done in pool.map(_cut_some, [str(book_path)] * len(chunks), chunks):
                        advance(len(done))
    for path in made.values():
        os.utime(path)
    keep = set(made.values())
    for old in cache.glob("*.pdf"):
        if old not in keep:
            old.unlink(missing_ok=True)
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
        from .pdf import PdfWriter

        book = PdfWriter(self.settings, self.edition).cached(library)
        case_pdfs(book, library, self.settings, self.settings.cache_dir / "case-pdf" / self.edition, out)
