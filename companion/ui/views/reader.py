"""The reader: a topic, a page or the glossary, as readable HTML."""
from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QToolTip, QVBoxLayout, QWidget

READING_WIDTH = 860


class Browser(QTextBrowser):
    """A text browser that never loads anything from outside the app."""

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt API
        # Only relative names (the pack's own images) and Qt resources: no
        # web, no file: URLs, no host at all (a network share on Windows).
        path = url.path()
        if url.scheme() not in ("", "qrc") or url.host() or path.startswith("//") or "\\" in path:
            return None
        return super().loadResource(kind, url)


class ReaderView(QWidget):
    link_activated = Signal(str, str)
    """Emitted with (kind, id) when a link inside the app is followed."""
    web_link_activated = Signal(QUrl)
    """Emitted when a link to the web is clicked (the window asks first)."""
    page_shown = Signal()
    """Emitted after a new page (topic, glossary, home...) is shown."""

    def __init__(self, glossary_lookup=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.glossary_lookup = glossary_lookup or (lambda _id: None)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = Browser(self)
        self.browser.setObjectName("reader")
        self.browser.setAccessibleName(self.tr("Reader"))
        self.browser.setOpenLinks(False)
        self.browser.setMaximumWidth(READING_WIDTH)
        self.browser.document().setDocumentMargin(24)
        self.html = ""
        # the text's column: other views add bars above or below the text (see ui/study.py)
        self.column = QVBoxLayout()
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.column.addWidget(self.browser, 1)
        layout.addStretch(1)
        layout.addLayout(self.column, 100)
        layout.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.browser.anchorClicked.connect(self._clicked)
        self.browser.highlighted.connect(self._hovered)

    def show_html(self, html: str, anchor: str | None = None) -> None:
        self.html = html
        self.browser.setHtml(html)
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self.page_shown.emit()

    def _clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme in ("http", "https", "mailto"):
            self.web_link_activated.emit(url)
        elif scheme:
            self.link_activated.emit(scheme, url.path() or url.toString().partition(":")[2])

    def _hovered(self, url: QUrl) -> None:
        if url.scheme() == "glossary":
            text = self.glossary_lookup(url.path())
            if text:
                QToolTip.showText(QCursor.pos(), text, self.browser)
                return
        QToolTip.hideText()
