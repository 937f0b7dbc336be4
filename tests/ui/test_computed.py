"""A computed field in the window: the action plan's total, added up as the person types."""
from __future__ import annotations

from tests.conftest import BUNDLED_PACK


def test_the_worked_example_shows_the_computed_total(make_window):
    window = make_window(pack=BUNDLED_PACK)
    window.navigate("example:action-plan")
    editor = window.built_worksheet_view.rows["total-budget"].editor
    assert editor.edit.text() == "142000" and editor.edit.isReadOnly()


def test_the_total_follows_the_table_and_is_never_stored(make_window):
    window = make_window(pack=BUNDLED_PACK)
    sheet = window.workbook.book.create_worksheet("action-plan", "Mine", {
        "activities": [{"activity": "Rent rooms", "budget": 1000}, {"activity": "Train staff", "budget": 250}]})
    window.open_worksheet(sheet.id)
    view = window.built_worksheet_view
    total = view.rows["total-budget"].editor
    assert total.edit.text() == "1250"
    table = view.rows["activities"].editor  # typing into cells is tested with the table itself
    table.set_value([{"activity": "Rent rooms", "budget": 1000}, {"activity": "Train staff", "budget": 750}])
    table.edited.emit()
    assert total.edit.text() == "1750"
    assert window.flush_worksheet()
    stored = window.workbook.book.worksheet(sheet.id).answers
    assert "total-budget" not in stored and stored["activities"][1]["budget"] == 750
