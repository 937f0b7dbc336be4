"""One editor widget per field type; the generic form puts them together.

Each editor has ``value()``, ``set_value()``, ``set_read_only()`` and the
``edited`` signal, emitted on every change a person makes (not on
``set_value``), so the form can autosave.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton, QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit,
    QRadioButton, QVBoxLayout, QWidget,
)

from companion.worksheets.template import Field
from companion.ui.plain import no_mnemonic, plain_label
from companion.ui.widgets.wrapping import WrappingCheckBox
from companion.ui.widgets.dates import ISO_FORMAT, DateLineEdit, NotADate, example


class _LeaveUndoToTheWorksheet(QObject):
    """Text boxes keep their own undo history; this lets Ctrl+Z reach the
    worksheet's, which undoes a change in any field and saves it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)):
            event.ignore()
            return True
        return False


UNDO_FILTER = _LeaveUndoToTheWorksheet()


class FieldEditor(QWidget):
    edited = Signal()
    """Emitted when the person changes the value."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._loading = False
        self.setAccessibleName(field.label)
        if field.help:
            self.setAccessibleDescription(field.help)

    def _emit(self, *_: Any) -> None:
        if not self._loading:
            self.edited.emit()

    def set_value(self, value: Any) -> None:
        """Show ``value`` without counting it as the person's edit (each
        subclass defines ``_set`` and ``value``)."""
        self._loading = True
        try:
            self._set(value)
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        """Keep the value legible (not greyed out) but take no input."""
        for control in self.findChildren(QWidget):
            if not isinstance(control, (QAbstractButton, QComboBox)):
                continue
            control.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            control.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)

class TextEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(field.label)
        if field.max_length:
            self.edit.setMaxLength(field.max_length)
        self.edit.textEdited.connect(self._emit)
        self.edit.installEventFilter(UNDO_FILTER)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def value(self) -> Any:
        return self.edit.text()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class LongTextEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(field.label)
        self.edit.setTabChangesFocus(True)
        self.edit.setUndoRedoEnabled(False)
        self.edit.textChanged.connect(self._fit_height)
        self.edit.installEventFilter(UNDO_FILTER)
        self.edit.textChanged.connect(self._emit)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def _set(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow with the text, from three lines to about fifteen, then scroll."""
        lines = max(self.edit.document().size().height(), 1)
        line = self.edit.fontMetrics().lineSpacing()
        wanted = int(min(max(lines, 3), 15) * line + 2 * self.edit.document().documentMargin() + 8)
        self.edit.setFixedHeight(wanted)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_height()

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class NumberEditor(TextEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        low = field.min if field.min is not None else -1e12
        high = field.max if field.max is not None else 1e12
        if field.integer:
            validator = QIntValidator(int(max(low, -2**31)), int(min(high, 2**31 - 1)), self)  # Qt's int is 32-bit
        else:
            validator = QDoubleValidator(low, high, 4, self)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        validator.setLocale(QLocale.c())
        self.edit.setValidator(validator)
        self.edit.setMaximumWidth(200)
        self.layout().addStretch(1)  # the narrow box starts where the text fields start, not centred
        if field.unit:
            self.edit.setPlaceholderText(field.unit)

    def value(self) -> Any:
        text = self.edit.text().strip().replace(",", ".")
        if not text or text in "-+.":
            return None
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() and "." not in text else number


class DateEditor(FieldEditor):
    """A date typed as text (see :mod:`companion.ui.widgets.dates`); text that is
    not a date yet leaves the answer as it was and says so under the box."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        line = QHBoxLayout()
        self.edit = DateLineEdit(self)
        self.edit.setAccessibleName(field.label)
        if field.help:
            self.edit.setAccessibleDescription(f"{field.help} {self.edit.accessibleDescription()}")
        self.edit.setMaximumWidth(220)
        self.edit.textEdited.connect(self._typed)
        self.edit.installEventFilter(UNDO_FILTER)
        line.addWidget(self.edit)
        line.addStretch(1)
        layout.addLayout(line)
        self.note = plain_label("", self)  # quotes what was typed
        self.note.setObjectName("fieldMessage")
        self.note.setProperty("severity", "warning")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        self._value: str | None = None
        self.setFocusProxy(self.edit)

    def _typed(self, _text: str = "") -> None:
        try:
            value = self.edit.iso()
        except NotADate:
            kept = self._value or self.tr("empty")
            self.note.setText(self.tr("“%s” is not a date yet: type it as 2025-06-15 or %s. "
                                      "Until then the answer stays %s.") % (self.edit.text(), example(), kept))
            self.note.show()
            return
        self.note.hide()
        if value != self._value:
            self._value = value
            self._emit()

    def _set(self, value: Any) -> None:
        date = QDate.fromString(str(value), ISO_FORMAT) if value else QDate()
        self._value = date.toString(ISO_FORMAT) if date.isValid() else None
        self.edit.setText(self._value or "")
        self.note.hide()

    def value(self) -> Any:
        return self._value

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class ChoiceEditor(FieldEditor):
    """One option; a drop-down with an empty first entry."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(field.label)
        self.combo.addItem("")
        self.choices = [None] + [option.id for option in field.options]  # see table.Held: no None from Qt
        for option in field.options:
            self.combo.addItem(option.label)
        self.combo.currentIndexChanged.connect(self._emit)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)

    def _set(self, value: Any) -> None:
        self.combo.setCurrentIndex(self.choices.index(value) if value in self.choices else 0)

    def value(self) -> Any:
        return self.choices[max(self.combo.currentIndex(), 0)]


class RatingEditor(FieldEditor):
    """A scale as a row of radio buttons (arrow keys move along it)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        for number in field.scale():
            label = field.labels.get(number)
            button = QRadioButton(no_mnemonic(f"{number} {label}") if label else str(number), self)
            button.setAccessibleName(f"{field.label}: {number}" + (f" {label}" if label else ""))
            self.group.addButton(button, number)
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.idClicked.connect(self._emit)
        first = self.group.buttons()[0] if self.group.buttons() else None
        if first:
            self.setFocusProxy(first)

    def _set(self, value: Any) -> None:
        self.group.setExclusive(False)
        for button in self.group.buttons():
            button.setChecked(self.group.id(button) == value)
        self.group.setExclusive(True)

    def value(self) -> Any:
        number = self.group.checkedId()
        return None if number == -1 else number


class OptionsEditor(FieldEditor):
    """Several options (multichoice) or ticks against items (checklist)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for option in field.options:
            box = WrappingCheckBox(no_mnemonic(option.label), self)  # an "&" in the pack stays an "&"
            box.setAccessibleName(f"{field.label}: {option.label}")
            box.toggled.connect(self._emit)
            layout.addWidget(box)
            self.boxes.append((option.id, box))
        if self.boxes:
            self.setFocusProxy(self.boxes[0][1])

    def _set(self, value: Any) -> None:
        chosen = set(value or [])
        for option_id, box in self.boxes:
            box.setChecked(option_id in chosen)

    def value(self) -> Any:
        return [option_id for option_id, box in self.boxes if box.isChecked()]


EDITORS: dict[str, type[FieldEditor]] = {
    "text": TextEditor,
    "longtext": LongTextEditor,
    "number": NumberEditor,
    "date": DateEditor,
    "choice": ChoiceEditor,
    "rating": RatingEditor,
    "multichoice": OptionsEditor,
    "checklist": OptionsEditor,
}
