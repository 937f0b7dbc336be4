"""A template's page: what it is for, and the person's worksheets of it; or the bin."""
from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QInputDialog, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from companion.errors import CompanionError
from companion.timefmt import local_time
from companion.worksheets.template import Template
from companion.ui import dialogs
from companion.ui.plain import plain_label
from companion.ui.widgets.direction import OwnDirectionDelegate

ID_ROLE = Qt.ItemDataRole.UserRole


class WorksheetListView(QWidget):
    open_requested = Signal(int)
    """Emitted with a worksheet id the person wants to open."""
    example_requested = Signal(str)
    """Emitted with a template id whose worked example the person wants to see."""
    changed = Signal()
    """Emitted after worksheets were created, renamed, duplicated, deleted or restored."""

    def __init__(self, workbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.template: Template | None = None
        self.in_bin = False
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        # the template's title and summary come from the pack: plain text
        self.kicker = plain_label("", self)
        self.kicker.setObjectName("kicker")
        self.title = plain_label("", self)
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.summary = plain_label("", self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("help")
        layout.addWidget(self.kicker)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        top = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&New worksheet"), self)
        self.new_button.setAccessibleName(self.tr("Start a new worksheet"))
        self.example_button = QPushButton(self.tr("Worked e&xample"), self)
        self.example_button.setAccessibleName(self.tr("Open the worked example"))
        top.addWidget(self.new_button)
        top.addWidget(self.example_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.table = QTableWidget(0, 4, self)
        self.table.setItemDelegate(OwnDirectionDelegate(self.table))
        self.table.setAccessibleName(self.tr("Your worksheets"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Title"), self.tr("Status"), self.tr("Done"), self.tr("Last changed")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty = plain_label("", self)
        self.empty.setObjectName("help")
        layout.addWidget(self.empty)
        actions = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, name in (
            ("open", self.tr("&Open"), self.tr("Open the selected worksheet")),
            ("rename", self.tr("&Rename…"), self.tr("Rename the selected worksheet")),
            ("duplicate", self.tr("&Duplicate"), self.tr("Start a new worksheet from the selected one")),
            ("delete", self.tr("Move to &bin"), self.tr("Move the selected worksheet to the bin")),
            ("restore", self.tr("&Restore"), self.tr("Restore the selected worksheet from the bin")),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(name)
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch(1)
        layout.addLayout(actions)

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self.new_worksheet)
        self.example_button.clicked.connect(lambda: self.template and self.example_requested.emit(self.template.id))
        self.table.itemActivated.connect(lambda _item: self._open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.buttons["open"].clicked.connect(self._open_selected)
        self.buttons["rename"].clicked.connect(self.rename_selected)
        self.buttons["duplicate"].clicked.connect(self.duplicate_selected)
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.buttons["restore"].clicked.connect(self.restore_selected)

    # showing ---------------------------------------------------------------
    def show_template(self, template: Template) -> None:
        self.template, self.in_bin = template, False
        self.kicker.setText(self.tr("Workbook"))
        self.title.setText(template.title)
        self.summary.setText(template.summary)
        self.empty.setText(self.tr("You have no worksheet of this kind yet: press New worksheet to start one."))
        self.refresh()

    def show_bin(self) -> None:
        self.template, self.in_bin = None, True
        self.kicker.setText(self.tr("Workbook"))
        self.title.setText(self.tr("Bin"))
        self.summary.setText(self.tr("Worksheets you deleted. Restore one to bring it back with all its answers."))
        self.empty.setText(self.tr("The bin is empty."))
        self.refresh()

    def refresh(self) -> None:
        worksheets = self.workbook.book.bin() if self.in_bin else self.workbook.book.worksheets(self.template.id)
        kept = {} if self.in_bin else {r.worksheet_id: r.completion
                                        for r in self.workbook.study.worksheet_completions()}
        self.table.setRowCount(0)
        for worksheet in worksheets:
            completion = kept.get(worksheet.id)
            if completion is None:  # in the bin: not kept, and few
                worksheet.answers = self.workbook.book.answers(worksheet.id)
                completion = self.workbook.book.completion(worksheet)
            row = self.table.rowCount()
            self.table.insertRow(row)
            status = self.tr("Complete") if worksheet.status == "complete" else self.tr("Draft")
            for column, text in enumerate((worksheet.title, status, f"{completion} %",
                                           local_time(worksheet.updated_at))):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, worksheet.id)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(worksheets))
        self.empty.setVisible(not worksheets)
        if worksheets:
            self.table.selectRow(0)
        self.new_button.setVisible(not self.in_bin)
        self.example_button.setVisible(not self.in_bin and bool(self.template and self.template.example))
        for key in ("open", "rename", "duplicate", "delete"):
            self.buttons[key].setVisible(not self.in_bin)
        self.buttons["restore"].setVisible(self.in_bin)
        self._update_buttons()

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in self.buttons.values():
            button.setEnabled(chosen)

    # actions -----------------------------------------------------------------
    def _apply(self, operation, *args) -> bool:
        try:
            operation(*args)
        except CompanionError as exc:
            dialogs.warning(self, self.tr("Not done"), str(exc))
            return False
        self.refresh()
        self.changed.emit()
        return True

    def new_worksheet(self) -> None:
        if self.template is None:
            return
        title, ok = QInputDialog.getText(self, self.tr("New worksheet"), self.tr("Title of the new worksheet:"),
                                         text=self.template.title)
        if ok:
            try:
                worksheet = self.workbook.book.create_worksheet(self.template.id, title)
            except CompanionError as exc:
                dialogs.warning(self, self.tr("Not done"), str(exc))
                return
            self.changed.emit()
            self.open_requested.emit(worksheet.id)

    def _open_selected(self) -> None:
        worksheet_id = self.selected_id()
        if worksheet_id is not None and not self.in_bin:
            self.open_requested.emit(worksheet_id)

    def rename_selected(self) -> None:
        worksheet_id = self.selected_id()
        if worksheet_id is None:
            return
        current = self.workbook.book.worksheet(worksheet_id).title
        title, ok = QInputDialog.getText(self, self.tr("Rename"), self.tr("New title:"), text=current)
        if ok:
            self._apply(self.workbook.book.rename_worksheet, worksheet_id, title)

    def duplicate_selected(self) -> None:
        worksheet_id = self.selected_id()
        if worksheet_id is not None:
            self._apply(self.workbook.book.duplicate_worksheet, worksheet_id)

    def delete_selected(self) -> None:
        worksheet_id = self.selected_id()
        if worksheet_id is not None:
            self._apply(self.workbook.book.delete_worksheet, worksheet_id)

    def restore_selected(self) -> None:
        worksheet_id = self.selected_id()
        if worksheet_id is not None:
            self._apply(self.workbook.book.restore_worksheet, worksheet_id)
