"""Text that comes from a person or a file, put on screen as text.

Qt shows any string that looks like HTML as HTML: a QLabel (``Qt.AutoText``),
a tooltip, the static QMessageBox functions. A worksheet title from a share
file such as ``<img src="file:///dev/zero">`` would make the app open that
file each time the title is drawn, and ``<h1>`` would restyle the page.
Titles, answers, notes, the profile, file names and the text of a content
pack (labels, help, options, titles, terms) therefore reach the screen only
through these helpers (message boxes: :mod:`companion.ui.dialogs`); HTML the
app writes itself escapes them and is shown by a
:class:`companion.ui.views.reader.SafeDocument`, which loads nothing but the
pack's own images.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

PLAIN = Qt.TextFormat.PlainText
RICH = Qt.TextFormat.RichText


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text`` (and whatever is set later) as typed, never as HTML."""
    label = QLabel(parent)
    label.setTextFormat(PLAIN)  # before the text: an AutoText label parses it at once
    label.setText(text)
    return label


def escape(text: object) -> str:
    """``text`` ready to go inside HTML the app writes: tags shown as text, line breaks kept."""
    return html.escape(str(text), quote=True).replace("\n", "<br/>")


def rich_label(markup: str, parent: QWidget | None = None) -> QLabel:
    """A label for HTML the app writes itself (user text in it goes through :func:`escape`)."""
    label = QLabel(parent)
    label.setTextFormat(RICH)
    label.setText(markup)
    return label


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as typed. Qt takes a tooltip that looks like
    HTML for HTML; an escaped one in a paragraph of our own is always HTML, and shows
    the text literally (spaces and line breaks kept)."""
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def window_title(text: str) -> str:
    """``text`` for setWindowTitle: Qt drops a "[*]" in a title (the unsaved-changes
    mark); doubled, it shows as typed."""
    return text.replace("[*]", "[*][*]")


def no_mnemonic(text: str) -> str:
    """``text`` for a button, a check box, a group box or an action: a single "&" would
    become a keyboard shortcut and disappear; doubled, it shows as typed."""
    return text.replace("&", "&&")
