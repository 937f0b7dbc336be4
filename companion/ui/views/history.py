"""The saved versions of a worksheet, any of which can be brought back.

Each version says when it was saved (local time, to the second), how many
fields it changed and what: the value before and after, shortened, so that
two saves of the same field a minute apart can be told apart. Restoring asks
first."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout

from companion.errors import CompanionError
from companion.timefmt import local_time
from companion.ui import dialogs
from companion.ui.plain import plain_label, window_title
from companion.worksheets.answers import display_text, is_empty

SHORT = 48          # characters of a value shown before "…"
MAX_LINES = 4       # changes listed per version before "and N more"


def when(stamp: str) -> str:
    """A stored time as the person's local time, to the second."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return local_time(stamp)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT - 1].rstrip() + "…"


class HistoryDialog(QDialog):
    def __init__(self, workbook, worksheet, template, parent=None) -> None:
        super().__init__(parent)
        self.workbook, self.worksheet, self.template = workbook, worksheet, template
        self.restored = None
        self.setWindowTitle(window_title(self.tr("History of %s") % worksheet.title))
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        note = plain_label(self.tr("Every save is kept, newest first. Restoring an earlier version saves it as a "
                                   "new version, so you can always come back to what you have now."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Saved versions"))
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        kinds = {"create": self.tr("Created"), "edit": self.tr("Edited"), "restore": self.tr("Restored"),
                 "duplicate": self.tr("Copied"), "import": self.tr("Imported")}
        for revision, changes in workbook.book.history_changes(worksheet.id):
            item = QListWidgetItem(self._describe(revision, changes, kinds), self.list)  # plain text
            item.setData(Qt.ItemDataRole.UserRole, revision.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, revision.created_at)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.addButton(self.tr("&Restore this version"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setAccessibleName(self.tr("Restore the selected version"))
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # what a version changed, in words ------------------------------------------------------------
    def _describe(self, revision, changes: dict[str, tuple[Any, Any]], kinds: dict[str, str]) -> str:
        count = len(changes)
        counted = self.tr("no field changed") if count == 0 else self.tr("%n fields changed", "%n field changed", count)
        lines = [f"{when(revision.created_at)}  ·  {kinds.get(revision.kind, revision.kind)}  ·  {counted}"]
        details = [line for field_id, (before, after) in changes.items()
                   for line in self._change_lines(field_id, before, after)]
        lines += details[:MAX_LINES]
        if len(details) > MAX_LINES:
            lines.append(self.tr("   … and %n more changes", "   … and %n more change", len(details) - MAX_LINES))
        return "\n".join(lines)

    def _change_lines(self, field_id: str, before: Any, after: Any) -> list[str]:
        field = self.template.field(field_id) if self.template is not None else None
        label = field.label if field is not None else field_id
        if field is not None and field.type == "table" and isinstance(before or [], list) \
                and isinstance(after or [], list):
            return self._table_lines(field, before or [], after or [])
        return [self.tr("   %s: %s → %s") % (label, self._value(field, before), self._value(field, after))]

    def _table_lines(self, field, before: list, after: list) -> list[str]:
        lines = []
        for number in range(max(len(before), len(after))):
            old = before[number] if number < len(before) and isinstance(before[number], dict) else {}
            new = after[number] if number < len(after) and isinstance(after[number], dict) else {}
            for column in field.columns:
                if old.get(column.id) != new.get(column.id):
                    lines.append(self.tr("   %s, row %d, %s: %s → %s") % (
                        field.label, number + 1, column.label, self._value(column, old.get(column.id)),
                        self._value(column, new.get(column.id))))
        if not lines:
            lines.append(self.tr("   %s: rows moved") % field.label)
        return lines

    def _value(self, field, value: Any) -> str:
        if is_empty(value):
            return self.tr("(empty)")
        try:
            text = display_text(field, value) if field is not None else None
        except (TypeError, ValueError, AttributeError):
            text = None
        if text is None:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return self.tr("“%s”") % _short(text)

    # bringing a version back -----------------------------------------------------------------------
    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        button = dialogs.QMessageBox.StandardButton
        answer = dialogs.question(
            self, self.tr("Restore this version?"),
            self.tr("Bring back the answers as they were on %s?\n\nWhat the worksheet holds now stays in its "
                    "history: you can come back to it.") % when(item.data(Qt.ItemDataRole.UserRole + 1)),
            button.Yes | button.No, button.No)
        if answer != button.Yes:
            return
        try:
            self.restored = self.workbook.book.restore_revision(self.worksheet.id, item.data(Qt.ItemDataRole.UserRole))
        except CompanionError as exc:
            dialogs.warning(self, self.tr("Not restored"), str(exc))
            return
        self.accept()
