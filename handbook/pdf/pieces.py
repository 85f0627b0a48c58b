"""The book laid out in pieces, on every core, each piece cached by a hash of its own HTML.

WeasyPrint lays out one document on one core and keeps all of it in memory until it is written: the
1,000-case book took 246.7 s on one of this machine's two cores and peaked at 3.6 GB. So the book's HTML
(handbook/pdf/book.py, one template) is cut at its "hb-piece" marks into pieces: the front matter, the contents,
each chapter in runs of at most pdf.PIECE_CASES cases, each chapter's "see also" page, the appendix and the
index. Each piece is laid out and written as a tagged PDF of its own in a worker process (a fresh fork for
every piece, so memory goes back after each), and handbook/pdf/join.py puts the pieces together.

What a piece cannot know on its own is where it will stand in the book:
- page numbers in the footers are left out of the pieces and stamped on when they are joined;
- every internal link becomes `hbref:<anchor>` with the page number as data (`data-page`), and the stylesheet
  prints that number where it printed `target-counter()`: the contents, the index, "see also" lists and
  "（见第 N 页）" after a link to another case;
- a piece whose numbers were guessed wrong is laid out again with the right ones, until nothing changes
  (as LaTeX is run again). The first guess is the page map of the previous build, so after an edit only the
  pieces whose printed numbers moved are laid out again; a cold build lays out the number-bearing pieces
  (contents, index, "see also", cases that link to other cases) twice, and those are small.

A piece starts on a recto ("right") or straight after the one before ("any": a "see also" page); the second
kind is laid out as a left or right first page as its place requires. Each chapter's later pieces start on a
recto, which leaves at most one blank page every PIECE_CASES cases: that is the price of laying them out apart
(an edit would otherwise move every later piece from recto to verso). Chapters are laid out the same way in
the single-document render (render_book), which the benchmark keeps as its reference.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .. import report
from ..errors import OutputError
from ..outputs.atomic import atomic_path, write_atomic
from ..outputs.cache import ContentCache

PIECE_MARK = re.compile(r"<!--hb-piece ([a-z0-9-]+) (right|any)-->")
_HREF = re.compile(r'href="#([^"]*)"')
_ASSET = re.compile(r"hbfile:[^\"'()\s<>]+")
LINK_SCHEME = "hbref:"
ROUNDS = 6  # layouts of the number-bearing pieces before the page numbers must have settled
FORMAT_VERSION = "1"
PROBE_DIGITS = "0123456789"
WARM_FROM = 4  # pieces


@dataclass(frozen=True)
class Piece:
    """A run of the book's body, laid out on its own."""
    name: str
    side: str  # "right": starts on a recto; "any": follows straight on
    body: str


@dataclass(frozen=True)
class Book:
    """The book's HTML cut into pieces: the document's opening (doctype to <body>), its stylesheet made for
    pieces, and the pieces in order."""
    opening: str
    pieces: tuple[Piece, ...]


def split_book(html: str) -> Book:
    """Cut the book's HTML at its piece marks; what comes before the first mark is the front matter."""
    start = html.index("<body")
    opened = html.index(">", start) + 1
    closed = html.rindex("</body>")
    parts = PIECE_MARK.split(html[opened:closed])
    pieces = [Piece("front", "right", parts[0])]
    pieces += [Piece(name, side, body) for name, side, body in zip(parts[1::3], parts[2::3], parts[3::3])]
    names = [p.name for p in pieces]
    if len(set(names)) != len(names):
        raise ValueError(f"two pieces of the book have one name: {names}")
    return Book(for_pieces(html[:opened]), tuple(pieces))


def for_pieces(opening: str) -> str:
    """The stylesheet as pieces need it: page numbers from data-page instead of target-counter(), internal
    links under LINK_SCHEME, and the footers' page numbers left out (handbook/pdf/join.py stamps them)."""
    out = opening.replace("target-counter(attr(href), page)", "attr(data-page)")
    out = out.replace('[href^="#', f'[href^="{LINK_SCHEME}')
    return out.replace("content: counter(page);", 'content: "";')


def piece_html(book: Book, piece: Piece, numbers: dict[str, int], left_first: bool, unknown: str) -> str:
    """One piece as an HTML document: its links carry the page numbers they print (unknown where not known)."""
    def link(m: re.Match) -> str:
        anchor = m.group(1)
        return f'href="{LINK_SCHEME}{anchor}" data-page="{numbers.get(anchor, unknown)}"'

    opening = book.opening
    if left_first:
        opening = opening.replace("<html ", '<html style="break-before: left" ', 1)
    return opening + _HREF.sub(link, piece.body) + "\n</body>\n</html>\n"


def probe_html(book: Book) -> str:
    """Two pages (a recto, a verso) whose footers print PROBE_DIGITS: where and in what font the footers go."""
    opening = book.opening.replace('content: "";', f'content: "{PROBE_DIGITS}";')
    opening = re.sub(r"<body[^>]*>", "<body>", opening)
    return opening + '<p>　</p><p style="break-before: page">　</p>\n</body>\n</html>\n'


# ----------------------------------------------------------------- laying out one piece (in a worker)

@dataclass(frozen=True)
class Job:
    html: str
    pdf: str  # where the piece's PDF goes; its layout facts go next to it (.json)
    base_url: str
    roots: tuple[str, ...]
    fonts: str  # where the fonts the piece uses are kept whole, for handbook/pdf/join.py to subset once for the book


def lay_out(job: Job) -> str:
    """Lay one piece out and write it as a tagged PDF, with what the join needs to know of its pages:
    their number, which of them carry a folio, and where each anchor and bookmark is (PDF coordinates)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import MarginBox

    from .engine import fewer_full_collections, url_fetcher
    from .fonts import quick_subsets
    from .access import PDF_VARIANT, furniture_as_artifacts

    target = Path(job.pdf)
    with fewer_full_collections(), quick_subsets():
        document = HTML(string=job.html, base_url=job.base_url,
                        url_fetcher=url_fetcher(tuple(Path(r) for r in job.roots))).render()
        facts = {"pages": len(document.pages), "folios": [], "anchors": {}, "bookmarks": []}
        for n, page in enumerate(document.pages):
            box = page._page_box
            facts["folios"].append(any(isinstance(b, MarginBox) and b.at_keyword == "@bottom-center"
                                       for b in box.children))
            height = page.height * 0.75
            for name, (x, y, _, _) in page.anchors.items():
                facts["anchors"].setdefault(name, [n, round(x * 0.75, 3), round(height - y * 0.75, 3)])
            for level, label, (x, y), _ in page.bookmarks:
                facts["bookmarks"].append([level, label, n, round(x * 0.75, 3), round(height - y * 0.75, 3)])
        with atomic_path(target) as partial:  # the PDF first: facts without their PDF are never found
            with open(partial, "wb") as handle, furniture_as_artifacts():
                document.write_pdf(handle, pdf_variant=PDF_VARIANT, pdf_identifier=b"0" * 32)
            facts["fonts"] = keep_fonts(document, Path(job.fonts))
            facts["bytes"] = partial.stat().st_size
    write_atomic(target.with_suffix(".json"), json.dumps(facts, ensure_ascii=False))
    return job.pdf


def keep_fonts(document, folder: Path) -> dict[str, list]:
    """{PDF font name: [file under folder, face index]}: each font the piece drew, kept whole (once per font file),
    so that the join can subset it once for the whole book instead of carrying one subset per piece."""
    from .fonts import face_in_place

    out = {}
    for font in document.fonts.values():
        with face_in_place(font.hb_face) as data:  # in place: a copy of each face's file (26 MB) was a tenth of a piece's time
            key = hashlib.sha256(len(data).to_bytes(8, "big") + data[:1 << 16] + data[-(1 << 16):]).hexdigest()[:32]
            path = folder / f"{key}.font"
            if not path.exists():
                write_atomic(path, bytes(data))
        out[font.name.decode("latin-1")] = [path.name, int(font.index)]
    return out


# ----------------------------------------------------------------- the pieces of a book, laid out

@dataclass
class Laid:
    """A laid-out piece: its PDF and the facts lay_out recorded."""
    piece: Piece
    pdf: Path
    facts: dict
    first: int = 0  # index of its first page in the book
    padded: bool = False  # a blank page goes before it (it starts on a recto)


def place(laid: list[Laid]) -> tuple[dict[str, int], int]:
    """Give each piece its first page in the book; ({anchor: page number}, page count)."""
    numbers: dict[str, int] = {}
    total = 0
    for item in laid:
        item.padded = item.piece.side == "right" and total % 2 == 1
        total += item.padded
        item.first = total
        for name, (page, _, _) in item.facts["anchors"].items():
            numbers.setdefault(name, total + page + 1)
        total += item.facts["pages"]
    return numbers, total


def starts_left(laid: list[Laid]) -> list[bool]:
    """For each placed piece, whether it starts on a verso: only a piece that follows straight on can."""
    return [item.piece.side == "any" and item.first % 2 == 1 for item in laid]


def piece_key(html: str, salt: str) -> str:
    return hashlib.sha256(f"{FORMAT_VERSION}\0{salt}\0".encode() + html.encode()).hexdigest()


class PieceRenderer:
    """Lays the pieces of books out in worker processes, and keeps each laid-out piece in cache (by the hash of
    its HTML and of what else goes into it: salt)."""

    def __init__(self, cache: Path, base_url: str, roots: tuple[Path, ...], salt: str, jobs: int | None = None):
        self.cache, self.base_url, self.salt = cache, base_url, salt
        self.fonts = cache.parent / "fonts"
        self.roots = tuple(str(r) for r in roots)
        self._roots = tuple(roots)
        self._files: dict[Path | None, str] = {}  # a drawn file's digest, read once per build
        self.jobs = jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
        self.used: set[Path] = set()
        self._checked: dict[Path, dict] = {}
        self._digests: dict[Path, str] = {}
        self.laid_out = 0  # pieces laid out (not found in cache), for the benchmark and the tests

    def path(self, html: str) -> Path:
        return self.cache / f"{piece_key(html, self.salt + self._drawn(html))}.pdf"

    def _drawn(self, html: str) -> str:
        """The digest of the files the piece draws (its hbfile: addresses, engine.asset_uri), so that a changed
        picture lays out again the pieces that show it, and only those: when every image of the project went
        into every key, one uploaded photo (or an edit of content/synonyms.yml) laid the whole book out again."""
        from .engine import asset_path

        h = hashlib.sha256()
        for uri in sorted(set(_ASSET.findall(html))):
            path = asset_path(self._roots, uri)
            if path not in self._files:
                self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else "-"
            h.update(f"{uri}\0{self._files[path]}\0".encode())
        return h.hexdigest()

    def facts(self, html: str) -> tuple[Path, dict] | None:
        """The laid-out piece of this HTML and its facts, if the cache holds it whole."""
        pdf = self.path(html)
        if pdf in self._checked:
            return pdf, self._checked[pdf]
        info = pdf.with_suffix(".json")
        if not (pdf.is_file() and info.is_file()):
            return None
        try:
            facts = json.loads(info.read_text(encoding="utf-8"))
            if pdf.stat().st_size != facts["bytes"]:  # a damaged cache entry is laid out again, not joined
                return None
        except (ValueError, KeyError, OSError):
            return None
        self.used.add(pdf)
        self._checked[pdf] = facts
        return pdf, facts

    def render(self, documents: list[str], label: str) -> list[tuple[Path, dict]]:
        """The laid-out pieces of these HTML documents: from the cache, or laid out now on every core."""
        self.cache.mkdir(parents=True, exist_ok=True)
        todo = list(dict.fromkeys(html for html in documents if self.facts(html) is None))
        if todo:
            jobs = [Job(html, str(self.path(html)), self.base_url, self.roots, str(self.fonts)) for html in todo]
            with report.task(label, len(jobs)) as advance:
                run_jobs(jobs, min(self.jobs, len(jobs)), advance)
            self.laid_out += len(todo)
        found = [self.facts(html) for html in documents]
        missing = [i for i, f in enumerate(found) if f is None]
        if missing:
            raise OutputError(f"PDF 的 {len(missing)} 个部分没有排出来 ({len(missing)} pieces of the PDF were not laid out)")
        return found  # type: ignore[return-value]

    def known_texts(self, laid: list[Laid], joined_at: list[int]) -> dict[int, str]:
        """{book page: text} of the pages whose text an earlier check read from the same pieces, for each piece
        joined where it was placed (a piece that landed elsewhere is read again)."""
        known: dict[int, str] = {}
        for item, first in zip(laid, joined_at):
            if first != item.first:
                continue
            kept = self._texts(item.pdf)
            known.update({first + int(local) + 1: text for local, text in kept.items()})
        return known

    def _digest(self, pdf: Path) -> str:
        """The hash of a piece's file, read once a build."""
        if pdf not in self._digests:
            self._digests[pdf] = hashlib.sha256(pdf.read_bytes()).hexdigest()
        return self._digests[pdf]

    def _texts(self, pdf: Path) -> dict[str, str]:
        """The texts kept with a piece, if they were read from this very file (its hash)."""
        try:
            kept = json.loads(pdf.with_suffix(".texts.json").read_text(encoding="utf-8"))
            if kept.get("sha256") == self._digest(pdf):
                return kept["pages"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        return {}

    def remember_texts(self, laid: list[Laid], texts: dict[int, str]) -> None:
        """Keep with each piece the text the check read from its pages (see known_texts)."""
        for item in laid:
            kept = self._texts(item.pdf)
            new = {str(local): texts[item.first + local + 1] for local in range(item.facts["pages"])
                   if item.first + local + 1 in texts and str(local) not in kept}
            if new:
                path = item.pdf.with_suffix(".texts.json")
                write_atomic(path, json.dumps({"sha256": self._digest(item.pdf), "pages": {**kept, **new}},
                                              ensure_ascii=False))

    def keep_only_used(self, keep: int) -> None:
        """Remove cached pieces beyond the keep most recently used (the ones this run used are always kept)."""
        cache = ContentCache(self.cache, ".pdf", companions=(".json", ".texts.json"))
        for path in self.used:
            cache.use(path)
        cache.keep(max(keep, len(self.used)))


def run_jobs(jobs: list[Job], workers: int, advance) -> None:
    """Run lay_out over jobs in `workers` processes, each forked fresh for one piece (from a server process that
    has WeasyPrint loaded), so that a piece's memory is given back as soon as it is written."""
    import multiprocessing
    from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("forkserver")
    # the head start (handbook/pdf/warm.py) costs the server about 0.15 s of CPU and saves each piece about 0.04 s:
    # worth it from WARM_FROM pieces on (the server is started once, for the build's first pieces)
    context.set_forkserver_preload(["weasyprint", "handbook.pdf.pieces", "handbook.pdf.book"]
                                   + ["handbook.pdf.warm"] * (len(jobs) >= WARM_FROM))
    try:
        with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context, max_tasks_per_child=1) as pool:
            futures = [pool.submit(lay_out, job) for job in jobs]
            for future in futures:
                future.add_done_callback(lambda f: not f.cancelled() and f.exception() is None and advance())
            wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                if future.done() and not future.cancelled() and future.exception() is not None:
                    for other in futures:
                        other.cancel()
                    raise future.exception()
    except BrokenProcessPool as exc:  # a worker killed from outside, e.g. by the kernel when memory ran out
        raise OutputError("排版 PDF 的进程意外中止（可能是内存不足），未替换原有文件 "
                          "(a process laying out the PDF ended unexpectedly, perhaps out of memory; "
                          "the previous PDF is kept)") from exc


def lay_out_book(book: Book, renderer: PieceRenderer, guess: dict, unknown: str,
                 also: list[str] = ()) -> tuple[list[Laid], dict]:
    """Lay every piece out, again where the page numbers it prints were wrong, until they are all right.

    guess: the previous build's {"numbers": {anchor: page}, "left_first": {piece: bool}}, or {}.
    also: other documents to lay out with the first round (the folio probe).
    Returns the laid pieces (placed) and the page map to guess with next time."""
    numbers = dict(guess.get("numbers", {}))
    sides = [p.side == "any" and bool(guess.get("left_first", {}).get(p.name)) for p in book.pieces]
    for round_ in range(ROUNDS):
        documents = [piece_html(book, p, numbers, side, unknown) for p, side in zip(book.pieces, sides)]
        label = "排版 PDF 各部分 / laying out the pieces" + (f"（第 {round_ + 1} 遍）" if round_ else "")
        found = renderer.render(documents + (list(also) if round_ == 0 else []), label)[:len(documents)]
        laid = [Laid(p, pdf, facts) for p, (pdf, facts) in zip(book.pieces, found)]
        new_numbers, _ = place(laid)
        new_sides = starts_left(laid)
        settled = all(piece_html(book, p, new_numbers, side, unknown) == html
                      for p, side, html in zip(book.pieces, new_sides, documents))
        numbers, sides = new_numbers, new_sides
        if settled:
            page_map = {"numbers": numbers,
                        "left_first": {p.name: s for p, s in zip(book.pieces, new_sides) if p.side == "any"}}
            return laid, page_map
    raise OutputError(f"PDF 的页码排了 {ROUNDS} 遍仍未稳定 (the page numbers did not settle in {ROUNDS} layouts)")
