"""Completions not kept, worked out after the window is shown.

A worksheet's completion is kept with each save, for its template's
version. When a content update changes a template's version (or a workbook
comes from a companion that kept none), those worksheets' completions are
not known. Home does not wait for them: it shows what is known and marks
what is not (see ``progress_html``), and :class:`CompletionsCatchUp` works
the rest out a few worksheets at a time between the window's events, so
that typing and scrolling stay smooth, then shows Home again if it is on
screen. (The worksheets are read from the workbook's database, whose
connection belongs to the window's thread; a step of a few worksheets takes
a few tens of milliseconds.)
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from companion.errors import CompanionError

STEP = 20  # worksheets worked out between two turns of the event loop


class CompletionsCatchUp(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Work out the completions not known, from the next turn of the event loop."""
        if not self._timer.isActive():
            self._timer.start()

    def finish(self) -> None:
        """Stop (the window closes): what is left is worked out by whatever needs it next."""
        self._timer.stop()

    def overview(self):
        """What Home shows of the person's progress, without waiting for completions not kept
        (worked out from the next turn of the event loop); None if it cannot be read."""
        try:
            found = self.window.workbook.study.overview(work_out=False)
        except CompanionError:
            return None
        if found.pending:
            self.start()
        return found

    def _step(self) -> None:
        try:
            left = self.window.workbook.study.work_out_completions(STEP)
        except CompanionError as exc:
            self._timer.stop()
            self.window.statusBar().showMessage(str(exc), 8000)
            return
        if left:
            return
        self._timer.stop()
        here = self.window.navigator.history.current()
        if here is not None and here.kind == "home" and self.window.stack.currentWidget() is self.window.reader:
            bar = self.window.reader.browser.verticalScrollBar()
            where = bar.value()
            self.window.show_home()  # the figures now known, where the person was reading
            bar.setValue(where)
