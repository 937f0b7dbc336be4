"""The history of a worksheet as a person reads it: versions told apart by
when and what they changed, and a restore that asks first."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox


def _open_history(window, qtbot, monkeypatch, act):
    """Click History… in the worksheet, and let ``act(dialog)`` use the dialog as shown."""
    from companion.ui.views import history

    def run(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(history.HistoryDialog, "exec", run)
    qtbot.mouseClick(window.worksheet_view.history_button, Qt.MouseButton.LeftButton)


def _click_row(qtbot, dialog, row: int) -> None:
    item = dialog.list.item(row)
    dialog.list.scrollToItem(item)
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=dialog.list.visualItemRect(item).center())
    assert dialog.list.currentRow() == row


def test_each_version_says_when_how_many_fields_and_what_changed(make_window, qtbot, monkeypatch):
    window = make_window()
    book = window.workbook.book
    worksheet = book.create_worksheet("plan", "Plano", {"title": "Balcão único"})
    book.save_answers(worksheet.id, {"title": "Balcão único de Mirazul", "objective": "Servir 300 pessoas"})
    book.save_answers(worksheet.id, {"title": "Balcão único de Mirazul", "objective": "Servir 400 pessoas"})
    window.navigate(f"worksheet:{worksheet.id}")
    seen = []
    _open_history(window, qtbot, monkeypatch, lambda d: seen.extend(d.list.item(r).text() for r in range(d.list.count())))
    assert len(seen) == 3 and len(set(seen)) == 3  # no two rows alike
    newest, middle, first = seen
    stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")  # local time, to the second
    assert all(stamp.match(text) for text in seen)
    assert "1 field changed" in newest and "Objective: “Servir 300 pessoas” → “Servir 400 pessoas”" in newest
    assert "Title" not in newest  # stored again unchanged: not a change
    assert "2 fields changed" in middle
    assert "Title: “Balcão único” → “Balcão único de Mirazul”" in middle
    assert "Objective: (empty) → “Servir 300 pessoas”" in middle
    assert "Created" in first and "Title: (empty) → “Balcão único”" in first


def test_restoring_asks_first_and_a_no_keeps_the_worksheet_as_it_is(make_window, qtbot, monkeypatch):
    window = make_window()
    book = window.workbook.book
    worksheet = book.create_worksheet("plan", "P", {"title": "Old words"})
    book.save_answers(worksheet.id, {"title": "New words"})
    window.navigate(f"worksheet:{worksheet.id}")
    asked, answers = [], [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answers.pop(0))

    def restore_oldest(dialog):
        _click_row(qtbot, dialog, dialog.list.count() - 1)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
        assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
        assert book.worksheet(worksheet.id).answers["title"] == "New words"  # "No": nothing changed
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    _open_history(window, qtbot, monkeypatch, restore_oldest)
    assert len(asked) == 2 and "Bring back the answers" in asked[0]
    assert book.worksheet(worksheet.id).answers["title"] == "Old words"
    assert window.worksheet_view.rows["title"].editor.value() == "Old words"
    assert book.history(worksheet.id)[0].kind == "restore"
