"""The table field: repeating rows of typed columns (add, remove, reorder)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QAbstractScrollArea, QComboBox, QHBoxLayout, QHeaderView, QLineEdit,
    QListWidget, QListWidgetItem, QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from companion.worksheets.answers import display_text as cell_text, is_empty
from companion.worksheets.template import Field
from companion.ui.widgets.charts import GridChart, TimelineChart
from companion.ui.plain import plain_label
from companion.ui.widgets.dates import DateLineEdit, NotADate, example
from companion.ui.widgets.direction import own_direction
from companion.ui.widgets.fields import FieldEditor
from companion.ui.widgets.headers import wrap_headers

VALUE = Qt.ItemDataRole.UserRole


class Held:
    """A cell's value, kept in its item as a Python object. PySide6 6.12 on
    Python 3.11 drops a reference to None each time Qt hands back an empty
    value (``data()`` of an unset role, ``currentData()`` of an empty entry);
    enough of them, and a long session of typing ends in "deallocating None"."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def held(data: Any) -> Any:
    return data.value if isinstance(data, Held) else data
MAX_TABLE_HEIGHT = 560


class CellNumberValidator(QDoubleValidator):
    """Digits and one point; anything short of a number ("", "-", "12.") still lets
    Tab and Enter leave the cell (the item view keeps a cell open while its
    validator says "not yet")."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
        self.setNotation(QDoubleValidator.Notation.StandardNotation)

    def validate(self, text: str, position: int):
        state, text, position = super().validate(text, position)
        if state == QValidator.State.Intermediate:
            state = QValidator.State.Acceptable
        return state, text, position


class CellDelegate(QStyledItemDelegate):
    """Edits a cell with the widget its column's type calls for. What is typed
    reaches the table as it is typed (so it is saved, exported and undone like
    any other field, even while the cell is still open); a date that is not a
    date yet waits, and is refused with a reason if the cell is left so."""

    refused = Signal(int, int, str)
    """Emitted with the row, the column and the text when a cell is left with text that is not a date."""
    accepted = Signal(int, int)
    """Emitted with the row and the column when a cell's value is taken."""

    def __init__(self, columns: tuple[Field, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.columns = columns

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        own_direction(option)  # an answer in its own direction, in any window

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        column = self.columns[index.column()]
        if column.type == "date":
            editor = DateLineEdit(parent)
            editor.textEdited.connect(lambda _text, e=editor: e.understood() and self.commitData.emit(e))
        elif column.type in ("choice", "rating"):
            editor = QComboBox(parent)
            editor.choices = [None]  # what each entry means (its item data could come back as a lost None)
            editor.addItem("")
            if column.type == "choice":
                for item in column.options:
                    editor.addItem(item.label)
                    editor.choices.append(item.id)
            else:
                for number in column.scale():
                    label = column.labels.get(number)
                    editor.addItem(f"{number} {label}" if label else str(number))
                    editor.choices.append(number)
            editor.activated.connect(lambda _i, e=editor: self.commitData.emit(e))
        elif column.type in ("multichoice", "checklist"):
            editor = QListWidget(parent)
            editor.setMinimumHeight(22 * min(len(column.options), 6) + 6)
            for item in column.options:
                entry = QListWidgetItem(item.label, editor)
                entry.setData(VALUE, item.id)
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(Qt.CheckState.Unchecked)
            editor.itemChanged.connect(lambda _item, e=editor: self.commitData.emit(e))
        else:
            editor = QLineEdit(parent)
            if column.type == "number":
                editor.setValidator(CellNumberValidator(editor))
            editor.textEdited.connect(lambda _text, e=editor: self.commitData.emit(e))
        editor.setAccessibleName(column.label)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        # also called each time the cell's value changes: an editor that already
        # means that value keeps its text and cursor (the person is typing in it)
        value = held(index.data(VALUE))
        column = self.columns[index.column()]
        if isinstance(editor, DateLineEdit):
            if not editor.understood() or editor.iso() != value:
                editor.setText(value or "")
        elif isinstance(editor, QComboBox):
            position = editor.choices.index(value) if value in editor.choices else 0
            if position != editor.currentIndex():
                editor.setCurrentIndex(position)
        elif isinstance(editor, QListWidget):
            chosen = value or []
            for row in range(editor.count()):
                entry = editor.item(row)
                state = Qt.CheckState.Checked if entry.data(VALUE) in chosen else Qt.CheckState.Unchecked
                if entry.checkState() != state:
                    entry.setCheckState(state)
        elif parse_cell(column, editor.text()) != value or (value is None and editor.text().strip()):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt API
        column = self.columns[index.column()]
        if isinstance(editor, DateLineEdit):
            try:
                value = editor.iso()
            except NotADate:
                self.refused.emit(index.row(), index.column(), editor.text())
                return
        elif isinstance(editor, QComboBox):
            value = editor.choices[max(editor.currentIndex(), 0)]
        elif isinstance(editor, QListWidget):
            value = [editor.item(r).data(VALUE) for r in range(editor.count())
                     if editor.item(r).checkState() == Qt.CheckState.Checked]
        else:
            value = parse_cell(column, editor.text())
        if held(index.data(VALUE)) == value:
            self.accepted.emit(index.row(), index.column())
            return  # the same again (a cell left after typing): nothing changed, nothing to save
        model.setData(index, Held(value), VALUE)
        model.setData(index, cell_text(column, value), Qt.ItemDataRole.DisplayRole)
        self.accepted.emit(index.row(), index.column())

    def eventFilter(self, editor, event) -> bool:  # noqa: N802 - Qt API
        """Ctrl+Tab and Ctrl+Shift+Tab leave the table from a cell being edited."""
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.parent().leave(forward)
            return True
        return super().eventFilter(editor, event)


class FormTable(QTableWidget):
    """A table in the form, for the keyboard: Tab and Shift+Tab move cell by
    cell (editing each), and go on to the next or previous widget from the
    last or first cell; Ctrl+Tab and Ctrl+Shift+Tab leave from any cell."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setTabKeyNavigation(True)

    def _at_end(self, forward: bool) -> bool:
        rows, columns = self.rowCount(), self.columnCount()
        if not rows or not columns:
            return True
        here = (self.currentRow(), self.currentColumn())
        if here[0] < 0 or here[1] < 0:
            return False  # no cell yet: Tab goes to the first one
        return here == ((rows - 1, columns - 1) if forward else (0, 0))

    def leave(self, forward: bool) -> None:
        """Give the focus to the widget after (or before) the table."""
        if self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())
            if editor is not None:
                self.commitData(editor)
                self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        QAbstractScrollArea.focusNextPrevChild(self, forward)  # the table as one stop, skipping its cells

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        if self._at_end(forward):
            return QAbstractScrollArea.focusNextPrevChild(self, forward)
        return super().focusNextPrevChild(forward)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt API
        hints = QAbstractItemDelegate.EndEditHint
        if hint in (hints.EditNextItem, hints.EditPreviousItem) and self._at_end(hint == hints.EditNextItem):
            super().closeEditor(editor, hints.NoHint)
            self.leave(hint == hints.EditNextItem)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.leave(event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            return
        super().keyPressEvent(event)


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
        self.table = FormTable(0, len(field.columns), self)
        self.table.setAccessibleName(field.label)
        self.table.setHorizontalHeaderLabels([c.label for c in field.columns])
        wrap_headers(self.table)  # long labels on several lines, never cut
        delegate = CellDelegate(field.columns, self.table)
        delegate.refused.connect(self._refused)
        delegate.accepted.connect(self._accepted)
        self.table.setItemDelegate(delegate)
        self.table.setWordWrap(True)
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
        # the rows value() read from the cells, until a cell or a row changes: opening a worksheet
        # asks a table's value about ten times (completion, problems, computed fields, the chart)
        self._rows: list[dict] | None = None
        model = self.table.model()
        for changed in (model.dataChanged, model.rowsInserted, model.rowsRemoved, model.rowsMoved,
                        model.modelReset, model.layoutChanged):
            changed.connect(self._cells_changed)
        layout.addWidget(self.table)
        self.note = plain_label("", self)  # quotes what was typed
        self.note.setObjectName("fieldMessage")
        self.note.setProperty("severity", "warning")
        self.note.setWordWrap(True)
        self.note.hide()
        self._refused_cell: tuple[int, int] | None = None
        layout.addWidget(self.note)
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

    def _refused(self, row: int, column: int, text: str) -> None:
        self._refused_cell = (row, column)
        label = self.field.columns[column].label
        self.note.setText(self.tr("Row %d, %s: “%s” is not a date. Type it as 2025-06-15 or %s; "
                                  "the cell keeps what it had.") % (row + 1, label, text, example()))
        self.note.show()

    def _accepted(self, row: int, column: int) -> None:
        if self._refused_cell == (row, column):
            self._refused_cell = None
            self.note.hide()

    def _put_row(self, row: int, values: dict) -> None:
        for col, column in enumerate(self.field.columns):
            value = values.get(column.id)
            item = QTableWidgetItem(cell_text(column, value))
            item.setData(VALUE, Held(value))
            self.table.setItem(row, col, item)

    def _set(self, value: Any) -> None:
        self._rows = None
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
            value = held(item.data(VALUE)) if item else None
            if not is_empty(value):
                values[column.id] = value
        return values

    def _cells_changed(self, *_args) -> None:
        self._rows = None

    def value(self) -> Any:
        if self._rows is None:
            self._rows = [self._row_values(r) for r in range(self.table.rowCount())]
        return [dict(row) for row in self._rows]  # each caller its own rows: one may change what it gets

    def add_row(self) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self._put_row(row, {})
        self.table.blockSignals(False)
        self.table.setFocus()  # first: the cell's editor, opened next, keeps the focus
        self.table.setCurrentCell(row, 0)
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
