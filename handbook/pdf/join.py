"""The laid-out pieces of the book (handbook/pdf/pieces.py) put together into one tagged PDF, with pikepdf.

Each piece is a complete tagged PDF of its own. Joining them takes more than appending pages:
- the structure trees become one: every piece's top-level elements go under one /Document element, and the
  keys that tie marked content to them (the pages' /StructParents, the links' /StructParent and the
  /ParentTree that maps them) are moved past the pieces before, so that no two pieces share a key;
- the named destinations (every id of the book) become one name tree, and the internal links, which a
  piece writes as `hbref:<anchor>` URIs because their targets may lie in other pieces, become /Dest links;
- the outline is built again from the bookmarks each piece recorded, by level, so that a chapter that goes
  on in a later piece keeps its cases under it;
- a blank page goes before a piece that must start on a recto and would not;
- the page numbers are stamped in the footers, as pagination artifacts, in the font, size, colour and place
  WeasyPrint gives them: a probe document (two pages whose footers print "0123456789") shows where, and
  which glyphs of the footer's face the digits are;
- the fonts become one per face, subset once for the whole book (Faces);
- the catalogue (language, document title shown, MarkInfo, XMP metadata) and the document information come
  from the front piece.

The result is saved with a content-derived /ID, so the same pieces give a byte-identical book.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fonts import CMAP_PAIR, cid_widths, subset_font, subset_tag, unicode_cmap, width_array
from .pieces import LINK_SCHEME, PROBE_DIGITS, Laid

FOLIO_FONT = "/HbFolio"
OBJECT_STREAMS = "generate"  # objects packed into compressed object streams, as WeasyPrint writes them


@dataclass(frozen=True)
class FolioStyle:
    """How WeasyPrint sets a folio, read from the probe: font (in the probe), its glyph and advance for each digit,
    size, colour, baseline, the right edge of a recto's folio and the left edge of a verso's."""
    font: object
    glyphs: dict
    widths: dict
    size: float
    color: tuple
    y: float
    right_end: float
    left_x: float


def _footer(page) -> tuple:
    """(font name, size, colour, x, y, glyph codes) of the folio the probe page draws."""
    import pikepdf

    inside, font, size, color, x, y = 0, None, None, (0, 0, 0), None, None
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "BDC" and str(operands[0]) == "/Artifact":
            inside += 1
        elif name in ("BDC", "BMC") and inside:
            inside += 1
        elif name == "EMC" and inside:
            inside -= 1
        elif not inside:
            continue
        elif name == "rg":
            color = tuple(float(v) for v in operands)
        elif name == "Tf":
            font, size = operands[0], float(operands[1])
        elif name == "Tm":
            x, y = float(operands[4]), float(operands[5])
        elif name == "TJ":
            raw = b"".join(bytes(s) for s in operands[0] if isinstance(s, pikepdf.String))
            codes = [raw[i:i + 2] for i in range(0, len(raw), 2)]
            if len(codes) == len(PROBE_DIGITS):
                return font, size, color, x, y, codes
    raise ValueError("the probe page has no folio")


def folio_style(probe) -> FolioStyle:
    right, left = probe.pages[0], probe.pages[1]
    font_name, size, color, x_right, y, codes = _footer(right)
    _, _, _, x_left, _, _ = _footer(left)
    font = right.Resources.Font[font_name]
    widths = cid_widths(font.DescendantFonts[0])
    default = float(font.DescendantFonts[0].get("/DW", 1000))
    advance = {d: widths.get(int.from_bytes(c, "big"), default) for d, c in zip(PROBE_DIGITS, codes)}
    end = x_right + sum(advance.values()) * size / 1000
    return FolioStyle(font, dict(zip(PROBE_DIGITS, codes)), advance, size, color, y, end, x_left)


def _folio(style: FolioStyle, number: int, height: float) -> bytes:
    text = str(number)
    width = sum(style.widths[c] for c in text) * style.size / 1000
    x = style.right_end - width if number % 2 else style.left_x
    glyphs = b"".join(style.glyphs[c] for c in text).hex()
    r, g, b = style.color
    return (f"Q\nq 1 0 0 -1 0 {height:g} cm 0.75 0 0 0.75 0 0 cm\n"
            f"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n{r:g} {g:g} {b:g} rg\nBT\n"
            f"1 0 0 -1 {x:.6f} {style.y:.6f} Tm\n{FOLIO_FONT} {style.size:g} Tf\n[<{glyphs}>] TJ\nET\nEMC\nQ\n").encode()


def _copy(book, value):
    """A foreign value copied into book (indirect objects through qpdf's copier, which maps each object once)."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(book, v) for v in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copy(book, v) for k, v in value.items()})
    return value


def join(laid: list[Laid], probe_pdf: Path, out: Path, fonts: dict[str, tuple[Path, int]] | None = None) -> list[int]:
    """Write the placed pieces as one PDF at out; returns the index of the page each piece was joined at.

    fonts: {PDF font name: (font file, face index)} of the fonts the pieces drew (pieces.keep_fonts):
    each is subset once for the whole book (Faces); a font not in it keeps the piece's own subset.

    Memory: qpdf copies a piece's objects at once but its stream data only when the book is written, so every
    piece would stay open until then (the 5,000-case book: 3.6 GB). Here each piece's streams are copied as they
    are (still compressed) and the piece is closed before the next one opens; the fonts of the pieces, which the
    book replaces, are not copied at all."""
    import pikepdf

    book = pikepdf.new()
    probe = pikepdf.open(probe_pdf)  # small: open until the book is written
    style = folio_style(probe)
    faces = Faces(book, fonts or {})
    folio_font = faces.font(book.copy_foreign(style.font))
    opening = book.make_stream(b"q\n")
    document = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                                                     K=pikepdf.Array()))
    nums: list = []
    next_key = 0
    dests: dict[str, pikepdf.Array] = {}
    marks: list[tuple[int, str, pikepdf.Array]] = []
    links: list[tuple[object, str]] = []
    joined_at = []
    front: dict = {}
    version = "1.7"
    for item in laid:
        with pikepdf.open(item.pdf) as src:
            if item.padded:
                box = [float(v) for v in src.pages[0].MediaBox]
                book.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
            first = len(book.pages)  # where it lands, even if a piece before it was not what its facts said:
            # the completeness gate then finds the page count and the pages of the cases wrong
            joined_at.append(first)
            tree = src.Root.get("/StructTreeRoot")
            keys = 0
            if tree is not None:
                keys = max((int(k) for k in list(tree.ParentTree.Nums)[0::2]), default=-1) + 1
                for page in list(src.pages):
                    if "/StructParents" in page.obj:
                        page.obj.StructParents = int(page.obj.StructParents) + next_key
                    for annot in page.obj.get("/Annots", []):
                        if "/StructParent" in annot:
                            annot.StructParent = int(annot.StructParent) + next_key
                top = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
                del top["/P"]  # the piece's own root stays behind
            src_pages = list(src.pages)  # indexing a page list walks it: each page is taken once
            book.pages.extend(src_pages)
            pages = book.pages[first:first + len(src_pages)]
            at = {page.objgen: pages[i] for i, page in enumerate(src_pages)}
            if tree is not None:
                copied = book.copy_foreign(top)
                for kid in copied.K:
                    if isinstance(kid, pikepdf.Dictionary):
                        kid.P = document
                    document.K.append(kid)
                parent_tree = tree.ParentTree
                if not parent_tree.is_indirect:
                    parent_tree = src.make_indirect(parent_tree)
                copied_pairs = list(book.copy_foreign(parent_tree).Nums)  # one call: qpdf copies what it holds
                for key, value in zip(copied_pairs[0::2], copied_pairs[1::2]):
                    nums += [int(key) + next_key, value]
                next_key += keys
            if "/Names" in src.Root and "/Dests" in src.Root.Names:
                for name, dest in pikepdf.NameTree(src.Root.Names.Dests).items():
                    target = at.get(dest[0].objgen)
                    if target is not None and name not in dests:
                        dests[name] = pikepdf.Array([target.obj, *list(dest)[1:]])
            for level, label, n, x, y in item.facts["bookmarks"]:
                marks.append((level, label, pikepdf.Array([pages[n].obj, pikepdf.Name.XYZ, x, y, 0])))
            for page in pages:
                for annot in page.obj.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None and "/URI" in action and str(action.URI).startswith(LINK_SCHEME):
                        links.append((annot, str(action.URI)[len(LINK_SCHEME):]))
            faces.take(pages)
            _own_streams(pages)
            if not front:
                version = src.pdf_version  # the pieces' version: 1.7 for PDF/UA-1
                front = {key: _own(_copy(book, src.Root[key]))
                         for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata") if key in src.Root}
                if "/Info" in src.trailer:
                    front["info"] = book.copy_foreign(src.trailer.Info)
        for n, numbered in enumerate(item.facts["folios"]):
            if not numbered:
                continue
            page = pages[n]
            resources = page.obj.Resources
            if "/Font" not in resources:
                resources.Font = pikepdf.Dictionary()
            resources.Font[FOLIO_FONT] = folio_font
            page.contents_add(opening, prepend=True)
            page.contents_add(book.make_stream(_folio(style, first + n + 1, float(page.MediaBox[3]))))

    for annot, name in links:
        del annot["/A"]
        if name in dests:
            annot.Dest = pikepdf.String(name)
            annot.Contents = pikepdf.String(name)
    root = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([document]),
                                                 ParentTree=book.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums))),
                                                 ParentTreeNextKey=next_key))
    document.P = root
    book.Root.StructTreeRoot = root
    for key, value in front.items():
        if key != "info":
            book.Root[key] = value
    names = pikepdf.NameTree.new(book)
    for name in sorted(dests):
        names[name] = dests[name]
    book.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    _outline(book, marks)
    faces.finish()
    if "info" in front:
        book.docinfo = front["info"]
    book.save(out, deterministic_id=True, compress_streams=True, min_version=version,
              object_stream_mode=getattr(pikepdf.ObjectStreamMode, OBJECT_STREAMS))
    probe.close()
    return joined_at


def _own(value):
    """Copy a stream's data (as it is, still encoded) out of the piece it came from, and those inside a dictionary
    or an array, so that the piece can be closed before the book is written."""
    import pikepdf

    if isinstance(value, pikepdf.Stream):
        if "/Filter" in value:
            value.write(value.read_raw_bytes(), filter=value.Filter, decode_parms=value.get("/DecodeParms"))
        else:
            value.write(value.read_raw_bytes())
        for key, inner in value.items():
            if key not in ("/Length", "/Filter", "/DecodeParms"):
                _own(inner)
    elif isinstance(value, pikepdf.Dictionary):
        for inner in value.values():
            _own(inner)
    elif isinstance(value, pikepdf.Array):
        for inner in value:
            _own(inner)
    return value


def _own_streams(pages) -> None:
    """The streams a piece's pages draw with (contents, images, patterns...): copied out of the piece. The fonts
    are left to Faces; resources shared by the pages of a piece are done once."""
    import pikepdf

    done: set = set()
    for page in pages:
        contents = page.obj.get("/Contents")
        for stream in (contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []):
            _own(stream)
        resources = page.obj.get("/Resources")
        if resources is None or (resources.is_indirect and resources.objgen in done):
            continue
        if resources.is_indirect:
            done.add(resources.objgen)
        for key, value in resources.items():
            if key != "/Font":
                _own(value)


def _outline(book, marks: list[tuple[int, str, object]]) -> None:
    """The outline from (level, title, destination) in book order: each item under the last one of a lower level."""
    import pikepdf

    with book.open_outline() as outline:
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for level, title, dest in marks:
            item = pikepdf.OutlineItem(title, dest)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


class Faces:
    """One font per face for the whole book. Each piece embeds its own subset of every face it draws with (and
    WeasyPrint keeps glyph ids, so each subset carries every slot up to its highest glyph): joined as they were,
    the shipped library's 13 pieces carried 101 fonts, 15 MB of them. All pieces name a face alike (the name is
    derived from the font description) and their codes are the face's glyph ids, so the pieces' fonts of one face
    are replaced by one, subset from the whole face (kept by pieces.keep_fonts) to every glyph any piece
    draws, with the widths and the ToUnicode map of all of them; no content stream changes."""

    def __init__(self, book, sources: dict[str, tuple[Path, int]]):
        self.book, self.sources = book, sources
        self.groups: dict[str, dict] = {}
        self.tables: set = set()

    def take(self, pages) -> None:
        """Point the pages' fonts at the book's font of each face; a face with no source keeps its own font."""
        for page in pages:
            table = page.obj.get("/Resources", {}).get("/Font")
            if table is None or table.objgen in self.tables:
                continue
            self.tables.add(table.objgen)
            for key, font in list(table.items()):
                table[key] = self.font(font)

    def font(self, font):
        """The book's font for the face of this font (copied into the book), its widths and text taken in."""
        name = str(font.get("/BaseFont", ""))
        if name not in self.sources or "/DescendantFonts" not in font:
            return _own(font)
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = {"font": _own(font), "widths": {}, "unicode": {}}
        group["widths"].update(cid_widths(font.DescendantFonts[0]))
        if "/ToUnicode" in font:
            group["unicode"].update((int(g, 16), u) for g, u in CMAP_PAIR.findall(font.ToUnicode.read_bytes()))
        return group["font"]

    def finish(self) -> None:
        """Subset each face once, to the glyphs of every piece, and give its font their widths and text."""
        import pikepdf

        for name, group in sorted(self.groups.items()):
            path, index = self.sources[name]
            widths = group["widths"]
            data = subset_font(Path(path).read_bytes(), set(widths), retain=True, index=index, as_weasyprint=True)
            if not data:
                continue  # the font keeps the subset of the piece it came from first
            font = group["font"]
            descendant = font.DescendantFonts[0]
            descriptor = descendant.FontDescriptor
            key = "/FontFile3" if "/FontFile3" in descriptor else "/FontFile2"
            stream = self.book.make_stream(data)
            if key == "/FontFile3":
                stream.Subtype = descriptor.FontFile3.get("/Subtype", pikepdf.Name.OpenType)
            descriptor[key] = stream
            if "/CIDSet" in descriptor:
                del descriptor["/CIDSet"]
            descendant.W = width_array(widths)
            font.ToUnicode = self.book.make_stream(unicode_cmap(group["unicode"]))
            tagged = "/" + subset_tag(set(widths)) + "+" + name.split("+", 1)[-1]
            for d in (font, descendant, descriptor):
                d[("/FontName" if d is descriptor else "/BaseFont")] = pikepdf.Name(tagged)

