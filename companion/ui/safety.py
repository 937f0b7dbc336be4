"""Data safety in the window: back up to a file, restore from one, and what
the person is told at start (already open elsewhere, a damaged database
recovered). The operations are in :mod:`companion.workbook.safety`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from companion.messages import app_name
from companion.workbook import safety
from companion.errors import CompanionError
from companion.ui.worker import Worker, thread_for
from companion.ui import dialogs

BACKUP_SUFFIX = ".mldbackup"


def _tr(text: str) -> str:
    return QCoreApplication.translate("DataSafety", text)


def start(workbook, daily: bool = True) -> "safety.Startup | None":
    """Take the data folder for the app; None (after saying so) when another
    companion has it open. Other problems raise CompanionError. With
    ``daily=False`` the day's backup waits for :meth:`DataSafety.after_start`."""
    try:
        return workbook.safety.start(daily=daily, pages=False)  # every page read after the first paint
    except safety.AlreadyOpen:
        box = dialogs.box(dialogs.QMessageBox.Icon.Information, app_name(), _tr("The companion is already open."),
                          dialogs.QMessageBox.StandardButton.Ok)
        box.setInformativeText(_tr(
            "It is already running with your data folder:\n%s\n\nSwitch to that window. Only one "
            "window at a time may change your data, so that nothing you write is lost.") % workbook.data_dir)
        box.setAccessibleName(_tr("The companion is already open"))
        box.exec()
        return None


class _DailyBackup(Worker):
    finished = Signal()
    """Emitted once every page is read and the day's backup taken (what they found noted on the start-up)."""

    def __init__(self, safety, startup) -> None:
        super().__init__()
        self.safety, self.startup = safety, startup

    def work(self) -> None:
        from companion.workbook import checkup

        try:
            checkup.check_pages(self.safety.workbook.data_dir, self.startup)
            self.safety.take_daily_backup(self.startup, from_file=True)
        finally:
            self.finished.emit()


class DataSafety(QObject):
    restored = Signal(str)
    """Emitted with the backup file's path once a restore has replaced the data."""
    backed_up = Signal(str)
    """Emitted with the path of a backup file once written and checked."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.backup_action = QAction(self.tr("&Back up your data to a file…"), window)
        self.backup_action.setStatusTip(self.tr("Save all your worksheets and notes in one file, "
                                                "for example on a USB stick"))
        self.restore_action = QAction(self.tr("&Restore from a backup…"), window)
        self.restore_action.setStatusTip(self.tr("Replace your data with a backup file "
                                                 "(your current data is backed up first)"))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.backup_action.triggered.connect(self.backup_to_file)
        self.restore_action.triggered.connect(self.restore_from_file)
        self.window.worksheet_view_built.connect(lambda view: view.save_failed.connect(self._save_failed))

    def add_to(self, menu: QMenu, before: QAction) -> None:
        """Put the actions in the File menu, above ``before`` (Quit)."""
        menu.insertAction(before, self.backup_action)
        menu.insertAction(before, self.restore_action)
        menu.insertSeparator(before)

    # telling the person ------------------------------------------------------
    def _save_failed(self, reason: str) -> None:
        self.window.statusBar().showMessage(
            self.tr("Your last changes are not saved yet: %s. Saving is tried again.") % reason)

    def startup_box(self, startup) -> dialogs.QMessageBox | None:
        """The message about what was found at start, if there is one to give."""
        recovery = getattr(startup, "recovery", None)
        if getattr(startup, "damaged", ""):
            box = dialogs.box(dialogs.QMessageBox.Icon.Warning, self.tr("Your data is damaged"),
                              self.tr("The companion found your workbook's database damaged. Close the "
                                      "companion and start it again: it will bring back your data from the "
                                      "newest backup, and keep the damaged file."),
                              dialogs.QMessageBox.StandardButton.Ok, self.window)
            box.setDetailedText(self.tr("What was wrong: %s") % startup.damaged)
            box.setAccessibleName(box.windowTitle())
            return box
        if recovery is None:
            if getattr(startup, "warning", ""):
                self.window.statusBar().showMessage(startup.warning, 15000)
            return None
        box = dialogs.box(dialogs.QMessageBox.Icon.Warning, self.tr("Your data was recovered"), "",
                          dialogs.QMessageBox.StandardButton.Ok, self.window)
        if recovery.backup is not None:
            when = recovery.backup.taken.strftime("%Y-%m-%d %H:%M")
            box.setText(self.tr("Your workbook's database was damaged, so the companion brought back your "
                                "data from the backup of %s.") % when)
            box.setInformativeText(self.tr(
                "Anything you wrote or changed after %s is missing. Nothing was deleted: the damaged "
                "file was set aside as\n%s") % (when, recovery.damaged))
        else:
            box.setText(self.tr("Your workbook's database was damaged and there was no backup to bring "
                                "back, so the companion started with an empty workbook."))
            box.setInformativeText(self.tr("Nothing was deleted: the damaged file was set aside as\n%s\n"
                                           "Someone with technical knowledge may be able to rescue "
                                           "data from it.") % recovery.damaged)
        box.setDetailedText(self.tr("What was wrong: %s") % recovery.detail)
        box.setAccessibleName(box.windowTitle())
        return box

    def after_start(self, startup) -> None:
        """Just after the window is shown: the day's backup if one is due, on a
        worker thread (the window answers meanwhile), then what the start found
        (a recovery, a warning)."""
        safety = self.window.workbook.safety
        if not startup.daily_due and startup.pages_checked:
            self.tell_startup(startup)
            return
        safety.workbook.open_database()  # migrated on this thread before the copy reads the file
        worker = _DailyBackup(safety, startup)
        thread = thread_for(worker, self, worker.finished)
        worker.finished.connect(lambda: self.tell_startup(startup))
        self._daily = (thread, worker)  # kept until done: the worker has no parent on its thread
        thread.start()

    def finish_daily_backup(self) -> None:
        """Wait for the day's backup if it is still being written (on closing)."""
        daily = getattr(self, "_daily", None)
        if daily is not None and daily[0].isRunning():
            daily[0].quit()  # its queued quit would need this thread's event loop, which is waiting here
            daily[0].wait()

    def tell_startup(self, startup) -> None:
        box = self.startup_box(startup)
        if box is not None:
            box.exec()

    # back up and restore ---------------------------------------------------------
    def backup_to_file(self) -> str | None:
        """Ask where, write one backup file, check it; the path written or None."""
        window = self.window
        if not window.flush_worksheet():
            answer = dialogs.warning(
                window, self.tr("Changes not saved"),
                self.tr("Your last changes could not be saved, so the backup will not hold them. "
                        "Back up what is saved anyway?"),
                dialogs.QMessageBox.StandardButton.Yes | dialogs.QMessageBox.StandardButton.No, dialogs.QMessageBox.StandardButton.No)
            if answer != dialogs.QMessageBox.StandardButton.Yes:
                return None
        suggested = Path.home() / f"MLD-Companion-backup-{dt.date.today():%Y-%m-%d}{BACKUP_SUFFIX}"
        path, _ = dialogs.QFileDialog.getSaveFileName(
            window, self.tr("Back up your data to a file"), str(suggested),
            self.tr("Companion backups (*%s);;All files (*)") % BACKUP_SUFFIX)
        if not path:
            return None
        out = Path(path)
        if not out.suffix:
            out = out.with_suffix(BACKUP_SUFFIX)
        try:
            out, info = window.workbook.safety.export_backup(out)
        except CompanionError as exc:
            dialogs.warning(window, self.tr("Backup not made"), str(exc))
            return None
        window.statusBar().showMessage(self.tr("Backed up your data to %s") % out, 10000)
        dialogs.information(
            window, self.tr("Backup made"),
            self.tr("Your data (%n worksheets) is in\n%s\n\nThe file was read back and checked. If it is on "
                    "a USB stick, you may now remove the stick.",
                    "Your data (%n worksheet) is in\n%s\n\nThe file was read back and checked. If it is on "
                    "a USB stick, you may now remove the stick.", info.worksheets) % out)
        self.backed_up.emit(str(out))
        return str(out)

    def restore_from_file(self) -> bool:
        """Ask for a backup file, check it, confirm, back up the current data, restore."""
        window = self.window
        path, _ = dialogs.QFileDialog.getOpenFileName(
            window, self.tr("Restore from a backup"), str(safety.backups_dir(window.workbook)),
            self.tr("Companion backups (*%s *.sqlite3);;All files (*)") % BACKUP_SUFFIX)
        if not path:
            return False
        try:
            info = safety.inspect(Path(path))
        except CompanionError as exc:
            dialogs.warning(window, self.tr("Cannot restore this file"),
                            self.tr("%s\n\nNothing was changed.") % exc)
            return False
        when = safety.local_time(info.last_change) if info.last_change else self.tr("never")
        answer = dialogs.question(
            window, self.tr("Restore from this backup?"),
            self.tr("This backup holds %n worksheets, last changed %s.\n\nIt will replace the data you "
                    "have now. Your current data is backed up first, in the folder\n%s",
                    "This backup holds %n worksheet, last changed %s.\n\nIt will replace the data you "
                    "have now. Your current data is backed up first, in the folder\n%s", info.worksheets) % (
                when, safety.backups_dir(window.workbook)))
        if answer != dialogs.QMessageBox.StandardButton.Yes:
            return False
        if not window.flush_worksheet():
            dialogs.warning(window, self.tr("Cannot restore now"),
                            self.tr("Your last changes could not be saved yet. Restore once they are "
                                    "saved, so that the backup taken first holds them."))
            return False
        try:
            restored = window.workbook.safety.restore(Path(path))
        except CompanionError as exc:
            dialogs.warning(window, self.tr("Cannot restore this file"),
                            self.tr("%s\n\nNothing was changed.") % exc)
            return False
        if window.built_worksheet_view is not None:
            window.built_worksheet_view.forget()
        window.show_home()
        window.statusBar().showMessage(self.tr("Restored your data from %s") % restored.source, 10000)
        self.restored.emit(str(restored.source))
        return True
