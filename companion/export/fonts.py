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


class ShapingTTFont(TTFont):
    """A TrueType font whose text is measured as HarfBuzz shapes it (Arabic
    letters join and narrow), so that lines break at the width they print."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shaped: dict[tuple[str, float], ShapedStr] = {}

    def shape(self, text: str, size: float) -> ShapedStr:
        """``text`` as glyphs in visual order, with their advances and offsets."""
        key = (str(text), size)
        if key not in self._shaped:
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
    """Plain text as Paragraph markup: XML escaped, newlines as <br/>, and
    each Arabic or Ethiopic run in a <font> of its script (``font`` is the
    paragraph's own font, whose weight the script fonts follow)."""
    pieces = []
    for name, chunk in runs(str(text), font):
        chunk = escape(chunk).replace("\n", "<br/>")
        pieces.append(chunk if name == font else f'<font name="{name}">{chunk}</font>')
    return "".join(pieces)


def is_rtl(text: str) -> bool:
    """Whether ``text`` is mainly right-to-left: more Arabic letters than others."""
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


# -- bidirectional text (UAX #9, implicit rules only) -------------------------------------------

_NEUTRAL = {"B", "S", "WS", "ON", "BN"}
_EXPLICIT = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def _last_strong(types: list[str], i: int, sor: str, strong: tuple[str, ...]) -> str:
    for j in range(i - 1, -1, -1):
        if types[j] in strong:
            return types[j]
    return sor


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of one line (even: left to right)."""
    base, sor = (1, "R") if rtl else (0, "L")
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    types = ["BN" if kind in _EXPLICIT else kind for kind in types]
    previous = sor
    for i, kind in enumerate(types):  # W1: a combining mark takes the type before it
        if kind == "NSM":
            types[i] = previous
        elif kind != "BN":
            previous = kind
    for i, kind in enumerate(types):  # W2: European digits after Arabic letters are Arabic numbers
        if kind == "EN" and _last_strong(types, i, sor, ("R", "L", "AL")) == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]  # W3
    for i in range(1, len(types) - 1):  # W4: one separator between two numbers joins them
        left, kind, right = types[i - 1], types[i], types[i + 1]
        if left == right == "EN" and kind in ("ES", "CS") or left == right == "AN" and kind == "CS":
            types[i] = left
    for i, kind in enumerate(types):  # W5: terminators (%, currency) next to digits
        if kind == "ET":
            j = i
            while j < len(types) and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    for i, kind in enumerate(types):  # W7: European digits after Latin letters are Latin
        if kind == "EN" and _last_strong(types, i, sor, ("R", "L")) == "L":
            types[i] = "L"
    i = 0
    while i < len(types):  # N1, N2: neutrals between two like directions take it, others the base's
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(types) and types[j] in _NEUTRAL:
            j += 1
        before = "R" if i == 0 and rtl else ("L" if i == 0 else types[i - 1])
        after = ("R" if rtl else "L") if j == len(types) else types[j]
        before, after = ("R" if d in ("EN", "AN") else d for d in (before, after))
        types[i:j] = [before if before == after else sor] * (j - i)
        i = j
    levels = []
    for kind in types:  # I1, I2
        if base == 0:
            levels.append(1 if kind == "R" else 2 if kind in ("AN", "EN") else 0)
        else:
            levels.append(1 if kind == "R" else 2)
    raw = [unicodedata.bidirectional(ch) for ch in text]
    i = len(text)
    while i > 0 and (raw[i - 1] in ("WS", "B", "S", "BN") or raw[i - 1] in _EXPLICIT):  # L1
        i -= 1
        levels[i] = base
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Indices of items at ``levels`` in the order they are seen (rule L2)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    for level in range(max(levels), (min(levels) | 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return order


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
            if isinstance(font, ShapingTTFont) and _ARABIC_LETTER.search(chunk):
                chunk = font.shape(chunk, style.fontSize)
            else:
                chunk = chunk[::-1].translate(_MIRROR)
        out.append((style, chunk))
    return out


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
    words = [f.clone(text=chunk) for f, chunk in visual_pieces([(f, f.text) for f in line.words], rtl)]
    drawn = sum(pdfmetrics.stringWidth(f.text, f.fontName, f.fontSize) for f in words)
    return line.clone(words=words, extraSpace=room - drawn)


def paragraph(text: Any, style: ParagraphStyle) -> ScriptParagraph:
    """Plain text as a paragraph: each script in its font, right-aligned and
    read right to left when the text is mainly Arabic."""
    text = str(text)
    if is_rtl(text):
        style = ParagraphStyle(f"{style.name}-rtl", style, alignment=TA_RIGHT, rtl=True)
    return ScriptParagraph(markup(text, style.fontName), style)
