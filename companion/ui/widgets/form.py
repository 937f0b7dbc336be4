"""The parts of the worksheet form: one row per field (label, editor, help
and problems), and the undo command of an edit."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QVBoxLayout, QWidget

from companion.worksheets import answers as answers_mod
from companion.ui.plain import escape, plain_label, rich_label
from companion.ui.widgets.fields import FieldEditor

if TYPE_CHECKING:
    from companion.ui.views.worksheet import WorksheetView

MERGE_SECONDS = 2.0


class EditCommand(QUndoCommand):
    """One change to one field; quick successive keystrokes merge into one step."""

    def __init__(self, view: "WorksheetView", field_id: str, old: Any, new: Any, label: str) -> None:
        super().__init__(label)
        self.view, self.field_id, self.old, self.new = view, field_id, old, new
        self.when = time.monotonic()
        self._done = True  # the editor already shows the new value when pushed

    def id(self) -> int:  # noqa: A003 - Qt API
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, EditCommand) or other.field_id != self.field_id:
            return False
        if other.when - self.when > MERGE_SECONDS:
            return False
        self.new, self.when = other.new, other.when
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.view.apply_value(self.field_id, self.new)

    def undo(self) -> None:
        self.view.apply_value(self.field_id, self.old)


class FieldRow(QWidget):
    """A field's label, help, editor and the message beside it."""

    def __init__(self, editor: FieldEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        f = editor.field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        mark = " *" if f.required else ""
        self.label = rich_label(f"<b>{escape(f.label)}</b>{mark}", self)
        self.label.setWordWrap(True)
        self.label.setBuddy(editor.focusProxy() or editor)
        layout.addWidget(self.label)
        if f.help:
            help_label = plain_label(f.help, self)  # the pack's words, shown as written
            help_label.setObjectName("help")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        layout.addWidget(editor)
        self.message = plain_label("", self)  # a message may quote the answer
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

    def show_issues(self, issues: list[answers_mod.Issue]) -> None:
        if not issues:
            self.message.hide()
            return
        severity = "error" if any(i.severity == answers_mod.ERROR for i in issues) else "warning"
        self.message.setProperty("severity", severity)
        self.message.setText("\n".join(i.message for i in issues))
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
