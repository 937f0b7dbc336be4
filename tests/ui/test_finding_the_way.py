"""Finding the way in the real window: Back and Forward through every view, a
tree that shows the one view on screen, and the first step of the course.

Keys go to the widget that has the focus, clicks to the pixels a person
would click; what is checked is what is on screen."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QToolButton

from tests.conftest import BUNDLED_PACK

ALT = Qt.KeyboardModifier.AltModifier


def _activate(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed by a person: it goes to whatever has the focus."""
    focused = QApplication.focusWidget()
    assert focused is not None, "nothing has the focus"
    qtbot.keyClick(focused, key, modifier)


def _tree_index(window, text: str):
    model = window.nav.model()
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, 1,
                        Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert found, f"no row {text!r} in the tree"
    return found[0]


def _click_tree(window, qtbot, text: str) -> None:
    index = _tree_index(window, text)
    window.nav.scrollTo(index)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.nav.visualRect(index).center())


def _click_link(qtbot, browser, text: str) -> None:
    """Click the words ``text`` where the reader shows them."""
    cursor = browser.document().find(text)
    assert not cursor.isNull(), f"{text!r} is not on the page"
    cursor.setPosition(cursor.selectionStart() + 1)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    rect = browser.cursorRect(cursor)
    cursor.clearSelection()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + QPoint(2, 0))


def _selected(window) -> list[str]:
    return [index.data() for index in window.nav.selectionModel().selectedIndexes()]


def _reading(window) -> str:
    assert window.stack.currentWidget() is window.reader
    return window.reader.browser.toPlainText()


def _toolbar_button(window, name: str) -> QToolButton:
    found = [b for b in window.findChildren(QToolButton) if b.accessibleName() == name and b.isVisible()]
    assert found, f"no visible toolbar button named {name!r}"
    return found[0]


def _highlighted_on_screen(window) -> list[str]:
    """The tree's rows drawn as selected in what the screen holds now (not a
    fresh drawing: a row left highlighted by a missed repaint counts)."""
    nav = window.nav
    fresh = nav.viewport().grab().toImage()  # drawn now, from the model
    screen = window.screen().grabWindow(window.winId()).toImage()
    origin = nav.viewport().mapTo(window, QPoint(0, 0))
    ratio = screen.width() / window.width()
    selected = nav.selectionModel().selectedIndexes()
    reference = None
    if selected:
        rect = nav.visualRect(selected[0])
        reference = fresh.pixelColor(rect.left() + 4, rect.center().y())
    rows, index = [], nav.indexAt(QPoint(4, 4))
    while index.isValid():
        rect = nav.visualRect(index)
        point = origin + QPoint(rect.left() + 4, rect.center().y())
        colour = screen.pixelColor(int(point.x() * ratio), int(point.y() * ratio))
        plain = fresh.pixelColor(rect.left() + 4, rect.center().y())
        if (reference is not None and colour == reference) or (reference is None and colour != plain):
            rows.append(index.data())
        index = nav.indexBelow(index)
    return rows


# -- Back and Forward ----------------------------------------------------------------------

def test_back_and_forward_retrace_links_with_keys_mouse_buttons_and_toolbar(make_window, qtbot):
    window = make_window()
    _activate(window, qtbot)
    _click_tree(window, qtbot, "Why local")
    assert "Learning objectives" in _reading(window)
    _click_link(qtbot, window.reader.browser, "the other topic")
    assert "Explain Policy coherence" in _reading(window)
    _click_link(qtbot, window.reader.browser, "the other topic")  # this one leads to the schedule
    assert "Course schedule" in _reading(window)
    assert _selected(window) == ["Course schedule"]

    window.reader.browser.setFocus()
    _key(qtbot, Qt.Key.Key_Left, ALT)
    assert "Explain Policy coherence" in _reading(window)
    assert _selected(window) == ["Policy coherence"]
    qtbot.mouseClick(window.reader.browser.viewport(), Qt.MouseButton.BackButton, pos=QPoint(100, 100))
    assert "Explain Why local" in _reading(window)
    assert _selected(window) == ["Why local"]
    qtbot.mouseClick(_toolbar_button(window, "Back"), Qt.MouseButton.LeftButton)
    assert "Next step in the course" in _reading(window)  # home
    assert _selected(window) == ["Home"]
    assert not _toolbar_button(window, "Back").isEnabled()

    _key(qtbot, Qt.Key.Key_Right, ALT)
    assert "Explain Why local" in _reading(window)
    qtbot.mouseClick(window.reader.browser.viewport(), Qt.MouseButton.ForwardButton, pos=QPoint(100, 100))
    assert "Explain Policy coherence" in _reading(window)
    qtbot.mouseClick(_toolbar_button(window, "Forward"), Qt.MouseButton.LeftButton)
    assert "Course schedule" in _reading(window)
    assert not _toolbar_button(window, "Forward").isEnabled()


def test_back_goes_through_templates_worksheets_examples_search_notes_and_follow_up(make_window, qtbot):
    window = make_window()
    plan = window.workbook.book.create_worksheet("plan", "Plano de Mirazul")
    _activate(window, qtbot)
    _click_tree(window, qtbot, "Action plan")
    assert window.stack.currentWidget() is window.list_view
    window.list_view.open_requested.emit(plan.id)  # the list's "Open"
    assert window.stack.currentWidget() is window.worksheet_view
    qtbot.mouseClick(window.worksheet_view.example_button, Qt.MouseButton.LeftButton)
    assert window.worksheet_view.title.text() == "Mirazul's plan"
    window.study_ui.followup_action.trigger()
    assert window.stack.currentWidget() is window.study_ui.followup_view
    assert _selected(window) == ["Follow-up of your plan"]
    window.study_ui.notes_action.trigger()
    assert "notes" in _reading(window).lower()
    assert _selected(window) == ["My notes and bookmarks"]
    window.study_ui.search_action.trigger()
    qtbot.keyClicks(QApplication.focusWidget(), "plan")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.study_ui.search_view)
    assert _selected(window) == []  # search has no row in the tree

    shown = []
    for _ in range(5):
        window.nav.setFocus()
        _key(qtbot, Qt.Key.Key_Left, ALT)
        current = window.stack.currentWidget()
        if current is window.worksheet_view:
            shown.append(("worksheet", window.worksheet_view.title.text(), _selected(window)))
        elif current is window.reader:
            shown.append(("reader", "", _selected(window)))
        else:
            shown.append((type(current).__name__, "", _selected(window)))
    assert shown == [
        ("reader", "", ["My notes and bookmarks"]),
        ("FollowUpView", "", ["Follow-up of your plan"]),
        ("worksheet", "Mirazul's plan", ["Action plan"]),
        ("worksheet", "Plano de Mirazul", ["Action plan"]),
        ("WorksheetListView", "", ["Action plan"]),
    ]


# -- the tree ------------------------------------------------------------------------------

def test_after_alt_home_the_tree_highlights_home_alone(make_window, qtbot):
    window = make_window()
    _activate(window, qtbot)
    _click_tree(window, qtbot, "Policy coherence")
    qtbot.wait(50)
    assert _highlighted_on_screen(window) == ["Policy coherence"]
    _key(qtbot, Qt.Key.Key_Home, ALT)
    qtbot.wait(50)
    assert "Next step in the course" in _reading(window)
    assert _selected(window) == ["Home"]
    assert _highlighted_on_screen(window) == ["Home"]


def test_clicking_the_selected_item_opens_it_again(make_window, qtbot):
    window = make_window()
    plan = window.workbook.book.create_worksheet("plan", "Plano")
    _activate(window, qtbot)
    _click_tree(window, qtbot, "Action plan")
    window.list_view.open_requested.emit(plan.id)
    assert window.stack.currentWidget() is window.worksheet_view
    assert _selected(window) == ["Action plan"]  # the worksheet's own template
    _click_tree(window, qtbot, "Action plan")
    assert window.stack.currentWidget() is window.list_view


def test_arrowing_down_the_tree_shows_each_row_and_expands_nothing(make_window, qtbot):
    window = make_window()
    _activate(window, qtbot)
    _click_tree(window, qtbot, "Home")
    assert window.nav.hasFocus()
    model = window.nav.model()
    seen = []
    for _ in range(model.rowCount() - 1):
        _key(qtbot, Qt.Key.Key_Down)
        seen.append(_selected(window))
    assert [model.item(r).text() for r in range(1, model.rowCount())] == [s[0] for s in seen]
    assert not any(window.nav.isExpanded(model.index(r, 0)) for r in range(model.rowCount()))
    # a module's row shows that module; expanding stays the person's choice
    window.nav.setCurrentIndex(_tree_index(window, "Module 1: Managing the link"))
    assert "Policy coherence" in _reading(window)
    _key(qtbot, Qt.Key.Key_Right)
    assert window.nav.isExpanded(_tree_index(window, "Module 1: Managing the link"))


# -- the first step ------------------------------------------------------------------------

def test_on_a_first_run_the_next_step_is_day_one_s_first_item(make_window, qtbot):
    window = make_window(pack=BUNDLED_PACK)
    text = _reading(window)
    after = text[text.index("Next step in the course"):]
    assert after.split("\n")[1].startswith("Why migration is a local matter"), after[:200]
    _activate(window, qtbot)
    _click_link(qtbot, window.reader.browser, "Why migration is a local matter")
    assert _selected(window) == ["Why migration is a local matter"]
