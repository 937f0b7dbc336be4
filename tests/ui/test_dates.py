"""Dates typed into the form and into table cells, from the keyboard, read back
through the application layer."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget

from tests.ui.keyboard import activate, focused, press, saved_answers, type_text


@pytest.fixture
def day_first():
    """A person whose computer writes dates day first (15/06/2025)."""
    before = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield
    QLocale.setDefault(before)


def _open(make_window, qtbot, template="all-fields", answers=None):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet(template, "Dates", answers or {})
    window.navigate(f"worksheet:{worksheet.id}")
    activate(qtbot, window)
    return window, worksheet.id


def _focus(window, field_id: str):
    editor = window.worksheet_view.rows[field_id].editor
    editor.setFocus(Qt.FocusReason.TabFocusReason)
    return editor


def test_an_iso_date_typed_into_a_date_field_is_shown_and_saved_as_typed(make_window, qtbot):
    window, wid = _open(make_window, qtbot)
    _focus(window, "started")
    type_text(qtbot, "2025-06-15")
    assert focused().text() == "2025-06-15"
    assert saved_answers(window, wid)["started"] == "2025-06-15"


def test_the_short_date_of_the_person_s_locale_is_understood(make_window, qtbot, day_first):
    window, wid = _open(make_window, qtbot)
    _focus(window, "started")
    type_text(qtbot, "15/06/2025")
    press(qtbot, Qt.Key.Key_Tab)
    assert saved_answers(window, wid)["started"] == "2025-06-15"
    assert window.worksheet_view.rows["started"].editor.edit.text() == "2025-06-15"  # unambiguous once left
    type_text(qtbot, "1/7/2025")  # in "finished", one digit for day and month
    assert saved_answers(window, wid)["finished"] == "2025-07-01"


def test_digits_of_other_scripts_and_direction_marks_are_understood(make_window, qtbot, day_first):
    window, wid = _open(make_window, qtbot)
    _focus(window, "started")
    type_text(qtbot, "\u200f١٥/٠٦/٢٠٢٥")  # Arabic-Indic digits, as an Arabic keyboard types them
    assert saved_answers(window, wid)["started"] == "2025-06-15"


def test_clearing_the_text_clears_the_answer(make_window, qtbot):
    window, wid = _open(make_window, qtbot, answers={"started": "2025-01-10"})
    assert window.worksheet_view.rows["started"].editor.edit.text() == "2025-01-10"
    _focus(window, "started")
    press(qtbot, "Ctrl+A")
    press(qtbot, Qt.Key.Key_Backspace)
    assert saved_answers(window, wid).get("started") is None


def test_text_that_is_not_a_date_keeps_the_answer_and_says_why(make_window, qtbot):
    window, wid = _open(make_window, qtbot, answers={"started": "2025-01-10"})
    editor = _focus(window, "started")
    press(qtbot, "Ctrl+A")
    type_text(qtbot, "next spring")
    press(qtbot, Qt.Key.Key_Tab)
    assert saved_answers(window, wid)["started"] == "2025-01-10"
    assert editor.note.isVisible() and "2025-01-10" in editor.note.text()
    assert editor.edit.text() == "next spring"  # left as typed, to be put right


def test_tab_and_shift_tab_always_leave_a_date_field(make_window, qtbot):
    window, wid = _open(make_window, qtbot)
    rows = window.worksheet_view.rows
    _focus(window, "people")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is rows["started"].editor.focusProxy()
    type_text(qtbot, "2025-06-15")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is rows["finished"].editor.focusProxy()
    type_text(qtbot, "2025-06-20")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is rows["scope"].editor.focusProxy()
    press(qtbot, Qt.Key.Key_Backtab)
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is rows["started"].editor.focusProxy()
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is rows["people"].editor.focusProxy()
    answers = saved_answers(window, wid)
    assert (answers["started"], answers["finished"]) == ("2025-06-15", "2025-06-20")


def _calendar() -> QCalendarWidget:
    popup = QApplication.activePopupWidget()
    assert popup is not None, "no calendar opened"
    return popup if isinstance(popup, QCalendarWidget) else popup.findChild(QCalendarWidget)


def test_the_calendar_opens_at_today_or_at_the_date_and_a_day_is_chosen_with_the_keys(make_window, qtbot):
    window, wid = _open(make_window, qtbot)
    _focus(window, "started")
    press(qtbot, "Alt+Down")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    calendar = _calendar()
    assert calendar.selectedDate() == QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (QDate.currentDate().year(), QDate.currentDate().month())
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert saved_answers(window, wid).get("started") is None  # looking is not choosing
    type_text(qtbot, "2025-06-15")
    press(qtbot, "Alt+Down")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    assert _calendar().selectedDate() == QDate(2025, 6, 15)
    press(qtbot, Qt.Key.Key_Right)  # the next day
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert focused() is window.worksheet_view.rows["started"].editor.focusProxy()
    assert saved_answers(window, wid)["started"] == "2025-06-16"


# ---- table cells -----------------------------------------------------------------------------

def _start_editing(window, field_id: str, row: int, column: int):
    table = window.worksheet_view.rows[field_id].editor.table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentCell(row, column)  # editing starts when a cell becomes current
    assert table.state() == table.State.EditingState
    return table


def test_dates_typed_into_table_cells_are_saved(make_window, qtbot, day_first):
    window, wid = _open(make_window, qtbot, "plan", {"activities": [{"activity": "Rent the room"}]})
    _start_editing(window, "activities", 0, 1)
    type_text(qtbot, "2027-03-01")
    press(qtbot, Qt.Key.Key_Tab)  # to End
    type_text(qtbot, "30/04/2027")
    press(qtbot, Qt.Key.Key_Tab)  # to Budget
    type_text(qtbot, "1200")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert saved_answers(window, wid)["activities"] == [
        {"activity": "Rent the room", "start": "2027-03-01", "end": "2027-04-30", "budget": 1200}]
    table = window.worksheet_view.rows["activities"].editor.table
    assert [table.item(0, c).text() for c in (1, 2)] == ["2027-03-01", "2027-04-30"]


def test_a_cell_being_typed_in_is_saved_without_leaving_it(make_window, qtbot):
    window, wid = _open(make_window, qtbot, "plan", {"activities": [{"activity": "Rent the room"}]})
    _start_editing(window, "activities", 0, 1)
    type_text(qtbot, "2027-03-01")
    assert saved_answers(window, wid)["activities"][0]["start"] == "2027-03-01"
    assert focused().text() == "2027-03-01"  # the text stays as typed while the cell is open


def test_a_cell_that_is_not_a_date_keeps_its_value_and_says_why(make_window, qtbot):
    window, wid = _open(make_window, qtbot, "plan", {"activities": [{"activity": "A", "start": "2027-03-01"}]})
    _start_editing(window, "activities", 0, 1)
    press(qtbot, "Ctrl+A")
    type_text(qtbot, "soon")
    press(qtbot, Qt.Key.Key_Tab)
    assert saved_answers(window, wid)["activities"][0]["start"] == "2027-03-01"
    note = window.worksheet_view.rows["activities"].editor.note
    assert note.isVisible() and "soon" in note.text() and "Start" in note.text()


def test_a_cell_s_calendar_opens_at_its_date(make_window, qtbot):
    window, wid = _open(make_window, qtbot, "plan", {"activities": [{"activity": "A", "start": "2027-03-01"}]})
    table = _start_editing(window, "activities", 0, 1)
    press(qtbot, "Alt+Down")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    assert _calendar().selectedDate() == QDate(2027, 3, 1)
    press(qtbot, Qt.Key.Key_Down)  # a week later
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert table.state() == table.State.EditingState  # still in the cell
    assert saved_answers(window, wid)["activities"][0]["start"] == "2027-03-08"


def test_tab_moves_cell_by_cell_and_leaves_the_table_at_its_end(make_window, qtbot):
    window, wid = _open(make_window, qtbot, "plan", {"activities": [{"activity": "A"}, {"activity": "B"}]})
    rows = window.worksheet_view.rows
    table_editor = rows["activities"].editor
    table = table_editor.table
    _focus(window, "objective")
    press(qtbot, Qt.Key.Key_Tab)
    assert (table.currentRow(), table.currentColumn()) == (0, 0)
    visited = []
    for _ in range(7):
        press(qtbot, Qt.Key.Key_Tab)
        visited.append((table.currentRow(), table.currentColumn()))
    assert visited == [(0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)]
    press(qtbot, Qt.Key.Key_Tab)  # past the last cell: out of the table
    assert focused() is table_editor.buttons["add"]
    press(qtbot, Qt.Key.Key_Backtab)  # back in, at the last cell
    assert table.hasFocus() or table.isAncestorOf(focused())
    press(qtbot, Qt.Key.Key_Backtab)
    assert (table.currentRow(), table.currentColumn()) == (1, 2)
    press(qtbot, "Ctrl+Shift+Tab")  # out backwards from anywhere
    assert focused() is rows["objective"].editor.focusProxy()
    press(qtbot, Qt.Key.Key_Tab)
    assert table.hasFocus() or table.isAncestorOf(focused())
    press(qtbot, "Ctrl+Tab")  # out forwards from anywhere
    assert focused() is table_editor.buttons["add"]


def test_shift_tab_at_the_first_cell_leaves_the_table_backwards(make_window, qtbot):
    window, wid = _open(make_window, qtbot, "plan", {"activities": [{"activity": "A"}]})
    rows = window.worksheet_view.rows
    _start_editing(window, "activities", 0, 1)
    press(qtbot, Qt.Key.Key_Backtab)
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is rows["objective"].editor.focusProxy()


def test_an_empty_table_is_passed_with_one_tab(make_window, qtbot):
    window, wid = _open(make_window, qtbot, "plan")
    rows = window.worksheet_view.rows
    _focus(window, "objective")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is rows["activities"].editor.table
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is rows["activities"].editor.buttons["add"]
    press(qtbot, Qt.Key.Key_Space)  # Add row: typing goes into its first cell
    type_text(qtbot, "Train staff")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "2027-05-01")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.wait(20)
    assert saved_answers(window, wid)["activities"] == [{"activity": "Train staff", "start": "2027-05-01"}]

