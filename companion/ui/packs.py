"""File → Install content from USB…: pick a pack archive, see who signed it and what changes, install.

A pack signed by a trusted key is offered as any update; an unsigned pack, or
one signed by a key this companion does not know (its name and fingerprint
shown, to compare with the words the trainer reads out), is offered with a
warning, Cancel as the default button: it installs only if the person agrees.

Everything is done by :mod:`companion.workbook.packs` (imported only when used, to
keep it off the start-up); this only asks and tells.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from companion.errors import CompanionError
from companion.ui import dialogs


class ContentInstaller(QObject):
    installed = Signal(str)
    """Emitted with the folder of a pack just installed."""

    def __init__(self, workbook, parent: QWidget) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.parent_widget = parent
        self.action = QAction(self.tr("Install content from &USB…"), parent)
        self.action.setStatusTip(self.tr("Install a newer version of the course content from a content pack (.zip)"))
        self.action.triggered.connect(self.choose_and_install)

    def add_to(self, menu: QMenu, before: QAction) -> None:
        """Put the action in the File menu, above ``before`` (Quit)."""
        menu.insertAction(before, self.action)
        menu.insertSeparator(before)

    def choose_and_install(self) -> bool:
        path, _ = dialogs.QFileDialog.getOpenFileName(
            self.parent_widget, self.tr("Install content from USB"), "",
            self.tr("Content packs (*.zip);;All files (*)"))
        return self.install(Path(path)) if path else False

    def install(self, archive: Path) -> bool:
        """Check ``archive``, show what it changes, and install it if the person agrees."""
        try:
            staged = self.workbook.packs.stage(archive)
        except CompanionError as exc:
            dialogs.warning(self.parent_widget, self.tr("Content not installed"),
                            self.tr("This content pack was not installed. The companion goes on "
                                    "with the content it had.\n\n%s") % _sentence(str(exc)))
            return False
        with staged:
            if staged.already_installed:
                dialogs.information(self.parent_widget, self.tr("Install content"), self.tr(
                    "%s version %s is already in use: nothing to install.") % (
                    staged.incoming.title, staged.incoming.version))
                return False
            if not self._confirm(staged):
                return False
            try:
                target = staged.commit(self.workbook)
            except CompanionError as exc:
                dialogs.warning(self.parent_widget, self.tr("Content not installed"), str(exc))
                return False
        self.installed.emit(str(target))
        return True

    def _signer_text(self, staged) -> str:
        """Who signed the pack, and what that means for the person."""
        if staged.trust == "trusted":
            return self.tr("Signed by %s (fingerprint %s), a key this companion trusts.") % (
                staged.signer.name, staged.signer.fingerprint)
        if staged.trust == "untrusted":
            return self.tr(
                "Signed by %s, fingerprint %s: a key this companion does not know. Anyone can sign a pack: "
                "ask your trainer to read out their fingerprint, and install only if the words are the "
                "same.") % (staged.signer.name, staged.signer.fingerprint)
        return self.tr("This pack is not signed: nobody can tell who made it or whether it was changed. "
                       "Install it only if it comes from your trainer.")

    def _confirm(self, staged) -> bool:
        current = staged.current.version if staged.current else "-"
        trusted = staged.trust == "trusted"
        # the pack's title, its signer's name and the changes' titles come from the archive: plain text
        box = dialogs.box(dialogs.QMessageBox.Icon.Question if trusted else dialogs.QMessageBox.Icon.Warning,
                          self.tr("Install content"), self.tr(
            "Install %s, version %s? It replaces version %s.") % (
            staged.incoming.title, staged.incoming.version, current), parent=self.parent_widget)
        box.setInformativeText(self._signer_text(staged) + "\n\n" + self.tr(
            "Your worksheets keep all their answers. Answers to questions the new version no longer "
            "asks are kept and shown as from an earlier version.\n\nWhat changes:\n%s")
            % "\n".join(staged.diff.lines()[:12]))
        box.setDetailedText("\n".join(staged.diff.lines()))
        install = box.addButton(self.tr("Install") if trusted else self.tr("Install anyway"),
                                dialogs.QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(dialogs.QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(install if trusted else cancel)
        box.exec()
        return box.clickedButton() is install


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
