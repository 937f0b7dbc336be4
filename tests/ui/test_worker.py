"""Work off the window's thread: it runs on its own thread, and the worker is deleted
on the application's thread (deleted on its own, it could hang the window)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal

from companion.ui.worker import Worker, thread_for


class Probe(Worker):
    done = Signal()

    def __init__(self, seen: dict) -> None:
        super().__init__()
        self.seen = seen

    def work(self) -> None:
        self.seen["ran on"] = threading.get_ident()
        self.done.emit()


def test_a_worker_runs_on_its_own_thread_and_is_deleted_on_the_applications(qtbot):
    parent, seen = QObject(), {}
    worker = Probe(seen)
    worker.destroyed.connect(lambda: seen.setdefault("deleted on", threading.get_ident()),
                             Qt.ConnectionType.DirectConnection)
    thread = thread_for(worker, parent, worker.done)
    thread.start()
    qtbot.waitUntil(lambda: "deleted on" in seen and thread.isFinished(), timeout=5000)
    here = threading.get_ident()
    assert seen["ran on"] != here
    assert seen["deleted on"] == here
