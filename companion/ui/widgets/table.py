"""The table field: repeating rows of typed columns (add, remove, reorder)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from companion.worksheets.answers import display_text as cell_text, is_empty
from companion.worksheets.template import Field
from companion.ui.widgets.charts import GridChart, TimelineChart
from companion.ui.widgets.fields import EMPTY_DATE, FieldEditor

VALUE = Qt.ItemDataRole.UserRole
MAX_TABLE_HEIGHT = 560


class CellDelegate(QStyledItemDelegate):
    """Edits a cell with the widget its column's type calls for."""

    def __init__(self, columns: tuple[Field, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        column = self.columns[index.column()]
        if column.type == "date":
            editor = QDateEdit(parent)
            editor.setDisplayFormat("yyyy-MM-dd")
            editor.setCalendarPopup(True)
            editor.setMinimumDate(EMPTY_DATE)
            editor.setSpecialValueText(" ")
        elif column.type in ("choice", "rating"):
            editor = QComboBox(parent)
            editor.addItem("", None)
            if column.type == "choice":
                for item in column.options:
                    editor.addItem(item.label, item.id)
            else:
                for number in column.scale():
                    label = column.labels.get(number)
                    editor.addItem(f"{number} {label}" if label else str(number), number)
        elif column.type in ("multichoice", "checklist"):
            editor = QListWidget(parent)
            editor.setMinimumHeight(22 * min(len(column.options), 6) + 6)
            for item in column.options:
                entry = QListWidgetItem(item.label, editor)
                entry.setData(VALUE, item.id)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(Qt.CheckState.Unchecked)
        else:
            editor = QLineEdit(parent)
            if column.type == "number":
                validator = QDoubleValidator(editor)
                validator.setLocale(QLocale.c())
                editor.setValidator(validator)
        editor.setAccessibleName(column.label)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        value = index.data(VALUE)
        if isinstance(editor, QDateEdit):
            date = QDate.fromString(str(value), "yyyy-MM-dd") if value else EMPTY_DATE
            editor.setDate(date if date.isValid() else EMPTY_DATE)
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QListWidget):
            for row in range(editor.count()):
                entry = editor.item(row)
                checked = entry.data(VALUE) in (value or [])
                entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        else:
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt API
        column = self.columns[index.column()]
        if isinstance(editor, QDateEdit):
            value = None if editor.date() == EMPTY_DATE else editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QListWidget):
            value = [editor.item(r).data(VALUE) for r in range(editor.count())
                     if editor.item(r).checkState() == Qt.CheckState.Checked]
        else:
            value = parse_cell(column, editor.text())
        model.setData(index, value, VALUE)
        model.setData(index, cell_text(column, value), Qt.ItemDataRole.DisplayRole)


def parse_cell(column: Field, text: str) -> Any:
    text = text.strip()
    if column.type != "number":
        return text or None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and "." not in text else number


class TableEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(field.columns), self)
        self.table.setAccessibleName(field.label)
        self.table.setHorizontalHeaderLabels([c.label for c in field.columns])
        self.table.setItemDelegate(CellDelegate(field.columns, self.table))
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_height)
        self.table.itemChanged.connect(self._emit)
        layout.addWidget(self.table)
        self.edited.connect(self._redraw)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (
            ("add", self.tr("Add row"), self.add_row),
            ("remove", self.tr("Remove row"), self.remove_row),
            ("up", self.tr("Move up"), lambda: self.move_row(-1)),
            ("down", self.tr("Move down"), lambda: self.move_row(1)),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(f"{text}: {field.label}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.chart = None
        if field.chart is not None:
            kind = GridChart if field.chart.type == "grid" else TimelineChart
            self.chart = kind(field, self)
            layout.addWidget(self.chart)
        self.setFocusProxy(self.table)

    def _put_row(self, row: int, values: dict) -> None:
        for col, column in enumerate(self.field.columns):
            value = values.get(column.id)
            item = QTableWidgetItem(cell_text(column, value))
            item.setData(VALUE, value)
            self.table.setItem(row, col, item)

    def _set(self, value: Any) -> None:
        rows = value if isinstance(value, list) else []
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for values in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self._put_row(row, values if isinstance(values, dict) else {})
        self.table.blockSignals(False)
        self._redraw()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_timer.start()

    def _fit_height(self) -> None:
        """Show every row (up to about a screenful) instead of a tiny scrolling box."""
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        chrome = self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4
        self.table.setFixedHeight(min(max(rows, 3 * 30) + chrome, MAX_TABLE_HEIGHT))

    def _redraw(self) -> None:
        self._fit_timer.start()  # once, after the layout settles
        if self.chart is not None:
            self.chart.set_rows(self.value())

    def _row_values(self, row: int) -> dict:
        values = {}
        for col, column in enumerate(self.field.columns):
            item = self.table.item(row, col)
            value = item.data(VALUE) if item else None
            if not is_empty(value):
                values[column.id] = value
        return values

    def value(self) -> Any:
        return [self._row_values(r) for r in range(self.table.rowCount())]

    def add_row(self) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self._put_row(row, {})
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        self._emit()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        self._emit()

    def move_row(self, step: int) -> None:
        row, col = self.table.currentRow(), max(self.table.currentColumn(), 0)
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        here, there = self._row_values(row), self._row_values(target)
        self.table.blockSignals(True)
        self._put_row(row, there)
        self._put_row(target, here)
        self.table.blockSignals(False)
        self.table.setCurrentCell(target, col)
        self._emit()

    def set_read_only(self, read_only: bool) -> None:
        triggers = (QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                    else QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setEditTriggers(triggers)
        for button in self.buttons.values():
            button.setVisible(not read_only)
