"""Blank worksheets on paper: each template with its instructions and room to write.

Every field gets writing space sized to it: ruled lines for text (more for
longer answers), round boxes to tick one choice and square ones to tick
several, a box for a number or a date, numbered empty rows for a table
(a choice column takes a letter from the legend under it), and a blank
grid under the stakeholder map's table and the timeline's. Black, greys
and pale tints only, so that the pages photocopy. The words are the content pack's and the
companion's, in the language in use.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from companion.export import charts, fonts, paper
from companion.export.canvas import Canvas
from companion.export.paper import FAINT, INK, MUTED, RULE, SHADE, para
from companion.files import atomic_output
from companion.messages import t
from companion.worksheets import charts as chart_data
from companion.worksheets.template import Field, Template

LINE_GAP = 8 * mm  # between two ruled lines: handwriting of an ordinary size
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Lines(Flowable):
    """``count`` ruled lines to write on."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        self.width, self.height = availWidth, self.count * LINE_GAP + 2
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        for n in range(self.count):
            self.canv.line(0, n * LINE_GAP + 1, self.width, n * LINE_GAP + 1)


class Box(Flowable):
    """A square (several may be ticked) or a circle (one only), or an empty box ``width`` wide to write in."""

    def __init__(self, size: float = 3.4 * mm, round_: bool = False, width: float | None = None) -> None:
        super().__init__()
        self.size, self.round, self.box_width = size, round_, width

    def wrap(self, availWidth, availHeight):  # noqa: N802 - ReportLab API
        self.width, self.height = (self.box_width or self.size), self.size
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(INK)
        c.setLineWidth(0.7)
        if self.round:
            c.circle(self.size / 2, self.size / 2, self.size / 2)
        else:
            c.rect(0, 0, self.width, self.size)


def plain_instructions(markdown: str) -> list[str]:
    """The instructions as plain paragraphs: links as their words, emphasis
    dropped, list items each on a line of their own."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown or "")
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*", r"\1", text)
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines, current = [], ""
        for line in block.splitlines():
            line = line.strip()
            if re.match(r"^(\d+[.)]|[-*•])\s", line):
                if current:
                    lines.append(current)
                current = re.sub(r"^[-*]\s", "• ", line)
            else:
                current = f"{current} {line}".strip()
        lines.append(current)
        out += [line for line in lines if line]
    return out


def _columns(count: int, longest: float, width: float) -> int:
    for columns in (3, 2):
        if longest + 10 * mm <= width / columns and count > 3:
            return columns
    return 1


def _options(f: Field, st: dict, width: float, round_: bool) -> Table:
    labels = [f"{o.label}" for o in f.options]
    if f.type == "rating":
        labels = [f"{v}" + (f" {f.labels[v]}" if f.labels.get(v) else "") for v in f.scale()]
    longest = max((fonts.text_width(x, fonts.BODY, 9) for x in labels), default=0)
    per_row = len(labels) if f.type == "rating" else _columns(len(labels), longest, width)
    cells = [[Box(round_=round_), para(x, st["cell"])] for x in labels]
    rows = []
    for start in range(0, len(cells), per_row):
        chunk = cells[start:start + per_row]
        rows.append([part for cell in chunk for part in cell] + [""] * (2 * (per_row - len(chunk))))
    each = width / per_row
    table = Table(rows, colWidths=[6 * mm, each - 6 * mm] * per_row, hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return table


def _lines_for(f: Field) -> int:
    if f.type == "longtext":
        return 6
    if f.max_length is not None and f.max_length <= 80:
        return 1
    return 2 if f.max_length is None or f.max_length <= 200 else 3


def _computed_hint(f: Field, template: Template) -> str:
    op, table_id, column_id = f.compute or ("", "", "")
    table = template.field(table_id)
    column = table.column(column_id) if table else None
    return t(f"blank.computed_{op}" if op in ("sum", "count", "latest") else "blank.computed_sum",
             table=table.label if table else table_id, column=column.label if column else column_id)


def _column_head(c: Field) -> str:
    if c.type == "rating":
        scale = c.scale()
        return f"{c.label} ({scale.start}–{scale.stop - 1})"
    if c.type == "date":
        return f"{c.label} ({t('blank.date_short')})"
    if c.type in ("choice", "multichoice"):
        return f"{c.label} ({t('blank.letter' if c.type == 'choice' else 'blank.letters')})"
    if c.type == "number" and c.unit:
        return f"{c.label} ({c.unit})"
    return c.label


def column_widths(f: Field, width: float) -> list[float]:
    """Each column at least as wide as the longest word of its header; the
    rest shared by weight: a text column gets more room to write in."""
    weights = [3 if c.type in ("text", "longtext") else 1.5 if c.type in ("date", "number") else 1.1
               for c in f.columns]
    floors = [max(9 * mm, max(fonts.text_width(w, fonts.BOLD, 8) for w in _column_head(c).split()) + 8)
              for c in f.columns]
    return paper.shared_widths(width, weights, floors)


def _table(f: Field, st: dict, width: float) -> list[Flowable]:
    number_w = 7 * mm
    head = [para("#", st["head"])] + [para(_column_head(c), st["head"]) for c in f.columns]
    count = min(14, max(f.min_rows, 5) + 2)
    tall = any(c.type == "longtext" for c in f.columns) or len(f.columns) >= 6
    rows = [head] + [[para(n, st["meta"])] + [""] * len(f.columns) for n in range(1, count + 1)]
    table = Table(rows, colWidths=[number_w] + column_widths(f, width - number_w), repeatRows=1, hAlign="LEFT",
                  rowHeights=[None] + [(13 if tall else 10) * mm] * count)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("GRID", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    out: list[Flowable] = [table]
    for c in f.columns:  # the letters of each choice column's options
        if c.type in ("choice", "multichoice") and c.options:
            legend = " · ".join(f"{LETTERS[i % 26]} = {o.label}" for i, o in enumerate(c.options))
            out.append(para(f"{c.label}: {legend}", st["help"]))
    if f.chart is not None:
        out += [Spacer(1, 4 * mm), KeepTogether([para(t(f"blank.{f.chart.type}_hint"), st["help"]), Spacer(1, 2 * mm),
                                                 _grid(f, width) if f.chart.type == "grid" else _timeline(count, width)])]
    return out


def _grid(f: Field, width: float) -> Drawing:
    """The stakeholder grid with its quadrants, axes and scale, and no points."""
    data = chart_data.grid(f, [])
    side = min(120 * mm, width * 0.7)
    d = Drawing(width, side + 40, initialFontName=fonts.BODY)
    charts._draw_square(d, data, side, 30, 32)
    return d


def _timeline(rows: int, width: float) -> Drawing:
    """An empty Gantt grid: a row per table row, twelve months to name across the top."""
    label_w, head_h, row_h, months = 12 * mm, 9 * mm, 7 * mm, 12
    d = Drawing(width, head_h + rows * row_h + 2, initialFontName=fonts.BODY)
    top = d.height - head_h
    month_w = (width - label_w) / months
    d.add(Rect(label_w, top, width - label_w, head_h, fillColor=SHADE, strokeColor=None))
    for n in range(rows + 1):
        d.add(Line(0, top - n * row_h, width, top - n * row_h, strokeColor=RULE, strokeWidth=0.5))
        if n < rows:
            d.add(charts.label(3, top - (n + 1) * row_h + 2.2 * mm, str(n + 1), 7.5, colour=MUTED))
    for m in range(months + 1):
        x = label_w + m * month_w
        d.add(Line(x, 0, x, d.height, strokeColor=RULE if m in (0, months) else FAINT, strokeWidth=0.5))
    d.add(Line(0, d.height, width, d.height, strokeColor=RULE, strokeWidth=0.5))
    return d


def _field(f: Field, template: Template, st: dict, width: float) -> list[Flowable]:
    heads: list[Flowable] = []
    if f.show_if:
        other = template.field(f.show_if[0])
        answer = other.option_label(f.show_if[1]) if other else str(f.show_if[1])
        heads.append(para(t("blank.only_if", field=other.label if other else f.show_if[0], answer=answer),
                          st["help"].clone("only_if", spaceBefore=8)))
    heads.append(para(f.label + (" *" if f.required else ""), st["label"]))
    if f.help:
        heads.append(para(f.help, st["help"]))
    if f.type in ("text", "longtext"):
        body: list[Flowable] = [Spacer(1, 2 * mm), Lines(_lines_for(f))]
    elif f.type in ("choice", "multichoice", "checklist", "rating"):
        hint = "blank.tick_one" if f.type in ("choice", "rating") else "blank.tick_any"
        body = [para(t(hint), st["help"]), Spacer(1, 1), _options(f, st, width, f.type in ("choice", "rating"))]
    elif f.type in ("number", "date", "computed"):
        caption = {"date": t("blank.date_hint"), "computed": _computed_hint(f, template)}.get(f.type, f.unit)
        box = Table([[Box(8 * mm, width=50 * mm), para(caption, st["help"])]], colWidths=[54 * mm, None],
                    hAlign="LEFT")
        box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("FONTNAME", (0, 0), (-1, -1), fonts.BODY)]))
        body = [Spacer(1, 2 * mm), box]
    else:  # a table: its label kept with its first rows, the rest, the legend and the grid after
        table, *rest = _table(f, st, width)
        return [CondPageBreak(70 * mm), KeepTogether(heads + [Spacer(1, 2 * mm), table]), *rest]
    return [KeepTogether(heads + body)]


def template_story(template: Template, st: dict, width: float) -> list[Flowable]:
    name_line = Table([[para(t("blank.name"), st["meta"]), Lines(1), para(t("blank.date"), st["meta"]), Lines(1)]],
                      colWidths=[22 * mm, width * 0.5 - 22 * mm, 14 * mm, None], hAlign="LEFT")
    name_line.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("FONTNAME", (0, 0), (-1, -1), fonts.BODY)]))
    story: list[Flowable] = [name_line, Spacer(1, 4 * mm), para(template.title, st["title"])]
    if template.summary:
        story.append(para(template.summary, st["meta"]))
    story.append(para(t("blank.instructions"), st["sub"]))
    story += [para(text, st["body"].clone("instructions", spaceAfter=3))
              for text in plain_instructions(template.instructions)]
    story.append(para(t("blank.required_note"), st["help"]))
    for section in template.sections:
        story += [CondPageBreak(40 * mm), para(section.title, st["section"])]
        if section.help:
            story.append(para(section.help, st["help"]))
        for f in section.fields:
            story += _field(f, template, st, width)
    return story


def write_blank_pdf(templates: Sequence[Template], out: Path, course: str, language: str = "en",
                    progress: Callable[[int, int], None] | None = None) -> Path:
    """The templates, blank and ready to photocopy, one after another in one PDF at ``out``."""
    st = paper.styles()
    with atomic_output(Path(out)) as tmp:
        title = templates[0].title if len(templates) == 1 else t("blank.title")
        doc = paper.document(tmp, A4, title, language)
        width = doc.width - 12
        story: list[Flowable] = []
        for number, template in enumerate(templates, start=1):
            if number > 1:
                story.append(PageBreak())
            story += template_story(template, st, width)
            if progress:
                progress(number, len(templates) + 1)
        page = paper.decorate(course)
        doc.build(story, onFirstPage=page, onLaterPages=page, canvasmaker=Canvas)
    if progress:
        progress(len(templates) + 1, len(templates) + 1)
    return Path(out)
