"""The window with a pack of another language: a topic the translation lacks
says so, a search result from English says so, and a worksheet filled with
the French pack opens with the Spanish one, every answer in place."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.translated_packs import make_packs
from tests.ui.keyboard import activate, commit, focused, press


@pytest.fixture
def packs(tmp_path, monkeypatch):
    found = make_packs(tmp_path / "content")
    monkeypatch.setenv("COMPANION_CONTENT", str(found["en"]))
    return found


def test_a_topic_shown_from_english_in_an_arabic_window_says_it_is_not_translated(make_window, packs, qtbot):
    window = make_window(pack=packs["ar"])
    window.navigate("topic:core-concepts")
    text = window.reader.browser.toPlainText()
    assert "Not yet translated: this topic is shown in English." in text
    window.navigate("topic:core-why-local")
    assert "Not yet translated" not in window.reader.browser.toPlainText()
    assert "لماذا المستوى المحلي" in window.reader.browser.toPlainText()


def test_searching_an_arabic_word_without_its_marks_finds_it_and_english_results_say_so(make_window, packs,
                                                                                       qtbot):
    window = make_window(pack=packs["ar"])
    activate(qtbot, window)
    window.study_ui.search_action.trigger()
    commit("الهجره مؤتمر")  # typed without marks, taa marbuta as haa
    press(qtbot, Qt.Key.Key_Return)
    view = window.study_ui.search_view
    qtbot.waitUntil(lambda: bool(view.found))
    assert [r.id.partition("#")[0] for r in view.found if r.kind == "topic"][0] == "core-why-local"
    window.study_ui.search_action.trigger()
    box = focused()
    box.selectAll()
    qtbot.keyClicks(box, "diaspora matters")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.id.startswith("core-concepts") for r in view.found))
    english = next(r for r in view.found if r.id.startswith("core-concepts"))
    assert english.language == "en" and view.language_note(english) == " (in English)"
    texts = [view.model.item(0).child(row).accessibleText() for row in range(view.model.item(0).rowCount())]
    assert any("(in English)" in text for text in texts)


def test_a_worksheet_filled_with_the_french_pack_opens_with_the_spanish_one(make_window, packs, qtbot, tmp_path):
    french = make_window(tmp_path / "d", pack=packs["fr"])
    sheet = french.workbook.book.create_worksheet("all-fields", "Mon plan")
    activate(qtbot, french)
    french.navigate(f"worksheet:{sheet.id}")
    rows = french.worksheet_view.rows
    assert "Portée" in rows["scope"].label.text()
    rows["name"].editor.edit.setFocus()
    commit("Bureau d'accueil à Mirazul")
    combo = rows["scope"].editor.combo
    combo.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # the second option: Région
    assert combo.currentText() == "Région"
    french.close()
    spanish = make_window(tmp_path / "d", pack=packs["es"])
    spanish.navigate(f"worksheet:{sheet.id}")
    rows = spanish.worksheet_view.rows
    assert "Alcance" in rows["scope"].label.text()
    assert rows["scope"].editor.combo.currentText() == "Región"
    assert rows["scope"].editor.value() == "region"
    assert rows["name"].editor.edit.text() == "Bureau d'accueil à Mirazul"
