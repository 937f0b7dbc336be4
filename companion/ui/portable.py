"""A read-only stick: say so, and offer the laptop's own folder."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from companion.messages import app_name
from companion.workbook import portable
from companion.ui import dialogs


class DataFolderQuestion(QObject):
    """Asks whether to keep the work on this computer when the stick cannot be written."""

    def ask(self, folder: portable.DataFolder, parent: QWidget | None = None) -> bool:
        box = dialogs.box(dialogs.QMessageBox.Icon.Warning, app_name(),
                          self.tr("The companion cannot save your work on this USB stick."), parent=parent)
        box.setInformativeText(self.tr(
            "The folder %1 cannot be written (%2): the stick may be locked, full or read-only.\n\n"
            "Keep your work in this computer's folder instead?\n%3"
        ).replace("%1", str(folder.wanted)).replace("%2", folder.problem).replace("%3", str(folder.path)))
        use = box.addButton(self.tr("Use this computer's folder"), dialogs.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Quit"), dialogs.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(use)
        box.exec()
        return box.clickedButton() is use


def choose_data_dir(data_dir: str | None, resolve=portable.resolve) -> tuple[str | None, bool]:
    """(the data folder to open, whether to go on). Asks only when a portable
    folder cannot be written; otherwise returns ``data_dir`` as it was."""
    folder = resolve(data_dir)
    if not folder.fell_back:
        return data_dir, True
    if DataFolderQuestion().ask(folder):
        return str(folder.path), True
    return data_dir, False
