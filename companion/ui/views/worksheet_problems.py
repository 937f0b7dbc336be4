"""When and how the worksheet form speaks of problems.

A worksheet nobody has touched is not wrong: a field's problem is shown once
the person has left that field, and every problem once they ask to mark the
worksheet complete. Then :class:`ProblemList`, above the form, names each
problem in plain words on a button that moves the focus to its field."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QVBoxLayout, QWidget

from companion.ui.plain import no_mnemonic, plain_label

MAX_LIST_HEIGHT = 170


class Shown:
    """Which fields' problems are on show."""

    def __init__(self) -> None:
        self.left: set[str] = set()   # fields the person has been in and left
        self.all = False              # after "Mark complete": every field

    def reset(self) -> None:
        self.left.clear()
        self.all = False

    def visible(self, field_id: str) -> bool:
        return self.all or field_id in self.left


def row_of(rows: dict, widget: QWidget | None) -> str | None:
    """The id of the field whose row holds ``widget`` (None: not in a field)."""
    if widget is None:
        return None
    for field_id, row in rows.items():
        if row is widget or row.isAncestorOf(widget):
            return field_id
    return None


def first_field(rows: dict) -> str | None:
    """The first field a person can type or choose in."""
    for field_id, row in rows.items():
        editor = row.editor
        target = editor.focusProxy() or editor
        if not row.isHidden() and target.isEnabled() and target.focusPolicy() != Qt.FocusPolicy.NoFocus:
            return field_id
    return None


class ProblemList(QFrame):
    go_to = Signal(str)
    """Emitted with a field id when the person asks to go to that field's problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemList")
        self.setAccessibleName(self.tr("What keeps this worksheet from being complete"))
        self.setStyleSheet(
            "QFrame#problemList { border: 1px solid #b42318; border-radius: 4px; }"
            "QPushButton#problemLink { text-align: left; border: none; padding: 2px 4px;"
            " color: palette(link); text-decoration: underline; background: transparent; }"
            "QPushButton#problemLink:focus { outline: 1px dotted palette(text); }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        self.heading = plain_label(self.tr("Before this worksheet can be marked complete, fix these fields "
                                           "(each link takes you to its field):"), self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setMaximumHeight(MAX_LIST_HEIGHT)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.scroll)
        self.links: list[QPushButton] = []
        self._problems: list[tuple[str, str, str]] = []
        self.hide()

    def show_problems(self, problems: list[tuple[str, str, str]]) -> None:
        """Show (field id, field label, message) of each problem; hide when there is none."""
        if problems == self._problems:
            self.setVisible(bool(problems))
            return
        self._problems = list(problems)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        had_focus = any(link.hasFocus() for link in self.links)
        self.links = []
        for field_id, label, message in problems:
            text = self.tr("%s: %s") % (label, message)
            link = QPushButton(no_mnemonic(text), inner)  # the pack's label and a message: shown as written
            link.setObjectName("problemLink")
            link.setFlat(True)
            link.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
            link.setAccessibleName(self.tr("Go to the field: %s") % text)
            link.clicked.connect(lambda _checked=False, fid=field_id: self.go_to.emit(fid))
            column.addWidget(link)
            self.links.append(link)
        column.addStretch(1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()  # a link of it may be the one whose click led here
        self.scroll.setWidget(inner)
        self.setVisible(bool(problems))
        if had_focus and self.links:
            self.links[0].setFocus()

    def focus_first(self) -> None:
        if self.links:
            self.links[0].setFocus(Qt.FocusReason.OtherFocusReason)
