"""The reader: a topic, a page or the glossary, as readable HTML.

Every rich-text document the app shows is a :class:`SafeDocument`: it reads no
resource itself. Qt's own QTextDocument, asked for an image or a style sheet
its widget does not give, opens the named local file (a ``file:`` URL, an
absolute path, a relative one against the working folder) and decodes any
``data:`` URL; so does a QTextBrowser whose ``loadResource`` returns nothing.
A SafeDocument asks its owner's ``loadResource`` and, when that gives nothing,
answers with an empty image or an empty text, never with Qt's fallback. The
:class:`Browser` gives only the content pack's own images (``images/NAME``,
inside the pack's ``images`` folder, a regular file of reasonable size); any
other URL (``file:``, ``http(s):``, ``data:``, ``qrc:``, a host, a path
leaving ``images/``) is never fetched.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSizeF, QTimer, QUrl, Qt, Signal
from PySide6.QtGui import QCursor, QImage, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QToolTip, QVBoxLayout, QWidget

from companion.content.markdown import safe_image

READING_WIDTH = 860
IMAGE = int(QTextDocument.ResourceType.ImageResource.value)
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_CACHED_IMAGES = 64
_BLANK: list[QImage] = []


def blank_image() -> QImage:
    """A transparent pixel: what a refused image becomes. An empty answer would
    not do: Qt then tries to load the image's name from the disk itself."""
    if not _BLANK:
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        _BLANK.append(image)
    return _BLANK[0]


class SafeDocument(QTextDocument):
    """A document that loads only what ``loader(kind, url)`` gives (None: nothing)."""

    def __init__(self, parent=None, loader: Callable[[int, QUrl], object] | None = None) -> None:
        super().__init__(parent)
        self._loader = loader

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt API
        found = self._loader(int(kind), url) if self._loader is not None else None
        if found is not None:
            return found
        return blank_image() if int(kind) == IMAGE else QByteArray()


def read_pack_image(folder: Path, name: str) -> QImage | None:
    """The image ``name`` (relative, below ``folder``) if it is a regular file of at
    most MAX_IMAGE_BYTES inside ``folder`` and decodes; else None."""
    try:
        root = folder.resolve(strict=True)
        target = (root / name).resolve(strict=True)
        if not target.is_relative_to(root) or target == root:
            return None
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        if not stat.S_ISREG(os.stat(target).st_mode):
            return None  # a FIFO or a device is not even opened
        fd = os.open(target, flags)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_IMAGE_BYTES:
                return None
            with os.fdopen(fd, "rb", closefd=False) as stream:
                data = stream.read(MAX_IMAGE_BYTES + 1)
        finally:
            os.close(fd)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_IMAGE_BYTES:
        return None
    image = QImage.fromData(data)
    return None if image.isNull() else image


class Browser(QTextBrowser):
    """A text browser that never loads anything from outside the app: only the
    content pack's images, from the folder ``pack_images()`` names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack_images: Callable[[], Path | None] = lambda: None
        self._images: dict[tuple, QImage] = {}
        self.setDocument(SafeDocument(self, lambda kind, url: self.loadResource(kind, url)))
        # No page width until the browser is first resized (shown): a page set before the window
        # is shown is laid out once, at the width it is shown at, not first at a new widget's
        # default width as well. (An anchor asked for before then, Qt scrolls to once shown.)
        self.document().setPageSize(QSizeF(0, 0))
        # Room for the scroll bar when first shown: the first page (Home, mostly longer than the
        # window) is laid out once, not first without the bar and again once it appears; a page
        # that fits gives the room back just after.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._room_kept = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._room_kept:
            self._room_kept = False
            QTimer.singleShot(0, self, self._scroll_bar_as_needed)

    def _scroll_bar_as_needed(self) -> None:
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt API
        """The pack image a relative ``images/NAME`` URL names, or None. Never
        Qt's own loading: no web, no file: URL, no data: URL, no host (a
        network share on Windows), no qrc:, nothing outside ``images/``."""
        path = url.path()
        if int(kind) != IMAGE or url.scheme() or url.host() or url.hasQuery() or not safe_image(path):
            return None
        folder = self.pack_images()
        if folder is None:
            return None
        name = path[len("images/"):]
        try:
            info = os.stat(Path(folder) / name)
        except (OSError, ValueError):
            return None
        key = (str(folder), name, info.st_mtime_ns, info.st_size)
        image = self._images.get(key)
        if image is None:
            image = read_pack_image(Path(folder), name)
            if image is None:
                return None
            if len(self._images) >= MAX_CACHED_IMAGES:
                self._images.clear()
            self._images[key] = image
        return image


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
