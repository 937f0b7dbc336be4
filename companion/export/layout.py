"""How the worksheet PDFs use their pages, and how a reader finds their way.

- :class:`KeepWithNext` keeps a heading or a field's label on the page with
  the first lines of what follows it, and lets the rest split across pages
  (ReportLab's ``KeepTogether`` moves a long answer whole to the next page,
  leaving most of a page empty);
- :class:`Anchor` marks where a worksheet or a section starts: a named
  destination, a bookmark at its level, an entry of the contents;
- :class:`ContentsLine` lists a worksheet in the contents, in any script, a
  link, its page number drawn once the worksheets are laid out;
- :class:`RowsDrawing` is a chart of rows that splits between them where a
  page ends, and :func:`fit_drawing` scales a drawing that would not fit one.
"""
from __future__ import annotations

from typing import Sequence

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import _ContainerSpace

from companion.export import fonts

HUGE = 0xFFFFFF  # the height a container reports to be asked to split, as ReportLab's KeepTogether does


def _stack(flowables: Sequence[Flowable], width: float, canv, height: float) -> tuple[float, list[float]]:
    """The height ``flowables`` take one below the other (the space between
    them counted in full, to be safe), and the height of each, as far as
    deciding what fits ``height`` needs: a long table is measured down to the
    row that passes ``height`` (ReportLab's ``longTableOptimize``), not to its
    end, so what does not fit is taller than ``height`` but maybe not in full."""
    total, after, heights = 0.0, None, []
    for f in flowables:
        _, h = f.wrapOn(canv, width, height)
        if isinstance(f, KeepWithNext):
            h = f._total  # not the height that asks ReportLab to split it
        heights.append(h)
        if after is not None:
            total += after + f.getSpaceBefore()
        total += h
        after = f.getSpaceAfter()
    return total, heights


class KeepWithNext(_ContainerSpace, Flowable):
    """``heads`` (a heading, a label) on the same page as the beginning of
    ``body``: all of it where it fits; else the heads and as much of the first
    body flowable as fits (a paragraph's first lines, a table's first rows),
    the rest on the next pages; else everything on the next page."""

    def __init__(self, heads: Sequence[Flowable], body: Sequence[Flowable]) -> None:
        super().__init__()
        self._heads, self._body = list(heads), list(body)
        self._content = self._heads + self._body

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        self._measure(availWidth, availHeight, self.canv)
        return availWidth, HUGE  # never drawn whole: split() hands its content to the frame

    def _measure(self, width: float, height: float, canv) -> None:
        if getattr(self, "_measured", None) != (width, height):  # wrap and split ask for the same room
            self.canv = canv
            self._total, self._heights = _stack(self._content, width, canv, height)
            self._measured = (width, height)

    def split(self, availWidth, availHeight):
        self._measure(availWidth, availHeight, self.canv)
        content = list(self._content)
        if self._total <= availHeight:
            return content
        here = self.split_within(availWidth, availHeight, self.canv)
        if here:
            return here
        frame = getattr(self, "_frame", None)
        if frame is None or getattr(frame, "_atTop", False):
            return content  # at the top of a page already: nothing better to do than one after another
        return [FrameBreak(), *content]

    def split_within(self, width: float, height: float, canv) -> list[Flowable]:
        """The heads with the start of the body, the part that fits ``height``
        first; [] when not even the heads and one piece of the body fit."""
        if not self._body:
            return []
        self._measure(width, height, canv)
        heads, (first, *rest) = len(self._heads), self._body
        room = height - sum(self._heights[:heads])
        room -= sum(f.getSpaceAfter() + g.getSpaceBefore() for f, g in zip(self._heads, self._content[1:heads + 1]))
        if room <= 0:
            return []
        if self._heights[heads] <= room:
            parts = first._content if isinstance(first, KeepWithNext) else [first]
        elif isinstance(first, KeepWithNext):
            parts = first.split_within(width, room, canv)
        else:
            parts = first.splitOn(canv, width, room)
        return [*self._heads, *parts, *rest] if parts else []

    def identity(self, maxLen=None):  # noqa: N802 - ReportLab API
        return f"<KeepWithNext {len(self._heads)} heads, {len(self._body)} body>"


class Anchor(Flowable):
    """Where a worksheet (level 0) or a section (level 1) starts: a named
    destination there, a bookmark, and (for a worksheet) a line of the contents.
    The document's ``afterFlowable`` adds the bookmark and the contents line."""

    _ZEROSIZE = True

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.key, self.title, self.level = key, " ".join(str(title).split()), level
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)


def fit_drawing(drawing, width: float, height: float):
    """``drawing`` scaled down, if need be, to fit ``width`` by ``height``."""
    scale = min(1.0, width / drawing.width, height / drawing.height)
    if scale < 1.0:
        drawing.renderScale = scale
    return drawing


class RowsDrawing(Flowable):
    """A chart of ``count`` rows under a band (an axis), drawn by
    ``make(first, last)`` for rows first to last - 1: it splits between its
    rows where a page ends, each part with the band again."""

    LEAST = 2  # rows on a page before it splits; fewer, and it goes to the next page

    def __init__(self, make, count: int, row_height: float, band_height: float, first: int = 0) -> None:
        super().__init__()
        self.make, self.count, self.row_height, self.band_height, self.first = (
            make, count, row_height, band_height, first)
        self.hAlign = "LEFT"

    def _height(self, rows: int) -> float:
        return self.band_height + rows * self.row_height

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        self.width, self.height = availWidth, self._height(self.count)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        rows = int((availHeight - self.band_height) // self.row_height)
        if rows >= self.count:
            return [self]
        if rows < min(self.LEAST, self.count):
            return []
        return [RowsDrawing(self.make, rows, self.row_height, self.band_height, self.first),
                RowsDrawing(self.make, self.count - rows, self.row_height, self.band_height, self.first + rows)]

    def draw(self) -> None:
        self.make(self.first, self.first + self.count).drawOn(self.canv, 0, 0)


# -- the contents ------------------------------------------------------------------------------

class ContentsLine(Flowable):
    """One line of the contents: the title in any script, dots, the page
    number; all of it a link to where the worksheet starts.

    The contents is laid out before the worksheets, when their pages are not
    known: the dots and the number are a form that the line places now and
    that is drawn when the document is saved (``draw_later`` of
    :class:`companion.export.stream.StreamingCanvas`), from ``pages``, where
    the document records the page each worksheet starts on. The title wraps
    as if the number had :data:`NUMBER_DIGITS` digits."""

    GAP = 4.0
    NUMBER_DIGITS = 5
    PADDING = 1.0  # above and below the line

    def __init__(self, title: str, key: str, style: ParagraphStyle, pages: dict[str, int]) -> None:
        super().__init__()
        self.title, self.key, self.style, self.pages = title, key, style, pages

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        style = self.style
        if fonts.is_rtl(self.title):  # read right to left, but lined up with the others
            style = ParagraphStyle(f"{style.name}-rtl", style, alignment=TA_LEFT, rtl=True)
        slot = stringWidth("0" * self.NUMBER_DIGITS, style.fontName, style.fontSize)
        self._para = fonts.ScriptParagraph(fonts.markup(self.title, style.fontName), style)
        _, height = self._para.wrapOn(self.canv, availWidth - slot - 4 * self.GAP, availHeight)
        self.width, self.height = availWidth, height + 2 * self.PADDING
        return self.width, self.height

    def draw(self) -> None:
        canv, style, para = self.canv, self.style, self._para
        para.drawOn(canv, 0, self.PADDING)
        lines = para.blPara.lines
        baseline = self.PADDING + para.height - style.fontSize - (len(lines) - 1) * style.leading
        end = para.getActualLineWidths0()[-1] if lines else 0
        canv.saveState()
        canv.translate(0, baseline)
        canv.draw_later(f"contents-{self.key}", (end, -style.fontSize, self.width, style.leading),
                        lambda c: self._number(c, end))
        canv.restoreState()
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)
        self._para = None  # drawn: only the number waits, for the end

    def _number(self, canv, end: float) -> None:
        """The dots from the title's end and the page number, on the baseline (at the end of the document)."""
        style, page = self.style, self.pages.get(self.key)
        if page is None:
            return
        number = str(page)
        number_w = stringWidth(number, style.fontName, style.fontSize)
        canv.setFillColor(style.textColor)
        dot = stringWidth(" .", style.fontName, style.fontSize)
        count = int((self.width - number_w - end - 2 * self.GAP) // dot)
        if count > 0:  # the leader, from the title to the number
            fonts.draw_line(canv, self.width - number_w - self.GAP, 0, " ." * count, style.fontName,
                            style.fontSize, "end")
        fonts.draw_line(canv, self.width, 0, number, style.fontName, style.fontSize, "end")
