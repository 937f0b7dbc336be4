"""The self-check's last step: the real main window, drawn offscreen."""
from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from companion.messages import t
from companion.workbook.selfcheck import Step, failed, ok

NEEDED_FONTS = ("Noto Sans", "Noto Sans Ethiopic", "Noto Sans Arabic")
SIZE = (1024, 700)


def window_check(workbook) -> Step:
    """Build the main window on ``workbook``, show it and grab a picture:
    Qt's plugins, the fonts and the styles all have to be there."""
    from companion.ui.app import _reader_css, make_app
    from companion.ui.main_window import MainWindow

    app = make_app()
    window = MainWindow(workbook, _reader_css())
    try:
        window.resize(*SIZE)
        window.show()
        for _ in range(3):
            app.processEvents()
        image = window.grab().toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}
        if image.isNull() or len(colours) < 10:
            return failed(t("selfcheck.window_what"), f"{image.width()}x{image.height()}, {len(colours)} colours")
        families = set(QFontDatabase.families())
        missing = [name for name in NEEDED_FONTS if name not in families]
        if missing:
            return failed(t("selfcheck.window_what"), t("selfcheck.fonts_missing", fonts=", ".join(missing)))
        return ok(t("selfcheck.window", width=image.width(), height=image.height(), fonts=", ".join(NEEDED_FONTS)))
    finally:
        window.hide()
        window.deleteLater()
        app.processEvents()
