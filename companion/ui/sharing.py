"""Exports on a worker thread, so the window never freezes.

The data is read from the database on the UI thread first
(:func:`companion.workbook.sharing.prepare_pdf`); the worker only writes the file and
reports progress and the outcome through signals, never touching widgets.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from companion.workbook import sharing
from companion.errors import CompanionError


class PdfExport(QObject):
    progressed = Signal(int)
    """Emitted with how many worksheets are done."""
    succeeded = Signal(str)
    """Emitted with the path written."""
    failed = Signal(str)
    """Emitted with the reason, in words for a person."""

    def __init__(self, job: sharing.PdfJob, out: Path) -> None:
        super().__init__()
        self.job, self.out = job, Path(out)

    def run(self) -> None:
        try:
            sharing.write_pdf(self.job, self.out, progress=lambda done, _total: self.progressed.emit(done))
        except CompanionError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{self.out}: {exc.strerror or exc}")
        else:
            self.succeeded.emit(str(self.out))


def start(job: sharing.PdfJob, out: Path, parent: QObject) -> tuple[QThread, PdfExport]:
    """Run the export on a new thread; the caller connects to the worker's signals."""
    thread = QThread(parent)
    worker = PdfExport(job, out)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.succeeded.connect(thread.quit)
    worker.failed.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread, worker
