"""The trainer's desk in the window: Trainer → Cohort report from a folder…,
and File → Print blank worksheets….

Reading a cohort's files, writing the report's three files and writing blank
worksheets all run on a worker thread behind a progress dialog; the worker
only reports progress and the outcome through signals and never touches a
widget (as :mod:`companion.ui.sharing` does). Nothing a trainer reads here is
imported into their own workbook.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from companion.errors import CompanionError
from companion.ui import dialogs, export_place
from companion.ui.worker import Worker, thread_for

# companion.workbook.cohort and .blank are imported when first used, not on the way to the first window


class Task(Worker):
    """One piece of work, ``work(progress)``, run on a worker thread."""

    progressed = Signal(int, int)
    """Emitted with how much is done, of how much."""
    succeeded = Signal(object)
    """Emitted with what the work returned."""
    failed = Signal(str)
    """Emitted with the reason, in words for a person."""

    def __init__(self, job: Callable[[Callable[[int, int], None]], object]) -> None:
        super().__init__()
        self.job = job

    def work(self) -> None:
        try:
            result = self.job(lambda done, total: self.progressed.emit(done, total))
        except CompanionError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        else:
            self.succeeded.emit(result)


class _Watch(QObject):
    """Takes a task's signals on the window's thread: the progress dialog, then the outcome."""

    def __init__(self, progress, done, failed, ended, parent: QObject) -> None:
        super().__init__(parent)
        self.progress, self.done, self.fail, self.ended = progress, done, failed, ended

    @Slot(int, int)
    def progressed(self, value: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(value)

    @Slot(object)
    def succeeded(self, result: object) -> None:
        self.progress.close()
        self.ended()
        self.done(result)

    @Slot(str)
    def failed(self, reason: str) -> None:
        self.progress.close()
        self.ended()
        self.fail(reason)


class TrainerUI(QObject):
    cohort_read = Signal(object)
    """Emitted with the cohort once its files are read (None when they could not be)."""
    report_written = Signal(str)
    """Emitted with the folder the report was written to ("" when it failed)."""
    blank_written = Signal(str)
    """Emitted with the blank worksheets' PDF once written ("" when it failed)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.cohort_action = QAction(self.tr("Cohort report from a &folder…"), window)
        self.blank_action = QAction(self.tr("Print &blank worksheets…"), window)
        self._running: list[tuple[QThread, Task]] = []
        self.roster = None  # the roster dialog last shown
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.cohort_action.triggered.connect(self.open_cohort)
        self.blank_action.triggered.connect(self.print_blank)

    def add_to(self, file_menu: QMenu, before: QAction) -> None:
        """File → Print blank worksheets… (above ``before``), and the Trainer menu."""
        file_menu.insertAction(before, self.blank_action)
        file_menu.insertSeparator(before)
        menu = self.window.menuBar().addMenu(self.tr("&Trainer"))
        menu.addAction(self.cohort_action)

    # running work off the window's thread --------------------------------------------------
    def _start(self, work, label: str, done: Callable[[object], None], failed: Callable[[str], None]) -> None:
        progress = dialogs.QProgressDialog(label, "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setWindowTitle(self.tr("Trainer"))
        progress.setAccessibleName(label)
        progress.setMinimumDuration(300)
        task = Task(work)
        thread = thread_for(task, self, task.succeeded, task.failed)
        watch = _Watch(progress, done, failed, lambda: self._ended(thread), self)
        # slots of an object living on this thread: Qt queues the calls here, never on the worker
        task.progressed.connect(watch.progressed)
        task.succeeded.connect(watch.succeeded)
        task.failed.connect(watch.failed)
        thread.finished.connect(watch.deleteLater)
        self._running.append((thread, task))  # the task has no Qt parent once moved: keep it
        thread.start()

    def _ended(self, thread: QThread) -> None:
        self._running[:] = [(th, tk) for th, tk in self._running if th is not thread]

    def finish(self) -> None:
        """Before the window closes: let a report or PDF being written finish."""
        for thread, _task in list(self._running):
            if thread.isRunning():
                thread.wait()

    # the cohort ------------------------------------------------------------------------------
    def open_cohort(self) -> None:
        folder = dialogs.QFileDialog.getExistingDirectory(
            self.window, self.tr("Choose the folder of the files participants handed in"),
            str(export_place.start_folder(self.window.workbook)))
        if folder:
            export_place.remember_folder(self.window.workbook, folder)
            self.read_cohort([folder])

    def read_cohort(self, paths: list[str]) -> None:
        """Read the files (on a worker thread), then show the roster."""
        workbook = self.window.workbook
        cohorts = workbook.cohort
        workbook.pack  # noqa: B018 - loaded here, not on the worker
        workbook.sharing  # noqa: B018 - the service that checks answers, made here
        self._start(lambda progress: cohorts.read([Path(p) for p in paths], progress),
                    self.tr("Reading the files participants handed in…"), self._show_roster, self._read_failed)

    def _read_failed(self, reason: str) -> None:
        dialogs.warning(self.window, self.tr("Cohort report"), reason)
        self.cohort_read.emit(None)

    def _show_roster(self, cohort) -> None:
        from companion.ui.views.roster import RosterDialog

        if self.roster is not None:
            self.roster.close()
        self.roster = RosterDialog(cohort, self.window)
        self.roster.save_requested.connect(lambda: self.save_report(cohort))
        self.roster.show()
        self.cohort_read.emit(cohort)

    def save_report(self, cohort) -> None:
        from companion.workbook.cohort import REPORT_FILES, write_report

        parent = self.roster or self.window
        folder = dialogs.QFileDialog.getExistingDirectory(
            parent, self.tr("Choose where to save the report"), str(export_place.start_folder(self.window.workbook)))
        if not folder:
            return
        export_place.remember_folder(self.window.workbook, folder)
        existing = [name for name in REPORT_FILES if (Path(folder) / name).exists()]
        if existing and dialogs.question(
                parent, self.tr("Cohort report"),
                self.tr("%s already exist there. Replace them?") % ", ".join(existing)) != \
                dialogs.QMessageBox.StandardButton.Yes:
            return
        self._start(lambda progress: write_report(cohort, Path(folder), progress),
                    self.tr("Writing cohort.pdf, cohort.xlsx and cohort.sqlite…"),
                    lambda _written: self._report_done(folder), self._report_failed)

    def _report_done(self, folder: str) -> None:
        self.window.statusBar().showMessage(self.tr("Saved the cohort report to %s") % folder, 8000)
        if self.roster is not None:
            self.roster.saved_to(folder)
        self.report_written.emit(folder)

    def _report_failed(self, reason: str) -> None:
        dialogs.warning(self.roster or self.window, self.tr("The report could not be saved"), reason)
        self.report_written.emit("")

    # blank worksheets ------------------------------------------------------------------------
    def print_blank(self) -> None:
        from companion.ui.views.choose import ChooseTemplates
        from companion.workbook import blank as blank_mod

        dialog = ChooseTemplates(self.window.workbook.templates(), self.window)
        if not dialog.exec() or not dialog.chosen():
            return
        try:
            job = blank_mod.prepare(self.window.workbook, dialog.chosen())
        except CompanionError as exc:
            dialogs.warning(self.window, self.tr("Print blank worksheets"), str(exc))
            return
        name = job.templates[0].title if len(job.templates) == 1 else self.tr("Blank worksheets")
        name = export_place.file_name(name, "worksheets")
        path, _ = dialogs.QFileDialog.getSaveFileName(
            self.window, self.tr("Save the blank worksheets"),
            export_place.suggested_path(self.window.workbook, f"{name}.pdf"), self.tr("PDF documents (*.pdf)"))
        if not path:
            return
        export_place.remember(self.window.workbook, path)
        self._start(lambda progress: blank_mod.write(job, Path(path), progress),
                    self.tr("Writing the blank worksheets…"), lambda _out: self._blank_done(path),
                    self._blank_failed)

    def _blank_done(self, path: str) -> None:
        self.window.statusBar().showMessage(self.tr("Saved the blank worksheets to %s") % path, 8000)
        self.blank_written.emit(path)

    def _blank_failed(self, reason: str) -> None:
        dialogs.warning(self.window, self.tr("Print blank worksheets"), reason)
        self.blank_written.emit("")
