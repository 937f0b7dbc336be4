"""The main window: the navigation tree beside the reader and the workbook."""
from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QFileDialog, QMainWindow, QMessageBox, QSplitter, QStackedWidget, QTreeView, QWidget,
)

from companion import APP_NAME, __version__
from companion.content.markdown import glossary_html, to_html, topic_html
from companion.errors import CompanionError, InputError
from companion.messages import t
from companion.ui.views.home import home_html
from companion.ui.views.reader import ReaderView
from companion.ui.views.worksheet import WorksheetView
from companion.ui.views.worksheet_list import WorksheetListView

KIND = Qt.ItemDataRole.UserRole
IDENT = Qt.ItemDataRole.UserRole + 1


class MainWindow(QMainWindow):
    def __init__(self, workbook, stylesheet: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self._build(stylesheet)
        self._build_menus()
        self._connect_signals()
        self.show_home()

    # building ------------------------------------------------------------
    def _build(self, stylesheet: str) -> None:
        splitter = QSplitter(self)
        self.nav = QTreeView(splitter)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Contents"))
        self.nav.setHeaderHidden(True)
        self.nav.setUniformRowHeights(True)
        self.nav.setModel(self._nav_model())
        self.stack = QStackedWidget(splitter)
        self.reader = ReaderView(self._definition, self.stack)
        self.reader.browser.document().setDefaultStyleSheet(stylesheet)
        self.worksheet_view = WorksheetView(self.workbook, self.stack)
        self.worksheet_view.instructions.document().setDefaultStyleSheet(stylesheet)
        self.list_view = WorksheetListView(self.workbook, self.stack)
        self.stack.addWidget(self.reader)
        self.stack.addWidget(self.worksheet_view)
        self.stack.addWidget(self.list_view)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 900])
        self.setCentralWidget(splitter)
        self.statusBar()

    def _nav_model(self) -> QStandardItemModel:
        pack = self.workbook.pack
        model = QStandardItemModel(self)

        def item(text: str, kind: str, ident: str = "") -> QStandardItem:
            entry = QStandardItem(text)
            entry.setEditable(False)
            entry.setData(kind, KIND)
            entry.setData(ident, IDENT)
            entry.setToolTip(text)
            return entry

        model.appendRow(item(self.tr("Home"), "home"))
        if "schedule" in pack.pages:
            model.appendRow(item(pack.pages["schedule"].title, "page", "schedule"))
        model.appendRow(item(self.tr("Glossary"), "view", "glossary"))
        for module in pack.modules:
            label = self.tr("Core module") if module.number == 0 else self.tr("Module %d") % module.number
            node = item(f"{label}: {module.title}", "module", module.id)
            for topic in module.topics:
                node.appendRow(item(topic.title, "topic", topic.id))
            model.appendRow(node)
        workbook = item(self.tr("Workbook"), "workbook")
        for template in self.workbook.templates():
            workbook.appendRow(item(template.title, "template", template.id))
        workbook.appendRow(item(self.tr("Bin"), "view", "bin"))
        model.appendRow(workbook)
        return model

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.export_action = QAction(self.tr("&Export worksheet to PDF…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = self.worksheet_view.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.worksheet_view.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.home_action = QAction(self.tr("&Home"), self)
        self.home_action.setShortcut(QKeySequence("Alt+Home"))
        self.contents_action = QAction(self.tr("&Contents"), self)
        self.contents_action.setShortcut(QKeySequence("Ctrl+L"))
        self.glossary_action = QAction(self.tr("&Glossary"), self)
        self.glossary_action.setShortcut(QKeySequence("Ctrl+G"))
        for action in (self.home_action, self.contents_action, self.glossary_action):
            go_menu.addAction(action)
        # [menus: issue 5] [menus: issue 6] [menus: issue 7] [menus: issue 8]
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About"), self)
        help_menu.addAction(self.about_action)

    def _connect_signals(self) -> None:
        self.nav.selectionModel().currentChanged.connect(self._nav_changed)
        self.nav.activated.connect(self._nav_changed)
        self.reader.link_activated.connect(self.open_link)
        self.reader.web_link_activated.connect(self._open_web_link)
        self.worksheet_view.instructions.anchorClicked.connect(
            lambda url: self.open_link(url.scheme(), url.path()))
        self.worksheet_view.example_requested.connect(lambda tid: self.open_link("example", tid))
        self.worksheet_view.export_requested.connect(lambda wid: self.export_pdf([wid]))
        self.worksheet_view.answers_saved.connect(
            lambda _id, _stamp: self.statusBar().clearMessage())
        self.list_view.open_requested.connect(self.open_worksheet)
        self.list_view.example_requested.connect(lambda tid: self.open_link("example", tid))
        self.export_action.triggered.connect(self._export_current)
        self.quit_action.triggered.connect(self.close)
        self.home_action.triggered.connect(self.show_home)
        self.contents_action.triggered.connect(self.nav.setFocus)
        self.glossary_action.triggered.connect(lambda: self.open_link("view", "glossary"))
        self.about_action.triggered.connect(self._about)

    # navigation ------------------------------------------------------------
    def _nav_changed(self, index) -> None:
        kind, ident = index.data(KIND), index.data(IDENT)
        if kind == "module":
            module = self.workbook.pack.module(ident)
            if module and module.topics:
                self.open_link("topic", module.topics[0].id)
        elif kind == "workbook":
            return
        elif kind:
            self.open_link(kind, ident or "")

    def open_link(self, kind: str, ident: str) -> None:
        """Follow an in-app link; raises InputError for an unknown target."""
        pack = self.workbook.pack
        ident, _, anchor = ident.partition("#")
        self._show(kind, ident, anchor)
        self._select_nav(kind, ident)

    def _show(self, kind: str, ident: str, anchor: str) -> None:
        pack = self.workbook.pack
        if kind == "home":
            self.show_home()
        elif kind == "topic":
            topic = pack.topic(ident)
            if topic is None:
                raise InputError(t("cli.unknown_topic", id=ident))
            self._read(topic_html(pack, topic), anchor)
        elif kind == "page" and ident in pack.pages:
            page = pack.pages[ident]
            self._read(f"<h1>{html.escape(page.title)}</h1>" + to_html(page.body), anchor)
        elif kind == "glossary" or (kind == "view" and ident == "glossary"):
            self._read(glossary_html(pack), ident if kind == "glossary" else anchor)
        elif kind == "view" and ident == "bin":
            self.worksheet_view.flush()
            self.list_view.show_bin()
            self.stack.setCurrentWidget(self.list_view)
        elif kind in ("template", "worksheet"):
            self.open_template(ident)
        elif kind == "open":
            self.open_worksheet(ident)
        elif kind == "example":
            self.worksheet_view.show_example(self.workbook.template(ident))
            self.stack.setCurrentWidget(self.worksheet_view)
        else:
            raise InputError(t("cli.bad_view"))

    def _select_nav(self, kind: str, ident: str) -> None:
        """Make the tree show where the person is, without navigating again."""
        model = self.nav.model()
        if kind == "open":
            kind, ident = "template", self.workbook.worksheet(ident).template_id
        elif kind == "worksheet":
            kind = "template"
        elif kind == "example":
            kind = "template"
        elif kind == "glossary":
            kind, ident = "view", "glossary"
        matches = [i for i in model.match(model.index(0, 0), KIND, kind, -1,
                                          Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
                   if (i.data(IDENT) or "") == (ident or "")]
        if matches:
            blocker = self.nav.selectionModel().blockSignals(True)
            self.nav.setCurrentIndex(matches[0])
            self.nav.selectionModel().blockSignals(blocker)
            self.nav.scrollTo(matches[0])

    def _read(self, body: str, anchor: str | None = None) -> None:
        self.worksheet_view.flush()
        self.reader.show_html(body, anchor)
        self.stack.setCurrentWidget(self.reader)

    def show_home(self) -> None:
        recent = self.workbook.worksheets()
        self._read(home_html(self.workbook.pack, recent, self))
        self._select_nav("home", "")

    def open_template(self, template_id: str) -> None:
        """A template's page: what it is for and the person's worksheets of it."""
        self.worksheet_view.flush()
        self.list_view.show_template(self.workbook.template(template_id))
        self.stack.setCurrentWidget(self.list_view)

    def open_worksheet(self, worksheet_id) -> None:
        worksheet = self.workbook.worksheet(worksheet_id)
        self.worksheet_view.show_worksheet(worksheet, self.workbook.template_of(worksheet))
        self.stack.setCurrentWidget(self.worksheet_view)

    def navigate(self, view: str) -> None:
        """Show a view named as on the command line (home, topic:ID, ...)."""
        kind, _, ident = view.partition(":")
        if kind in ("home", "glossary", "schedule", "bin") and not ident:
            self.open_link({"schedule": "page", "glossary": "view", "bin": "view"}.get(kind, kind),
                           {"schedule": "schedule", "glossary": "glossary", "bin": "bin"}.get(kind, ""))
        elif kind in ("topic", "worksheet", "example", "page", "template") and ident:
            ident, _, field_id = ident.partition("#")
            self.open_link("open" if kind == "worksheet" else kind, ident)
            if field_id and kind in ("worksheet", "example"):
                self.worksheet_view.scroll_to(field_id)
        else:
            raise InputError(t("cli.bad_view"))

    def _definition(self, term_id: str) -> str | None:
        term = self.workbook.pack.glossary.get(term_id)
        return f"<b>{html.escape(term.term)}</b><br/>{html.escape(term.definition)}" if term else None

    # actions ---------------------------------------------------------------
    def _open_web_link(self, url: QUrl) -> None:
        answer = QMessageBox.question(
            self, self.tr("Open a web page?"),
            self.tr("This link leads to a web page outside the companion:\n%s\n\n"
                    "Open it in your web browser? It needs an internet connection.") % url.toString())
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)

    def _export_current(self) -> None:
        worksheet = self.worksheet_view.worksheet
        if worksheet is None or self.stack.currentWidget() is not self.worksheet_view:
            QMessageBox.information(self, self.tr("Export"), self.tr("Open a worksheet first, then export it."))
            return
        self.export_pdf([worksheet.id])

    def export_pdf(self, worksheet_ids: list[int]) -> None:
        self.worksheet_view.flush()
        first = self.workbook.worksheet(worksheet_ids[0])
        suggested = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in first.title).strip() or "worksheet"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to PDF"), f"{suggested}.pdf",
                                              self.tr("PDF documents (*.pdf)"))
        if not path:
            return
        try:
            self.workbook.export_pdf(worksheet_ids, path)
        except CompanionError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return
        self.statusBar().showMessage(self.tr("Saved the PDF to %s") % path, 8000)

    def _about(self) -> None:
        pack = self.workbook.pack
        QMessageBox.about(self, self.tr("About"), self.tr(
            "%s, version %s\nContent: %s, version %s\nData folder: %s") % (
            APP_NAME, __version__, pack.title, pack.version, self.workbook.data_dir))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.worksheet_view.flush():
            answer = QMessageBox.warning(
                self, self.tr("Changes not saved"),
                self.tr("Your last changes could not be saved. Close anyway and lose them?"),
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.workbook.close()
        event.accept()
