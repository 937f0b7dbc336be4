"""The main window as a participant uses it: read, follow links, find terms."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QMessageBox,
    QPlainTextEdit, QTextEdit, QWidget,
)

CONTROLS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractButton, QComboBox, QAbstractSpinBox, QAbstractItemView)


def _nav_rows(window) -> list[str]:
    model = window.nav.model()
    rows = []
    for row in range(model.rowCount()):
        item = model.item(row)
        rows.append(item.text())
        rows.extend("  " + item.child(r).text() for r in range(item.rowCount()))
    return rows


def test_the_tree_lists_modules_topics_and_the_workbook(make_window):
    window = make_window()
    rows = _nav_rows(window)
    assert rows[:3] == ["Home", "Course schedule", "Glossary"]
    assert "Core module: Introduction" in rows and "  Why local" in rows
    assert "Module 1: Managing the link" in rows and "  Action plan" in rows
    assert "Migration and local development" not in window.reader.browser.toPlainText()
    assert "Mini test pack" in window.reader.browser.toPlainText()


def test_clicking_a_topic_shows_it_and_links_lead_on(make_window, qtbot):
    window = make_window()
    model = window.nav.model()
    core = model.item(3)
    window.nav.setCurrentIndex(core.child(0).index())
    text = window.reader.browser.toPlainText()
    assert "Why local" in text and "Learning objectives" in text and "Actor" in text
    window.reader.link_activated.emit("topic", "m1-coherence")
    assert "Policy coherence" in window.reader.browser.toPlainText()
    assert window.nav.currentIndex().data() == "Policy coherence"
    window.reader.link_activated.emit("glossary", "diaspora")
    assert "People who left a country" in window.reader.browser.toPlainText()


def test_a_web_link_asks_before_opening(make_window, monkeypatch):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    asked, opened = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    window = make_window()
    window.reader.web_link_activated.emit(QUrl("https://example.org"))
    assert asked and not opened


def test_the_worked_example_is_read_only_and_filled(make_window):
    window = make_window()
    window.navigate("example:plan")
    view = window.worksheet_view
    assert view.title.text() == "Mirazul's plan"
    assert view.values()["title"] == "One door for people on the move"
    assert view.rows["title"].editor.edit.isReadOnly()
    assert window.workbook.book.worksheets() == []


def _unnamed(window) -> list[str]:
    """The visible controls a person can focus that have no accessible name
    (a button's text counts as its name; a spin box's or combo box's inner
    line edit goes with its parent)."""
    return [
        f"{type(w).__name__} {w.objectName()}" for w in window.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.isVisible()
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus and not w.accessibleName()
        and not (isinstance(w, QAbstractButton) and w.text())
        and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
    ]


def test_every_control_a_person_uses_has_an_accessible_name(make_window):
    window = make_window()
    window.navigate("worksheet:" + str(window.workbook.book.create_worksheet("all-fields").id))
    assert _unnamed(window) == []


def test_every_view_s_controls_have_accessible_names(make_window, qtbot):
    """Home, a topic with its bar and note, search results, the list of a
    template's worksheets, the bin, notes and follow-up: the same rule."""
    window = make_window()
    plan = window.workbook.book.create_worksheet("plan", "My plan")
    topic = next(window.workbook.pack.topics()).id
    missing = {}
    for view in ("home", f"topic:{topic}", "search:plan", "template:plan", "bin", "notes", "followup",
                 f"followup:{plan.id}", "glossary"):
        try:
            window.navigate(view)
        except Exception as exc:  # a view this pack lacks is not what this test is about
            missing[view] = f"cannot show: {exc}"
            continue
        if view.startswith("topic:"):
            window.study_ui.topic_bar.note_button.click()  # the note editor too
        qtbot.wait(10)
        unnamed = _unnamed(window)
        if unnamed:
            missing[view] = unnamed
    assert missing == {}
