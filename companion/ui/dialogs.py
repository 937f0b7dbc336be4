"""Qt's dialog classes, looked up when first used.

PySide6 sets a class up (and builds its enums) the first time a module names
it: about a millisecond each for these three. None of them is needed to open
the window, so the modules on the way to it write ``dialogs.QMessageBox``
and the class is set up when the first dialog opens.
"""
from __future__ import annotations

_NAMES = ("QFileDialog", "QMessageBox", "QProgressDialog")


def __getattr__(name: str):
    if name in _NAMES:
        from PySide6 import QtWidgets

        return getattr(QtWidgets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
