"""Above a topic: read or not, a bookmark, and the person's note on it."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from companion.errors import CompanionError
from companion.ui.plain import plain_label
from companion.ui.views.reader import READING_WIDTH

NOTE_SAVE_DELAY_MS = 500


def _local(stamp: str, fmt: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime(fmt)
    except ValueError:
        return stamp


class TopicBar(QWidget):
    read_changed = Signal(str, bool)
    """Emitted with (topic id, read) after the person marks a topic read or not."""
    bookmark_changed = Signal(str, bool)
    """Emitted with (topic id, bookmarked) after the bookmark is set or removed."""
    note_toggled = Signal(bool)
    """Emitted when the person shows or hides the note."""

    def __init__(self, study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.study = study
        self.topic_id: str | None = None
        self.setObjectName("topicBar")
        self.setMaximumWidth(READING_WIDTH)
        line = QHBoxLayout(self)
        line.setContentsMargins(24, 6, 24, 6)
        self.status = plain_label("", self)
        self.status.setObjectName("topicStatus")
        self.status.setAccessibleName(self.tr("Reading status"))
        self.read_button = QPushButton(self.tr("Mark as read"), self)
        self.read_button.setCheckable(True)
        self.read_button.setAccessibleName(self.tr("Mark this topic as read"))
        self.bookmark_button = QPushButton(self.tr("Bookmark"), self)
        self.bookmark_button.setCheckable(True)
        self.bookmark_button.setAccessibleName(self.tr("Bookmark this topic"))
        self.note_button = QPushButton(self.tr("My note"), self)
        self.note_button.setCheckable(True)
        self.note_button.setAccessibleName(self.tr("Show or hide my note on this topic"))
        line.addWidget(self.status, 1)
        for button in (self.read_button, self.bookmark_button, self.note_button):
            line.addWidget(button)
        self._connect_signals()
        self.hide()

    def _connect_signals(self) -> None:
        self.read_button.toggled.connect(self._read_toggled)
        self.bookmark_button.toggled.connect(self._bookmark_toggled)
        self.note_button.toggled.connect(self.note_toggled)

    def show_topic(self, topic_id: str, has_note: bool) -> None:
        self.topic_id = topic_id
        self.refresh()
        self.note_button.setText(self.tr("My note ✎") if has_note else self.tr("My note"))
        self.show()

    def refresh(self) -> None:
        if self.topic_id is None:
            return
        read = self.study.read_topics().get(self.topic_id)
        for button, value in ((self.read_button, bool(read)),
                              (self.bookmark_button, self.study.is_bookmarked(self.topic_id))):
            blocker = button.blockSignals(True)
            button.setChecked(value)
            button.blockSignals(blocker)
        self.read_button.setText(self.tr("Read ✓") if read else self.tr("Mark as read"))
        self.bookmark_button.setText(self.tr("Bookmarked ★") if self.bookmark_button.isChecked()
                                     else self.tr("Bookmark ☆"))
        self.status.setText(self.tr("Read on %s") % _local(read, "%Y-%m-%d") if read
                            else self.tr("Not read yet: scroll to the end or mark it as read"))

    def _read_toggled(self, checked: bool) -> None:
        if self.topic_id is None:
            return
        self.study.mark_read(self.topic_id, checked, "marked")
        self.refresh()
        self.read_changed.emit(self.topic_id, checked)

    def _bookmark_toggled(self, checked: bool) -> None:
        if self.topic_id is None:
            return
        self.study.set_bookmark(self.topic_id, checked)
        self.refresh()
        self.bookmark_changed.emit(self.topic_id, checked)

    def mark_read_by_scrolling(self) -> None:
        if self.topic_id is not None and not self.read_button.isChecked():
            self.study.mark_read(self.topic_id, True, "scrolled")
            self.refresh()
            self.read_changed.emit(self.topic_id, True)


class NoteEditor(QWidget):
    note_saved = Signal(str, str)
    """Emitted with (topic id, time) once the note is stored."""

    def __init__(self, study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.study = study
        self.topic_id: str | None = None
        self._dirty = False
        self.setMaximumWidth(READING_WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 6, 24, 10)
        head = QHBoxLayout()
        self.label = QLabel(self.tr("My note on this topic (only on this computer; found by search)"), self)
        self.label.setObjectName("help")
        self.saved = plain_label("", self)  # a reason may name a file
        self.saved.setObjectName("savedIndicator")
        self.saved.setAccessibleName(self.tr("Note save status"))
        head.addWidget(self.label, 1)
        head.addWidget(self.saved)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(self.tr("My note on this topic"))
        self.edit.setPlaceholderText(self.tr("Write what you want to remember, try or ask about this topic…"))
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(120)
        self.label.setBuddy(self.edit)
        layout.addLayout(head)
        layout.addWidget(self.edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.edit.textChanged.connect(self._changed)
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.hide()

    def show_topic(self, topic_id: str | None) -> None:
        """Load a topic's note (after saving the one shown)."""
        self.flush()
        self.topic_id = topic_id
        blocker = self.edit.blockSignals(True)
        self.edit.setPlainText(self.study.note(topic_id) if topic_id else "")
        self.edit.blockSignals(blocker)
        self.saved.setText("")

    def _changed(self) -> None:
        self._dirty = True
        self.saved.setText(self.tr("Saving…"))
        self._timer.start()

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is self.edit:
            self.flush()

    def flush(self) -> bool:
        """Store the note now if it changed; True when nothing is left unsaved."""
        self._timer.stop()
        if not self._dirty or self.topic_id is None:
            return True
        try:
            stamp = self.study.save_note(self.topic_id, self.edit.toPlainText())
        except CompanionError as exc:
            self.saved.setText(self.tr("Not saved: %s") % exc)
            self._timer.start(3000)
            return False
        self._dirty = False
        self.saved.setText(self.tr("Saved %s") % _local(stamp, "%H:%M:%S"))
        self.note_saved.emit(self.topic_id, stamp)
        return True
