"""Search results, grouped by kind, the matched words in bold (made on the first search)."""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QLocale, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QStandardItem, QStandardItemModel, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView,
    QVBoxLayout, QWidget,
)

from companion.errors import CompanionError
from companion.ui.plain import plain_label
from companion.ui.views.reader import SafeDocument

RESULT = Qt.ItemDataRole.UserRole
MARKUP = Qt.ItemDataRole.UserRole + 1


class ResultDelegate(QStyledItemDelegate):
    """Draws a result's title and snippet as rich text, the matched words in bold."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex, selected: bool = False) -> QTextDocument:
        doc = SafeDocument()  # loads nothing: the markup is ours, the words escaped
        doc.setDefaultFont(option.font)
        palette = option.palette
        if selected:
            title = palette.color(QPalette.ColorRole.HighlightedText).name()
        elif palette.color(QPalette.ColorRole.Base).lightness() > 128:
            title = "#0b5cad"  # the reader's link colour
        else:
            title = palette.color(QPalette.ColorRole.Link).name()
        doc.setDefaultStyleSheet(f".title {{ color: {title}; font-size: 11pt; }}")
        doc.setDocumentMargin(4)
        doc.setHtml(index.data(MARKUP) or html.escape(index.data() or ""))
        doc.setTextWidth(max(100, option.rect.width()))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = self._document(opt, index, selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(text_rect.translated(-text_rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        indent = view.indentation() if index.parent().isValid() else 0
        width = max(200, (view.viewport().width() if view else 600) - indent - 8)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(width, int(doc.size().height()) + 2)


def _markup(text: str, result) -> str:
    return result.marked(text, "<b><u>", "</u></b>", escape=True).replace("\n", " ")


class SearchView(QWidget):
    open_requested = Signal(object)
    """Emitted with the SearchResult the person opens."""
    leave_requested = Signal()
    """Emitted when the person presses Escape in the results (back to the search box)."""

    KIND_LABELS = ("topic", "glossary", "worksheet", "note", "template", "page")

    def __init__(self, search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self.query = ""
        self.found: list = []
        """The results shown; each result row holds its position in this list."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QWidget(self)
        header.setObjectName("studyHeader")
        top = QVBoxLayout(header)
        self.kicker = QLabel(self.tr("Search"), header)
        self.kicker.setObjectName("kicker")
        self.title = plain_label("", header)  # quotes what the person typed
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.hint = QLabel(self.tr("Accents and capitals do not matter. Enter or a click opens a result; "
                                   "Escape goes back to the search box."), header)
        self.hint.setObjectName("help")
        self.hint.setWordWrap(True)
        for widget in (self.kicker, self.title, self.hint):
            top.addWidget(widget)
        layout.addWidget(header)
        self.model = QStandardItemModel(self)
        self.results = QTreeView(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setModel(self.model)
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setItemsExpandable(False)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.installEventFilter(self)
        layout.addWidget(self.results, 1)
        self.results.activated.connect(self._activated)
        self.results.clicked.connect(self._activated)

    def labels(self) -> dict[str, str]:
        return {"topic": self.tr("Topics"), "glossary": self.tr("Glossary"),
                "worksheet": self.tr("Your worksheets"), "note": self.tr("Your notes"),
                "template": self.tr("Worksheet templates"), "page": self.tr("Course pages")}

    def language_note(self, result) -> str:
        """" (in English)" for a result in another language than the pack shown
        (a topic a translation lacks); "" otherwise."""
        if not result.language or result.language == self._search.workbook.content_language:
            return ""
        names = {"en": self.tr("English"), "fr": self.tr("French"), "es": self.tr("Spanish"), "ar": self.tr("Arabic")}
        name = names.get(result.language) or QLocale(result.language).nativeLanguageName() or result.language
        return " " + self.tr("(in %s)") % name

    def search(self, query: str) -> list:
        """Show the results for ``query``; returns them."""
        self.query = query
        self.found = []
        self.model.clear()
        if not query.strip():
            self.title.setText(self.tr("Type a word to search for"))
            return []
        try:
            results = self._search.find(query)
        except CompanionError as exc:
            self.title.setText(str(exc))
            return []
        if not results:
            self.title.setText(self.tr("Nothing found for “%s”") % query)
            return []
        self.title.setText(self.tr("%n results for “%s”", "%n result for “%s”", len(results)) % query)
        labels = self.labels()
        group = None
        root = self.model.invisibleRootItem()
        self.found = results
        for position, result in enumerate(results):
            if group is None or group.data(RESULT) != result.kind:
                count = sum(1 for r in results if r.kind == result.kind)
                group = QStandardItem(f"{labels.get(result.kind, result.kind)} ({count})")
                group.setData(result.kind, RESULT)
                group.setData(f"<b>{html.escape(group.text())}</b>", MARKUP)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setAccessibleText(group.text())
                root.appendRow(group)
            item = QStandardItem(result.plain_title())
            language = self.language_note(result)
            item.setAccessibleText(f"{result.plain_title()}{language}: {result.marked(result.snippet, '', '')}")
            item.setData(position, RESULT)
            item.setData(f'<span class="title">{_markup(result.title, result)}</span>{html.escape(language)}<br/>'
                         f"<span>{_markup(result.snippet, result)}</span>", MARKUP)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            group.appendRow(item)
        self.results.expandAll()
        return results

    def first_result(self) -> QModelIndex:
        group = self.model.index(0, 0)
        return self.model.index(0, 0, group) if group.isValid() else QModelIndex()

    def focus_results(self) -> None:
        first = self.first_result()
        if first.isValid():
            self.results.setCurrentIndex(first)
            self.results.setFocus()

    def open_first(self) -> None:
        first = self.first_result()
        if first.isValid():
            self._activated(first)

    def _activated(self, index: QModelIndex) -> None:
        position = index.data(RESULT) if index.parent().isValid() else None
        if isinstance(position, int) and 0 <= position < len(self.found):
            self.open_requested.emit(self.found[position])

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.results and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.results.doItemsLayout)  # rows wrap to the new width
        if watched is self.results and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activated(self.results.currentIndex())
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.leave_requested.emit()
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if event.key() == Qt.Key.Key_Down else -1)
                return True
        return super().eventFilter(watched, event)

    def _step(self, direction: int) -> None:
        """Move to the next or previous result, over the group headings."""
        rows = []
        for g in range(self.model.rowCount()):
            group = self.model.index(g, 0)
            rows.extend(self.model.index(r, 0, group) for r in range(self.model.rowCount(group)))
        if not rows:
            return
        current = self.results.currentIndex()
        try:
            position = rows.index(current) + direction
        except ValueError:
            position = 0
        self.results.setCurrentIndex(rows[max(0, min(len(rows) - 1, position))])

