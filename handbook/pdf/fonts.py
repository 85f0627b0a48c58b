"""Fonts in a PDF: subsetting with HarfBuzz (the library WeasyPrint subsets with), a CID font's /W widths
and its ToUnicode map, and the subset tag.

At the bottom of handbook/pdf/: the join makes one font per face for the book with these, and the case PDFs
subset the book's fonts again to the glyphs of a case's pages. Neither imports the other. Whatever WeasyPrint
writes (pieces, pack PDFs, handouts) has its fonts subset by the same function (quick_subsets).
"""
from __future__ import annotations

import hashlib
import re
import threading
from contextlib import contextmanager, nullcontext


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
            hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
            void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
            hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
        """)
        _HB = (ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0"))
    return _HB


NO_HINTING, RETAIN_GIDS, DESUBROUTINIZE, PASSTHROUGH, NOTDEF_OUTLINE, NO_LAYOUT_CLOSURE = 1, 2, 4, 32, 64, 512  # hb_subset_flags_t


DROP_TABLE_TAG = 3  # hb_subset_sets_t


# the tables WeasyPrint leaves out of the fonts it embeds: nothing in a PDF reads them
DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def cid_keyed(data: bytes) -> bool:
    """Whether an OpenType font's CFF table is CID-keyed (its top DICT has the ROS operator, 12 30)."""
    try:
        tables = {data[12 + 16 * i:16 + 16 * i]: int.from_bytes(data[20 + 16 * i:24 + 16 * i], "big")
                  for i in range(int.from_bytes(data[4:6], "big"))}
        at = tables.get(b"CFF ")
        if at is None:
            return False
        at += data[at + 2]  # header size
        for _ in range(2):  # Name INDEX, then the Top DICT INDEX
            count, size = int.from_bytes(data[at:at + 2], "big"), data[at + 2]
            offsets = [int.from_bytes(data[at + 3 + size * i:at + 3 + size * (i + 1)], "big") for i in range(count + 1)]
            start = at + 3 + size * (count + 1) - 1
            dict_data, at = data[start + offsets[0]:start + offsets[1]], start + offsets[-1]
        i = 0
        while i < len(dict_data):
            b = dict_data[i]
            if b == 12:
                if dict_data[i + 1] == 30:
                    return True
                i += 2
            elif b <= 21:
                i += 1
            elif b == 28:
                i += 3
            elif b == 29:
                i += 5
            elif b == 30:  # a real: nibbles up to an 0xf nibble
                i += 1
                while i < len(dict_data) and (dict_data[i] & 0x0F) != 0x0F and (dict_data[i] >> 4) != 0x0F:
                    i += 1
                i += 1
            elif b <= 246:
                i += 1
            else:
                i += 2
        return False
    except (IndexError, ValueError):
        return False


def subset_font(data: bytes, gids: set[int], retain: bool, index: int = 0, as_weasyprint: bool = False) -> bytes | None:
    """The font (an OpenType file, as WeasyPrint embeds it) with only the glyphs gids (and .notdef):
    with retain, each keeps its glyph id; else they are packed in the order of their ids (0, 1, 2, ...).
    index: the face, in a font collection (.ttc). as_weasyprint: as WeasyPrint subsets (no hinting, no layout
    tables), for a font drawn by what WeasyPrint laid out."""
    ffi, hb, hbs = _harfbuzz()
    flags = DESUBROUTINIZE | PASSTHROUGH | NOTDEF_OUTLINE | NO_LAYOUT_CLOSURE | (RETAIN_GIDS if retain else 0)
    buffer = ffi.from_buffer(data)
    blob = hb.hb_blob_create(buffer, len(data), 1, ffi.NULL, ffi.NULL)  # 1: HB_MEMORY_MODE_READONLY
    face = hb.hb_face_create(blob, index)
    plan = hbs.hb_subset_input_create_or_fail()
    try:
        glyphs = hbs.hb_subset_input_glyph_set(plan)
        for gid in sorted(gids | {0}):
            hb.hb_set_add(glyphs, gid)
        if as_weasyprint:
            flags |= NO_HINTING
            dropped = hbs.hb_subset_input_set(plan, DROP_TABLE_TAG)
            for tag in DROPPED_TABLES:
                hb.hb_set_add(dropped, int.from_bytes(tag, "big"))
        hbs.hb_subset_input_set_flags(plan, flags)
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


def subset_tag(gids: set[int]) -> str:
    """A subset tag (six capitals) derived from the glyph set, as WeasyPrint derives its own."""
    digest = hashlib.md5(",".join(map(str, sorted(gids))).encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def cid_widths(descendant) -> dict[int, float]:
    """{glyph code: width} of a CID font's /W array (both of its forms)."""
    import pikepdf

    out: dict[int, float] = {}
    w = list(descendant.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, value in enumerate(w[i + 1]):
                out[first + k] = float(value)
            i += 2
        else:
            for code in range(first, int(w[i + 1]) + 1):
                out[code] = float(w[i + 2])
            i += 3
    return out


CMAP_PAIR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>")


def width_array(widths: dict[int, float]):
    """A /W array for {glyph code: width}: one run per range of consecutive codes."""
    import pikepdf

    out: list = []
    run: list = []
    start = previous = None
    for gid in sorted(widths):
        if previous is not None and gid == previous + 1:
            run.append(widths[gid])
        else:
            if run:
                out += [start, pikepdf.Array(run)]
            start, run = gid, [widths[gid]]
        previous = gid
    if run:
        out += [start, pikepdf.Array(run)]
    return pikepdf.Array(out)


def unicode_cmap(unicode: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap for {2-byte glyph code: UTF-16BE hex of its text}."""
    lines = [b"<%04x> <%s>" % (gid, text) for gid, text in sorted(unicode.items())]
    body = b"".join(b"%d beginbfchar\n" % len(lines[i:i + 100]) + b"\n".join(lines[i:i + 100]) + b"\nendbfchar\n"
                    for i in range(0, len(lines), 100))
    return (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
            b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
            b"/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n" + body +
            b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")


# ----------------------------------------------------------------- WeasyPrint's own fonts, subset this way

@contextmanager
def quick_subsets():
    """WeasyPrint's subsetting of the fonts it embeds, done as the join does it (subset_font), for what is laid
    out inside the block: the pieces of the book (whose fonts the join replaces by one subset of each whole face),
    the pack PDFs and the handouts (engine.write_document).

    WeasyPrint makes each subset in two HarfBuzz passes that also close over the layout tables it then drops (35 %
    of a piece's CPU time, measured on a three-case build of both editions: 275 of 777 samples), and copies each
    face's whole file (26 MB for the CJK one) into every font it makes, which only its own subsetting reads.
    subset_font makes the same kind of subset (the glyphs drawn, no hinting, the same tables dropped) in one pass
    without the closure, reading the face where HarfBuzz holds it, and the copy is made only if something reads it
    (FileOnRead). Measured on three pieces of the shipped book, each laid out three times in its own fork: a
    "see also" page 0.24-0.38 s of CPU with the copies, 0.18-0.22 s without; a chapter 1.11-1.64 s against
    0.96-1.00 s. Both editions of the shipped book and its 124 case PDFs came out the same bytes; of the 18 pack
    PDFs and handouts, 16 the same bytes and 2 with one font 1.2 KB larger, their text, fonts and every page drawn
    (pdftoppm) the same. For a font with hinting or missing glyphs, or should it fail, WeasyPrint's own
    subsetting runs as before."""
    global _quick_depth, _quick_undo
    with _QUICK_LOCK:
        if _quick_depth == 0:
            _quick_undo = _install_quick_subsets()
        _quick_depth += 1
    try:
        yield
    finally:
        with _QUICK_LOCK:
            _quick_depth -= 1
            if _quick_depth == 0:
                _quick_undo()


# WeasyPrint's Font class is patched while any thread is inside a quick_subsets block (the desk lays out a case's
# PDF while it publishes), and put back when the last one leaves; what differs per thread is in _in_font_init
_QUICK_LOCK = threading.Lock()
_quick_depth = 0
_quick_undo = None
_in_font_init = threading.local()


def _install_quick_subsets():
    """Patch WeasyPrint's Font; returns what puts it back."""
    from weasyprint.pdf import fonts as weasy_fonts
    from weasyprint.pdf.fonts import Font

    own_init, own_subset, own_data = Font.__init__, Font.subset, weasy_fonts.get_hb_object_data

    def data(*args, **kwargs):  # None for the face's file that Font.__init__ copies (FileOnRead makes it if read)
        if getattr(_in_font_init, "on", False) and len(args) + len(kwargs) == 1:
            return None
        return own_data(*args, **kwargs)

    def init(font, *args, **kwargs):
        _in_font_init.on = True
        try:
            own_init(font, *args, **kwargs)
        finally:
            _in_font_init.on = False

    def subset(font, to_unicode, hinting):
        made = None
        if to_unicode and not font.missing and not hinting:
            held = font.__dict__.get("file_content")  # set already (or read): that file, else the face in place
            with nullcontext(held) if held is not None else face_in_place(font.hb_face) as whole:
                made = subset_font(whole, set(to_unicode), retain=True, index=font.index, as_weasyprint=True)
        if made:
            font.file_content = made
        else:
            own_subset(font, to_unicode, hinting)

    Font.__init__, Font.subset, Font.file_content = init, subset, FileOnRead(own_data)
    weasy_fonts.get_hb_object_data = data

    def undo():
        Font.__init__, Font.subset = own_init, own_subset
        del Font.file_content
        weasy_fonts.get_hb_object_data = own_data

    return undo


class FileOnRead:
    """Font.file_content, made from the face (a copy of its whole file) the first time it is read, unless it
    was set before."""

    def __init__(self, copy_face):
        self.copy_face = copy_face

    def __get__(self, font, owner=None):
        if font is None:
            return self
        if "file_content" not in font.__dict__:
            font.__dict__["file_content"] = self.copy_face(font.hb_face)
        return font.__dict__["file_content"]

    def __set__(self, font, value):
        if value is not None:
            font.__dict__["file_content"] = value


@contextmanager
def face_in_place(hb_face):
    """The file of a face WeasyPrint opened, as a buffer over HarfBuzz's own memory: valid inside the block."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_blob(hb_face)
    try:
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        yield ffi.buffer(pointer, int(length[0]))
    finally:
        harfbuzz.hb_blob_destroy(blob)
