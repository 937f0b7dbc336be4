"""A keyboard-only path through the companion, as a person who uses no mouse
takes it: find the action plan with Ctrl+K, start a worksheet, fill every
field of it (text, long text, choices, numbers, dates, tables with dates in
them, Portuguese and Arabic through the input method), export it with Ctrl+E
from inside a field, and go Back twice with Alt+Left. Every key goes to the
widget that has the focus; what was typed is read back through the
application layer."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from tests.conftest import BUNDLED_PACK
from tests.ui.keyboard import activate, focused, press, tab_to, type_text

PORTUGUESE = "Plano de ação: uma porta única"
ARABIC = "خطة عمل المدينة"
RESULT = Qt.ItemDataRole.UserRole




@pytest.fixture(autouse=True, scope="module")
def spare_references():
    """PySide6 6.12.0 on Python 3.11 drops a reference to None (or True, False)
    on every call that returns one: a few thousand calls and the process
    aborts ("deallocating None"); 6.11 does not. This path makes far more
    calls than that: the references it will lose are given beforehand, for
    good, so the test stays about the keys."""
    if sys.version_info < (3, 12):
        import ctypes

        for value in (None, True, False):
            for _ in range(200_000):
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


@pytest.fixture
def day_first():
    """Dates on this computer are written day first (15/06/2025)."""
    before = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield
    QLocale.setDefault(before)


def _find_and_open_the_template(window, qtbot) -> None:
    press(qtbot, "Ctrl+K")
    assert focused() is window.study_ui.search_box
    type_text(qtbot, "action plan")
    press(qtbot, Qt.Key.Key_Down)  # into the results
    view = window.study_ui.search_view
    for _ in range(40):
        result = view.found[view.results.currentIndex().data(RESULT)]
        if (result.kind, result.id) == ("template", "action-plan"):
            break
        press(qtbot, Qt.Key.Key_Down)
    else:
        raise AssertionError("the action plan's template is not among the results")
    press(qtbot, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.list_view
    assert window.list_view.template.id == "action-plan"


def _create_a_worksheet(window, qtbot, title: str) -> int:
    """The template page puts the focus on New worksheet; Space presses it, and
    the title is typed into the dialog it opens."""
    assert focused() is window.list_view.new_button
    answered = []

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or not dialog.isAncestorOf(QApplication.focusWidget()):
            QTimer.singleShot(10, answer)
            return
        press(qtbot, "Ctrl+A")
        type_text(qtbot, title)
        press(qtbot, Qt.Key.Key_Return)
        answered.append(True)

    QTimer.singleShot(0, answer)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(answered))
    # a window manager gives the window the keyboard back when the dialog
    # closes; offscreen and bare Xvfb have none
    activate(qtbot, window)
    view = window.worksheet_view
    assert window.stack.currentWidget() is view and view.worksheet.title == title
    return view.worksheet.id


def _type_a_row(qtbot, field, row: int) -> dict:
    """Type one row into the cell being edited, column by column, Tab between
    them; returns what the row should hold."""
    values = {}
    for number, column in enumerate(field.columns):
        if number:
            press(qtbot, Qt.Key.Key_Tab)
        if column.type == "text":
            text = f"{column.label} {row + 1}" + (" — ação" if row == 0 and number == 0 else "")
            type_text(qtbot, text)
            values[column.id] = text
        elif column.type == "number":
            type_text(qtbot, f"{(row + 1) * 1500}")
            values[column.id] = (row + 1) * 1500
        elif column.type == "date" and column.not_before:  # an end date, written day first
            type_text(qtbot, f"30/0{row + 4}/2027")
            values[column.id] = f"2027-0{row + 4}-30"
        elif column.type == "date":
            type_text(qtbot, f"2027-0{row + 3}-01")
            values[column.id] = f"2027-0{row + 3}-01"
        elif column.type in ("choice", "rating"):
            press(qtbot, Qt.Key.Key_Down)  # the first choice of the drop-down
            values[column.id] = column.options[0].id if column.type == "choice" else column.scale()[0]
    press(qtbot, Qt.Key.Key_Tab)  # past the last cell: out of the table, onto "Add row"
    return values


def _fill(window, qtbot, field) -> object:
    """Tab to the field and fill it from the keyboard; returns the answer it should hold."""
    view = window.worksheet_view
    editor = view.rows[field.id].editor
    tab_to(qtbot, editor)
    if field.type == "text":
        text = {"title": PORTUGUESE, "owner": f"Dina Mensah, {ARABIC}"}.get(field.id, f"{field.label}: yes")
        type_text(qtbot, text)
        return text
    if field.type == "longtext":
        type_text(qtbot, f"{field.label}, first line.")
        press(qtbot, Qt.Key.Key_Return)
        type_text(qtbot, ARABIC)
        return f"{field.label}, first line.\n{ARABIC}"
    if field.type == "number":
        type_text(qtbot, "12000")
        return 12000
    if field.type == "date":
        type_text(qtbot, "15/06/2027")
        return "2027-06-15"
    if field.type == "choice":
        press(qtbot, Qt.Key.Key_Down)
        return field.options[0].id
    if field.type == "rating":
        press(qtbot, Qt.Key.Key_Space)
        return field.scale()[0]
    if field.type in ("multichoice", "checklist"):
        press(qtbot, Qt.Key.Key_Space)  # the first option
        chosen = [field.options[0].id]
        other = next((b for oid, b in editor.boxes if oid == "other"), None)
        shows = any(f.show_if and f.show_if[0] == field.id for f in window.worksheet_view.template.fields())
        if other is not None and shows:  # "other", and the field it shows
            tab_to(qtbot, other)
            press(qtbot, Qt.Key.Key_Space)
            chosen.append("other")
        return chosen
    if field.type == "table":
        assert focused() is editor.table  # an empty table is one stop
        press(qtbot, Qt.Key.Key_Tab)
        rows = []
        for row in range(max(field.min_rows or 0, 1)):
            assert focused() is editor.buttons["add"]
            press(qtbot, Qt.Key.Key_Space)  # a new row, its first cell open for typing
            rows.append(_type_a_row(qtbot, field, row))
        return rows
    raise AssertionError(f"no keys for a {field.type} field")


def test_find_fill_and_export_the_action_plan_without_the_mouse(make_window, qtbot, tmp_path, monkeypatch,
                                                                 day_first):
    window = make_window(pack=BUNDLED_PACK)
    activate(qtbot, window)
    _find_and_open_the_template(window, qtbot)
    worksheet_id = _create_a_worksheet(window, qtbot, "Plano de Mirazul")
    view = window.worksheet_view

    expected = {}
    for field in view.template.fields():
        row = view.rows.get(field.id)
        if field.type == "computed" or row is None or row.isHidden():
            continue
        expected[field.id] = _fill(window, qtbot, field)
    window.flush_worksheet()
    answers = window.workbook.book.worksheet(worksheet_id).answers
    assert {k: answers.get(k) for k in expected} == expected
    skipped = {f.id for f in view.template.fields() if f.type != "computed"} - set(expected)
    assert skipped <= {f.id for f in view.template.fields() if f.show_if}  # only fields nobody asked for

    shot = tmp_path / "action-plan-form.png"
    assert view.scroll.widget().grab().save(str(shot))  # the whole form as typed, to look at

    out = tmp_path / "plano.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    first_step = view.rows["first-step"].editor
    tab_to(qtbot, first_step, backwards=True)
    with qtbot.waitSignal(window.export_finished, timeout=60000) as finished:
        press(qtbot, "Ctrl+E")  # from inside a one-line field
    assert finished.args == [str(out)] and out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Plano de ação" in text and "2027-04-30" in text
    activate(qtbot, window)  # after the progress window, as a window manager does
    assert focused() is first_step.focusProxy()  # the keyboard is where it was

    press(qtbot, "Alt+Left")  # Back: the template's page
    assert window.stack.currentWidget() is window.list_view
    assert window.list_view.template.id == "action-plan"
    press(qtbot, "Alt+Left")  # Back again: the search results
    assert window.stack.currentWidget() is window.study_ui.search_view
    assert window.study_ui.search_view.query == "action plan"
