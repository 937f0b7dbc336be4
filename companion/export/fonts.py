"""Fonts bundled under resources/fonts, and text in every script they cover.

ReportLab has no font fallback, and without the ``rlbidi`` package (which is
not on the package registry) no bidirectional text. This module fills both
gaps for the scripts participants write in:

- :func:`markup` turns plain text into Paragraph markup in which each run of
  Arabic or Ethiopic letters is set in the Noto font that has them;
- :class:`ScriptParagraph` draws such a paragraph with its Arabic runs shaped
  by HarfBuzz (``uharfbuzz``: joined letters) and each line in visual order
  by the implicit rules of the Unicode bidirectional algorithm (UAX #9);
  :func:`paragraph` also right-aligns a paragraph that is mainly Arabic;
- :func:`line_runs` does the same for one line of a chart or page header.

Every right-to-left run drawn carries the letters that were typed
(``actual``, written as ActualText by :mod:`companion.export.canvas`), so
that Arabic copied out of the PDF is what was typed, not presentation forms.

Why not ReportLab's own shaping (a style with ``shaping=1``): it shapes a
whole word with the font of its first letter, so "(المدينة)" or "ከተማ," come
out as empty boxes, and without rlbidi it sets the words of an Arabic phrase
left to right, so the phrase reads backwards. Here each run is shaped alone
in its own font, and measured shaped, so lines break where they should.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable
from xml.sax.saxutils import escape

from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeFragWord
from reportlab.platypus import Paragraph

from companion.export.bidi import bidi_levels, visual_order
from companion.paths import fonts_dir

BODY = "NotoSans"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"
ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
ETHIOPIC = "NotoSansEthiopic"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"

_FILES = {
    BODY: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf", ITALIC: "NotoSans-Italic.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf", ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf", ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf",
}
# The font of each script, by the font of the text around it (no italic Arabic or Ethiopic exists).
_SCRIPT_FONTS = {
    BODY: (ARABIC, ETHIOPIC), ITALIC: (ARABIC, ETHIOPIC), BOLD: (ARABIC_BOLD, ETHIOPIC_BOLD),
}

_AR = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ET = "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f\U0001e7e0-\U0001e7ff"
# A run of Arabic (joiners only inside it) or of Ethiopic characters.
_SCRIPT_RUN = re.compile(f"([{_AR}](?:[{_AR}\u200c\u200d]*[{_AR}])?)|([{_ET}]+)")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f"
                            "\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_RIGHT_TO_LEFT = re.compile(f"[{_AR}\u0590-\u05ff]")
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
_RLM = "\u200f"
LINK_COLOUR = "#0b5cad"
# A web address in an answer: up to a space, without the punctuation that ends a sentence.
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]}'»]")


class ShapingTTFont(TTFont):
    """A TrueType font whose text is measured as HarfBuzz shapes it (Arabic
    letters join and narrow), so that lines break at the width they print."""

    SHAPED_KEPT = 4096  # shaped runs kept for measuring and drawing again

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shaped: dict[tuple[str, float], ShapedStr] = {}

    def shape(self, text: str, size: float) -> ShapedStr:
        """``text`` as glyphs in visual order, with their advances and offsets."""
        key = (str(text), size)
        if key not in self._shaped:
            if len(self._shaped) >= self.SHAPED_KEPT:  # a long export meets ever new phrases: memory stays bounded
                self._shaped.clear()
            word = shapeFragWord([0, (ABag(fontName=self.fontName, fontSize=size), key[0])], force=True)
            self._shaped[key] = word[1][1]
        return self._shaped[key]

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 - ReportLab API
        if isinstance(text, str) and not isinstance(text, ShapedStr) and _ARABIC_LETTER.search(text):
            text = self.shape(text, size)
        return super().stringWidth(text, size, encoding)


@lru_cache(maxsize=1)
def register() -> str:
    """Register the fonts (once); returns the body font's name."""
    for name, filename in _FILES.items():
        kind = ShapingTTFont if name in (ARABIC, ARABIC_BOLD) else TTFont
        pdfmetrics.registerFont(kind(name, str(fonts_dir() / filename)))
    for family, regular, bold, italic in ((BODY, BODY, BOLD, ITALIC), (ARABIC, ARABIC, ARABIC_BOLD, ARABIC),
                                          (ETHIOPIC, ETHIOPIC, ETHIOPIC_BOLD, ETHIOPIC)):
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, italic)
        addMapping(family, 1, 1, bold)
    return BODY


# -- script runs ---------------------------------------------------------------------------------

def runs(text: str, font: str = BODY) -> list[tuple[str, str]]:
    """``text`` cut into (font name, text) runs in logical order: Arabic and
    Ethiopic letters in their Noto fonts, everything else in ``font``."""
    arabic, ethiopic = _SCRIPT_FONTS.get(font, _SCRIPT_FONTS[BODY])
    out: list[tuple[str, str]] = []
    end = 0
    for match in _SCRIPT_RUN.finditer(text):
        if match.start() > end:
            out.append((font, text[end:match.start()]))
        out.append((arabic if match.group(1) else ethiopic, match.group()))
        end = match.end()
    if end < len(text):
        out.append((font, text[end:]))
    return out


def markup(text: Any, font: str = BODY) -> str:
    """Plain text as Paragraph markup: XML escaped, newlines as <br/>, each
    Arabic or Ethiopic run in a <font> of its script (``font`` is the
    paragraph's own font, whose weight the script fonts follow), and each
    web address a link."""
    pieces = []
    for name, chunk in runs(str(text), font):
        chunk = _linked(chunk) if name == font else escape(chunk)
        chunk = chunk.replace("\n", "<br/>")
        pieces.append(chunk if name == font else f'<font name="{name}">{chunk}</font>')
    return "".join(pieces)


def _linked(text: str) -> str:
    """``text`` escaped, with each web address in it as a link to itself."""
    out, end = [], 0
    for match in _URL.finditer(text):
        address = match.group()
        href = escape(address if "://" in address else "https://" + address, {'"': "&quot;"})
        out += [escape(text[end:match.start()]), f'<a href="{href}" color="{LINK_COLOUR}">{escape(address)}</a>']
        end = match.end()
    return "".join(out) + escape(text[end:])


# The blocks of every right-to-left script and the right-to-left mark: a text with none of
# these has no character that reads right to left (most of a worksheet's cells).
_ANY_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefc"
                            "\U00010800-\U00010fff\U0001e800-\U0001efff]")


def is_rtl(text: str) -> bool:
    """Whether ``text`` is mainly right-to-left: more Arabic letters than others."""
    if not _ANY_RIGHT_TO_LEFT.search(text):
        return False
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > ltr


def text_width(text: str, font: str = BODY, size: float = 10) -> float:
    """The printed width of one line of ``text``."""
    return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text, font))


def visual_pieces(pieces: Iterable[tuple[Any, str]], rtl: bool) -> list[tuple[Any, str]]:
    """(style, text) pieces of one line, in logical order, as the pieces to
    draw from left to right: right-to-left runs reversed and mirrored, Arabic
    ones shaped. A style is anything with ``fontName`` and ``fontSize``."""
    pieces = list(pieces)
    text = "".join(chunk for _, chunk in pieces)
    if not _RIGHT_TO_LEFT.search(text) and not rtl:
        return pieces
    levels = bidi_levels(text, rtl)
    spans: list[list] = []  # style, start, end, level
    start = 0
    for style, chunk in pieces:
        for i in range(start, start + len(chunk)):
            if spans and spans[-1][0] is style and spans[-1][3] == levels[i]:
                spans[-1][2] = i + 1
            else:
                spans.append([style, i, i + 1, levels[i]])
        start += len(chunk)
    out = []
    for k in visual_order([span[3] for span in spans]):
        style, begin, end, level = spans[k]
        chunk = text[begin:end]
        if level % 2:
            font = pdfmetrics.getFont(style.fontName)
            typed = chunk
            if isinstance(font, ShapingTTFont) and _ARABIC_LETTER.search(chunk):
                chunk = font.shape(chunk, style.fontSize)
                chunk.actual = as_copied(typed)
            elif chunk.translate(_MIRROR) != chunk:  # a bracket drawn as its mirror image
                chunk = Drawn(chunk[::-1].translate(_MIRROR), as_copied(typed))
            else:
                chunk = chunk[::-1]
        out.append((style, chunk))
    return out


class Drawn(str):
    """Text as drawn, with the ``actual`` text that a reader copies out instead."""

    def __new__(cls, drawn: str, actual: str) -> "Drawn":
        self = super().__new__(cls, drawn)
        self.actual = actual
        return self


def as_copied(typed: str) -> str:
    """The replacement text of a right-to-left run: the letters typed, in the order
    their glyphs are drawn (readers turn right-to-left runs back into reading order,
    as they do for the glyphs around them), each neutral sign (the Arabic comma, a
    bracket) marked right-to-left so that a reader keeps it inside the run."""
    marked = "".join(ch + _RLM if unicodedata.bidirectional(ch) not in ("R", "AL", "NSM") else ch
                     for ch in typed)
    return marked[::-1]


def line_runs(text: str, font: str = BODY, size: float = 10) -> list[tuple[str, str]]:
    """One line of plain text as (font name, text) pieces to draw left to right."""
    pieces = [(ABag(fontName=name, fontSize=size), chunk) for name, chunk in runs(text, font)]
    return [(style.fontName, chunk) for style, chunk in visual_pieces(pieces, is_rtl(text))]


def draw_line(canvas, x: float, y: float, text: str, font: str = BODY, size: float = 10,
              anchor: str = "start") -> float:
    """Draw one line of text on a canvas (anchor: start, middle or end); returns its width."""
    pieces = line_runs(text, font, size)
    width = sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in pieces)
    x -= {"start": 0, "middle": width / 2, "end": width}[anchor]
    for name, chunk in pieces:
        canvas.setFont(name, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)
    return width


# -- paragraphs ----------------------------------------------------------------------------------

class ScriptParagraph(Paragraph):
    """A Paragraph drawn with its Arabic runs shaped and each line in visual
    order; its style's ``rtl`` attribute says the paragraph's direction."""

    def __init__(self, text, style=None, *args, **kwargs) -> None:
        super().__init__(text, style, *args, **kwargs)
        frags = self.frags
        if len(frags) == 1 and _RIGHT_TO_LEFT.search(getattr(frags[0], "text", "") or ""):
            # a one-font paragraph takes ReportLab's plain-string path, which drops shaped glyphs
            frags.append(frags[0].clone(text=""))

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        """The lines broken for a width are kept for it: ReportLab breaks them
        again at each wrap, and a paragraph is wrapped at one width several
        times (measured to keep a label with its answer, then placed; a table's
        cell at each measure of its table). They depend on nothing else."""
        if self.__dict__.get("_wrapped_at") == availWidth and "blPara" in self.__dict__:  # split() may drop it
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            self._wrapped_at = availWidth
        return width, height

    def drawPara(self, debug=0):  # noqa: N802 - ReportLab API
        lines = self.blPara.lines
        if self.blPara.kind != 1 or not any(_needs_bidi(line) for line in lines):
            return super().drawPara(debug)
        style = self.style
        rtl = bool(getattr(style, "rtl", False))
        room = self.width - style.leftIndent - style.rightIndent
        self.blPara.lines = [_visual_line(line, rtl, room - (style.firstLineIndent if i == 0 else 0))
                             if _needs_bidi(line) or rtl else line for i, line in enumerate(lines)]
        try:
            return super().drawPara(debug)
        finally:
            self.blPara.lines = lines


def _needs_bidi(line) -> bool:
    return any(_RIGHT_TO_LEFT.search(getattr(f, "text", "") or "") for f in line.words)


def _visual_line(line, rtl: bool, room: float):
    """A line of frags in visual order, its spare width measured on what is drawn (a long
    word that ReportLab cut letter by letter is narrower once its letters join)."""
    if any(hasattr(f, "cbDefn") or not hasattr(f, "text") for f in line.words):
        return line
    if not "".join(f.text for f in line.words):
        return line  # a blank line: ReportLab moves down when it draws the last word, even an empty one
    words = [f.clone(text=chunk) for f, chunk in visual_pieces([(f, f.text) for f in line.words], rtl)]
    drawn = sum(pdfmetrics.stringWidth(f.text, f.fontName, f.fontSize) for f in words)
    return line.clone(words=words, extraSpace=room - drawn)


def paragraph(text: Any, style: ParagraphStyle, blank_lines: int = 0) -> ScriptParagraph:
    """Plain text as a paragraph: each script in its font, right-aligned and
    read right to left when the text is mainly Arabic; ``blank_lines`` typed
    before it are kept as space above it."""
    text = str(text)
    if is_rtl(text):
        style = ParagraphStyle(f"{style.name}-rtl", style, alignment=TA_RIGHT, rtl=True)
    if blank_lines:
        style = ParagraphStyle(f"{style.name}-{blank_lines}", style,
                               spaceBefore=style.spaceBefore + blank_lines * style.leading)
    return ScriptParagraph(markup(text, style.fontName), style)


def paragraphs(text: Any, style: ParagraphStyle) -> list[ScriptParagraph]:
    """Plain text with blank lines between its paragraphs as one paragraph each,
    each in its own direction, the blank lines typed kept as space between
    them: an answer that is longer than a page then splits between its
    paragraphs, and no page starts with a blank line."""
    blocks: list[tuple[int, list[str]]] = []
    blank = 0
    for line in str(text).split("\n"):
        if not line.strip():
            blank += 1
        elif blank or not blocks:
            blocks.append((blank if blocks else 0, [line]))
            blank = 0
        else:
            blocks[-1][1].append(line)
    return [paragraph("\n".join(lines), style, before) for before, lines in blocks] or [paragraph("", style)]
