"""Each text of a list, tree or table in its own direction: an English title
in an Arabic window keeps its punctuation where English puts it ("(Re)integration",
not "integration(Re)"), an Arabic answer in an English window reads right to
left; the text stays aligned to the window's reading side."""
from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


def text_direction(text: str) -> Qt.LayoutDirection | None:
    """The direction of ``text``'s first letter of a script with a direction (None: no such letter)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return Qt.LayoutDirection.LeftToRight
        if kind in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
    return None


def own_direction(option: QStyleOptionViewItem) -> None:
    """Lay ``option``'s text out in its own direction, where the view put it."""
    direction = text_direction(option.text) if option.text else None
    if direction is not None and direction != option.direction:
        option.displayAlignment = QStyle.visualAlignment(option.direction, option.displayAlignment) | \
            Qt.AlignmentFlag.AlignAbsolute
        option.direction = direction


class OwnDirectionDelegate(QStyledItemDelegate):
    """Draws every item's text in its own direction."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        own_direction(option)
