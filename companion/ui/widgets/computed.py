"""A computed field in the form: its value (a table column's total, count or
latest date) shown read-only and updated as the person types; never stored."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from companion.worksheets import answers as answers_mod
from companion.worksheets.template import Field
from companion.ui.widgets.fields import FieldEditor


class ComputedEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setReadOnly(True)
        self.edit.setAccessibleName(field.label)
        self.edit.setAccessibleDescription(self.tr("Computed from the worksheet: it cannot be typed"))
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def _set(self, value: Any) -> None:
        self.show_value(value)

    def show_value(self, value: Any) -> None:
        self.edit.setText("" if answers_mod.is_empty(value) else answers_mod.display_text(self.field, value))

    def value(self) -> Any:
        return None  # never stored: worked out from the answers each time

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(True)
