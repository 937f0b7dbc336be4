"""What a table's chart shows, as plain data: the UI paints it, the PDF draws it.

``grid`` places each row as a labelled point on an interest/influence grid
and names its quadrant; ``timeline`` turns rows with start and end dates into
bars. Rows lacking what a chart needs are left out of it, never guessed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from companion.messages import t
from companion.worksheets.answers import is_empty, parse_date
from companion.worksheets.template import Field

QUADRANTS = ("manage-closely", "keep-satisfied", "keep-informed", "monitor")


@dataclass(frozen=True)
class GridPoint:
    label: str
    x: float
    y: float
    quadrant: str
    slot: int  # how many points already share this spot, to fan them out


@dataclass(frozen=True)
class Grid:
    x_label: str
    y_label: str
    low: float
    high: float
    points: tuple[GridPoint, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Timeline:
    bars: tuple[Bar, ...]
    first: dt.date | None
    last: dt.date | None


def quadrant_label(key: str) -> str:
    return t(f"chart.{key}")


def _scale(column: Field | None) -> tuple[float, float]:
    if column is None:
        return 1, 5
    if column.type == "rating":
        scale = column.scale()
        return scale.start, scale.stop - 1
    return (column.min if column.min is not None else 0), (column.max if column.max is not None else 10)


def grid(field: Field, rows: Any) -> Grid:
    chart = field.chart
    x_col, y_col = field.column(chart.columns["x"]), field.column(chart.columns["y"])
    low_x, high_x = _scale(x_col)
    low_y, high_y = _scale(y_col)
    low, high = min(low_x, low_y), max(high_x, high_y)
    middle = (low + high) / 2
    points, taken = [], {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        x, y = row.get(chart.columns["x"]), row.get(chart.columns["y"])
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
            continue
        label = row.get(chart.columns["label"])
        label = "" if is_empty(label) else str(label)
        if y >= middle:
            quadrant = "manage-closely" if x >= middle else "keep-satisfied"
        else:
            quadrant = "keep-informed" if x >= middle else "monitor"
        slot = taken.get((x, y), 0)
        taken[(x, y)] = slot + 1
        points.append(GridPoint(label, float(x), float(y), quadrant, slot))
    return Grid(x_col.label if x_col else "", y_col.label if y_col else "", low, high, tuple(points))


def timeline(field: Field, rows: Any) -> Timeline:
    chart = field.chart
    bars = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        start, end = parse_date(row.get(chart.columns["start"])), parse_date(row.get(chart.columns["end"]))
        if start is None and end is None:
            continue
        start, end = start or end, end or start
        if end < start:
            continue
        label = row.get(chart.columns["label"])
        bars.append(Bar("" if is_empty(label) else str(label), start, end))
    if not bars:
        return Timeline((), None, None)
    return Timeline(tuple(bars), min(b.start for b in bars), max(b.end for b in bars))


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s month to ``last``'s."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months
