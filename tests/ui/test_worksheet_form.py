"""Filling a worksheet: typing is stored, survives closing, and every type round-trips."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def _type_unicode(widget, text: str) -> None:
    """qtbot.keyClicks aborts on non-ASCII (STACK_NOTES.md): send each character."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def test_typing_is_saved_and_found_again_after_closing(make_window, qtbot, tmp_path):
    window = make_window(tmp_path / "d")
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("plan").id))
    edit = window.worksheet_view.rows["title"].editor.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "Open a migrant resource centre")
    _type_unicode(edit, " em Mirazul: informação")
    window.close()  # at once, no pause for the autosave timer
    again = make_window(tmp_path / "d")
    worksheet = again.workbook.book.worksheets()[0]
    assert again.workbook.book.worksheet(worksheet.id).answers["title"] == \
        "Open a migrant resource centre em Mirazul: informação"
    again.navigate(f"worksheet:{worksheet.id}")
    assert again.worksheet_view.rows["title"].editor.edit.text().endswith("informação")


def test_autosave_stores_within_half_a_second_and_says_saved(make_window, qtbot):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan")
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    qtbot.keyClicks(view.rows["objective"].editor.edit, "Serve 300 returnees")
    assert view.saved.text() == "Saving…"
    with qtbot.waitSignal(view.answers_saved, timeout=1500):
        pass
    assert view.saved.text().startswith("Saved ")
    assert window.workbook.book.worksheet(worksheet.id).answers["objective"] == "Serve 300 returnees"


def test_every_field_type_round_trips_through_the_form(make_window, tmp_path):
    window = make_window(tmp_path / "d")
    template = window.workbook.template("all-fields")
    worksheet = window.workbook.book.create_worksheet("all-fields", "All", template.example)
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    shown = {k: v for k, v in view.values().items() if v not in (None, "", [])}
    assert shown == window.workbook.book.worksheet(worksheet.id).answers
    # change one of each kind through the widgets, then reopen
    rows = view.rows
    rows["people"].editor.edit.setText("40")
    rows["people"].editor.edit.textEdited.emit("40")
    rows["finished"].editor.edit.setText("2025-12-31")
    rows["finished"].editor.edit.textEdited.emit("2025-12-31")
    rows["scope"].editor.combo.setCurrentIndex(1)
    rows["themes"].editor.boxes[2][1].setChecked(True)
    rows["confidence"].editor.group.button(2).click()
    rows["steps"].editor.boxes[1][1].setChecked(True)
    rows["actors"].editor.add_row()
    window.close()
    stored = make_window(tmp_path / "d").workbook.book.worksheet(worksheet.id).answers
    assert stored["people"] == 40 and stored["finished"] == "2025-12-31"
    assert stored["scope"] == "city" and "scope-other" in stored
    assert stored["themes"] == ["health", "jobs", "housing"]
    assert stored["confidence"] == 2 and stored["steps"] == ["map", "meet"]
    assert len(stored["actors"]) == 3 and stored["actors"][0]["actor"] == "City council"


def test_show_if_hides_and_shows_a_field(make_window):
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("all-fields").id))
    rows = window.worksheet_view.rows
    assert rows["scope-other"].isHidden()
    rows["scope"].editor.combo.setCurrentIndex(3)
    assert not rows["scope-other"].isHidden()


def test_table_rows_can_be_added_moved_and_removed(make_window):
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("plan", "P", {
        "activities": [{"activity": "A"}, {"activity": "B"}]}).id))
    table = window.worksheet_view.rows["activities"].editor
    table.table.setCurrentCell(0, 0)
    table.move_row(1)
    assert [r.get("activity") for r in table.value()] == ["B", "A"]
    table.remove_row()
    assert [r.get("activity") for r in table.value()] == ["B"]


def test_a_required_field_left_empty_shows_its_error_beside_it(make_window, qtbot):
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("plan").id))
    view = window.worksheet_view
    assert view.rows["title"].message.isHidden()  # not on a worksheet nobody has touched
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.rows["title"].editor.edit.setFocus()
    view.rows["objective"].editor.edit.setFocus()  # the title is left empty
    assert view.rows["title"].message.text() == "This field is required."
    qtbot.keyClicks(view.rows["title"].editor.edit, "x")
    view.flush()
    assert view.rows["title"].message.isHidden()


def test_the_form_can_be_filled_from_the_keyboard(make_window, qtbot):
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("plan").id))
    view = window.worksheet_view
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    view.rows["title"].editor.edit.setFocus()
    qtbot.keyClicks(view.rows["title"].editor.edit, "Plan")
    qtbot.keyClick(view.rows["title"].editor.edit, Qt.Key.Key_Tab)
    assert view.rows["objective"].editor.edit.hasFocus()
    qtbot.keyClicks(view.rows["objective"].editor.edit, "Goal")
    view.flush()
    assert window.workbook.book.worksheet(view.worksheet.id).answers == {"title": "Plan", "objective": "Goal"}


def test_long_options_wrap_so_the_form_never_scrolls_sideways(make_window, qtbot):
    from tests.conftest import BUNDLED_PACK

    window = make_window(pack=BUNDLED_PACK)
    window.resize(1280, 800)
    window.show()
    plan = window.workbook.book.create_worksheet("action-plan", "One door")
    window.navigate(f"worksheet:{plan.id}")
    qtbot.wait(50)
    view = window.worksheet_view
    assert not view.scroll.horizontalScrollBar().isVisible()
    editor = view.rows["gcm-objectives"].editor
    box = editor.boxes[11][1]  # "12 Screening and referral: ..." is longer than the form is wide
    assert box.fontMetrics().horizontalAdvance(box.text()) > box.width()
    assert box.height() >= 2 * box.fontMetrics().height()  # on two lines, all of it shown
    view.scroll.ensureWidgetVisible(box)
    qtbot.wait(50)
    toggles = []
    box.toggled.connect(toggles.append)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() // 3, box.height() - box.fontMetrics().height() // 2))
    assert toggles == [True] and box.isChecked()  # a click on the second line of the text ticks it
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert not box.isChecked()
    qtbot.wait(700)
    assert window.workbook.book.worksheet(plan.id).answers.get("gcm-objectives") in (None, [])
