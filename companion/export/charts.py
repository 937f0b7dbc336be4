"""A table's chart in the PDF, as vector graphics (reportlab.graphics).

What a chart shows comes from :mod:`companion.worksheets.charts`; this module
only lays it out: the stakeholder grid as a square of four shaded quadrants
with numbered points (those that share a spot fanned out around it) and
their names listed beside it by quadrant, and the timeline as a Gantt chart
on a month axis with year marks. Every label goes through
:func:`companion.export.fonts.line_runs`, so Arabic and Amharic names print.

A drawing never splits across pages, so a chart that grows with its table
is cut: a long legend goes on below the grid in bands of columns, each a
drawing; the timeline splits between its rows wherever a page ends, each
part under its own axis; and any drawing still taller than a page is scaled
to fit.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from companion.export import fonts
from companion.export.layout import RowsDrawing, fit_drawing
from companion.messages import t
from companion.worksheets import charts
from companion.worksheets.template import Field

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#0b6e6e")
FAINT = colors.HexColor("#dde2e7")
STRIPE = colors.HexColor("#f5f7f9")
QUADRANT_COLOURS = {
    "manage-closely": colors.HexColor("#d4ecec"), "keep-satisfied": colors.HexColor("#e9eef4"),
    "keep-informed": colors.HexColor("#eef4e4"), "monitor": colors.HexColor("#f6f6f4"),
}
ELLIPSIS = "\u2026"
AXIS_H = 26.0  # the timeline's year and month rows
MAX_HEIGHT = 640.0  # the tallest a drawing may be, to fit an A4 page with room to spare
LINE_H = 10.0  # a line of the grid's legend
LEGEND_BAND = 180.0  # the height of a drawing that continues the legend: short ones fill the end of a page


def chart_flowables(f: Field, rows: Any, width: float, empty_style) -> list[Flowable]:
    """The chart of table field ``f`` (which has one), to print below its table."""
    if f.chart is None:
        return []
    if f.chart.type == "grid":
        drawings = _grid(charts.grid(f, rows), width)
        message = "chart.no_points"
    else:
        drawings = _timeline(charts.timeline(f, rows), width)
        message = "chart.no_bars"
    if not drawings:
        return [Spacer(1, 4), fonts.paragraph(t(message), empty_style)]
    out: list[Flowable] = []
    for drawing in drawings:  # none taller than a page, whatever it holds
        out += [Spacer(1, 8), fit_drawing(drawing, width, MAX_HEIGHT) if isinstance(drawing, Drawing) else drawing]
    return out + [Spacer(1, 4)]


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height, initialFontName=fonts.BODY)  # ReportLab's default, Helvetica, would not be embedded
    d.hAlign = "LEFT"
    return d


# -- text --------------------------------------------------------------------------------------

def fit(text: str, width: float, size: float, font: str = fonts.BODY) -> str:
    """``text`` on one line, cut (at a word where it can) with an ellipsis to fit ``width``."""
    text = " ".join(str(text).split())
    if fonts.text_width(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fonts.text_width(text[:middle].rstrip() + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ")
    if space >= 0.6 * low and low < len(text) and text[low] != " ":
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013") + ELLIPSIS if cut.strip() else ELLIPSIS


def wrap(text: str, width: float, size: float, lines: int, font: str = fonts.BODY) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width``; the last one cut with an ellipsis."""
    words, out = " ".join(str(text).split()).split(" "), []
    while words and len(out) < lines - 1:
        take = 1
        while take < len(words) and fonts.text_width(" ".join(words[:take + 1]), font, size) <= width:
            take += 1
        if fonts.text_width(words[0], font, size) > width:
            break
        out.append(" ".join(words[:take]))
        words = words[take:]
    if words:
        out.append(fit(" ".join(words), width, size, font))
    return out


def label(x: float, y: float, text: str, size: float, font: str = fonts.BODY, colour=INK,
          anchor: str = "start") -> Group:
    """One line of text in any script, placed like a String."""
    pieces = fonts.line_runs(text, font, size)
    total = sum(stringWidth(chunk, name, size) for name, chunk in pieces)
    x -= {"start": 0, "middle": total / 2, "end": total}[anchor]
    group = Group()
    for name, chunk in pieces:
        group.add(String(x, y, chunk, fontName=name, fontSize=size, fillColor=colour))
        x += stringWidth(chunk, name, size)
    return group


def _arrow(x1: float, y1: float, x2: float, y2: float, colour=MUTED) -> Group:
    """A thin line from (x1, y1) with an arrowhead at (x2, y2)."""
    angle = math.atan2(y2 - y1, x2 - x1)
    head = [(x2, y2)] + [(x2 - 4.5 * math.cos(angle + s * 0.45), y2 - 4.5 * math.sin(angle + s * 0.45))
                         for s in (1, -1)]
    return Group(Line(x1, y1, x2, y2, strokeColor=colour, strokeWidth=0.7),
                 Polygon([c for point in head for c in point], fillColor=colour, strokeColor=None))


# -- the grid ----------------------------------------------------------------------------------

def _ticks(low: float, high: float) -> list[float]:
    if float(low).is_integer() and float(high).is_integer() and high - low <= 12:
        return [float(v) for v in range(int(low), int(high) + 1)]
    return [low + (high - low) * i / 4 for i in range(5)]


def _spread(count: int, slot: int, radius: float) -> tuple[float, float]:
    """Where the ``slot``-th of ``count`` points that share a spot goes, around it."""
    if count <= 1:
        return 0.0, 0.0
    ring = max(radius + 0.8, (radius + 0.8) / math.sin(math.pi / count))
    angle = math.pi if count == 2 and slot == 0 else 0.0 if count == 2 else math.pi / 2 - 2 * math.pi * slot / count
    return ring * math.cos(angle), ring * math.sin(angle)


def _legend_items(data: charts.Grid, width: float) -> list[tuple]:
    """The legend as items to stack: ("head", quadrant), ("entry", quadrant, (number, lines)), ("gap", quadrant)."""
    items: list[tuple] = []
    for key in charts.QUADRANTS:
        entries = [(n, wrap(p.label or "\u2013", width - 16, 8, 2))
                   for n, p in enumerate(data.points, start=1) if p.quadrant == key]
        if entries:
            items += [("head", key), *[("entry", key, entry) for entry in entries], ("gap", key)]
    return items


def _item_height(item: tuple) -> float:
    return LINE_H + 2 if item[0] == "head" else 5.0 if item[0] == "gap" else len(item[2][1]) * LINE_H + 2


def _legend_columns(items: list[tuple], first: float, rest: float) -> list[list[tuple]]:
    """The legend cut into columns, the first ``first`` high and the others
    ``rest``; a quadrant that goes on in a new column has its name again."""
    columns: list[list[tuple]] = [[]]
    used, room = 0.0, first
    for item in items:
        height = _item_height(item)
        if used + height > room and columns[-1]:
            if item[0] == "gap":
                continue
            if columns[-1][-1][0] == "head":  # a quadrant's name never ends a column
                columns[-1].pop()
            columns.append([("head", item[1])] if item[0] == "entry" else [])
            used, room = sum(map(_item_height, columns[-1])), rest
        columns[-1].append(item)
        used += height
    return columns


def _draw_legend(d: Drawing, column: list[tuple], x: float, top: float, width: float) -> None:
    y = top
    for item in column:
        if item[0] == "head":
            y -= LINE_H
            d.add(label(x, y, fit(charts.quadrant_label(item[1]), width, 8, fonts.BOLD), 8, fonts.BOLD,
                        ACCENT if item[1] == "manage-closely" else MUTED))
            y -= 2
        elif item[0] == "entry":
            number, lines = item[2]
            y -= LINE_H
            d.add(Circle(x + 5, y + 2.8, 5, fillColor=ACCENT, strokeColor=None))
            d.add(String(x + 5, y + 0.7, str(number), fontName=fonts.BOLD, fontSize=5.5 if number < 100 else 4,
                         fillColor=colors.white, textAnchor="middle"))
            for row, text in enumerate(lines):
                d.add(label(x + 14, y - row * LINE_H, text, 8))
            y -= (len(lines) - 1) * LINE_H + 2
        else:
            y -= 5


def _grid(data: charts.Grid, width: float) -> list[Drawing]:
    """The grid with its legend beside it; a legend too long for that goes on
    below in bands of columns, each band a drawing, so that it can go on over pages."""
    if not data.points:
        return []
    side = min(250.0, width * 0.5)
    left_pad, bottom_pad = 30.0, 30.0
    legend_x = left_pad + side + 22
    legend_w = width - legend_x
    items = _legend_items(data, legend_w)
    legend_h = sum(map(_item_height, items))
    square_h = side + bottom_pad + 6
    first = legend_h if legend_h <= 1.5 * square_h else square_h - 4
    columns = _legend_columns(items, first, LEGEND_BAND)
    d = _drawing(width, max(square_h, sum(map(_item_height, columns[0])) + 4))
    _draw_square(d, data, side, left_pad, d.height - 6 - side)
    _draw_legend(d, columns[0], legend_x, d.height - 2, legend_w)
    drawings = [d]
    per_row = max(1, int((width + 22) // (legend_w + 22)))
    for start in range(1, len(columns), per_row):
        row = columns[start:start + per_row]
        more = _drawing(width, max(sum(map(_item_height, column)) for column in row) + 4)
        for number, column in enumerate(row):
            _draw_legend(more, column, number * (legend_w + 22), more.height - 2, legend_w)
        drawings.append(more)
    return drawings


def _draw_square(d: Drawing, data: charts.Grid, side: float, px: float, py: float) -> None:
    """The four quadrants, the axes and the numbered points, the square's corner at (px, py)."""
    size = 7.5
    half = side / 2
    corners = {"keep-satisfied": (px, py + half), "manage-closely": (px + half, py + half),
               "monitor": (px, py), "keep-informed": (px + half, py)}
    for key, (x, y) in corners.items():
        d.add(Rect(x, y, half, half, fillColor=QUADRANT_COLOURS[key], strokeColor=None))
    band = 14.0  # along the edges, where the quadrants' names go and no point does
    cell = (side - 2 * band) / (data.high - data.low + 1 or 1)

    def at(value: float) -> float:
        return band + (value - data.low + 0.5) * cell

    for value in _ticks(data.low, data.high):
        offset = at(value)
        d.add(Line(px + offset, py, px + offset, py + side, strokeColor=FAINT, strokeWidth=0.4))
        d.add(Line(px, py + offset, px + side, py + offset, strokeColor=FAINT, strokeWidth=0.4))
        text = f"{value:g}"
        d.add(label(px + offset, py - 9, text, size, colour=MUTED, anchor="middle"))
        d.add(label(px - 4, py + offset - 2.5, text, size, colour=MUTED, anchor="end"))
    d.add(Line(px + half, py, px + half, py + side, strokeColor=MUTED, strokeWidth=0.6))
    d.add(Line(px, py + half, px + side, py + half, strokeColor=MUTED, strokeWidth=0.6))
    d.add(Rect(px, py, side, side, fillColor=None, strokeColor=MUTED, strokeWidth=0.7))
    room = half - 10
    for key, (x, y) in corners.items():
        top, right = y > py, x > px
        text = fit(charts.quadrant_label(key), room, 8, fonts.BOLD)
        d.add(label(x + half - 5 if right else x + 5, y + half - 11 if top else y + 5, text, 8, fonts.BOLD,
                    ACCENT if key == "manage-closely" else MUTED, "end" if right else "start"))
    x_title = fit(data.x_label, side - 24, 8, fonts.BOLD)
    d.add(label(px + half, py - 22, x_title, 8, fonts.BOLD, INK, "middle"))
    edge = fonts.text_width(x_title, fonts.BOLD, 8) / 2 + 4
    d.add(_arrow(px + half + edge, py - 19.5, px + half + edge + 16, py - 19.5))
    y_title = fit(data.y_label, side - 24, 8, fonts.BOLD)
    turned = Group(label(0, 0, y_title, 8, fonts.BOLD, INK, "middle"))
    edge = fonts.text_width(y_title, fonts.BOLD, 8) / 2 + 4
    turned.add(_arrow(edge, 2.5, edge + 16, 2.5))
    turned.transform = (0, 1, -1, 0, px - 17, py + half)
    d.add(turned)
    shared = Counter((p.x, p.y) for p in data.points)
    radius = 6.0
    for number, point in enumerate(data.points, start=1):
        dx, dy = _spread(shared[(point.x, point.y)], point.slot, radius)
        cx, cy = px + at(point.x) + dx, py + at(point.y) + dy
        d.add(Circle(cx, cy, radius, fillColor=ACCENT, strokeColor=colors.white, strokeWidth=0.8))
        d.add(String(cx, cy - 2.4, str(number), fontName=fonts.BOLD, fontSize=6.5 if number < 100 else 5,
                     fillColor=colors.white, textAnchor="middle"))


# -- the timeline ------------------------------------------------------------------------------

def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _timeline(data: charts.Timeline, width: float) -> list[Flowable]:
    """The Gantt chart, which splits between its rows at the end of a page, each part under its own axis."""
    if not data.bars:
        return []
    months = charts.month_starts(data.first, data.last)
    start, end = months[0], _next_month(months[-1])
    size = 7.5
    longest = max(fonts.text_width(" ".join(b.label.split()), fonts.BODY, size) for b in data.bars)
    label_w = min(width * 0.3, max(longest + 10, 60.0))
    x0 = label_w
    plot_w = width - x0 - 1
    days = (end - start).days

    def x_of(day: dt.date) -> float:
        return x0 + (day - start).days / days * plot_w

    month_w = plot_w / len(months)
    step = next((s for s in (1, 2, 3, 6, 12) if month_w * s >= 11), 12)
    names = [wrap(bar.label or "\u2013", label_w - 10, size, 2) for bar in data.bars]
    row_h = 21.0 if any(len(lines) > 1 for lines in names) else 15.0

    def part(first: int, last: int) -> Drawing:
        return _timeline_part(data.bars[first:last], names[first:last], row_h, months, (start, end), x_of,
                              width, label_w, step, size)

    return [RowsDrawing(part, len(data.bars), row_h, AXIS_H + 2)]


def _timeline_part(bars, names, row_h, months, span, x_of, width, label_w, step, size) -> Drawing:
    height = AXIS_H + row_h * len(bars) + 2
    d = _drawing(width, height)
    top = height - AXIS_H
    for row in range(len(bars)):
        if row % 2 == 0:
            d.add(Rect(0, top - (row + 1) * row_h, width, row_h, fillColor=STRIPE, strokeColor=None))
    start, end = span
    for month in months:
        x = x_of(month)
        january = month.month == 1 and month != start
        d.add(Line(x, 0, x, top + (AXIS_H if january else 11), strokeColor=MUTED if january else FAINT,
                   strokeWidth=0.7 if january else 0.4))
        if (month.month - 1) % step == 0:
            middle = (x + x_of(_next_month(month))) / 2
            d.add(label(middle, top + 3, str(month.month), 6.5, colour=MUTED, anchor="middle"))
    d.add(Line(x_of(end), 0, x_of(end), top + 11, strokeColor=FAINT, strokeWidth=0.4))
    year = start.year
    while dt.date(year, 1, 1) < end:
        begin, finish = max(start, dt.date(year, 1, 1)), min(end, dt.date(year + 1, 1, 1))
        if x_of(finish) - x_of(begin) >= 22 or begin == start:
            d.add(label(x_of(begin) + 2, top + 15, str(year), 7.5, fonts.BOLD, INK))
        year += 1
    d.add(Line(label_w, top, width, top, strokeColor=MUTED, strokeWidth=0.6))
    for row, bar in enumerate(bars):
        y = top - (row + 1) * row_h
        lines = names[row]
        for number, text in enumerate(lines):
            d.add(label(2, y + row_h / 2 - 2.6 + (len(lines) - 1) * 4.3 - number * 8.6, text, size))
        left = x_of(bar.start)
        right = x_of(bar.end + dt.timedelta(days=1))
        d.add(Rect(left, y + row_h / 2 - 4.5, max(right - left, 2.5), 9, rx=1.5, ry=1.5, fillColor=ACCENT,
                   strokeColor=None))
    return d
