"""Exporting and importing worksheets in the window: the File menu's
actions, the PDF written on a worker thread so the window never freezes.

What the export needs is listed on the UI thread first
(:meth:`companion.workbook.sharing.Sharing.prepare_pdf`: the worksheets
without their answers); the worker reads each worksheet's answers through
a connection of its own as it writes, and reports progress and the outcome
through signals, never touching widgets.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from companion.errors import CompanionError
from companion.ui import dialogs
from companion.ui.export_place import file_name, remember, start_folder, suggested_path
from companion.ui.numbers import filled
from companion.ui.worker import Worker, thread_for

if TYPE_CHECKING:  # share files and hashing are loaded with the first export or import
    from companion.workbook import sharing


class PdfExport(Worker):
    progressed = Signal(int)
    """Emitted with how many worksheets are done."""
    succeeded = Signal(str)
    """Emitted with the path written."""
    failed = Signal(str)
    """Emitted with the reason, in words for a person."""

    def __init__(self, job: sharing.PdfJob, out: Path) -> None:
        super().__init__()
        self.job, self.out = job, Path(out)

    def work(self) -> None:
        from companion.workbook import sharing

        try:
            sharing.write_pdf(self.job, self.out, progress=lambda done, _total: self.progressed.emit(done))
        except CompanionError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{self.out}: {exc.strerror or exc}")
        else:
            self.succeeded.emit(str(self.out))


def start(job: sharing.PdfJob, out: Path, parent: QObject) -> tuple[QThread, PdfExport]:
    """The export on a thread of its own, not started: the caller connects to the worker's
    signals, then starts the thread."""
    worker = PdfExport(job, out)
    return thread_for(worker, parent, worker.succeeded, worker.failed), worker


class SharingUI(QObject):
    """The File menu's export and import actions of one window."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.export_action = QAction(self.tr("&Export worksheet to PDF…"), window)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_all_action = QAction(self.tr("Export &worksheets to PDF…"), window)
        self.export_all_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_share_action = QAction(self.tr("Export worksheet as a &share file…"), window)
        self.export_csv_action = QAction(self.tr("Export worksheet tables to &CSV…"), window)
        self.import_action = QAction(self.tr("&Import worksheets…"), window)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_folder_action = QAction(self.tr("Import a &folder of worksheets…"), window)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.export_action.triggered.connect(self.export_current)
        self.export_all_action.triggered.connect(self.export_chosen)
        self.export_share_action.triggered.connect(lambda: self.export_current_as("share"))
        self.export_csv_action.triggered.connect(lambda: self.export_current_as("csv"))
        self.import_action.triggered.connect(self.import_files)
        self.import_folder_action.triggered.connect(self.import_folder)

    def add_to(self, menu: QMenu) -> None:
        for action in (self.export_action, self.export_all_action, self.export_share_action,
                       self.export_csv_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.import_action)
        menu.addAction(self.import_folder_action)

    def export_current(self) -> None:
        view = self.window.built_worksheet_view
        worksheet = view.worksheet if view is not None else None
        if worksheet is None or self.window.stack.currentWidget() is not view:
            dialogs.information(self.window, self.tr("Export"), self.tr("Open a worksheet first, then export it."))
            return
        self.export_pdf([worksheet.id])

    def suggested_name(self, worksheet_ids: list[int] | None) -> str:
        title = self.window.workbook.pack.title if not worksheet_ids else self.window.workbook.book.worksheet(worksheet_ids[0]).title
        return file_name(title, self.tr("worksheet"))  # the title's own letters, in any script

    def export_pdf(self, worksheet_ids: list[int] | None) -> None:
        """Export to PDF on a worker thread, with progress; None means the whole workbook."""
        self.window.flush_worksheet()
        try:
            job = self.window.workbook.sharing.prepare_pdf(worksheet_ids, self.window.language_ui.pdf_labels)
        except CompanionError as exc:
            dialogs.information(self.window, self.tr("Export"), str(exc))
            return
        workbook = self.window.workbook
        path, _ = dialogs.QFileDialog.getSaveFileName(self.window, self.tr("Export to PDF"),
                                              suggested_path(workbook, f"{self.suggested_name(worksheet_ids)}.pdf"),
                                              self.tr("PDF documents (*.pdf)"))
        if not path:
            return
        remember(workbook, path)
        self._progress = dialogs.QProgressDialog(self.tr("Writing the PDF…"), "", 0, len(job.items), self.window)
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle(self.tr("Export"))
        self._progress.setMinimumDuration(300)
        # keep references: the worker has no Qt parent once moved to its thread
        self._export_thread, self._export_worker = start(job, path, self)
        worker = self._export_worker
        # bound slots of objects living on this thread: Qt queues the calls here
        worker.progressed.connect(self._progress.setValue)
        worker.succeeded.connect(self._export_succeeded)
        worker.failed.connect(self._export_failed)
        self._export_thread.start()

    def _export_succeeded(self, out: str) -> None:
        self._progress.close()
        self.window.statusBar().showMessage(self.tr("Saved the PDF to %s") % out, 8000)
        self.window.export_finished.emit(out)

    def _export_failed(self, reason: str) -> None:
        self._progress.close()
        dialogs.warning(self.window, self.tr("Export failed"), reason)
        self.window.export_finished.emit("")

    def export_chosen(self) -> None:
        """Choose worksheets (all ticked to start with), then export them as one PDF."""
        from companion.ui.views.choose import ChooseWorksheets

        self.window.flush_worksheet()
        if not self.window.workbook.book.worksheets():
            dialogs.information(self.window, self.tr("Export"), self.tr("There are no worksheets to export yet."))
            return
        dialog = ChooseWorksheets(self.window.workbook, self.window)
        if dialog.exec() and dialog.chosen():
            self.export_pdf(dialog.chosen())

    def export_current_as(self, kind: str) -> None:
        view = self.window.built_worksheet_view
        worksheet = view.worksheet if view is not None else None
        if worksheet is None or self.window.stack.currentWidget() is not view:
            dialogs.information(self.window, self.tr("Export"), self.tr("Open a worksheet first, then export it."))
            return
        from companion.workbook.sharing import SHARE_SUFFIX

        self.window.flush_worksheet()
        suffix, label = ((SHARE_SUFFIX, self.tr("Share files (*%s)") % SHARE_SUFFIX) if kind == "share"
                         else (".csv", self.tr("CSV files (*.csv)")))
        path, _ = dialogs.QFileDialog.getSaveFileName(
            self.window, self.tr("Export"),
            suggested_path(self.window.workbook, self.suggested_name([worksheet.id]) + suffix), label)
        if not path:
            return
        remember(self.window.workbook, path)
        sharing = self.window.workbook.sharing
        try:
            if kind == "share":
                sharing.export_share([worksheet.id], path)
            else:
                sharing.export_csv(worksheet.id, path)
        except CompanionError as exc:
            dialogs.warning(self.window, self.tr("Export failed"), str(exc))
            return
        self.window.statusBar().showMessage(self.tr("Saved %s") % path, 8000)

    def import_files(self) -> None:
        from companion.workbook.sharing import SHARE_SUFFIX

        paths, _ = dialogs.QFileDialog.getOpenFileNames(
            self.window, self.tr("Import worksheets"), str(start_folder(self.window.workbook)),
            self.tr("Worksheets from the companion (*%s *.pdf);;All files (*)") % SHARE_SUFFIX)
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = dialogs.QFileDialog.getExistingDirectory(self.window, self.tr("Import a folder of worksheets"),
                                                          str(start_folder(self.window.workbook)))
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> None:
        self.window.flush_worksheet()
        try:
            results = self.window.workbook.sharing.import_paths([Path(p) for p in paths])
        except CompanionError as exc:
            dialogs.warning(self.window, self.tr("Import failed"), str(exc))
            return
        counts = {k: sum(1 for r in results if r.status == k) for k in ("imported", "duplicate", "refused")}
        if not results:
            dialogs.information(self.window, self.tr("Import"), self.tr("No worksheet files were found there."))
            return
        refused = [r for r in results if r.status == "refused"]
        if refused and len(refused) == len(results):
            # nothing came in: a warning that names each file and why, never a box that looks like success
            summary = (self.tr("Nothing was imported: the file could not be read as a worksheet.")
                       if len(refused) == 1 else
                       self.tr("Nothing was imported: none of the %n files could be read as a worksheet.",
                               "Nothing was imported: none of the %n files could be read as a worksheet.",
                               len(refused)))
        else:
            summary = filled(self.tr("%d imported, %d already here, %d refused."),
                             counts["imported"], counts["duplicate"], counts["refused"])
        icon = dialogs.QMessageBox.Icon.Warning if refused else dialogs.QMessageBox.Icon.Information
        why = "\n".join(self.tr("• %s: %s") % (r.path.name, r.reason) for r in refused)  # plain text
        box = dialogs.box(icon, self.tr("Import"), summary, dialogs.QMessageBox.StandardButton.Ok, self.window,
                          informative=why)
        box.setDetailedText("\n".join(r.message() for r in results))  # file names and titles: plain text
        box.exec()
        self.window.imported.emit(counts["imported"])
        if self.window._list_view is not None and self.window.stack.currentWidget() is self.window._list_view:
            self.window.list_view.refresh()
