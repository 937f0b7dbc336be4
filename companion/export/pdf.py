"""Worksheets to PDF with ReportLab: each field laid out as on paper.

A workbook of any size is written in one pass and in memory that does not
grow with it: each worksheet is read (``load``), laid out and let go in
turn, and its pages go to the file as they are finished
(:mod:`companion.export.stream`); the share file is embedded at the end.

The contents stay at the front, where readers look for them. Their lines
are laid out first, from the titles, which are known beforehand; only what
needs the pages (the dots and the page number of each line) is a form that
is drawn at the end, when every worksheet has been placed. So nothing is
laid out twice (ReportLab's ``multiBuild`` lays the whole workbook out
again), no page count is guessed or reserved, and no page is moved.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from companion import APP_NAME
from companion.export import charts, fonts, paper
from companion.export.layout import Anchor, ContentsLine, KeepWithNext
from companion.export.pdf_extras import checks_story, set_apart_story
from companion.export.stream import Attachment, StreamingCanvas
from companion.files import atomic_output
from companion.messages import app_name, t, t_count
from companion.messages.formats import date_time, long_date
from companion.worksheets.answers import display_text as cell_text, is_empty, is_visible, split_answers
from companion.worksheets.computed import with_computed
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Field, Template

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b6e6e")
RULE = colors.HexColor("#cbd2d9")
HEADER_BG = colors.HexColor("#e6f2f2")
MARGIN = 18 * mm
FRAME_PADDING = 6  # ReportLab's default, inside each margin
CELL_PADDING = 5
SPLIT_ROW = 34  # the least of a row that goes on one page: three lines of a cell


def _styles() -> dict[str, ParagraphStyle]:
    body = fonts.register()
    base = ParagraphStyle("body", fontName=body, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=fonts.BOLD, fontSize=20, leading=27, spaceAfter=4),
        "meta": ParagraphStyle("meta", base, fontSize=9, leading=12, textColor=MUTED),
        "author": ParagraphStyle("author", base, fontSize=10, leading=13, spaceAfter=1),
        "section": ParagraphStyle("section", base, fontName=fonts.BOLD, fontSize=13, leading=17,
                                  textColor=ACCENT, spaceBefore=12, spaceAfter=4),
        "label": ParagraphStyle("label", base, fontName=fonts.BOLD, fontSize=9.5, leading=13, spaceBefore=6),
        "empty": ParagraphStyle("empty", base, fontName=fonts.ITALIC, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=11),
        "cover_kicker": ParagraphStyle("cover_kicker", base, fontName=fonts.BOLD, fontSize=12, leading=16,
                                       textColor=ACCENT),
        "cover_title": ParagraphStyle("cover_title", base, fontName=fonts.BOLD, fontSize=30, leading=38,
                                      spaceBefore=4, spaceAfter=10),
        "cover_author": ParagraphStyle("cover_author", base, fontSize=13, leading=18),
        "head": ParagraphStyle("head", base, fontName=fonts.BOLD, fontSize=8.5, leading=11),
        "toc": ParagraphStyle("toc", base, fontSize=10.5, leading=16),
    }


def _para(text: Any, style: ParagraphStyle) -> Paragraph:
    """Plain text (an answer, a label, a message) as a paragraph in any script."""
    return fonts.paragraph(text, style)


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
    """The options with a box each, ticked if chosen; the boxes beside where the labels
    start reading (on the right of right-to-left labels)."""
    rtl = fonts.is_rtl(" ".join(o.label for o in f.options))
    rows = [[CheckBox(o.id in chosen), _para(o.label, st["body"])] for o in f.options]
    rows = [row[::-1] for row in rows] if rtl else rows
    widths = [None, 5 * mm] if rtl else [5 * mm, None]
    table = Table(rows, colWidths=widths, hAlign="RIGHT" if rtl else "LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (-1, 0), (-1, -1), 0)]  # the box at the edge of the text
                              + ([("RIGHTPADDING", (0, 0), (0, -1), 6)] if rtl else [])))
    return table


def _longest_word(texts: list[str], style: ParagraphStyle) -> float:
    return max((fonts.text_width(word, style.fontName, style.fontSize) for text in texts for word in text.split()),
               default=0)


def column_widths(f: Field, rows: list[dict], width: float, st: dict) -> list[float]:
    """Each column at least as wide as its longest header word (and, up to a
    fifth of the table, its longest word: a date), the rest of ``width``
    shared by weight: long text gets more room than a number."""
    weights = [3 if c.type in ("longtext", "text") else 1.6 if c.type in ("date", "choice", "multichoice") else 1.2
               for c in f.columns]
    floors = [max(_longest_word([c.label], st["head"]),
                  min(width / 5, _longest_word([cell_text(c, r.get(c.id)) for r in rows], st["cell"])))
              + 2 * CELL_PADDING + 1 for c in f.columns]
    return paper.shared_widths(width, weights, floors)


def _table(f: Field, rows: list, st: dict, width: float) -> Table | Paragraph:
    rows = [r for r in rows if isinstance(r, dict) and any(not is_empty(v) for v in r.values())]
    if not rows:
        return _para(t("pdf.no_rows"), st["empty"])
    data = [[_para(c.label, st["head"]) for c in f.columns]]
    data += [[_para(cell_text(c, r.get(c.id)), st["cell"]) for c in f.columns] for r in rows]
    # a row taller than what is left of a page splits (one taller than a page would stop the export)
    table = Table(data, colWidths=column_widths(f, rows, width, st), repeatRows=1, hAlign="LEFT", splitInRow=SPLIT_ROW)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),  # else the cells name Helvetica, which is not embedded
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fa")]),
    ]))
    return table


def _field(f: Field, value: Any, st: dict, width: float) -> list[Flowable]:
    """A field's label kept with the start of its answer; a long answer or table goes on over the next pages."""
    label = _para(f.label, st["label"])
    if f.type == "table":
        return [KeepWithNext([label, Spacer(1, 2)], [_table(f, value or [], st, width)]),
                *charts.chart_flowables(f, value or [], width, st["empty"])]
    if f.type in ("multichoice", "checklist"):
        body: list[Flowable] = [_options(f, value or [], st)]
    elif is_empty(value):
        body = [_para(t("pdf.no_answer"), st["empty"])]
    else:
        body = list(fonts.paragraphs(cell_text(f, value), st["body"]))
    return [KeepWithNext([label], body)]


def _author(profile: dict[str, str] | None) -> str:
    """Who filled the worksheet in, from the participant's profile: "Name, role · Organisation · City, Country"."""
    profile = {k: " ".join(str(v).split()) for k, v in (profile or {}).items() if v and str(v).strip()}
    parts = [", ".join(profile[k] for k in keys if k in profile)
             for keys in (("name", "role"), ("organisation",), ("city", "country"))]
    return " · ".join(p for p in parts if p)


def worksheet_story(worksheet: Worksheet, template: Template, st: dict, width: float,
                    profile: dict[str, str] | None = None, key: str = "") -> list[Flowable]:
    updated = date_time(worksheet.updated_at)
    key = key or f"ws-{worksheet.id}"
    story: list[Flowable] = [Anchor(key, worksheet.title or template.title), _para(worksheet.title, st["title"])]
    if author := _author(profile):
        story.append(_para(author, st["author"]))
    story.append(_para(" · ".join([
        t("pdf.template", title=template.title, version=worksheet.template_version),
        t("pdf.status", status=t(f"status.{worksheet.status}")),
        t("pdf.updated", date=updated),
    ]), st["meta"]))
    fitting, apart = split_answers(template, worksheet.answers)
    answers = with_computed(template, fitting)  # computed fields printed, as the form shows them
    for number, section in enumerate(template.sections, start=1):
        fields = [f for f in section.fields if is_visible(template, f, answers)]
        if not fields:
            continue
        flowables = [item for f in fields for item in _field(f, answers.get(f.id), st, width)]
        heads = [Anchor(f"{key}-{number}", section.title, level=1), _para(section.title, st["section"])]
        story += [KeepWithNext(heads, flowables[:1]), *flowables[1:]]  # a heading never ends a page
    version = "newer" if worksheet.template_version > template.version else "earlier"
    labels = {f.id: f.label for f in template.fields()}
    shown = [(labels.get(k, k), v) for k, v in apart.items() if not is_empty(v)]
    return story + set_apart_story(version, shown, st, key)


class _Document(SimpleDocTemplate):
    """Feeds each worksheet's and section's title to the PDF's bookmarks, which
    show when the PDF opens, and records the page each worksheet starts on
    (``pages``, by its key) for the contents."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pages: dict[str, int] = {}

    def handle_documentBegin(self) -> None:  # noqa: N802 - ReportLab API
        super().handle_documentBegin()
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab API
        if isinstance(flowable, Anchor) and flowable.title:
            self.canv.addOutlineEntry(flowable.title, flowable.key, level=flowable.level, closed=False)
            if flowable.level == 0:
                self.pages[flowable.key] = self.page


class _Story(list):
    """The flowables still to place, taken from ``parts`` one part (a
    worksheet) at a time when the document has placed the last one:
    ReportLab's ``build`` removes each flowable from the front of its list as
    it places it, so a worksheet's flowables are let go once on their pages,
    and the next worksheet is read only then."""

    def __init__(self, parts: Iterator[list[Flowable]]) -> None:
        super().__init__()
        self._parts = parts

    def _fill(self) -> None:
        while not super().__len__():
            part = next(self._parts, None)
            if part is None:
                return
            self.extend(part)

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __getitem__(self, index):
        self._fill()
        return super().__getitem__(index)


def _cover(pack, profile: dict | None, count: int, st: dict) -> list[Flowable]:
    """The workbook's first page: the course, whose work it is, and when."""
    course = (pack.course or pack.title) if pack is not None else APP_NAME
    story: list[Flowable] = [Spacer(1, 55 * mm), _para(course, st["cover_kicker"]),
                             _para(t("pdf.workbook"), st["cover_title"])]
    if author := _author(profile):
        story.append(_para(author, st["cover_author"]))
    story += [Spacer(1, 6 * mm),
              _para(t_count("pdf.cover_count", count), st["meta"]),
              _para(t("pdf.cover_date", date=long_date(dt.date.today())), st["meta"])]
    if pack is not None and pack.title and pack.title != course:
        story.append(_para(t("pdf.cover_pack", title=pack.title, version=pack.version), st["meta"]))
    return story + [PageBreak()]


def _contents(items: Sequence[tuple[Worksheet, Template]], checks: Sequence, st: dict,
              pages: dict[str, int]) -> list[Flowable]:
    """The contents, laid out before the worksheets: each line's page number is
    drawn when the document is saved (see :class:`ContentsLine`)."""
    lines = [ContentsLine(worksheet.title or template.title, f"ws-{number}", st["toc"], pages)
             for number, (worksheet, template) in enumerate(items, start=1)]
    if checks:
        lines.append(ContentsLine(t("pdf.checks"), "checks", st["toc"], pages))
    return [_para(t("pdf.contents"), st["section"]), Spacer(1, 3 * mm), *lines, PageBreak()]


def _cover_page(canvas, doc) -> None:
    canvas.saveState()
    width, height = A4
    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 40 * mm, width, 40 * mm, stroke=0, fill=1)
    canvas.rect(0, 0, width, 8 * mm, stroke=0, fill=1)
    canvas.restoreState()


def document_options(pack) -> dict[str, Any]:
    """What every companion PDF shares: A4 and its margins, the pack's language
    (for screen readers and hyphenation), and the body font, embedded, as the
    page's first font (ReportLab's default, Helvetica, would not be embedded)."""
    return dict(pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN,
                lang=(getattr(pack, "language", "") or "en"), initialFontName=fonts.register(), creator=APP_NAME)


def page_header(pack) -> str:
    """The line at the top of every page: the course, else the pack's title."""
    return (pack.course or pack.title) if pack is not None else APP_NAME


def decorate_page(header: str) -> Callable:
    """Draws the header line, the rule, the date stamp and the page number."""
    stamp = t("pdf.generated", app=app_name(), date=long_date(dt.date.today()))

    def draw(canvas, doc) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFillColor(MUTED)
        fonts.draw_line(canvas, MARGIN, height - 11 * mm, header, fonts.BODY, 8)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, height - 12.5 * mm, width - MARGIN, height - 12.5 * mm)
        fonts.draw_line(canvas, MARGIN, 10 * mm, stamp, fonts.BODY, 8)
        fonts.draw_line(canvas, width - MARGIN, 10 * mm, t("pdf.page", page=doc.page), fonts.BODY, 8, "end")
        canvas.restoreState()

    return draw


def write_worksheets_pdf(items: Sequence[tuple[Worksheet, Template]], out: Path,
                         load: Callable[[Worksheet], tuple[Worksheet, Template]], pack=None,
                         progress: Callable[[int, int], None] | None = None, profile: dict | None = None,
                         checks: Sequence = (), attachment: Callable[[], Attachment] | None = None) -> None:
    """Write the worksheets to ``out``, atomically: a failed export leaves no half file.

    ``items``: the worksheets to print, in order, with their templates; their
    answers need not be there: ``load(worksheet)`` gives each one with its
    answers when its turn comes, so that one worksheet at a time is in memory,
    and the PDF goes to its file page by page (:mod:`companion.export.stream`).

    A workbook (more than one worksheet) has a cover and the contents (whose
    page numbers are drawn at the end: see the module).

    ``checks``: (topic title, [(question, options chosen, right)]) of the knowledge
    checks answered, printed after the worksheets of a workbook. ``attachment()``,
    asked for once every worksheet has been loaded, is the file embedded in the PDF."""
    st = _styles()
    header = page_header(pack)
    workbook = len(items) > 1
    title = items[0][0].title if not workbook else (pack.title if pack else APP_NAME)
    with atomic_output(out) as tmp:
        doc = _Document(tmp, **document_options(pack), title=title, author=_author(profile) or APP_NAME)
        width = doc.width - 2 * FRAME_PADDING

        def parts() -> Iterator[list[Flowable]]:
            if workbook:
                yield _cover(pack, profile, len(items), st) + _contents(items, checks, st, doc.pages)
            for number, (listed, _template) in enumerate(items, start=1):
                if progress:
                    progress(number - 1, len(items))
                worksheet, template = load(listed)
                yield ([PageBreak()] if number > 1 else []) + worksheet_story(
                    worksheet, template, st, width, profile, key=f"ws-{number}")
            if progress:
                progress(len(items), len(items))
            if attachment is not None:
                doc.canv.attach(attachment())
            if workbook and checks:
                yield [PageBreak(), *checks_story(checks, st)]

        first = _cover_page if workbook else decorate_page(header)
        try:
            doc.build(_Story(parts()), onFirstPage=first, onLaterPages=decorate_page(header),
                      canvasmaker=StreamingCanvas)
        except BaseException:
            if isinstance(getattr(doc, "canv", None), StreamingCanvas):
                doc.canv.abandon()
            raise
