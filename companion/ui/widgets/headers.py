"""Column labels a person can read whole: wrapped on as many lines as they
need, each column at least as wide as the label's longest word, and the full
label in a tooltip.

A table's header is one line high by default, and Qt cuts a label wider than
its column on both sides ("ngagement strateg")."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableWidget

from companion.ui.plain import tooltip

PADDING = 12        # the header's margins around a label, both sides together
LINE_PADDING = 8    # above and below the lines of a label
WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


class WrappingHeader(QHeaderView):
    """A horizontal header whose labels wrap and whose height follows them."""

    def __init__(self, parent: QTableWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(WRAP)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._height = 0
        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self._refit)
        self.sectionResized.connect(lambda *_: self._refit_timer.start())

    def _label(self, section: int) -> str:
        model = self.model()
        text = model.headerData(section, Qt.Orientation.Horizontal) if model is not None else None
        return "" if text is None else str(text)

    def fit_words(self) -> None:
        """No column narrower than the longest word of any label."""
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(word) for s in range(self.count())
                       for word in self._label(s).split()), default=0)
        self.setMinimumSectionSize(max(self.minimumSectionSize(), longest + PADDING))

    def needed_height(self) -> int:
        metrics = self.fontMetrics()
        lines = 0
        for section in range(self.count()):
            room = QRect(0, 0, max(self.sectionSize(section) - PADDING, 1), 100000)
            lines = max(lines, metrics.boundingRect(room, int(WRAP), self._label(section)).height())
        return lines + LINE_PADDING

    def sizeHint(self):  # noqa: N802 - Qt API
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.needed_height()))
        return hint

    def _refit(self) -> None:
        height = self.needed_height()
        if height != self._height:
            self._height = height
            self.updateGeometry()
            self.geometriesChanged.emit()  # the table makes room for the new height


def wrap_headers(table: QTableWidget) -> WrappingHeader:
    """Give ``table`` (its labels already set) a header that never cuts them."""
    header = WrappingHeader(table)
    table.setHorizontalHeader(header)
    for section in range(table.columnCount()):
        item = table.horizontalHeaderItem(section)
        if item is not None:
            item.setToolTip(tooltip(item.text()))  # labels come from the pack: shown as text
    header.fit_words()
    return header
