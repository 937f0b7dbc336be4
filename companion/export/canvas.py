"""The canvas every companion PDF is drawn on.

ReportLab writes the glyphs of a shaped Arabic run; a reader that copies the
text out gets what the glyphs map to (presentation forms, ligatures as
private-use characters), not the letters that were typed. Here each run that
knows its typed text (an ``actual`` attribute, set by
:func:`companion.export.fonts.visual_pieces`) is written inside a marked-content
span that carries it::

    /Span <</ActualText <FEFF...>>> BDC ... glyphs ... EMC

which readers (Acrobat, poppler's pdftotext, pdf.js) copy instead of the glyphs.
"""
from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas as _Canvas
from reportlab.pdfgen.textobject import PDFTextObject


def actual_text(text: str) -> str:
    """``text`` as a PDF text string in UTF-16BE with its byte-order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class TextObject(PDFTextObject):
    """A text object that writes each run's typed text next to its glyphs."""

    def _formatText(self, text):  # noqa: N802 - ReportLab API
        code = super()._formatText(text)
        actual = getattr(text, "actual", None)
        if not actual or not code:
            return code
        return f"/Span <</ActualText {actual_text(actual)}>> BDC {code} EMC"


    def setRise(self, rise):  # noqa: N802 - ReportLab API
        # A shaped run whose marks sit above the line (Arabic harakat) sets a rise before the text
        # object has written anything; ReportLab then looks at its last instruction, which is not there.
        if not self._code:
            self._code.append("")
        super().setRise(rise)


class Canvas(_Canvas):
    """ReportLab's canvas, whose text objects (paragraphs, strings, charts' labels) are :class:`TextObject`."""

    def beginText(self, x=0, y=0, direction=None):  # noqa: N802 - ReportLab API
        return TextObject(self, x, y, direction=direction)
