"""Starting the Qt application: fonts, style, the main window."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from companion import APP_NAME, collector, paths
from companion.errors import CompanionError
from companion.messages import app_name, t
from companion.ui import dialogs


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("MLDCompanion")
    for font in sorted(paths.fonts_dir().glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))
    app.setFont(QFont("Noto Sans", 10))
    qss = paths.resources_dir() / "styles" / "app.qss"
    if qss.is_file():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    return app


def _reader_css() -> str:
    css = paths.resources_dir() / "styles" / "reader.css"
    return css.read_text(encoding="utf-8") if css.is_file() else ""


def _window(data_dir, workbook=None, lang: str | None = None):
    from companion.ui import language
    from companion.ui.main_window import MainWindow
    from companion.workbook import Workbook

    if workbook is None:
        workbook = Workbook.open(data_dir)
        language.start(workbook, lang)
    return MainWindow(workbook, _reader_css(), language=lang)


def open_window(data_dir: str | None, lang: str | None = None):
    """Everything between starting and a window ready to show: the data
    folder (a read-only stick: offer this computer's), one app per folder,
    recovery of a damaged database, the window. Returns (window, startup),
    or None once the person has been told why not. The start-up benchmark
    (bench/startup_app.py) times exactly this, then show()."""
    from companion.ui import language, safety as data_safety
    from companion.ui.portable import choose_data_dir
    from companion.workbook import Workbook

    language.start_before_data(lang)  # what is asked before the data folder is open, in the system's language
    data_dir, go_on = choose_data_dir(data_dir)  # a read-only stick: offer this computer's folder
    if not go_on:
        return None
    try:
        workbook = Workbook.open(data_dir)
        language.start(workbook, lang)  # --lang, else the language kept in the data folder
        # one app per data folder, recovery; the daily backup waits
        # until the window is shown (see run), so no start waits for a copy
        startup = data_safety.start(workbook, daily=False)
        if startup is None:
            return None
        try:
            return _window(data_dir, workbook, lang), startup
        except BaseException:
            startup.release()
            raise
    except CompanionError as exc:
        dialogs.critical(None, app_name(), str(exc))
        return None


def run(data_dir: str | None, view: str | None = None, lang: str | None = None) -> int:
    """The app; ``view`` (as ``companion --open VIEW``) is where it starts, ``lang``
    its language for this time (as ``--lang CODE``). A view that cannot be shown
    (no such topic or worksheet) raises InputError before the window is shown."""
    app = make_app()
    opened = open_window(data_dir, lang)
    if opened is None:
        return 2
    window, startup = opened
    if view:
        try:
            window.navigate(view)  # before show(): the first thing drawn is that view
        except CompanionError:
            window.workbook.close()
            window.deleteLater()
            startup.release()
            raise
    window.show()
    if view:
        # once laid out at its real size, the field named in "worksheet:ID#FIELD" is brought into sight
        QTimer.singleShot(0, lambda: _settle(window, view))
    AfterFirstPaint(window, lambda: (collector.resume(), window.data_safety.after_start(startup),
                                     window.ask_profile_once()))
    try:
        code = app.exec()
    finally:
        startup.release()
    if window.restart_language:  # View > Language: the window opens again in the language chosen
        return run(data_dir)
    return code


class AfterFirstPaint(QObject):
    """Runs ``then`` once, when the window has been drawn for the first time: what a start
    does next (the day's backup, reading every page of a large workbook, the profile asked
    on the first start) must not compete with drawing it. A zero timer set after show()
    fires before the first paint; this waits for the window's own first paint event (its
    children are drawn in the same pass), with a timer in case none ever comes."""

    FALLBACK_MS = 3000

    def __init__(self, window, then) -> None:
        super().__init__(window)
        self.then: object = then
        window.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self, self._run)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after the whole window is drawn and shown
        return False

    def _run(self) -> None:
        then, self.then = self.then, None
        if then is not None:
            then()


def _settle(window, view: str) -> None:
    kind, _, ident = view.partition(":")
    field = ident.partition("#")[2]
    if field and kind in ("worksheet", "example"):
        window.worksheet_view.scroll_to(field)


def screenshot(data_dir: str | None, out: str, view: str, size: tuple[int, int], lang: str | None = None) -> int:
    app = make_app()
    window = _window(data_dir, lang=lang)
    try:
        window.resize(*size)
        window.navigate(view)
        window.show()
        for _ in range(3):
            app.processEvents()
        if not window.grab().save(str(Path(out))):
            raise CompanionError(t("file.cannot_write", path=out, detail="PNG"))
    finally:
        window.close()
    print(out)
    return 0
