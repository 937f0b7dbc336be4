"""Typing as a person does: real key events sent to the widget that has the focus.

ASCII goes through ``qtbot.keyClicks``; any other character is committed the
way an input method (a Portuguese or Arabic keyboard layout, a compose key)
commits it, because ``keyClicks`` with a non-ASCII character aborts the whole
process inside Qt (see STACK_NOTES.md).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_text(qtbot, text: str) -> None:
    """Type ``text`` into whatever has the focus."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(focused(), ch)  # each key to the widget that has the focus then
        else:
            commit(ch)


def commit(text: str) -> None:
    """What an input method sends when the person finishes a character."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(focused(), event)


def press(qtbot, keys: str | Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key or a key sequence written as in the menus ("Ctrl+E", "Alt+Home")
    on the widget that has the focus."""
    if isinstance(keys, str):
        combo = QKeySequence(keys)[0]
        key, modifiers = combo.key(), combo.keyboardModifiers()
    else:
        key = keys
    qtbot.keyClick(focused(), key, modifiers)


def tab_to(qtbot, target: QWidget, limit: int = 120, backwards: bool = False) -> int:
    """Press Tab (Shift+Tab) until ``target`` or its focus proxy has the focus; returns the count."""
    wanted = target.focusProxy() or target
    if focused() is wanted:
        return 0
    for count in range(1, limit + 1):
        press(qtbot, Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
        if focused() is wanted:
            return count
    raise AssertionError(f"Tab never reached {wanted!r} (focus is on {focused()!r})")


def activate(qtbot, window) -> None:
    """Keys reach a window only while it is the active one."""
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def saved_answers(window, worksheet_id: int) -> dict:
    """The answers as the application layer has them, once the form has saved."""
    assert window.flush_worksheet()
    return window.workbook.book.worksheet(worksheet_id).answers
