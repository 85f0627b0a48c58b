"""Text fitted into a frame by measuring it with the fonts that will draw it.

python-pptx's autofit only writes a flag that PowerPoint and WPS do not act on until the text is
edited (python-pptx #1021, #982), and LibreOffice shrinks with its own rules: a deck whose text
fits must be laid out when it is written. Lines are measured with Pillow's FreeType bindings on
the installed faces: Noto Sans CJK SC (what LibreOffice and most Linux machines draw 微软雅黑's
Chinese with) and DejaVu Sans (what fontconfig substitutes for the Latin and digits); every
character counts at the wider of the two, which also covers 微软雅黑's own widths (CJK is one em
in all three; its Latin is narrower than DejaVu's). Lines break anywhere in Chinese, inside Latin
words never, and no line may start with closing punctuation (LibreOffice's kinsoku rule), so a
wrapped paragraph here has at least as many lines as where it is drawn. Line pitch is set exactly
(LINE_PITCH × size) in the deck, so the height is the line count times the pitch.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..errors import HandbookError

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FONT_INDEX = 2  # Noto Sans CJK SC in the collection (fc-list -f '%{index} %{family}')
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LINE_PITCH = 1.5  # line distance over font size: above Noto CJK's own 1.45, so no glyph is clipped
MEASURE_PX = 100  # fonts are measured at 100 px and scaled
NO_LINE_START = set("，。、；：？！）》」』”’…—·%,.;:?!)]}")
_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/%]*|\s+|.", re.S)


class FontMissing(HandbookError):
    def __init__(self, path: Path):
        super().__init__(f"找不到字体 {path}，请先运行 scripts/setup.sh（font missing: {path}; run scripts/setup.sh）")


@functools.lru_cache(maxsize=1)
def _fonts():
    from PIL import ImageFont

    for path in (CJK_FONT, LATIN_FONT):
        if not path.exists():
            raise FontMissing(path)
    return (ImageFont.truetype(str(CJK_FONT), MEASURE_PX, index=CJK_FONT_INDEX),
            ImageFont.truetype(str(LATIN_FONT), MEASURE_PX))


@functools.lru_cache(maxsize=8192)
def char_em(ch: str) -> float:
    """The width of one character in em: the wider of the two faces."""
    if _is_cjk(ch):
        return 1.0
    return max(font.getlength(ch) for font in _fonts()) / MEASURE_PX


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


@functools.lru_cache(maxsize=65536)
def _em(text: str) -> float:
    em = sum(char_em(ch) for ch in text)
    # LibreOffice spaces Chinese from Latin and digits (Asian typography autospacing): a quarter em each
    em += 0.25 * sum(1 for a, b in zip(text, text[1:]) if a.isascii() != b.isascii()
                     and not a.isspace() and not b.isspace() and (_is_cjk(a) or _is_cjk(b)))
    return em


def width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of text at size points (bold counts 6% wider)."""
    return _em(text) * size * (1.06 if bold else 1.0)


def wrap(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """text broken into lines no wider than width_pt (one em kept free for hanging marks and rounding)."""
    limit = width_pt - size
    lines, line = [], ""
    for token in _WORD_RE.findall(text):
        if token == "\n":
            lines.append(line)
            line = ""
            continue
        if not line and token.isspace():
            continue
        if width(line + token, size, bold) <= limit:
            line += token
            continue
        if line and token[0] in NO_LINE_START and len(line) > 1:
            token, line = line[-1] + token, line[:-1]  # the mark takes the last character with it
        if line:
            lines.append(line)
        while width(token, size, bold) > limit:  # a word longer than a line: break it anyway
            cut = max(1, next((i for i in range(len(token), 0, -1) if width(token[:i], size, bold) <= limit), 1))
            lines.append(token[:cut])
            token = token[cut:]
        line = token.lstrip()
    if line or not lines:
        lines.append(line)
    return lines


def height(text: str, width_pt: float, size: float, bold: bool = False) -> float:
    return len(wrap(text, width_pt, size, bold)) * size * LINE_PITCH


def split_to_fit(text: str, width_pt: float, height_pt: float, size: float) -> list[str]:
    """text in pieces that each fit the height: at sentence ends, or at line ends for a very long sentence."""
    if height(text, width_pt, size) <= height_pt:
        return [text]
    sentences = re.findall(r".+?(?:[。！？；]”?|$)", text)
    pieces, piece = [], ""
    for sentence in sentences:
        if height(piece + sentence, width_pt, size) <= height_pt:
            piece += sentence
            continue
        if piece:
            pieces.append(piece)
        piece = sentence
        if height(piece, width_pt, size) > height_pt:
            lines = wrap(piece, width_pt, size)
            per = max(1, int(height_pt // (size * LINE_PITCH)))
            pieces += ["".join(lines[i:i + per]) for i in range(0, len(lines) - per, per)]
            piece = "".join(lines[(len(lines) - 1) // per * per:])
    if piece:
        pieces.append(piece)
    return pieces


def paginate(paragraphs: list[str], width_pt: float, height_pt: float, size: float,
             gap: float = 0.5) -> list[list[str]]:
    """Paragraphs into pages that each fit the frame; gap: the space after a paragraph, in lines."""
    pieces = [p for text in paragraphs for p in split_to_fit(text, width_pt, height_pt, size)]
    pages: list[list[str]] = []
    used = 0.0
    for piece in pieces:
        h = height(piece, width_pt, size)
        if pages and used + h <= height_pt:
            pages[-1].append(piece)
            used += h + gap * size * LINE_PITCH
        else:
            pages.append([piece])
            used = h + gap * size * LINE_PITCH
    return pages or [[]]


def fit_size(text: str, width_pt: float, height_pt: float, largest: float, smallest: float,
             bold: bool = False) -> tuple[float, str]:
    """The largest size (in half points) at which text fits; at the smallest, text cut with …"""
    size = largest
    while size >= smallest:
        if height(text, width_pt, size, bold) <= height_pt:
            return size, text
        size -= 0.5
    size = smallest
    while text and height(text + "…", width_pt, size, bold) > height_pt:
        text = text[:-1]
    return size, text + "…"
