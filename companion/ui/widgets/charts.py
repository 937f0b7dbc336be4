"""Live pictures of a table: the stakeholder grid and the activity timeline.

Both are laid out left to right and drawn mirrored in a right-to-left window
(:meth:`ChartWidget.mirrored`); their texts align to the reading side by
themselves (a painter's left alignment is the leading side)."""
from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.messages import t
from companion.worksheets import charts
from companion.worksheets.template import Field

INK = QColor("#1f2933")
MUTED = QColor("#616e7c")
ACCENT = QColor("#0b6e6e")
QUADRANT_COLOURS = {
    "manage-closely": QColor("#d9efef"), "keep-satisfied": QColor("#eef2f6"),
    "keep-informed": QColor("#f3f7ec"), "monitor": QColor("#fafafa"),
}


class ChartWidget(QWidget):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.rows: list = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_rows(self, rows: list) -> None:
        self.rows = rows
        self.setAccessibleDescription(self.describe())
        self.update()

    def mirrored(self, rect: QRectF) -> QRectF:
        """``rect`` of the left-to-right layout where it is drawn in this window's direction."""
        if not self.isRightToLeft():
            return rect
        return QRectF(self.width() - rect.right(), rect.top(), rect.width(), rect.height())

    def mirrored_x(self, x: float) -> float:
        return self.width() - x if self.isRightToLeft() else x

    def _empty(self, painter: QPainter, key: str) -> None:
        painter.setPen(MUTED)
        painter.drawText(self.rect().adjusted(12, 12, -12, -12), Qt.TextFlag.TextWordWrap |
                         Qt.AlignmentFlag.AlignCenter, t(key))


class GridChart(ChartWidget):
    """Each actor a numbered point in its interest/influence quadrant; the
    numbers are the table's row numbers, listed with names beside the grid."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.setAccessibleName(self.tr("Influence and interest grid"))
        self.setMinimumSize(560, 440)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(820, 440)

    def describe(self) -> str:
        data = charts.grid(self.field, self.rows)
        return "; ".join(f"{p.label}: {data.x_label} {p.x:g}, {data.y_label} {p.y:g}, "
                         f"{charts.quadrant_label(p.quadrant)}" for p in data.points)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        data = charts.grid(self.field, self.rows)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.height() - 36, int(self.width() * 0.55))
        plot = QRectF(30, 6, side, side)
        half_w, half_h = plot.width() / 2, plot.height() / 2
        quads = {"keep-satisfied": QRectF(plot.left(), plot.top(), half_w, half_h),
                 "manage-closely": QRectF(plot.left() + half_w, plot.top(), half_w, half_h),
                 "monitor": QRectF(plot.left(), plot.top() + half_h, half_w, half_h),
                 "keep-informed": QRectF(plot.left() + half_w, plot.top() + half_h, half_w, half_h)}
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, self.font().pointSizeF() - 1))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        mirror = self.mirrored
        arrow = "←" if self.isRightToLeft() else "→"
        for key, rect in quads.items():
            painter.fillRect(mirror(rect), QUADRANT_COLOURS[key])
            painter.setPen(MUTED)
            painter.drawText(mirror(rect.adjusted(6, 4, -6, -4)), Qt.AlignmentFlag.AlignTop |
                             Qt.AlignmentFlag.AlignLeft, charts.quadrant_label(key))
        painter.setPen(QPen(MUTED, 1))
        painter.drawRect(mirror(plot))
        painter.setPen(INK)
        painter.drawText(mirror(QRectF(plot.left(), plot.bottom() + 4, plot.width(), 20)),
                         Qt.AlignmentFlag.AlignCenter, f"{data.x_label} {arrow}")
        painter.save()
        painter.translate(self.mirrored_x(plot.left() - 8), plot.bottom())
        painter.rotate(-90)
        beside = QRectF(0, -2, plot.height(), 18) if self.isRightToLeft() else QRectF(0, -16, plot.height(), 18)
        painter.drawText(beside.adjusted(0, 0, -16, 0), Qt.AlignmentFlag.AlignCenter, data.y_label)
        painter.drawText(beside, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute, "→")  # upwards
        painter.restore()
        if not data.points:
            painter.setPen(MUTED)
            painter.drawText(mirror(plot.adjusted(20, 20, -20, -20)), Qt.TextFlag.TextWordWrap |
                             Qt.AlignmentFlag.AlignCenter, t("chart.no_points"))
            return
        span = (data.high - data.low) or 1
        cell = plot.width() / (span + 1)
        legend = QRectF(plot.right() + 24, plot.top(), self.width() - plot.right() - 28, plot.height())
        line = max(metrics.height() + 3, 16)
        for number, point in enumerate(data.points, start=1):
            x = plot.left() + (point.x - data.low + 0.5) * cell + (point.slot % 3) * 12 - 12 * (point.slot > 0)
            y = plot.bottom() - (point.y - data.low + 0.5) * cell + (point.slot // 3) * 12
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT)
            x = self.mirrored_x(x)
            painter.drawEllipse(QPointF(x, y), 9, 9)
            painter.setPen(QColor("white"))
            painter.drawText(QRectF(x - 9, y - 9, 18, 18), Qt.AlignmentFlag.AlignCenter, str(number))
            top = legend.top() + (number - 1) * line
            if top + line > legend.bottom() + line:
                continue
            painter.setPen(INK)
            text = f"{number}. {point.label} — {charts.quadrant_label(point.quadrant)}"
            if self.isRightToLeft():
                text = "\u200f" + text  # the line reads right to left whatever the actor's name is written in
            painter.drawText(mirror(QRectF(legend.left(), top, legend.width(), line)), Qt.AlignmentFlag.AlignVCenter |
                             Qt.AlignmentFlag.AlignLeft,
                             metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(legend.width())))


class TimelineChart(ChartWidget):
    """Activities as bars on a month axis (a Gantt chart)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.setAccessibleName(self.tr("Timeline of activities"))
        self.setMinimumHeight(120)

    def describe(self) -> str:
        data = charts.timeline(self.field, self.rows)
        return "; ".join(f"{b.label}: {b.start.isoformat()} – {b.end.isoformat()}" for b in data.bars)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        bars = len(charts.timeline(self.field, self.rows).bars)
        return QSize(600, 50 + 24 * max(bars, 2))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        data = charts.timeline(self.field, self.rows)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not data.bars:
            self._empty(painter, "chart.no_bars")
            return
        self.setMinimumHeight(50 + 24 * len(data.bars))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        left = min(220, self.width() // 3)
        plot = QRectF(left, 24, self.width() - left - 12, 24 * len(data.bars))
        total = max((data.last - data.first).days + 1, 1)

        def x_of(day) -> float:
            return plot.left() + (day - data.first).days / total * plot.width()

        months = charts.month_starts(data.first, data.last)
        locale = QLocale()  # month names in the window's language
        widest = max(metrics.horizontalAdvance(locale.toString(QDate(m.year, m.month, 1), "MMM yyyy")) for m in months)
        step = max(1, len(months) // 12, -(-int(widest + 8) * len(months) // max(int(plot.width()), 1)))
        for number, month in enumerate(months):
            x = max(x_of(month), plot.left())
            painter.setPen(QPen(QColor("#d9dee3"), 1))
            painter.drawLine(QPointF(self.mirrored_x(x), plot.top()), QPointF(self.mirrored_x(x), plot.bottom()))
            if number % step == 0:
                painter.setPen(MUTED)
                text = locale.toString(QDate(month.year, month.month, 1),
                                       "MMM yyyy" if month.month == 1 or number == 0 else "MMM")
                painter.drawText(self.mirrored(QRectF(x + 2, plot.top() - 20, metrics.horizontalAdvance(text) + 4,
                                                      16)), Qt.AlignmentFlag.AlignLeft, text)
        for row, bar in enumerate(data.bars):
            top = plot.top() + row * 24 + 4
            painter.setPen(INK)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, left - 12)
            painter.drawText(self.mirrored(QRectF(4, top, left - 8, 16)), Qt.AlignmentFlag.AlignVCenter |
                             Qt.AlignmentFlag.AlignLeft, label)
            start = x_of(bar.start)
            end = plot.left() + ((bar.end - data.first).days + 1) / total * plot.width()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT)
            painter.drawRoundedRect(self.mirrored(QRectF(start, top, max(end - start, 3), 16)), 3, 3)
