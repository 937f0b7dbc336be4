"""Qt's dialog classes, looked up when first used, and message boxes that
show their text as text.

PySide6 sets a class up (and builds its enums) the first time a module names
it: about a millisecond each for these three. None of them is needed to open
the window, so the modules on the way to it write ``dialogs.QMessageBox``
and the class is set up when the first dialog opens.

A message often carries a title, a file name or a reason that came from a
person or a file, and QMessageBox shows text that looks like HTML as HTML
(an ``<img src="file:...">`` in it is read from the disk). :func:`box`
makes a message box whose text and informative text are plain text;
:func:`information`, :func:`warning`, :func:`question`, :func:`critical` and
:func:`about` replace QMessageBox's static functions of the same names. Those
decide the format with ``Qt.mightBeRichText``: text it does not take for HTML
is plain text there too, so such text still goes through them; any other text
is shown in a plain-text box of the same kind.
"""
from __future__ import annotations

_NAMES = ("QFileDialog", "QMessageBox", "QProgressDialog")


def __getattr__(name: str):
    if name in _NAMES:
        from PySide6 import QtWidgets

        return getattr(QtWidgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def box(icon, title: str, text: str, buttons=None, parent=None, informative: str = ""):
    """A QMessageBox (not shown yet) whose text and informative text are plain text."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    message = QMessageBox(parent)
    message.setTextFormat(Qt.TextFormat.PlainText)  # the informative text follows it
    message.setIcon(icon)
    message.setWindowTitle(title)
    message.setText(text)
    if informative:
        message.setInformativeText(informative)
    if buttons is not None:
        message.setStandardButtons(buttons)
    return message


def _show(kind: str, parent, title: str, text: str, buttons, default):
    from PySide6.QtGui import Qt
    from PySide6.QtWidgets import QMessageBox

    if not Qt.mightBeRichText(text):  # the static function shows it as plain text
        return getattr(QMessageBox, kind)(parent, title, text, buttons, default)
    icon = {"information": QMessageBox.Icon.Information, "warning": QMessageBox.Icon.Warning,
            "critical": QMessageBox.Icon.Critical, "question": QMessageBox.Icon.Question}[kind]
    message = box(icon, title, text, buttons, parent)
    if default != QMessageBox.StandardButton.NoButton:
        message.setDefaultButton(default)
    return QMessageBox.StandardButton(message.exec())


def information(parent, title: str, text: str, buttons=None, default=None):
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    return _show("information", parent, title, text, buttons or button.Ok, default or button.NoButton)


def warning(parent, title: str, text: str, buttons=None, default=None):
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    return _show("warning", parent, title, text, buttons or button.Ok, default or button.NoButton)


def critical(parent, title: str, text: str, buttons=None, default=None):
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    return _show("critical", parent, title, text, buttons or button.Ok, default or button.NoButton)


def question(parent, title: str, text: str, buttons=None, default=None):
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    return _show("question", parent, title, text, buttons or button.Yes | button.No, default or button.NoButton)


def about(parent, title: str, text: str) -> None:
    from PySide6.QtGui import Qt
    from PySide6.QtWidgets import QMessageBox

    if not Qt.mightBeRichText(text):
        QMessageBox.about(parent, title, text)
    else:
        box(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent).exec()
