"""Every menu shortcut works wherever the keyboard focus is: in a one-line
field, a multi-line field, a table cell being edited, and the tree.

Text boxes claim some keys for themselves (a one-line box takes Ctrl+E on a
Linux desktop, every text box takes Ctrl+Z); which ones depends on the
platform's key scheme, so the same tests also run in a real X window under
Xvfb when it is there (the last test)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from tests.conftest import ROOT
from tests.ui.keyboard import activate, focused, press, type_text

KIND, IDENT = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
PLACES = ("one-line field", "multi-line field", "table cell", "tree")


@pytest.fixture
def asked(monkeypatch):
    """The file dialogs and the chooser of worksheets, answered "cancel"; returns what was asked."""
    from companion.ui.views.choose import ChooseWorksheets

    calls = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: calls.append("save") or ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: calls.append("open") or ([], ""))
    monkeypatch.setattr(ChooseWorksheets, "exec", lambda self: calls.append("choose") or 0)
    return calls


def _go_to(window, qtbot, worksheet_id: int, place: str) -> None:
    """Show the worksheet and put the focus in ``place``, as a person would have it."""
    window.open_worksheet(worksheet_id)
    rows = window.worksheet_view.rows
    if place == "one-line field":
        rows["title"].editor.setFocus(Qt.FocusReason.TabFocusReason)
    elif place == "multi-line field":
        rows["objective"].editor.setFocus(Qt.FocusReason.TabFocusReason)
    elif place == "table cell":
        table = rows["activities"].editor.table
        table.setFocus(Qt.FocusReason.TabFocusReason)
        table.setCurrentCell(0, 1)
        assert table.state() == table.State.EditingState
    else:
        window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(5)


def _an_undo_step(window, qtbot, worksheet_id: int, place: str, undone: bool) -> int:
    """Type into the title so there is something to undo (and undo it for a redo),
    then go to ``place``; returns the undo stack's position."""
    _go_to(window, qtbot, worksheet_id, "one-line field")
    type_text(qtbot, "x")
    view = window.worksheet_view
    if undone:
        view.undo_stack.undo()
    stack_index = view.undo_stack.index()
    if place != "one-line field":
        view.undo_stack.blockSignals(True)  # the next focus change saves; the stack stays as it is
        _go_to_without_rebuilding(window, qtbot, place)
        view.undo_stack.blockSignals(False)
    return stack_index


def _go_to_without_rebuilding(window, qtbot, place: str) -> None:
    rows = window.worksheet_view.rows
    if place == "multi-line field":
        rows["objective"].editor.setFocus(Qt.FocusReason.TabFocusReason)
    elif place == "table cell":
        table = rows["activities"].editor.table
        table.setFocus(Qt.FocusReason.TabFocusReason)
        table.setCurrentCell(0, 1)
    else:
        window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(5)


def _tree_row(window) -> tuple:
    index = window.nav.currentIndex()
    return index.data(KIND), index.data(IDENT)


CHECKS = {
    # key: (what happens, how to see it happened)
    "Ctrl+E": ("export this worksheet to PDF", lambda w, asked, before: asked == ["save"]),
    "Ctrl+Shift+E": ("choose worksheets to export", lambda w, asked, before: asked == ["choose"]),
    "Ctrl+I": ("import worksheets", lambda w, asked, before: asked == ["open"]),
    "Ctrl+K": ("go to the search box", lambda w, asked, before: w.study_ui.search_box.hasFocus()),
    "Ctrl+L": ("go to the contents", lambda w, asked, before: w.nav.hasFocus()),
    "Ctrl+G": ("show the glossary", lambda w, asked, before: w.stack.currentWidget() is w.reader
               and _tree_row(w) == ("view", "glossary")),
    "Alt+Home": ("show the home page", lambda w, asked, before: w.stack.currentWidget() is w.reader
                 and _tree_row(w) == ("home", "")),
    "Ctrl++": ("larger text", lambda w, asked, before: w.study_ui.appearance.step == before + 1),
    "Ctrl+-": ("smaller text", lambda w, asked, before: w.study_ui.appearance.step == before - 1),
    "Ctrl+Z": ("undo", lambda w, asked, before: w.worksheet_view.undo_stack.index() == before - 1),
    "Ctrl+Y": ("redo", lambda w, asked, before: w.worksheet_view.undo_stack.index() == before + 1),
    "Ctrl+Shift+Z": ("redo", lambda w, asked, before: w.worksheet_view.undo_stack.index() == before + 1),
    "Alt+Left": ("back to the view before", lambda w, asked, before: w.stack.currentWidget() is w.reader),
}


@pytest.mark.parametrize("place", PLACES)
def test_every_menu_shortcut_works_from(place, make_window, qtbot, asked):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan", "Shortcuts", {"activities": [{"activity": "A"}]})
    window.workbook.book.create_worksheet("plan", "Another")
    activate(qtbot, window)
    missed = []
    for key, (what, happened) in CHECKS.items():
        asked.clear()
        window.study_ui.appearance.zoom(0)
        if key in ("Ctrl+Z", "Ctrl+Y", "Ctrl+Shift+Z"):
            before = _an_undo_step(window, qtbot, worksheet.id, place, undone=key != "Ctrl+Z")
        else:
            window.show_home()  # something to go back to
            _go_to(window, qtbot, worksheet.id, place)
            before = window.study_ui.appearance.step
        where = type(focused()).__name__
        press(qtbot, key)
        qtbot.wait(10)
        if not happened(window, asked, before):
            missed.append(f"{key} ({what}) from a {where}")
    assert missed == []


def test_no_key_is_given_to_two_actions_or_twice_to_one(make_window):
    """Qt runs neither of two shortcuts on one key ("Ambiguous shortcut overload")."""
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("plan").id))
    keys = Counter(k.toString(QKeySequence.SequenceFormat.PortableText)
                   for action in window.findChildren(QAction) for k in action.shortcuts())
    assert [k for k, n in keys.items() if n > 1] == []


def test_ctrl_y_and_ctrl_shift_z_both_redo_on_every_platform(make_window):
    window = make_window()
    keys = {k.toString(QKeySequence.SequenceFormat.PortableText) for k in window.redo_action.shortcuts()}
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= keys


def test_a_text_box_outside_the_form_keeps_its_own_undo(make_window, qtbot):
    """In the search box Ctrl+Z takes back what was typed there, not a worksheet's answer."""
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan", "Mine")
    window.navigate(f"worksheet:{worksheet.id}")
    activate(qtbot, window)
    window.worksheet_view.rows["title"].editor.setFocus()
    type_text(qtbot, "Plan")
    press(qtbot, "Ctrl+K")
    type_text(qtbot, "abc")
    press(qtbot, "Ctrl+Z")
    assert window.study_ui.search_box.text() == ""
    window.flush_worksheet()
    assert window.workbook.book.worksheet(worksheet.id).answers["title"] == "Plan"


def test_editing_keys_stay_with_the_text_box_even_when_a_menu_has_them(make_window, qtbot):
    """Back is also Backspace on some desktops: in a text box Backspace still deletes."""
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan", "Mine")
    window.show_home()
    window.navigate(f"worksheet:{worksheet.id}")
    activate(qtbot, window)
    assert window.navigator.back_action.isEnabled()
    for place in ("title", "objective"):
        window.worksheet_view.rows[place].editor.setFocus()
        type_text(qtbot, "Plan")
        for key in ("Backspace", "Shift+Backspace", "Delete", "Shift+Left"):
            press(qtbot, key)
        assert window.stack.currentWidget() is window.worksheet_view
    window.flush_worksheet()
    assert window.workbook.book.worksheet(worksheet.id).answers == {"title": "Pl", "objective": "Pl"}


@pytest.mark.skipif(os.environ.get("QT_QPA_PLATFORM") != "offscreen", reason="run from the offscreen tests only")
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_the_shortcuts_in_a_real_x_window():
    """Under X a one-line box takes Ctrl+E and Ctrl+K for itself, and the redo
    key differs: the tests above, run there."""
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/ui/test_shortcuts.py", "tests/ui/test_dates.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
