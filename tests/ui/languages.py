"""What the language walks look at: every text a person reads on the window's
widgets, whether it is the interface's (and then translated) or the course's
or the person's own, and whether it fits where it is shown."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QGroupBox, QHeaderView, QLabel, QLineEdit, QMenu, QTabBar, QWidget,
)

_PSEUDO = re.compile(r"\[[^\[\]]*\]")
_TAG = re.compile(r"<[^>]*>|&[a-z]+;")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def content_texts(*sources) -> set[str]:
    """Every text of the course content and of what the test typed (records, dicts, lists and the pack walked)."""
    found: set[str] = set()
    seen: set[int] = set()

    def walk(value, depth: int = 0) -> None:
        if depth > 14 or id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, str):
            if value.strip():
                found.add(value.strip())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item, depth + 1)
        elif isinstance(value, (Path, type)) or callable(value):
            return
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), depth + 1)
        elif hasattr(value, "__dict__"):  # the pack, a plain class
            walk(vars(value), depth + 1)

    for source in sources:
        walk(source)
    return {text for text in found if len(text) > 1}


def shown_texts(window, reader=None) -> list[tuple[str, QWidget | None, str]]:
    """(text, widget, what) for every text shown on the window's visible widgets, its menus and headers,
    and each line of ``reader`` (a QTextBrowser showing a page the window writes, not the course's)."""
    out: list[tuple[str, QWidget | None, str]] = [(window.windowTitle(), None, "window title")]
    if reader is not None:
        out += [(line, None, "page line") for line in reader.toPlainText().splitlines() if line.strip()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text():
            out.append((widget.text(), widget, "label"))
        elif isinstance(widget, QAbstractButton) and widget.text():
            out.append((widget.text(), widget, "button"))
        elif isinstance(widget, QGroupBox) and widget.title():
            out.append((widget.title(), widget, "group"))
        elif isinstance(widget, QLineEdit) and widget.placeholderText():
            out.append((widget.placeholderText(), None, "placeholder"))
        elif isinstance(widget, QTabBar):
            out += [(widget.tabText(i), widget, f"tab {i}") for i in range(widget.count())]
        elif isinstance(widget, QHeaderView) and not widget.isHidden() and widget.model() is not None:
            for i in range(widget.count()):
                if not widget.isSectionHidden(i):
                    text = widget.model().headerData(i, widget.orientation(), Qt.ItemDataRole.DisplayRole)
                    if isinstance(text, str) and text:
                        out.append((text, widget, f"header {i}"))
    for action in (window.menuBar().actions() if hasattr(window, "menuBar") else ()):
        out.append((action.text(), window.menuBar(), "menu"))
        out += _menu_texts(action.menu())
    return out


def _menu_texts(menu: QMenu | None) -> list:
    if menu is None:
        return []
    out = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        out.append((action.text(), None, f"menu item of {menu.title()}"))
        out += _menu_texts(action.menu())
    return out


def _interface_part(text: str, content: set[str]) -> str:
    """What of ``text`` is the interface's own: tags, the course's and the person's texts taken out."""
    rest = _TAG.sub(" ", text)
    for known in sorted((c for c in content if c in rest), key=len, reverse=True):
        rest = rest.replace(known, " ")
    return rest


# Qt's standard buttons, translated by Qt's own catalogue (qtbase_<lang>.qm), which has no pseudo-language
QT_STANDARD = {"OK", "Cancel", "Save", "Close", "Yes", "No", "Discard", "Apply", "Reset", "Help", "Open",
               "&OK", "&Cancel", "&Save", "&Close", "&Yes", "&No", "&Discard", "&Apply", "&Reset", "&Help", "&Open"}


def untranslated(texts, content: set[str], language: str) -> list[str]:
    """Texts of the interface left in English: in the pseudo-language, letters
    outside brackets; in Arabic, Latin words and no Arabic letter. The names of
    the languages in their own language (the language menu) are not translated."""
    from companion.messages import NAMES

    content = content | set(NAMES.values())
    wrong = []
    for text, _widget, what in texts:
        if language == "qps" and text in QT_STANDARD:
            continue
        rest = _interface_part(text, content)
        if language == "qps":
            rest = _PSEUDO.sub(" ", rest)
            if re.search(r"[A-Za-z]{2,}", rest.replace("PDF", "").replace("CSV", "")):
                wrong.append(f"{what}: {text!r}")
        elif text == "YYYY-MM-DD":
            continue  # the pattern of what is typed (Latin digits): the Arabic catalogue keeps it as it is
        elif re.search(r"[A-Za-z]{3,}", rest) and not _ARABIC.search(rest):
            wrong.append(f"{what}: {text!r}")
    return wrong


def cut(texts) -> list[str]:
    """Texts wider than the widget that shows them (labels that do not wrap,
    buttons, tabs, table headers, the menu bar)."""
    wrong = []
    for text, widget, what in texts:
        if widget is None or "\n" in text:
            continue
        metrics = QFontMetrics(widget.font())
        plain = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        need = metrics.horizontalAdvance(plain)
        if isinstance(widget, QLabel):
            if widget.wordWrap() or widget.textFormat() == Qt.TextFormat.RichText or re.search(r"<[a-z][^>]*>", text):
                continue
            room = widget.contentsRect().width() - 2 * widget.margin() - 2 * widget.indent() * (widget.indent() > 0)
        elif isinstance(widget, QAbstractButton) and widget.hasHeightForWidth():
            need, room = widget.heightForWidth(widget.width()), widget.height() + 1  # wrapped: every line shows
        elif isinstance(widget, QAbstractButton):
            need, room = widget.sizeHint().width(), widget.width() + 1
        elif isinstance(widget, QTabBar):
            index = int(what.split()[1])
            need, room = widget.tabSizeHint(index).width(), widget.tabRect(index).width() + 1
        elif isinstance(widget, QHeaderView):
            index = int(what.split()[1])
            if widget.sectionResizeMode(index) == QHeaderView.ResizeMode.ResizeToContents:
                continue  # Qt sizes the section to its label
            if hasattr(widget, "fit_words"):  # a wrapping header: each word must fit on a line
                need = max(metrics.horizontalAdvance(word) for word in plain.split())
                room = widget.sectionSize(index) - 12
            else:
                room = widget.sectionSize(index) - 8  # the section's margins
        elif what == "menu":
            action = next(a for a in widget.actions() if a.text() == text)
            geometry = widget.actionGeometry(action)
            if geometry.isValid() and geometry.right() <= widget.width() and geometry.width() > 0:
                continue
            wrong.append(f"{what}: {text!r} is not in the menu bar")
            continue
        else:
            continue
        if need > room + 1:
            wrong.append(f"{what}: {text!r} needs {need} px, has {room}")
    return wrong


def item_views(window) -> list[QAbstractItemView]:
    return [w for w in window.findChildren(QAbstractItemView) if w.isVisibleTo(window)]
