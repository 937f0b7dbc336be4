"""The saved versions of a worksheet, any of which can be brought back."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QVBoxLayout
from PySide6.QtCore import Qt

from companion.errors import CompanionError
from companion.timefmt import local_time
from companion.ui import dialogs
from companion.ui.plain import plain_label, window_title


class HistoryDialog(QDialog):
    def __init__(self, workbook, worksheet, template, parent=None) -> None:
        super().__init__(parent)
        self.workbook, self.worksheet = workbook, worksheet
        self.restored = None
        self.setWindowTitle(window_title(self.tr("History of %s") % worksheet.title))
        self.resize(560, 480)
        layout = QVBoxLayout(self)
        note = plain_label(self.tr("Every save is kept. Restoring an earlier version saves it as a new version, "
                                   "so you can always come back to what you have now."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Saved versions"))
        labels = {f.id: f.label for f in template.fields()}
        kinds = {"create": self.tr("Created"), "edit": self.tr("Edited"), "restore": self.tr("Restored"),
                 "duplicate": self.tr("Copied"), "import": self.tr("Imported")}
        for revision in workbook.book.history(worksheet.id):
            fields = ", ".join(labels.get(f, f) for f in revision.fields)
            text = f"{local_time(revision.created_at)}  ·  {kinds.get(revision.kind, revision.kind)}"
            if fields:
                text += f": {fields}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, revision.id)
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

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            self.restored = self.workbook.book.restore_revision(self.worksheet.id, item.data(Qt.ItemDataRole.UserRole))
        except CompanionError as exc:
            dialogs.warning(self, self.tr("Not restored"), str(exc))
            return
        self.accept()
