"""What the trainer's PDFs share (the cohort report, blank worksheets): the
styles, the document and the line at the top and bottom of every page.

Black and greys on white, so that a page photocopies as it prints; every
string set through :mod:`companion.export.fonts`, so names and answers in
Arabic or Amharic print."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from companion import APP_NAME
from companion.export import fonts
from companion.messages import app_name, t
from companion.messages.formats import long_date

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
FAINT = colors.HexColor("#d9dee3")
SHADE = colors.HexColor("#eef1f4")
ACCENT = colors.HexColor("#0b6e6e")
MARGIN = 15 * mm


def styles() -> dict[str, ParagraphStyle]:
    body = fonts.register()
    base = ParagraphStyle("body", fontName=body, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=fonts.BOLD, fontSize=22, leading=28, spaceAfter=6),
        "kicker": ParagraphStyle("kicker", base, fontName=fonts.BOLD, fontSize=11, leading=15, textColor=ACCENT),
        "section": ParagraphStyle("section", base, fontName=fonts.BOLD, fontSize=14, leading=18, spaceBefore=10,
                                  spaceAfter=5, textColor=ACCENT),
        "sub": ParagraphStyle("sub", base, fontName=fonts.BOLD, fontSize=11, leading=14, spaceBefore=8,
                              spaceAfter=3),
        "label": ParagraphStyle("label", base, fontName=fonts.BOLD, fontSize=9.5, leading=12.5, spaceBefore=7),
        "help": ParagraphStyle("help", base, fontName=fonts.ITALIC, fontSize=8, leading=10.5, textColor=MUTED),
        "meta": ParagraphStyle("meta", base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", base, fontName=fonts.BOLD, fontSize=8, leading=10),
        "small": ParagraphStyle("small", base, fontSize=6.5, leading=8),
        "notice": ParagraphStyle("notice", base, fontName=fonts.BOLD, fontSize=10.5, leading=14),
    }


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """Plain text (a name, an answer, a label) as a paragraph in any script."""
    return fonts.paragraph("" if text is None else text, style)


def shared_widths(width: float, weights: list[float], floors: list[float]) -> list[float]:
    """``width`` shared among a table's columns by ``weights``, none narrower than its
    floor (a column that would be is given its floor, the rest shared again); all
    floors together wider than ``width``: shrunk alike."""
    if sum(floors) >= width:
        return [width * floor / sum(floors) for floor in floors]
    fixed: dict[int, float] = {}
    while True:
        free = width - sum(fixed.values())
        share = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [fixed.get(i, free * w / share) for i, w in enumerate(weights)]
        short = {i: floors[i] for i, w in enumerate(widths) if i not in fixed and w < floors[i]}
        if not short or len(fixed) + len(short) == len(widths):
            return widths
        fixed.update(short)


def document(path: str, pagesize, title: str, language: str, author: str = "") -> SimpleDocTemplate:
    return SimpleDocTemplate(path, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                             topMargin=MARGIN + 3 * mm, bottomMargin=MARGIN, title=title, author=author or APP_NAME,
                             creator=APP_NAME, lang=language or "en", initialFontName=fonts.register())


def decorate(header: str, footer: str = "") -> Callable:
    """Draws ``header`` at the top of each page, and ``footer`` (or the date
    made) and the page number at the bottom."""
    stamp = footer or t("pdf.generated", app=app_name(), date=long_date(dt.date.today()))

    def draw(canvas, doc) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(MUTED)
        fonts.draw_line(canvas, MARGIN, height - 10 * mm, header, fonts.BODY, 8)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, height - 11.5 * mm, width - MARGIN, height - 11.5 * mm)
        fonts.draw_line(canvas, MARGIN, 8 * mm, stamp, fonts.BOLD if footer else fonts.BODY, 7.5)
        fonts.draw_line(canvas, width - MARGIN, 8 * mm, t("pdf.page", page=doc.page), fonts.BODY, 7.5, "end")
        canvas.restoreState()

    return draw
