from __future__ import annotations

import pytest

from tests.conftest import MINI_PACK


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Build the real main window on a data folder; several may be made in turn."""
    from companion.ui.app import _reader_css, make_app
    from companion.ui.main_window import MainWindow
    from companion.workbook import Workbook

    from companion import messages
    from companion.ui import translator

    translator.apply(messages.current_language(), make_app())  # as every start does: tr() through the catalogue
    windows = []

    def make(data_dir=None, pack=MINI_PACK):
        window = MainWindow(Workbook(data_dir or tmp_path / "data", pack), _reader_css())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.workbook.close()
