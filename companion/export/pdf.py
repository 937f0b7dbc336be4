"""Worksheets to PDF with ReportLab: each field laid out as on paper."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
    Table, TableStyle,
)

from companion import APP_NAME
from companion.errors import StorageError
from companion.export import fonts
from companion.messages import t
from companion.worksheets.answers import display_text as cell_text, is_empty, is_visible
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Field, Template

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b6e6e")
RULE = colors.HexColor("#cbd2d9")
HEADER_BG = colors.HexColor("#e6f2f2")
MARGIN = 18 * mm


def _styles() -> dict[str, ParagraphStyle]:
    body = fonts.register()
    base = ParagraphStyle("body", fontName=body, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=fonts.BOLD, fontSize=20, leading=25, spaceAfter=4),
        "meta": ParagraphStyle("meta", base, fontSize=9, leading=12, textColor=MUTED),
        "section": ParagraphStyle("section", base, fontName=fonts.BOLD, fontSize=13, leading=17,
                                  textColor=ACCENT, spaceBefore=12, spaceAfter=4),
        "label": ParagraphStyle("label", base, fontName=fonts.BOLD, fontSize=9.5, leading=13, spaceBefore=6),
        "empty": ParagraphStyle("empty", base, fontName=fonts.ITALIC, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", base, fontName=fonts.BOLD, fontSize=8.5, leading=11),
    }


def _text(value: Any) -> str:
    return escape(str(value)).replace("\n", "<br/>")


class CheckBox(Flowable):
    """A small square, ticked or not, as printed forms have."""

    def __init__(self, checked: bool, size: float = 8.5) -> None:
        super().__init__()
        self.checked, self.size = checked, size
        self.width = self.height = size

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.setStrokeColor(INK)
        c.setLineWidth(0.7)
        c.rect(0, 0, s, s)
        if self.checked:
            c.setLineWidth(1.2)
            c.lines([(s * 0.2, s * 0.5, s * 0.42, s * 0.22), (s * 0.42, s * 0.22, s * 0.82, s * 0.8)])


def _options(f: Field, chosen: list, st: dict) -> Table:
    rows = [[CheckBox(o.id in chosen), Paragraph(_text(o.label), st["body"])] for o in f.options]
    table = Table(rows, colWidths=[5 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _table(f: Field, rows: list, st: dict, width: float) -> Table | Paragraph:
    rows = [r for r in rows if isinstance(r, dict) and any(not is_empty(v) for v in r.values())]
    if not rows:
        return Paragraph(t("pdf.no_rows"), st["empty"])
    weights = [3 if c.type in ("longtext", "text") else 1.6 if c.type in ("date", "choice", "multichoice") else 1.2
               for c in f.columns]
    total = sum(weights)
    data = [[Paragraph(_text(c.label), st["head"]) for c in f.columns]]
    data += [[Paragraph(_text(cell_text(c, r.get(c.id))), st["cell"]) for c in f.columns] for r in rows]
    table = Table(data, colWidths=[width * w / total for w in weights], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fa")]),
    ]))
    return table


def _field(f: Field, value: Any, st: dict, width: float) -> list[Flowable]:
    label = Paragraph(_text(f.label), st["label"])
    if f.type == "table":
        return [CondPageBreak(40 * mm), label, Spacer(1, 2), _table(f, value or [], st, width)]
    if f.type in ("multichoice", "checklist"):
        body: Flowable = _options(f, value or [], st)
    elif is_empty(value):
        body = Paragraph(t("pdf.no_answer"), st["empty"])
    else:
        body = Paragraph(_text(cell_text(f, value)), st["body"])
    return [KeepTogether([label, body])]


def worksheet_story(worksheet: Worksheet, template: Template, st: dict, width: float) -> list[Flowable]:
    updated = worksheet.updated_at[:16].replace("T", " ")
    story: list[Flowable] = [
        Paragraph(_text(worksheet.title), st["title"]),
        Paragraph(" · ".join([
            _text(t("pdf.template", title=template.title, version=worksheet.template_version)),
            _text(t("pdf.status", status=t(f"status.{worksheet.status}"))),
            _text(t("pdf.updated", date=updated)),
        ]), st["meta"]),
    ]
    for section in template.sections:
        fields = [f for f in section.fields if is_visible(template, f, worksheet.answers)]
        if not fields:
            continue
        story.append(Paragraph(_text(section.title), st["section"]))
        for f in fields:
            story.extend(_field(f, worksheet.answers.get(f.id), st, width))
    return story


def _page(header: str) -> Callable:
    stamp = t("pdf.generated", app=APP_NAME, date=dt.date.today().isoformat())

    def draw(canvas, doc) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFont(fonts.BODY, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, height - 11 * mm, header)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)
        canvas.drawString(MARGIN, 10 * mm, stamp)
        canvas.drawRightString(width - MARGIN, 10 * mm, t("pdf.page", page=doc.page))
        canvas.restoreState()

    return draw


def write_worksheets_pdf(items: Sequence[tuple[Worksheet, Template]], out: Path, pack=None,
                         progress: Callable[[int, int], None] | None = None) -> None:
    """Write the worksheets to ``out``, atomically: a failed export leaves no half file."""
    st = _styles()
    header = pack.course or pack.title if pack is not None else APP_NAME
    out = Path(out)
    try:
        handle, tmp = tempfile.mkstemp(suffix=".pdf.part", dir=out.parent or Path("."))
    except OSError as exc:
        raise StorageError(t("file.cannot_write", path=out, detail=exc.strerror or exc)) from None
    os.close(handle)
    title = items[0][0].title if len(items) == 1 else (pack.title if pack else APP_NAME)
    doc = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN, title=title,
                            author=APP_NAME, creator=APP_NAME)
    story: list[Flowable] = []
    for number, (worksheet, template) in enumerate(items, start=1):
        if story:
            story.append(PageBreak())
        story.extend(worksheet_story(worksheet, template, st, doc.width))
        if progress:
            progress(number, len(items))
    try:
        doc.build(story, onFirstPage=_page(header), onLaterPages=_page(header))
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(t("file.cannot_write", path=out, detail=exc.strerror or exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
