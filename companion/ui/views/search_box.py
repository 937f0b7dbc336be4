"""The search box in the toolbar (Ctrl+K): typing searches, a moment after the last key."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

TYPING_DELAY_MS = 150


class SearchBox(QLineEdit):
    """The search field: typing searches; Down goes to the results, Enter opens the best one."""

    query_changed = Signal(str)
    """Emitted with the text, a moment after the person stops typing."""
    down_pressed = Signal()
    """Emitted when the person presses Down (to move into the results)."""
    escape_pressed = Signal()
    """Emitted when the person presses Escape (to leave the search)."""
    focused = Signal()
    """Emitted when the box gets the keyboard focus (the index can get ready meanwhile)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setAccessibleName(self.tr("Search"))
        self.setAccessibleDescription(self.tr("Search topics, the glossary, your worksheets and your notes"))
        self.setPlaceholderText(self.tr("Search everything (Ctrl+K)"))
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(lambda: self.query_changed.emit(self.text()))
        self.textEdited.connect(lambda _text: self._timer.start())

    def search_now(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.text())

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.focused.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Down:
            self.search_now()
            self.down_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        super().keyPressEvent(event)
