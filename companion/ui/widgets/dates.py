"""Dates as people type them, in a form field or a table cell.

A date is one line of text: ``2025-06-15`` (how the companion stores and
prints dates) is always understood, and so is the short date of the
person's locale (``15/06/2025`` day first, ``6/15/2025`` in the United
States), with one or two digits for day and month, two or four for the year,
in any script's digits. Empty text is no date. Tab leaves the field like any
other text box; Alt+Down, F4 or the button at its end opens a calendar at
the date shown, or at today.
"""
from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QDate, QLocale, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QVBoxLayout, QWidget

ISO_FORMAT = "yyyy-MM-dd"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
"""Direction marks: some locales put them in their date format (Arabic), and
some keyboards type them; they are no part of the date."""


class NotADate(ValueError):
    """The text is neither empty nor a date the companion understands."""


def _plain(text: str) -> str:
    """``text`` without direction marks, with ASCII digits for any script's digits."""
    text = text.translate(_MARKS).strip()
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text)


def locale_formats(locale: QLocale | None = None) -> list[str]:
    """The locale's short date format, made lenient: one or two digits for day
    and month (``d``, ``M``), the year with four digits or two (``yyyy`` first)."""
    short = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).translate(_MARKS)
    lenient = re.sub(r"(?<!M)MM(?!M)", "M", re.sub(r"(?<!d)dd(?!d)", "d", short))
    four = re.sub(r"(?<!y)yy(?!y)", "yyyy", lenient)
    two = re.sub(r"(?<!y)yyyy(?!y)", "yy", four)
    return list(dict.fromkeys((four, two)))


def example(locale: QLocale | None = None) -> str:
    """15 June 2025 written in the locale's short format (four-digit year)."""
    short = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).translate(_MARKS)
    return QDate(2025, 6, 15).toString(re.sub(r"(?<!y)yy(?!y)", "yyyy", short))


def read_date(text: str, locale: QLocale | None = None) -> str | None:
    """The ISO date ``text`` means, or None when it is empty; raises NotADate otherwise."""
    text = _plain(text)
    if not text:
        return None
    found = _ISO.fullmatch(text)
    if found:
        date = QDate(*(int(part) for part in found.groups()))
    else:
        locale = locale or QLocale()
        two_digit_base = QDate.currentDate().year() - 80  # "25" is 2025, "60" is 1960
        date = QDate()
        for form in locale_formats(locale):
            date = locale.toDate(text, form, two_digit_base) if "yyyy" not in form else locale.toDate(text, form)
            if date.isValid():
                break
    if not date.isValid():
        raise NotADate(text)
    return date.toString(ISO_FORMAT)


def _calendar_icon(palette: QPalette) -> QIcon:
    """A small calendar page drawn in the text colour (no image file to ship)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    colour = QColor(palette.color(QPalette.ColorRole.Text))
    painter.setPen(colour)
    painter.drawRect(QRect(1, 2, 13, 12))
    painter.fillRect(QRect(1, 2, 14, 3), colour)
    for row in range(2):
        for column in range(3):
            painter.fillRect(QRect(3 + 4 * column, 7 + 3 * row, 2, 2), colour)
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QFrame):
    """A month to pick a day from: arrows move, Enter or a click chooses, Escape closes."""

    chosen = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.calendar = QCalendarWidget(self)
        self.calendar.setAccessibleName(self.tr("Calendar"))
        self.calendar.setGridVisible(True)
        layout.addWidget(self.calendar)
        self.calendar.activated.connect(self._choose)
        self.calendar.clicked.connect(self._choose)

    def _choose(self, date: QDate) -> None:
        self.close()
        self.chosen.emit(date)

    def open_at(self, date: QDate, below: QWidget) -> None:
        self.calendar.setSelectedDate(date)
        self.calendar.setCurrentPage(date.year(), date.month())
        self.adjustSize()
        place = below.mapToGlobal(QPoint(0, below.height()))
        screen = below.screen().availableGeometry()
        if place.y() + self.height() > screen.bottom():
            place.setY(below.mapToGlobal(QPoint(0, 0)).y() - self.height())
        place.setX(max(screen.left(), min(place.x(), screen.right() - self.width())))
        self.move(place)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateLineEdit(QLineEdit):
    """A one-line box for a date; ``textEdited`` is emitted when the person
    types, clears it or picks a day in the calendar. Leaving it (Enter, Tab,
    a click elsewhere) rewrites a date it understood as 2025-06-15, so what
    it was taken to mean is plain to see."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._popup: CalendarPopup | None = None
        self.setPlaceholderText(self.tr("YYYY-MM-DD"))
        hint = self.tr("Type a date as 2025-06-15 or %s. Alt+Down opens a calendar.") % example()
        self.setToolTip(hint)
        self.setAccessibleDescription(hint)
        self.calendar_action = QAction(_calendar_icon(self.palette()), self.tr("Choose the date from a calendar"), self)
        self.calendar_action.setToolTip(self.tr("Choose the date from a calendar (Alt+Down)"))
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.editingFinished.connect(self.tidy)

    def iso(self) -> str | None:
        """The date shown, as 2025-06-15; None when empty; raises NotADate."""
        return read_date(self.text())

    def understood(self) -> bool:
        try:
            self.iso()
        except NotADate:
            return False
        return True

    def tidy(self) -> None:
        """Show a date that was understood the way it is stored."""
        try:
            iso = self.iso()
        except NotADate:
            return
        if (iso or "") != self.text():
            self.setText(iso or "")

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt API
        super().setReadOnly(read_only)
        self.calendar_action.setVisible(not read_only)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        opens = (event.key() == Qt.Key.Key_F4 and not event.modifiers()) or (
            event.key() == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.AltModifier)
        if opens and not self.isReadOnly():
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        if self.isReadOnly():
            return
        try:
            iso = self.iso()
        except NotADate:
            iso = None
        date = QDate.fromString(iso, ISO_FORMAT) if iso else QDate.currentDate()
        if self._popup is None:
            # a child of this box: for a table, the cell stays open while the calendar is up
            self._popup = CalendarPopup(self)
            self._popup.chosen.connect(self._chosen)
        self._popup.open_at(date, self)

    def _chosen(self, date: QDate) -> None:
        text = date.toString(ISO_FORMAT)
        self.setText(text)
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.textEdited.emit(text)

