"""Search, progress, notes, follow-up and reading comfort, as a participant uses them."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QFileDialog, QLineEdit,
    QPlainTextEdit, QTextEdit, QWidget,
)

from tests.conftest import BUNDLED_PACK

CONTROLS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractButton, QComboBox, QAbstractSpinBox, QAbstractItemView)


def _type(widget, text: str) -> None:
    """Type like a person, any script (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def _activate(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _results(window) -> list[tuple[str, str]]:
    view = window.study_ui.search_view
    found = []
    for g in range(view.model.rowCount()):
        group = view.model.index(g, 0)
        for r in range(view.model.rowCount(group)):
            index = view.model.index(r, 0, group)
            found.append((view.found[index.data(Qt.ItemDataRole.UserRole)].kind, index.data()))
    return found


def _unnamed(window) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()}" for w in window.findChildren(QWidget)
            if isinstance(w, CONTROLS) and w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            and not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())
            and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))]


@pytest.fixture(autouse=True)
def _plain_look_afterwards():
    yield
    app = QApplication.instance()
    if app is not None and app.property("companionRestyled"):
        from companion.ui.app import make_app

        app.setPalette(app.style().standardPalette())
        app.setProperty("companionRestyled", None)
        make_app()
        font = app.font()
        font.setPointSizeF(float(app.property("companionBaseFont") or 10))
        app.setFont(font)


def test_a_word_typed_into_a_worksheet_is_found_by_search_at_once(make_window, qtbot):
    window = make_window()
    sheet = window.workbook.book.create_worksheet("plan", "Plano de Mirazul")
    window.navigate(f"worksheet:{sheet.id}")
    _activate(window, qtbot)
    edit = window.worksheet_view.rows["objective"].editor.edit
    edit.setFocus()
    _type(edit, "Um balcão único")
    qtbot.keyClick(edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # Ctrl+K from inside a text field
    box = window.study_ui.search_box
    assert box.hasFocus() and edit.toPlainText() == "Um balcão único"
    qtbot.keyClicks(box, "balcao")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.study_ui.search_view)
    qtbot.waitUntil(lambda: ("worksheet", "Plano de Mirazul") in _results(window))
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter opens the best result, at the field that matched
    assert window.stack.currentWidget() is window.worksheet_view
    assert window.worksheet_view.worksheet.id == sheet.id


def test_results_are_grouped_and_the_keyboard_moves_through_them(make_window, qtbot):
    window = make_window()
    window.workbook.book.create_worksheet("plan", "Diaspora plan", {"objective": "Meet the diaspora"})
    ui = window.study_ui
    _activate(window, qtbot)
    ui.search_action.trigger()
    qtbot.keyClicks(ui.search_box, "diaspora")
    ui.search_box.search_now()
    view = ui.search_view
    groups = [view.model.index(g, 0).data() for g in range(view.model.rowCount())]
    assert groups[0].startswith("Topics") and any(g.startswith("Glossary") for g in groups)
    assert any(g.startswith("Your worksheets") for g in groups)
    assert "results for “diaspora”" in view.title.text()
    qtbot.keyClick(ui.search_box, Qt.Key.Key_Down)
    assert view.results.hasFocus() and view.results.currentIndex().parent().isValid()
    first = view.results.currentIndex()
    qtbot.keyClick(view.results, Qt.Key.Key_Down)
    assert view.results.currentIndex() != first and view.results.currentIndex().parent().isValid()
    qtbot.keyClick(view.results, Qt.Key.Key_Escape)
    assert ui.search_box.hasFocus()
    qtbot.keyClick(ui.search_box, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.reader and ui.search_box.text() == ""
    for text in ('"', "AND", "*", "(", "NEAR("):
        ui.search_box.setText(text)
        ui.search_box.search_now()
    assert "Nothing found" in view.title.text() or "results" in view.title.text()
    assert _unnamed(window) == []


def test_opening_a_topic_result_scrolls_to_the_passage_and_marks_the_words(make_window, qtbot):
    window = make_window(pack=BUNDLED_PACK)
    window.resize(1000, 600)
    ui = window.study_ui
    ui.run_search("matching fund")
    results = ui.search_view.search("matching fund")
    topic = next(r for r in results if r.kind == "topic")
    assert "#" in topic.id
    ui.open_result(topic)
    browser = window.reader.browser
    assert window.stack.currentWidget() is window.reader
    assert browser.verticalScrollBar().value() > 0
    assert len(browser.extraSelections()) >= 2
    assert browser.textCursor().selectedText().casefold() in ("matching", "fund", "funds")
    assert ui.current_topic == topic.id.partition("#")[0]


def test_reading_to_the_end_marks_a_topic_read_and_progress_survives_a_restart(make_window, qtbot, tmp_path):
    data = tmp_path / "shared"
    window = make_window(data, BUNDLED_PACK)
    window.resize(1000, 600)
    window.navigate("topic:m2-diaspora-dialogue")
    bar = window.study_ui.topic_bar
    assert bar.isVisible() and not bar.read_button.isChecked() and "Not read yet" in bar.status.text()
    qtbot.keyClick(window.reader.browser, Qt.Key.Key_PageDown)
    qtbot.wait(20)
    assert not bar.read_button.isChecked()
    qtbot.keyClick(window.reader.browser, Qt.Key.Key_End)
    qtbot.waitUntil(bar.read_button.isChecked)
    assert bar.read_button.text() == "Read ✓"
    window.navigate("topic:m2-multilevel-governance")
    bar.read_button.click()  # "Mark as read"
    window.close()
    again = make_window(data, BUNDLED_PACK)
    home = again.reader.browser.toPlainText()
    assert "2 of 33 topics read" in home
    assert "Continue where you left off" in home and "Multi-level governance of migration" in home
    assert "2 of 5 topics read" in home  # module 2
    again.navigate("topic:m2-diaspora-dialogue")
    assert again.study_ui.topic_bar.read_button.isChecked()
    again.navigate("home")
    assert not again.study_ui.topic_bar.isVisible()


def test_a_short_topic_counts_as_read_after_a_moment_on_screen(make_window, qtbot, monkeypatch):
    import companion.ui.study as study_ui

    window = make_window()
    window.study_ui._dwell.setInterval(50)
    window.resize(1400, 1200)
    window.navigate("topic:core-concepts")
    qtbot.waitUntil(window.study_ui.topic_bar.read_button.isChecked, timeout=2000)
    assert study_ui.FITS_DWELL_MS > 1000


def test_bookmarks_and_notes_are_kept_listed_and_found(make_window, qtbot):
    window = make_window()
    _activate(window, qtbot)
    window.navigate("topic:core-why-local")
    ui = window.study_ui
    ui.topic_bar.bookmark_button.click()
    ui.topic_bar.note_button.click()
    assert ui.note_editor.isVisible() and ui.note_editor.edit.hasFocus()
    _type(ui.note_editor.edit, "Perguntar à Dina sobre a formação")
    qtbot.waitUntil(lambda: ui.note_editor.saved.text().startswith("Saved"), timeout=3000)
    window.navigate("notes")
    text = window.reader.browser.toPlainText()
    assert "Bookmarks" in text and "Why local" in text and "Perguntar à Dina sobre a formação" in text
    window.reader.link_activated.emit("note", "core-why-local")
    assert ui.note_editor.isVisible() and ui.note_editor.edit.toPlainText() == "Perguntar à Dina sobre a formação"
    assert ("note", "Why local") in [(k, t) for k, t in (_search(window, "formacao"))]
    ui.open_result(next(r for r in ui.search_view.search("formacao") if r.kind == "note"))
    assert ui.note_editor.edit.textCursor().selectedText() == "formação"
    assert _unnamed(window) == []


def _search(window, query):
    window.study_ui.run_search(query)
    return _results(window)


def test_the_follow_up_view_records_check_ins_and_writes_the_report(make_window, qtbot, monkeypatch, tmp_path):
    window = make_window()
    past = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    plan = window.workbook.book.create_worksheet("plan", "Plano de Mirazul", {"title": "One door", "activities": [
        {"activity": "Rent the room", "start": "2026-01-01", "end": past},
        {"activity": "Train staff", "start": "2030-01-01", "end": "2030-02-01"}]})
    window.show_home()
    home = window.reader.browser.toPlainText()
    assert "Due in your follow-up" in home and "Past its end date and not done: Rent the room" in home
    window.reader.link_activated.emit("followup", str(plan.id))
    view = window.study_ui.followup_view
    assert window.stack.currentWidget() is view
    assert view.table.rowCount() == 2 and "not started" in view.table.item(0, 2).text()
    view.table.setCurrentCell(1, 0)
    assert view.activity.currentData() == 2
    view.status.setCurrentIndex(view.status.findData("in-progress"))
    _type(view.comment, "Formação marcada")
    view.date.setFocus()
    view.date.selectAll()
    qtbot.keyClicks(view.date, "2030-01-01")  # a day still to come
    view.record_button.click()
    assert view.banner.isVisible() and "in the future" in view.banner.text() and view.history.rowCount() == 0
    view.date.setFocus()
    view.date.selectAll()
    qtbot.keyClicks(view.date, "31/02")
    view.record_button.click()
    assert "“31/02” is not a date" in view.banner.text() and view.history.rowCount() == 0
    day = dt.date.today() - dt.timedelta(days=2)
    view.date.selectAll()
    qtbot.keyClicks(view.date, day.isoformat())
    view.record_button.click()
    assert not view.banner.isVisible()
    assert view.history.item(0, 0).text() == day.isoformat()
    assert view.table.item(1, 2).text() == "in progress" and view.table.item(1, 4).text() == "Formação marcada"
    assert view.history.rowCount() == 1 and view.history.item(0, 2).text() == "Formação marcada"
    out = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    view.report_button.click()
    assert out.is_file() and "Saved the report" in view.summary.text()
    assert _unnamed(window) == []
    window.workbook.book.save_answers(plan.id, {"activities": []})
    window.navigate(f"followup:{plan.id}")
    assert not view.form_box.isEnabled() and "no activities" in view.summary.text()


def test_the_follow_up_view_without_a_plan_offers_to_start_one(make_window):
    window = make_window()
    window.navigate("followup")
    view = window.study_ui.followup_view
    assert view.empty.isVisible() and not view.table.isVisible()


def test_text_size_and_theme_are_remembered_in_the_data_folder(make_window, tmp_path):
    data = tmp_path / "shared"
    window = make_window(data)
    ui = window.study_ui
    window.navigate("topic:core-why-local")
    ui.larger_action.trigger()
    ui.larger_action.trigger()
    assert ui.appearance.scale > 1.1
    assert "font-size: 13.2pt" in window.reader.browser.document().defaultStyleSheet()  # 11pt x 1.2
    assert "Why local" in window.reader.browser.toPlainText()  # shown again in the new size
    ui.theme_actions["dark"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert "#5fd1c8" in window.reader.browser.document().defaultStyleSheet()
    window.close()
    again = make_window(data)
    assert again.study_ui.appearance.theme == "dark" and again.study_ui.theme_actions["dark"].isChecked()
    assert again.study_ui.appearance.scale == ui.appearance.scale
    again.study_ui.smaller_action.trigger()
    again.study_ui.normal_action.trigger()
    again.study_ui.theme_actions["light"].trigger()
    assert again.study_ui.appearance.scale == 1.0
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200


def test_a_note_typed_just_before_closing_is_kept(make_window, tmp_path):
    data = tmp_path / "shared"
    window = make_window(data)
    window.navigate("topic:m1-coherence")
    ui = window.study_ui
    ui.topic_bar.note_button.click()
    _type(ui.note_editor.edit, "Última ideia")
    window.close()  # within the half second before the note would save itself
    again = make_window(data)
    assert again.study_ui.study.note("m1-coherence") == "Última ideia"
    again.navigate("topic:m1-coherence")
    assert again.study_ui.note_editor.isVisible()  # a topic with a note shows it
    assert again.study_ui.topic_bar.note_button.text() == "My note ✎"


def test_home_shows_completions_not_kept_as_unknown_then_works_them_out(make_window, qtbot, tmp_path, monkeypatch):
    from companion.workbook import study as study_mod

    first = make_window(tmp_path / "data")
    sheet = first.workbook.book.create_worksheet("plan", "My plan")
    first.workbook.book.save_answers(sheet.id, {"title": "T"})
    first.close()
    monkeypatch.setattr(study_mod, "completion_key", lambda template: f"{template.id}@a new version")
    window = make_window(tmp_path / "data")
    home = window.reader.browser.toPlainText()
    assert "Still working out how much is filled in (worksheets left: 1)…" in home and "filled in ·" not in home
    qtbot.waitUntil(lambda: "33% filled in" in window.reader.browser.toPlainText())
    assert "Still working out" not in window.reader.browser.toPlainText() and not window.study_ui.catch_up.running
