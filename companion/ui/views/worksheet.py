"""The generic worksheet form: any template, autosaved as the person types."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QApplication, QFrame, QGroupBox, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from companion.content.markdown import to_html
from companion.errors import CompanionError
from companion.worksheets import answers as answers_mod, computed
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Template
from companion.ui import dialogs
from companion.ui.plain import escape, no_mnemonic, plain_label, rich_label
from companion.ui.widgets.computed import ComputedEditor
from companion.ui.widgets.fields import EDITORS
from companion.ui.widgets.form import EditCommand, FieldRow
from companion.ui.widgets.table import TableEditor
from companion.ui.views.reader import Browser
from companion.ui.views.worksheet_problems import ProblemList, Shown, first_field, row_of
from companion.ui.numbers import filled

SAVE_DELAY_MS = 400


class WorksheetView(QWidget):
    answers_saved = Signal(int, str)
    """Emitted with the worksheet id and the time, once answers are stored."""
    save_failed = Signal(str)
    """Emitted with the reason when answers could not be stored (they stay in the form)."""
    example_requested = Signal(str)
    """Emitted with a template id when the person asks for its worked example."""
    export_requested = Signal(int)
    """Emitted with the worksheet id when the person asks for a PDF."""

    def __init__(self, workbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.worksheet: Worksheet | None = None
        self.template: Template | None = None
        self.rows: dict[str, FieldRow] = {}
        self._dirty: set[str] = set()
        self._values: dict[str, Any] = {}
        self.undo_stack = QUndoStack(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QWidget(self)
        header.setObjectName("worksheetHeader")
        top = QVBoxLayout(header)
        # the title and the template's name come from a share file or a pack: plain text
        self.kicker = plain_label("", header)
        self.kicker.setObjectName("kicker")
        self.title = plain_label("", header)
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        line = QHBoxLayout()
        self.saved = plain_label("", header)
        self.saved.setObjectName("savedIndicator")
        self.saved.setAccessibleName(self.tr("Save status"))
        self.instructions_button = QPushButton(self.tr("Instructions"), header)
        self.instructions_button.setCheckable(True)
        self.instructions_button.setAccessibleName(self.tr("Show or hide the instructions"))
        self.example_button = QPushButton(self.tr("Worked example"), header)
        self.example_button.setAccessibleName(self.tr("Open the worked example"))
        self.export_button = QPushButton(self.tr("Export PDF…"), header)
        self.export_button.setAccessibleName(self.tr("Export this worksheet to PDF"))
        self.complete_button = QPushButton(header)
        self.history_button = QPushButton(self.tr("History…"), header)
        self.history_button.setAccessibleName(self.tr("Show the saved versions of this worksheet"))
        self.progress = plain_label("", header)
        self.progress.setObjectName("savedIndicator")
        self.progress.setAccessibleName(self.tr("Completion"))
        line.addWidget(self.progress)
        line.addWidget(self.saved)
        line.addStretch(1)
        for button in (self.instructions_button, self.example_button, self.history_button,
                       self.complete_button, self.export_button):
            line.addWidget(button)
        top.addWidget(self.kicker)
        top.addWidget(self.title)
        top.addLayout(line)
        self.banner = plain_label("", header)  # the reason may name a file
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        top.addWidget(self.banner)
        self.shown = Shown()  # problems are shown once a field is left, or all after "Mark complete"
        self.problem_list = ProblemList(header)
        top.addWidget(self.problem_list)
        self.instructions = Browser(header)  # loads nothing from outside the app
        self.instructions.setAccessibleName(self.tr("Instructions"))
        self.instructions.setOpenLinks(False)
        self.instructions.setMaximumHeight(220)
        self.instructions.hide()
        top.addWidget(self.instructions)
        layout.addWidget(header)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.scroll, 1)

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self.flush)
        self.instructions_button.toggled.connect(self.instructions.setVisible)
        self.example_button.clicked.connect(
            lambda: self.template and self.example_requested.emit(self.template.id))
        self.export_button.clicked.connect(
            lambda: self.worksheet and self.export_requested.emit(self.worksheet.id))
        self.complete_button.clicked.connect(self.toggle_complete)
        self.history_button.clicked.connect(self.show_history)
        self.problem_list.go_to.connect(self.focus_field)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # showing -----------------------------------------------------------
    def _form(self, template: Template, values: dict[str, Any], read_only: bool) -> None:
        self.rows.clear()
        form = QWidget()
        form.setObjectName("form")
        layout = QVBoxLayout(form)
        layout.setContentsMargins(24, 12, 24, 24)
        for section in template.sections:
            heading = plain_label(section.title, form)
            heading.setObjectName("sectionTitle")
            heading.setWordWrap(True)
            layout.addWidget(heading)
            if section.help:
                help_label = plain_label(section.help, form)
                help_label.setObjectName("help")
                help_label.setWordWrap(True)
                layout.addWidget(help_label)
            for f in section.fields:
                editor_class = {"table": TableEditor, "computed": ComputedEditor}.get(f.type) or EDITORS[f.type]
                editor = editor_class(f, form)
                editor.set_value(values.get(f.id))
                editor.set_read_only(read_only)
                editor.edited.connect(lambda fid=f.id: self._edited(fid))
                row = FieldRow(editor, form)
                self.rows[f.id] = row
                layout.addWidget(row)
        if self.worksheet is not None:
            version, apart = self.workbook.book.set_apart(self.worksheet)
            if apart:
                layout.addWidget(self._set_apart_box(version, apart, form))
        layout.addStretch(1)
        self.scroll.setWidget(form)
        self._values = self.values()
        self.instructions.setHtml(to_html(template.instructions))
        self._update_visibility()

    def _set_apart_box(self, version: str, apart: list, parent: QWidget) -> QGroupBox:
        """The answers the template has no place for, kept and shown, never dropped."""
        if version == "newer":
            title = self.tr("From a newer version of this worksheet")
            text = self.tr("This worksheet was filled in with a newer version of the companion's content. "
                           "These answers have no place in the version you have; they are kept here and in "
                           "your exports, and come back when your content is updated.")
        else:
            title = self.tr("From an earlier version of this worksheet")
            text = self.tr("The worksheet has changed since you started it. These answers no longer "
                           "have a place in it; they are kept here and in your exports.")
        box = QGroupBox(title, parent)
        box.setAccessibleName(box.title())
        inner = QVBoxLayout(box)
        note = plain_label(text, box)
        note.setWordWrap(True)
        note.setObjectName("help")
        inner.addWidget(note)
        for label, value in apart:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            item = rich_label(f"<b>{escape(label)}</b><br/>{escape(text)}", box)
            item.setWordWrap(True)
            item.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            inner.addWidget(item)
        return box

    def show_worksheet(self, worksheet: Worksheet, template: Template) -> None:
        if not self.flush() and not self._may_discard():
            return  # the unsaved changes stay on screen, and saving is tried again
        self.worksheet, self.template = worksheet, template
        self.kicker.setText(self.tr("Worksheet · %s") % template.title)
        self.title.setText(worksheet.title)
        self.example_button.setVisible(bool(template.example))
        for button in (self.export_button, self.complete_button, self.history_button, self.progress):
            button.setVisible(True)
        self.saved.setText(self._saved_text(worksheet.updated_at))
        self.banner.hide()
        self.undo_stack.clear()
        self.shown.reset()
        self._form(template, answers_mod.split_answers(template, worksheet.answers)[0], read_only=False)
        self._show_issues()

    def show_example(self, template: Template) -> None:
        if not self.flush() and not self._may_discard():
            return
        self.worksheet, self.template = None, template
        self.kicker.setText(self.tr("Worked example · %s") % template.title)
        self.title.setText(template.example_title or template.title)
        for button in (self.example_button, self.export_button, self.complete_button,
                       self.history_button, self.progress):
            button.setVisible(False)
        self.undo_stack.clear()
        self.saved.setText(self.tr("Read only: an example filled in for the fictional city of Mirazul"))
        self.banner.hide()
        self._form(template, template.example, read_only=True)

    def scroll_to(self, field_id: str) -> None:
        row = self.rows.get(field_id)
        if row is not None:
            self.scroll.widget().adjustSize()
            self.scroll.verticalScrollBar().setValue(row.y())
            bar = self.scroll.horizontalScrollBar()
            bar.setValue(bar.minimum())  # a wide form shows its start: the left, or the right in Arabic

    def focus_field(self, field_id: str) -> None:
        """Put the keyboard in a field, scrolled into view."""
        row = self.rows.get(field_id)
        if row is not None:
            self.scroll_to(field_id)
            row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            bar = self.scroll.horizontalScrollBar()
            bar.setValue(bar.minimum())  # the field's start in view (a wide form scrolls sideways)

    def focus_first_field(self) -> None:
        """Where the keyboard starts when a worksheet opens: its first field."""
        field_id = first_field(self.rows)
        if field_id is not None:
            self.focus_field(field_id)

    def values(self) -> dict[str, Any]:
        return {fid: row.editor.value() for fid, row in self.rows.items()}

    def _update_visibility(self) -> None:
        if self.template is None:
            return
        values = self.values()
        for f in self.template.fields():
            row = self.rows.get(f.id)
            if row is not None:
                row.setVisible(answers_mod.is_visible(self.template, f, values))
                if f.type == "computed":
                    row.editor.show_value(computed.computed_value(self.template, f, values))

    def _show_issues(self) -> None:
        if self.template is None or self.worksheet is None:
            return
        found: dict[str, list] = {}
        values = self.values()
        for issue in answers_mod.check(self.template, values):
            if issue.severity == answers_mod.ERROR:
                found.setdefault(issue.field_id, []).append(issue)
        for fid, row in self.rows.items():
            row.show_issues(found.get(fid, []) if self.shown.visible(fid) else [])
        self.problem_list.show_problems(
            [(fid, row.editor.field.label, issue.message) for fid, row in self.rows.items()
             for issue in found.get(fid, []) if not row.isHidden()] if self.shown.all else [])
        self._show_progress(values)

    def _show_progress(self, values: dict[str, Any]) -> None:
        worksheet = self.worksheet
        percent = answers_mod.completion(self.template, values)
        status = self.tr("Complete") if worksheet.status == "complete" else self.tr("Draft")
        self.progress.setText(filled(self.tr("%d %% done · %s ·"), percent, status))
        complete = worksheet.status == "complete"
        self.complete_button.setText(self.tr("Reopen as draft") if complete else self.tr("Mark complete"))
        self.complete_button.setAccessibleName(self.complete_button.text())

    def toggle_complete(self) -> None:
        if self.worksheet is None or not self.flush():
            return
        operation = (self.workbook.book.reopen_worksheet if self.worksheet.status == "complete"
                     else self.workbook.book.complete_worksheet)
        try:
            self.worksheet = operation(self.worksheet.id)
        except CompanionError as exc:
            self.shown.all = True  # every problem beside its field, and listed with a way to each
            self._show_issues()
            dialogs.information(self, self.tr("Not complete yet"), str(exc))
            self.problem_list.focus_first()
        self._show_issues()

    def show_history(self) -> None:
        from companion.ui.views.history import HistoryDialog

        if self.worksheet is None or not self.flush():
            return
        dialog = HistoryDialog(self.workbook, self.worksheet, self.template, self)
        if dialog.exec() and dialog.restored is not None:
            self.show_worksheet(dialog.restored, self.template)
            self.answers_saved.emit(dialog.restored.id, dialog.restored.updated_at)

    def apply_value(self, field_id: str, value: Any) -> None:
        """Show ``value`` in a field and save it (undo and redo come here)."""
        row = self.rows.get(field_id)
        if row is None or self.worksheet is None:
            return
        row.editor.set_value(value)
        self._values[field_id] = row.editor.value()
        self._dirty.add(field_id)
        self._timer.start()
        self._update_visibility()

    # saving ------------------------------------------------------------
    def _edited(self, field_id: str) -> None:
        if self.worksheet is None:
            return
        new = self.rows[field_id].editor.value()
        old = self._values.get(field_id)
        if new != old:
            self._values[field_id] = new
            # the Edit menu shows it as "Undo Edit '…'": an "&" in the label stays an "&"
            label = self.tr("Edit '%s'") % no_mnemonic(self.rows[field_id].editor.field.label)
            self.undo_stack.push(EditCommand(self, field_id, old, new, label))
        self._dirty.add(field_id)
        self.saved.setText(self.tr("Saving…"))
        self._timer.start()
        self._update_visibility()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        left = row_of(self.rows, old) if self.worksheet is not None else None
        if left is not None and row_of(self.rows, new) != left and left not in self.shown.left:
            self.shown.left.add(left)  # its problem, if any, may be shown now
            if not self._dirty:
                self._show_issues()
        if self._dirty and old is not None and self.isAncestorOf(old):
            self.flush()

    def flush(self) -> bool:
        """Store every pending change now; True when nothing is left unsaved."""
        self._timer.stop()
        if not self._dirty or self.worksheet is None:
            return True
        changed = {fid: self.rows[fid].editor.value() for fid in self._dirty if fid in self.rows}
        try:
            stamp = self.workbook.book.save_answers(self.worksheet.id, changed)
        except CompanionError as exc:
            self.banner.setText(self.tr("Your last changes are not saved yet: %s. "
                                        "They stay in this window and saving is tried again.") % exc)
            self.banner.show()
            self.saved.setText(self.tr("Not saved"))
            self.save_failed.emit(str(exc))
            self._timer.start(3000)
            return False
        self._dirty.clear()
        self._timer.setInterval(SAVE_DELAY_MS)  # after a retry every 3 s, back to saving as one types
        self.worksheet.answers.update(changed)
        self.worksheet.updated_at = stamp
        self.banner.hide()
        self.saved.setText(self._saved_text(stamp))
        self._show_issues()
        self.answers_saved.emit(self.worksheet.id, stamp)
        return True

    def _may_discard(self) -> bool:
        """Changes that cannot be saved, before showing something else: True
        when the person lets them go; False keeps them here (retried)."""
        button = dialogs.QMessageBox.StandardButton
        answer = dialogs.warning(
            self, self.tr("Changes not saved"),
            self.tr("Your last changes could not be saved yet. Cancel to stay with them (saving is "
                    "tried again), or discard them and go on?"),
            button.Cancel | button.Discard, button.Cancel)
        if answer != button.Discard:
            return False
        self.forget()
        return True

    def forget(self) -> None:
        """Let go of the worksheet shown and its unsaved changes (after a
        restore replaced the data, or when the person discards them)."""
        self._timer.stop()
        self._timer.setInterval(SAVE_DELAY_MS)
        self._dirty.clear()
        self.undo_stack.clear()
        self.worksheet = None
        self.banner.hide()

    def _saved_text(self, stamp: str) -> str:
        try:
            local = dt.datetime.fromisoformat(stamp).astimezone()
        except ValueError:
            return self.tr("Saved")
        return self.tr("Saved %s") % local.strftime("%H:%M:%S")
