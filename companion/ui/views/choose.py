"""Choosing which worksheets go into one PDF (all of them to start with)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
)

from companion.ui.plain import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole


class ChooseWorksheets(QDialog):
    def __init__(self, workbook, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export worksheets to PDF"))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        note = plain_label(self.tr("Tick the worksheets to put in one PDF. With more than one, the PDF opens "
                                   "with a cover and a table of contents."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Worksheets to export"))
        titles = {tp.id: tp.title for tp in workbook.templates()}
        for worksheet in reversed(workbook.book.worksheets()):
            item = QListWidgetItem(f"{worksheet.title}  ·  {titles.get(worksheet.template_id, '')}", self.list)
            item.setData(ID_ROLE, worksheet.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        for text, state in ((self.tr("Tick &all"), Qt.CheckState.Checked),
                            (self.tr("Tick &none"), Qt.CheckState.Unchecked)):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _=False, s=state: self._set_all(s))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = buttons.addButton(self.tr("&Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemChanged.connect(lambda _item: self.export_button.setEnabled(bool(self.chosen())))

    def _set_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def chosen(self) -> list[int]:
        return [self.list.item(r).data(ID_ROLE) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]
