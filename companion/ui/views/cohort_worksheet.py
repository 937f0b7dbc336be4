"""A worksheet a participant handed in, shown read only: the trainer reads it
in the same form a participant fills in, and nothing can be typed or saved."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QScrollArea, QVBoxLayout, QWidget

from companion.ui.plain import plain_label, window_title
from companion.ui.widgets.computed import ComputedEditor
from companion.ui.widgets.fields import EDITORS
from companion.ui.widgets.form import FieldRow
from companion.ui.widgets.table import TableEditor
from companion.worksheets import answers as answers_mod


class HandedInDialog(QDialog):
    def __init__(self, worksheet, person, parent=None) -> None:
        super().__init__(parent)
        self.worksheet = worksheet
        template = worksheet.template
        self.setWindowTitle(window_title(f"{person.name} · {worksheet.title}"))
        self.setAccessibleName(self.tr("A worksheet handed in, read only"))
        self.resize(880, 760)
        layout = QVBoxLayout(self)
        who = ", ".join(x for x in (person.name, person.organisation, person.city, person.country) if x)
        status = self.tr("complete") if worksheet.status == "complete" else self.tr("draft")
        heading = plain_label(worksheet.title, self)
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.about = plain_label(self.tr("%s · %s, version %d · %s, %d%% filled in · last saved %s (UTC) · "
                                         "from %s · read only") % (
            who, template.title, worksheet.template_version, status, worksheet.completion,
            worksheet.saved_text or "?", worksheet.file), self)
        self.about.setObjectName("help")
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        self.scroll = QScrollArea(self)
        self.scroll.setAccessibleName(self.tr("The worksheet's answers"))
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self._form(template, worksheet.answers))
        layout.addWidget(self.scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _form(self, template, values) -> QWidget:
        form = QWidget()
        form.setObjectName("form")
        layout = QVBoxLayout(form)
        layout.setContentsMargins(18, 8, 18, 18)
        self.rows: dict[str, FieldRow] = {}
        for section in template.sections:
            shown = [f for f in section.fields if answers_mod.is_visible(template, f, values)]
            if not shown:
                continue
            heading = plain_label(section.title, form)
            heading.setObjectName("sectionTitle")
            heading.setWordWrap(True)
            layout.addWidget(heading)
            for f in shown:
                editor = ({"table": TableEditor, "computed": ComputedEditor}.get(f.type) or EDITORS[f.type])(f, form)
                editor.set_value(values.get(f.id))
                editor.set_read_only(True)
                row = FieldRow(editor, form)
                self.rows[f.id] = row
                layout.addWidget(row)
        layout.addStretch(1)
        return form
