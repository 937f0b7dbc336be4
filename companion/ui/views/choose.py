"""Choosing which worksheets go into one PDF, or which templates to print
blank: a list of ticked items (all of them to start with)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
)

from companion.ui.plain import plain_label

ID_ROLE = Qt.ItemDataRole.UserRole


class TickList(QDialog):
    """A note, the items ``(text, id)`` each with a tick box, Tick all / Tick none,
    and an action button that is enabled while something is ticked."""

    def __init__(self, title: str, note: str, list_name: str, items, action: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        label = plain_label(note, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = QListWidget(self)
        self.list.setAccessibleName(list_name)
        for text, ident in items:
            item = QListWidgetItem(text, self.list)  # a list item shows its text as text
            item.setData(ID_ROLE, ident)
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
        self.action_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemChanged.connect(lambda _item: self.action_button.setEnabled(bool(self.chosen())))

    def _set_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def chosen(self) -> list:
        return [self.list.item(r).data(ID_ROLE) for r in range(self.list.count())
                if self.list.item(r).checkState() == Qt.CheckState.Checked]


class ChooseWorksheets(TickList):
    def __init__(self, workbook, parent=None) -> None:
        titles = {tp.id: tp.title for tp in workbook.templates()}
        items = [(f"{w.title}  ·  {titles.get(w.template_id, '')}", w.id) for w in reversed(workbook.book.worksheets())]
        super().__init__(self.tr("Export worksheets to PDF"),
                         self.tr("Tick the worksheets to put in one PDF. With more than one, the PDF opens "
                                 "with a cover and a table of contents."),
                         self.tr("Worksheets to export"), items, self.tr("&Export…"), parent)
        self.export_button = self.action_button


class ChooseTemplates(TickList):
    def __init__(self, templates, parent=None) -> None:
        super().__init__(self.tr("Print blank worksheets"),
                         self.tr("Tick the worksheets to print blank, each with its instructions and room "
                                 "to write, ready to photocopy for a room without computers."),
                         self.tr("Worksheets to print"), [(tp.title, tp.id) for tp in templates],
                         self.tr("&Save as PDF…"), parent)
        self.print_button = self.action_button
