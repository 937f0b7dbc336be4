"""The window's menu shortcuts work wherever the keyboard focus is.

Before Qt runs a shortcut it asks the widget with the focus whether it wants
the key for itself (a ``ShortcutOverride`` event). Text boxes say yes to
many: a one-line box takes Ctrl+E (end of line) and Ctrl+K (delete to the
end) on Linux desktops, and every text box takes Ctrl+Z, Ctrl+Y and
Ctrl+Shift+Z for its own undo. So Ctrl+E did nothing while the cursor was in
a field. :class:`MenuKeysFirst` answers "not mine" for the keys of the
window's own actions, on every widget of the window as it gets the focus,
before the widget is asked. Undo and redo are the worksheet's in the
worksheet form (one undo history for all its fields, saved as it goes);
elsewhere (the search box, a note) a text box keeps its own undo.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

_MARK = "companionMenuKeysFirst"
_UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
_COMMAND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


def unique_keys(*keys) -> list[QKeySequence]:
    """Key sequences without repeats, in order; each argument a StandardKey
    (all its platform bindings), a QKeySequence or a string such as "Ctrl+Y".
    An action given the same key twice never fires: Qt calls it an ambiguous
    shortcut and does nothing."""
    found: dict[str, QKeySequence] = {}
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences = QKeySequence.keyBindings(key)
        else:
            sequences = [QKeySequence(key)]
        for sequence in sequences:
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if text and text not in found:
                found[text] = sequence
    return list(found.values())


def _sequences(event) -> list[QKeySequence]:
    """The key pressed, as the shortcut map would try it (Ctrl++ is typed with
    Shift on most keyboards, and on the keypad)."""
    key = event.key()
    if key in (0, Qt.Key.Key_unknown) or key in (Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt,
                                                 Qt.Key.Key_Meta, Qt.Key.Key_AltGr):
        return []
    key = Qt.Key(key)
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if not modifiers & _COMMAND:
        return []  # Backspace, Delete, letters: the text box's, even when a menu has them too (Back)
    found = [QKeySequence(QKeyCombination(modifiers, key))]
    if modifiers & Qt.KeyboardModifier.ShiftModifier and not Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
        found.append(QKeySequence(QKeyCombination(modifiers & ~Qt.KeyboardModifier.ShiftModifier, key)))
    return found


class MenuKeysFirst(QObject):
    """Installed by the main window on each of its widgets when it first gets the focus."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self.window and not new.property(_MARK):
            new.setProperty(_MARK, True)
            new.installEventFilter(self)

    def _actions(self) -> list[QAction]:
        return [a for a in self.window.findChildren(QAction) if a.isEnabled() and a.shortcuts()]

    def is_menu_key(self, event, watched: QWidget) -> bool:
        pressed = _sequences(event)
        if not pressed:
            return False
        for action in self._actions():
            for shortcut in action.shortcuts():
                if any(p.matches(shortcut) == QKeySequence.SequenceMatch.ExactMatch for p in pressed):
                    return self._ours(shortcut, watched)
        return False

    def _ours(self, shortcut: QKeySequence, watched: QWidget) -> bool:
        """Every menu key is the window's, but undo and redo only in the worksheet form."""
        undo = any(shortcut in QKeySequence.keyBindings(k) for k in _UNDO_KEYS) or shortcut in (
            QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z"))
        if not undo:
            return True
        view = self.window.built_worksheet_view
        return view is not None and (watched is view or view.isAncestorOf(watched))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget) \
                and self.is_menu_key(event, watched):
            event.ignore()  # not the widget's: the shortcut runs
            return True
        return False
