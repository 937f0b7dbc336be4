"""Numbers the window writes (counts, percentages) follow its language: 12 345 in
French, 12.345 in Spanish, Latin digits in Arabic."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from companion.ui.numbers import filled, number


@pytest.fixture
def language(qtbot):
    from companion.ui import translator
    from companion.ui.app import make_app

    app = make_app()
    before = QLocale()
    yield lambda code: translator.apply(code, app)
    translator.apply("en", app)
    QLocale.setDefault(before)


@pytest.mark.parametrize(("code", "thousands", "half"), [
    ("fr", "12\u202f345", "12,5"), ("es", "12.345", "12,5"), ("pt", "12\u00a0345", "12,5"),
    ("ar", "12,345", "12.5"),
])
def test_counts_and_figures_are_written_as_the_language_writes_them(language, code, thousands, half):
    language(code)
    shown = filled(QCoreApplication.translate("SharingUI", "%d imported, %d already here, %d refused."), 12345, 2, 0)
    assert thousands in shown and "12345" not in shown, shown
    assert number(12.5) == half and number(3.0) == "3"
    assert not any("\u0660" <= ch <= "\u0669" for ch in shown)  # Latin digits, in Arabic too


def test_the_home_page_writes_its_percentages_in_the_language(language, make_window, tmp_path):
    from tests.conftest import BUNDLED_PACK

    language("fr")
    window = make_window(tmp_path / "data", BUNDLED_PACK)
    window.navigate("home")
    page = window.reader.browser.toPlainText()
    assert "0 %" in page or "0\u00a0%" in page or "0\u202f%" in page, page[:400]
