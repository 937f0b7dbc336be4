"""The worksheet form as a person meets it: where the focus starts, when the
form speaks of problems and how it leads to each, how numbers and table
headers look. Keys go to the focused widget, clicks to the widget a person
would click; answers are read back through the application layer."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.conftest import BUNDLED_PACK


def _activate(window, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _focused():
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def _open(window, qtbot, template_id: str, answers=None):
    worksheet = window.workbook.book.create_worksheet(template_id, None, answers)
    _activate(window, qtbot)
    window.navigate(f"worksheet:{worksheet.id}")
    qtbot.wait(10)
    return window.worksheet_view, worksheet


def _shown_messages(view) -> dict[str, str]:
    return {fid: row.message.text() for fid, row in view.rows.items() if row.message.isVisible()}


def _capture_boxes(monkeypatch) -> list[tuple[str, str, str]]:
    """Message boxes the form would show, as (kind, title, text), answered at once."""
    shown = []
    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, k=kind, **kw: shown.append((k, a[1], a[2]))
                            or QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "exec", lambda box, *a: shown.append(("box", box.windowTitle(), box.text()))
                        or 0)
    return shown


def test_a_fresh_worksheet_starts_in_its_first_field_and_shows_no_problem(make_window, qtbot):
    window = make_window()
    view, worksheet = _open(window, qtbot, "plan")
    assert _focused() is view.rows["title"].editor.edit  # no seven Tabs to reach it
    assert _shown_messages(view) == {}  # nothing in red before the person has done anything
    qtbot.keyClicks(_focused(), "Plan")
    assert _shown_messages(view) == {}


def test_a_required_field_left_empty_says_so_once_left(make_window, qtbot):
    window = make_window()
    view, _ = _open(window, qtbot, "plan")
    assert _shown_messages(view) == {}
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is view.rows["objective"].editor.edit
    assert _shown_messages(view) == {"title": "This field is required."}
    qtbot.keyClicks(view.rows["title"].editor.edit, "x")
    assert view.flush()
    assert _shown_messages(view) == {}


def test_mark_complete_lists_every_problem_in_words_with_a_way_to_each(make_window, qtbot, monkeypatch):
    window = make_window()
    view, worksheet = _open(window, qtbot, "plan", {"activities": [{"start": "2027-01-01"}]})
    shown = _capture_boxes(monkeypatch)
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    kind, title, text = shown[0]
    assert title == "Not complete yet"
    assert "worksheet 1" not in text and "(s)" not in text
    assert "2 things" in text
    assert "Title: This field is required." in text
    assert "Activities: Row 1: 'Activity' is required." in text
    assert window.workbook.book.worksheet(worksheet.id).status == "draft"
    # beside each field, and in a list whose entries lead to their field
    assert _shown_messages(view) == {"title": "This field is required.",
                                     "activities": "Row 1: 'Activity' is required."}
    links = [b for b in view.findChildren(QPushButton) if b.isVisible() and b.objectName() == "problemLink"]
    assert [b.text() for b in links] == ["Title: This field is required.",
                                         "Activities: Row 1: 'Activity' is required."]
    assert all(b.accessibleName() for b in links)
    qtbot.mouseClick(links[1], Qt.MouseButton.LeftButton)
    table = view.rows["activities"].editor.table
    assert _focused() is table or table.isAncestorOf(_focused())
    qtbot.mouseClick(links[0], Qt.MouseButton.LeftButton)
    assert _focused() is view.rows["title"].editor.edit
    qtbot.keyClicks(_focused(), "Um plano")
    assert view.flush()
    assert [b.text() for b in view.findChildren(QPushButton) if b.isVisible() and b.objectName() == "problemLink"] \
        == ["Activities: Row 1: 'Activity' is required."]


def test_one_problem_is_one_thing_to_fix(make_window, qtbot, monkeypatch):
    window = make_window()
    view, worksheet = _open(window, qtbot, "plan")
    shown = _capture_boxes(monkeypatch)
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    text = shown[0][2]
    assert "1 things" not in text and "(s)" not in text and "Title: This field is required." in text
    qtbot.keyClicks(view.rows["title"].editor.edit, "Plan")
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    assert window.workbook.book.worksheet(worksheet.id).status == "complete"
    assert len(shown) == 1


def test_number_fields_line_up_with_the_text_fields(make_window, qtbot):
    window = make_window()
    view, _ = _open(window, qtbot, "all-fields")
    name = view.rows["name"].editor.edit
    people = view.rows["people"].editor.edit
    left = lambda w: w.mapTo(view, QPoint(0, 0)).x()  # noqa: E731
    assert left(people) == left(name)  # not centred in its row
    alignment = people.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
    assert alignment in (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignLeading)


def test_table_headers_show_their_whole_label(make_window, qtbot):
    window = make_window(pack=BUNDLED_PACK)
    window.resize(1024, 768)
    template = window.workbook.template("stakeholder-map")
    view, _ = _open(window, qtbot, "stakeholder-map", template.example)
    qtbot.wait(50)
    table = view.rows["actors"].editor.table
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    cut, no_tooltip = [], []
    for section in range(header.count()):
        label = table.horizontalHeaderItem(section).text()
        room = QRect(0, 0, header.sectionSize(section) - 8, header.height())
        needed = metrics.boundingRect(room, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), label)
        longest_word = max(metrics.horizontalAdvance(word) for word in label.split())
        if needed.height() > header.height() or longest_word > room.width():
            cut.append(label)
        if not table.horizontalHeaderItem(section).toolTip():
            no_tooltip.append(label)
    assert cut == []
    assert no_tooltip == []
