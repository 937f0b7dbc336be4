"""Work off the window's thread: a PDF export, the day's backup, a trainer's report.

A :class:`Worker` runs its ``work()`` on a thread of its own and reports through its
signals, never touching a widget. Once ``work()`` returns, the worker hands itself back
to the application's thread, and is deleted there once its thread has finished.

Deleted on its own thread instead (``finished`` connected to ``deleteLater`` while it
still lives there), Qt would hold the lock of the worker's connections while it asks
each sender (the thread object, a Python object) about its handlers, which takes
Python's lock. The window's thread holds Python's lock while it connects signals; when
the lock it needs is the same one of Qt's pool, each thread waits for the other and the
window hangs for good.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QThread, SignalInstance


class Worker(QObject):
    """Subclasses define ``work()``, run on the worker's thread, and signals to report with."""

    def run(self) -> None:
        try:
            self.work()
        finally:
            self.moveToThread(QCoreApplication.instance().thread())


def thread_for(worker: Worker, parent: QObject, *ends: SignalInstance) -> QThread:
    """A thread that runs ``worker`` and ends when one of ``ends`` (the worker's signals)
    is emitted. Not started: connect to the worker's signals first, then ``start()`` it.
    Keep a reference to the worker until then: it has no Qt parent."""
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for end in ends:
        end.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)  # queued to the application's thread: see above
    return thread
