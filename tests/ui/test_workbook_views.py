"""Many worksheets, the bin, status, history, undo and the charts, as a participant uses them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGroupBox, QInputDialog, QLabel, QMessageBox


def test_a_template_page_lists_worksheets_and_manages_them(make_window, monkeypatch, qtbot):
    window = make_window()
    window.navigate("template:plan")
    page = window.list_view
    assert window.stack.currentWidget() is page and page.empty.isVisibleTo(page)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Plan for 2027", True))
    with qtbot.waitSignal(page.open_requested):
        page.new_button.click()
    assert window.stack.currentWidget() is window.worksheet_view
    assert window.worksheet_view.title.text() == "Plan for 2027"
    window.navigate("template:plan")
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Plan for 2027"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Renamed plan", True))
    page.buttons["rename"].click()
    page.buttons["duplicate"].click()
    titles = sorted(page.table.item(r, 0).text() for r in range(page.table.rowCount()))
    assert titles == ["Renamed plan", "Renamed plan (copy)"]
    page.table.selectRow(0)
    page.buttons["delete"].click()
    assert page.table.rowCount() == 1
    window.navigate("bin")
    assert page.title.text() == "Bin" and page.table.rowCount() == 1
    page.buttons["restore"].click()
    assert page.table.rowCount() == 0
    assert len(window.workbook.book.worksheets("plan")) == 2


def test_mark_complete_runs_the_checks_and_says_what_is_missing(make_window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("plan").id))
    view = window.worksheet_view
    view.complete_button.click()
    assert "Title" in shown[0] and "required" in shown[0]
    assert view.worksheet.status == "draft"
    view.rows["title"].editor.edit.setText("Ready")
    view.rows["title"].editor.edit.textEdited.emit("Ready")
    view.complete_button.click()
    assert view.worksheet.status == "complete" and view.complete_button.text() == "Reopen as draft"
    assert "Complete" in view.progress.text()


def test_undo_and_redo_across_fields_are_saved(make_window, qtbot):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan")
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    qtbot.keyClicks(view.rows["title"].editor.edit, "First")
    qtbot.keyClicks(view.rows["objective"].editor.edit, "Second")
    window.undo_action.trigger()
    assert view.rows["objective"].editor.value() == ""
    window.undo_action.trigger()
    assert view.rows["title"].editor.value() == ""
    window.redo_action.trigger()
    assert view.rows["title"].editor.value() == "First"
    view.flush()
    assert window.workbook.book.worksheet(worksheet.id).answers == {"title": "First", "objective": ""}


def test_history_restores_an_earlier_version(make_window, monkeypatch, qtbot):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan", "P", {"title": "Old words"})
    window.workbook.book.save_answers(worksheet.id, {"title": "New words"})
    window.navigate(f"worksheet:{worksheet.id}")
    from companion.ui.views import history

    def pick_oldest(dialog):
        dialog.list.setCurrentRow(dialog.list.count() - 1)
        dialog.restore_selected()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(history.HistoryDialog, "exec", pick_oldest)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)  # restore? yes
    window.worksheet_view.show_history()
    assert window.worksheet_view.rows["title"].editor.value() == "Old words"
    assert window.workbook.book.worksheet(worksheet.id).answers["title"] == "Old words"
    assert window.workbook.book.history(worksheet.id)[0].kind == "restore"


def test_the_stakeholder_grid_and_timeline_follow_the_table(make_window):
    window = make_window()
    template = window.workbook.template("all-fields")
    worksheet = window.workbook.book.create_worksheet("all-fields", "A", template.example)
    window.navigate(f"worksheet:{worksheet.id}")
    table = window.worksheet_view.rows["actors"].editor
    assert "City council: Interest 4, Influence 5, Manage closely" in table.chart.accessibleDescription()
    table.add_row()
    row = table.table.rowCount() - 1
    for column, value, text in ((0, "Radio", "Radio"), (2, 1, "1 / 5"), (3, 1, "1 / 5")):
        item = table.table.item(row, column)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setText(text)
    assert "Radio: Interest 1, Influence 1, Monitor" in table.chart.accessibleDescription()
    image = table.chart.grab()
    assert image.width() > 300


def test_answers_from_an_earlier_template_version_are_shown_not_dropped(make_window, mini_pack, tmp_path):
    first = make_window(tmp_path / "d", mini_pack)
    worksheet = first.workbook.book.create_worksheet("plan", "P", {"title": "T", "objective": "Keep me"})
    first.close()
    path = mini_pack / "worksheets" / "plan.yaml"
    path.write_text(path.read_text().replace("version: 1", "version: 2", 1).replace(
        "      - id: objective\n        type: longtext\n        label: Objective\n        advisable: true\n", ""))
    second = make_window(tmp_path / "d", mini_pack)
    second.navigate(f"worksheet:{worksheet.id}")
    boxes = second.worksheet_view.scroll.widget().findChildren(QGroupBox)
    assert boxes and boxes[0].title() == "From an earlier version of this worksheet"
    assert "Keep me" in " ".join(label.text() for label in boxes[0].findChildren(QLabel))
