"""The follow-up report of an action plan, as a PDF (ReportLab).

Imported only when a report is written: ReportLab costs start-up time.
Each activity with its latest status, then the history of its check-ins,
then the follow-up dates of the plan.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from companion import APP_NAME
from companion.export import fonts
from companion.export.canvas import Canvas
from companion.export.layout import KeepWithNext
from companion.export.pdf import (
    ACCENT, HEADER_BG, INK, MUTED, RULE, SPLIT_ROW, decorate_page, document_options, page_header,
)
from companion.files import atomic_output
from companion.worksheets.followup import BLOCKED, DONE, IN_PROGRESS, FollowUp, status_label
from companion.messages import t
from companion.messages.formats import long_date

STATUS_COLOURS = {DONE: "#1a7f37", IN_PROGRESS: "#0b5cad", BLOCKED: "#b42318"}


def _styles() -> dict[str, ParagraphStyle]:
    body = fonts.register()
    base = ParagraphStyle("body", fontName=body, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=fonts.BOLD, fontSize=20, leading=26, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12, leading=16, textColor=MUTED, spaceAfter=6),
        "summary": ParagraphStyle("summary", base, fontName=fonts.BOLD, spaceAfter=8),
        "section": ParagraphStyle("section", base, fontName=fonts.BOLD, fontSize=13, leading=17,
                                  textColor=ACCENT, spaceBefore=12, spaceAfter=4),
        "activity": ParagraphStyle("activity", base, fontName=fonts.BOLD, fontSize=11, leading=15, spaceBefore=8),
        "meta": ParagraphStyle("meta", base, fontSize=9, leading=12, textColor=MUTED),
        "empty": ParagraphStyle("empty", base, fontName=fonts.ITALIC, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", base, fontName=fonts.BOLD, fontSize=8.5, leading=11),
    }


def _p(text, style):
    return fonts.paragraph(text, style)


def _status(status: str, st: dict, late: bool = False):
    colour = STATUS_COLOURS.get(status, "#52606d")
    text = fonts.markup(status_label(status), fonts.BOLD)
    if late:
        text += f' <font color="#b42318">({fonts.markup(t("followup.overdue"))})</font>'
    return fonts.ScriptParagraph(f'<font name="{fonts.BOLD}" color="{colour}">{text}</font>', st["cell"])


def _grid(data: list[list], widths: list[float]) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=SPLIT_ROW)  # a long comment splits
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # else Helvetica, not embedded, is named
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _planned(values: dict) -> str:
    start, end = values.get("start") or "", values.get("end") or ""
    return f"{start} – {end}" if start or end else ""


def story(current: FollowUp, st: dict, width: float, today: dt.date) -> list:
    counts = current.counts()
    out = [_p(t("followup.report_title"), st["title"]),
           _p(t("followup.report_subtitle", title=current.worksheet.title, date=long_date(today)), st["subtitle"])]
    if not current.activities:
        out.append(_p(t("followup.no_activities"), st["empty"]))
    else:
        out.append(_p(t("followup.summary", done=counts[DONE], total=len(current.activities),
                        progress=counts[IN_PROGRESS], blocked=counts[BLOCKED],
                        waiting=counts["not-started"]), st["summary"]))
        head = [_p(text, st["head"]) for text in ("#", t("followup.col_activity"), t("followup.col_dates"),
                                                  t("followup.col_status"), t("followup.col_since"))]
        rows = [head]
        for a in current.activities:
            rows.append([_p(str(a.row), st["cell"]), _p(a.name, st["cell"]), _p(_planned(a.values), st["cell"]),
                         _status(a.status, st, a.overdue(today)),
                         _p(a.latest.checked_on if a.latest else "", st["cell"])])
        out.append(_grid(rows, [8 * mm, width * 0.42, 38 * mm, None, 22 * mm]))
        blocks = []
        for a in current.activities:
            block = [_p(f"{a.row}. {a.name}", st["activity"])]
            if a.values.get("lead") or _planned(a.values):
                block.append(_p(" · ".join(x for x in (str(a.values.get("lead") or ""), _planned(a.values)) if x),
                                st["meta"]))
            if a.history:
                rows = [[_p(t("followup.col_date"), st["head"]), _p(t("followup.col_state"), st["head"]),
                         _p(t("followup.col_comment"), st["head"])]]
                rows += [[_p(c.checked_on, st["cell"]), _status(c.status, st), _p(c.comment, st["cell"])]
                         for c in a.history]
                block.append(Spacer(1, 3))
                block.append(_grid(rows, [24 * mm, 32 * mm, None]))
            else:
                block.append(_p(t("followup.no_checkins"), st["empty"]))
            blocks.append(KeepWithNext(block[:-1], block[-1:]))  # an activity's name with its first check-ins
        out += [KeepWithNext([_p(t("followup.history"), st["section"])], blocks[:1]), *blocks[1:]]
    if current.earlier:
        rows = [[_p(t("followup.col_activity"), st["head"]), _p(t("followup.col_date"), st["head"]),
                 _p(t("followup.col_state"), st["head"]), _p(t("followup.col_comment"), st["head"])]]
        rows += [[_p(c.activity, st["cell"]), _p(c.checked_on, st["cell"]), _status(c.status, st),
                  _p(c.comment, st["cell"])] for c in current.earlier]
        out.append(KeepWithNext([_p(t("followup.earlier"), st["section"])],
                                [_grid(rows, [width * 0.3, 24 * mm, 30 * mm, None])]))
    if current.dates:
        rows = [[_p(t("followup.col_date"), st["head"]), _p(t("followup.col_what"), st["head"]),
                 _p(t("followup.col_with"), st["head"]), _p(t("followup.col_state"), st["head"])]]
        field = current.template.field("follow-up-dates")
        status_column = field.column("status") if field else None
        for row in current.dates:
            status = row.get("status") or ""
            label = status_column.option_label(status) if status_column and status else status
            rows.append([_p(str(row.get("date") or ""), st["cell"]), _p(str(row.get("what") or ""), st["cell"]),
                         _p(str(row.get("with-whom") or ""), st["cell"]), _p(label, st["cell"])])
        out.append(KeepWithNext([_p(t("followup.dates"), st["section"])],
                                [_grid(rows, [24 * mm, width * 0.45, None, 24 * mm])]))
    return out


def write_followup_pdf(current: FollowUp, out: Path, pack, today: dt.date) -> None:
    """Write the report to ``out`` atomically: a failure leaves no half file."""
    st = _styles()
    header = page_header(pack)
    with atomic_output(out) as tmp:
        doc = SimpleDocTemplate(tmp, **document_options(pack), author=APP_NAME,
                                title=f"{t('followup.report_title')}: {current.worksheet.title}")
        doc.build(story(current, st, doc.width, today), onFirstPage=decorate_page(header),
                  onLaterPages=decorate_page(header), canvasmaker=Canvas)
