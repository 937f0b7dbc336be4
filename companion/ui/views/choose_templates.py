"""Choosing which worksheet templates to print blank (all of them to start with)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
)

from companion.ui.plain import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole


class ChooseTemplates(QDialog):
    def __init__(self, templates, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Print blank worksheets"))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        note = plain_label(self.tr("Tick the worksheets to print blank, each with its instructions and room "
                                   "to write, ready to photocopy for a room without computers."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Worksheets to print"))
        for template in templates:
            item = QListWidgetItem(template.title, self.list)  # a list item shows its text as text
            item.setData(ID_ROLE, template.id)
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
        self.print_button = buttons.addButton(self.tr("&Save as PDF…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemChanged.connect(lambda _item: self.print_button.setEnabled(bool(self.chosen())))

    def _set_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def chosen(self) -> list[str]:
        return [self.list.item(r).data(ID_ROLE) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]
