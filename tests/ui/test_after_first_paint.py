"""What a start does once the window is drawn (the day's backup, the profile asked on the first
start) waits for the window's first paint, and runs once."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QTextBrowser

from companion.ui.app import AfterFirstPaint


class _Painted(QObject):
    def __init__(self, window, log) -> None:
        super().__init__(window)
        self.log = log
        window.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.log.append("painted")
        return False


def test_it_runs_after_the_first_paint_not_at_the_first_turn_of_the_event_loop(qtbot):
    window = QMainWindow()
    window.setCentralWidget(QTextBrowser())
    qtbot.addWidget(window)
    log: list[str] = []
    _Painted(window, log)
    AfterFirstPaint(window, lambda: log.append("then"))
    window.show()
    QTimer.singleShot(0, lambda: log.append("zero timer"))  # what run() used before: fires before the paint
    qtbot.waitUntil(lambda: "then" in log)
    assert log.index("zero timer") < log.index("painted") < log.index("then")
    window.update()
    qtbot.wait(50)
    assert log.count("then") == 1


def test_it_runs_once_even_when_the_window_is_never_drawn(qtbot, monkeypatch):
    monkeypatch.setattr(AfterFirstPaint, "FALLBACK_MS", 30)
    window = QMainWindow()
    qtbot.addWidget(window)
    done: list[str] = []
    AfterFirstPaint(window, lambda: done.append("then"))
    qtbot.waitUntil(lambda: done == ["then"], timeout=2000)
    window.show()
    qtbot.wait(50)
    assert done == ["then"]
