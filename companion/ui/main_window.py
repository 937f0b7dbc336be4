"""The main window: the navigation tree beside the reader and the workbook."""
from __future__ import annotations

import html


from PySide6.QtCore import QUrl, Qt, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QStandardItem, QStandardItemModel, QUndoGroup
from PySide6.QtWidgets import (
    QMainWindow, QSplitter, QStackedWidget, QTreeView, QWidget,
)

from companion import __version__
from companion.content.markdown import glossary_html, to_html, topic_html
from companion.errors import InputError
from companion import messages
from companion.messages import app_name, t
from companion.ui import dialogs
from companion.ui.plain import tooltip
from companion.ui.views.home import home_html
from companion.ui.views.reader import ReaderView

KIND = Qt.ItemDataRole.UserRole
IDENT = Qt.ItemDataRole.UserRole + 1


class MainWindow(QMainWindow):
    export_finished = Signal(str)
    """Emitted with the path when a PDF export ends ("" when it failed)."""
    imported = Signal(int)
    """Emitted with how many worksheets an import brought in."""
    worksheet_view_built = Signal(QWidget)
    """Emitted with the worksheet view when it is first built (on first use)."""

    def __init__(self, workbook, stylesheet: str = "", parent: QWidget | None = None,
                 language: str | None = None) -> None:
        """``language``: the one asked for on the command line (then never asked on the first start)."""
        super().__init__(parent)
        self.workbook = workbook
        self.requested_language = language
        self.restart_language: str | None = None  # set when the window closes to open again in another language
        self.setWindowTitle(app_name())
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
        from companion.ui.widgets.direction import OwnDirectionDelegate  # titles in their own direction

        self.nav.setItemDelegate(OwnDirectionDelegate(self.nav))
        self.stack = QStackedWidget(splitter)
        self.reader = ReaderView(self._definition, self.stack)
        self.reader.browser.document().setDefaultStyleSheet(stylesheet)
        self.reader.browser.pack_images = self._pack_images
        # The worksheet views are built when first used, not at start-up: the
        # window opens on the home page, and their widgets cost ~20 ms to load.
        self._worksheet_view = None
        self._list_view = None
        self.undo_group = QUndoGroup(self)  # Edit > Undo/Redo follow the worksheet view's stack
        self.stack.addWidget(self.reader)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 900])
        self.setCentralWidget(splitter)
        self.statusBar()

    @property
    def worksheet_view(self):
        """The view of one worksheet (built on first use)."""
        if self._worksheet_view is None:
            from companion.ui.views.worksheet import WorksheetView

            view = WorksheetView(self.workbook, self.stack)
            view.instructions.document().setDefaultStyleSheet(self.reader.browser.document().defaultStyleSheet())
            view.instructions.pack_images = self._pack_images
            self.stack.addWidget(view)
            self.undo_group.addStack(view.undo_stack)
            self.undo_group.setActiveStack(view.undo_stack)
            view.instructions.anchorClicked.connect(lambda url: self.open_link(url.scheme(), url.path()))
            view.example_requested.connect(lambda tid: self.open_link("example", tid))
            view.export_requested.connect(lambda wid: self.sharing_ui.export_pdf([wid]))
            view.answers_saved.connect(lambda _id, _stamp: self.statusBar().clearMessage())
            self._worksheet_view = view
            self.worksheet_view_built.emit(view)
        return self._worksheet_view

    @property
    def built_worksheet_view(self):
        """The worksheet view if it has been built, else None (nothing to save in it)."""
        return self._worksheet_view

    def flush_worksheet(self) -> bool:
        """Save what the worksheet view holds; True when all is saved (or there is no view yet)."""
        return self._worksheet_view is None or self._worksheet_view.flush()

    @property
    def list_view(self):
        """The list of a template's worksheets, and the bin (built on first use)."""
        if self._list_view is None:
            from companion.ui.views.worksheet_list import WorksheetListView

            view = WorksheetListView(self.workbook, self.stack)
            self.stack.addWidget(view)
            view.open_requested.connect(self.open_worksheet)
            view.example_requested.connect(lambda tid: self.open_link("example", tid))
            self._list_view = view
        return self._list_view

    def _nav_model(self) -> QStandardItemModel:
        pack = self.workbook.pack
        model = QStandardItemModel(self)

        def item(text: str, kind: str, ident: str = "") -> QStandardItem:
            entry = QStandardItem(text)
            entry.setEditable(False)
            entry.setData(kind, KIND)
            entry.setData(ident, IDENT)
            entry.setToolTip(tooltip(text))  # titles come from the pack: shown as text
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
        from companion.ui.sharing import SharingUI  # export and import of worksheets

        self.sharing_ui = SharingUI(self)
        self.sharing_ui.add_to(file_menu)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        from companion.ui.keys import MenuKeysFirst, unique_keys  # menu keys that text boxes would take

        # the platform's redo key and both usual ones, each once: a key given twice never fires
        self.redo_action.setShortcuts(unique_keys(QKeySequence.StandardKey.Redo, "Ctrl+Y", "Ctrl+Shift+Z"))
        self.menu_keys = MenuKeysFirst(self)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.profile_action = QAction(self.tr("Your &profile…"), self)
        edit_menu.addAction(self.profile_action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.home_action = QAction(self.tr("&Home"), self)
        self.home_action.setShortcut(QKeySequence("Alt+Home"))
        self.contents_action = QAction(self.tr("&Contents"), self)
        self.contents_action.setShortcut(QKeySequence("Ctrl+L"))
        self.glossary_action = QAction(self.tr("&Glossary"), self)
        self.glossary_action.setShortcut(QKeySequence("Ctrl+G"))
        for action in (self.home_action, self.contents_action, self.glossary_action):
            go_menu.addAction(action)
        from companion.ui.study import StudyUI  # search, progress, notes, follow-up, View menu

        self.study_ui = StudyUI(self, go_menu)
        from companion.ui.navigation import Navigator  # Back and Forward, the tree on the view shown

        self.navigator = Navigator(self, go_menu)
        from companion.ui.language import LanguageUI  # View > Language, PDF labels, the content's language

        self.language_ui = LanguageUI(self, self.requested_language)
        self.language_ui.add_to(self.study_ui.view_menu)
        self.language_ui.add_pdf_labels_to(file_menu)
        from companion.ui.safety import DataSafety  # back up to a file, restore

        self.data_safety = DataSafety(self)
        self.data_safety.add_to(file_menu, self.quit_action)
        from companion.ui.packs import ContentInstaller  # content updates from a stick

        self.content_installer = ContentInstaller(self.workbook, self)
        self.content_installer.add_to(file_menu, self.quit_action)
        self.content_installer.installed.connect(lambda _path: self.reload_content())
        from companion.ui.cohort import TrainerUI  # blank worksheets on paper, the Trainer menu's cohort report

        self.trainer_ui = TrainerUI(self)
        self.trainer_ui.add_to(file_menu, self.quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = QAction(self.tr("&About"), self)
        help_menu.addAction(self.about_action)

    def _connect_signals(self) -> None:
        self.nav.selectionModel().currentChanged.connect(self._nav_changed)
        self.nav.activated.connect(self._nav_changed)
        self.reader.link_activated.connect(self.open_link)
        self.reader.web_link_activated.connect(self._open_web_link)
        self.profile_action.triggered.connect(self.edit_profile)
        self.quit_action.triggered.connect(self.close)
        self.home_action.triggered.connect(self.show_home)
        self.contents_action.triggered.connect(self.nav.setFocus)
        self.glossary_action.triggered.connect(lambda: self.open_link("view", "glossary"))
        self.about_action.triggered.connect(self._about)

    # navigation ------------------------------------------------------------
    def _nav_changed(self, index) -> None:
        if self.navigator.syncing:  # the tree follows the view shown: nothing to open
            return
        kind, ident = index.data(KIND), index.data(IDENT)
        if kind:  # a module's row shows its page: arrowing past it expands nothing
            self.open_link(kind, ident or "")

    def open_link(self, kind: str, ident: str) -> None:
        """Follow an in-app link; raises InputError for an unknown target."""
        if kind == "check":  # a dialog over the topic, not a view of its own
            self.study_ui.open_check(ident)
            return
        ident, _, anchor = ident.partition("#")
        self._show(kind, ident, anchor)
        self.navigator.visited(kind, ident, anchor)
        self.study_ui.shown(kind, ident)

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
            self.flush_worksheet()
            self.list_view.show_bin()
            self.stack.setCurrentWidget(self.list_view)
        elif kind in ("template", "worksheet"):
            self.open_template(ident)
        elif kind == "open":
            self.open_worksheet(ident)
        elif kind == "example":
            self.worksheet_view.show_example(self.workbook.template(ident))
            self.stack.setCurrentWidget(self.worksheet_view)
        elif self.study_ui.show(kind, ident, anchor):  # notes, follow-up, search
            pass
        elif self.navigator.show(kind, ident, anchor):  # a module's page, the workbook's
            pass
        else:
            raise InputError(t("cli.bad_view"))

    def _select_nav(self, kind: str, ident: str) -> None:
        """Make the tree show where the person is, without navigating again."""
        self.navigator.show_in_tree(kind, ident)

    def _read(self, body: str, anchor: str | None = None, written: bool = False) -> None:
        """Show ``body`` in the reader: a page the window ``written`` around the course's texts
        (home, contents, notes) aligns to the window's reading side, the course's own to its pack's;
        each paragraph reads in its own direction (an English title keeps its full stop at its end)."""
        self.flush_worksheet()
        language = messages.current_language() if written else self.workbook.pack.language
        if messages.is_right_to_left(messages.known(language)):
            body = f'<div align="right">{body}</div>'
        document = self.reader.browser.document()
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        document.setDefaultTextOption(option)
        self.reader.show_html(body, anchor)
        self.stack.setCurrentWidget(self.reader)

    def show_home(self) -> None:
        overview = self.study_ui.overview()  # with the recent worksheets; the list only without it
        recent = self.workbook.book.worksheets() if overview is None else []
        self._read(home_html(self.workbook.pack, recent, self, overview), written=True)
        self.navigator.visited("home", "")

    def open_template(self, template_id: str) -> None:
        """A template's page: what it is for and the person's worksheets of it."""
        self.flush_worksheet()
        self.list_view.show_template(self.workbook.template(template_id))
        self.stack.setCurrentWidget(self.list_view)

    def open_worksheet(self, worksheet_id) -> None:
        worksheet = self.workbook.book.worksheet(worksheet_id)
        self.worksheet_view.show_worksheet(worksheet, self.workbook.book.template_of(worksheet))
        self.stack.setCurrentWidget(self.worksheet_view)
        self.worksheet_view.focus_first_field()  # typing starts in the form, not seven Tabs away
        self.navigator.visited("open", worksheet.id)
        self.study_ui.shown("open", worksheet.id)

    def navigate(self, view: str) -> None:
        """Show a view named as on the command line (home, topic:ID, ...)."""
        kind, _, ident = view.partition(":")
        if kind in ("home", "glossary", "schedule", "bin") and not ident:
            self.open_link({"schedule": "page", "glossary": "view", "bin": "view"}.get(kind, kind),
                           {"schedule": "schedule", "glossary": "glossary", "bin": "bin"}.get(kind, ""))
        elif kind in ("topic", "worksheet", "example", "page", "template") and ident:
            if kind in ("topic", "page"):  # topic:ID#HEADING: the page, scrolled to that heading
                self.open_link(kind, ident)
                return
            ident, _, field_id = ident.partition("#")
            self.open_link("open" if kind == "worksheet" else kind, ident)
            if field_id and kind == "worksheet":
                self.worksheet_view.focus_field(field_id)  # the field a search found
            elif field_id and kind == "example":
                self.worksheet_view.scroll_to(field_id)
        elif self.study_ui.navigate(kind, ident):  # search:QUERY, notes, followup[:ID]
            pass
        else:
            raise InputError(t("cli.bad_view"))

    def _pack_images(self):
        """The folder of the content pack's images (the only files the reader shows)."""
        return self.workbook.pack.root / "images"

    def _definition(self, term_id: str) -> str | None:
        term = self.workbook.pack.glossary.get(term_id)
        return f"<b>{html.escape(term.term)}</b><br/>{html.escape(term.definition)}" if term else None

    # actions ---------------------------------------------------------------
    def _open_web_link(self, url: QUrl) -> None:
        answer = dialogs.question(
            self, self.tr("Open a web page?"),
            self.tr("This link leads to a web page outside the companion:\n%s\n\n"
                    "Open it in your web browser? It needs an internet connection.") % url.toString())
        if answer == dialogs.QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)

    def edit_profile(self) -> bool:
        from companion.ui.views.profile import ProfileDialog

        dialog = ProfileDialog(self.workbook.book.profile(), self)
        if dialog.exec():
            self.workbook.book.set_profile(dialog.values())
            self.language_ui.keep(dialog.language())  # kept; another one opens the window again in it
            return True
        return False

    def ask_profile_once(self) -> None:
        """On first run, ask who the participant is (for the cover of exports) and
        propose the system's language."""
        if not self.workbook.book.has_profile():
            if not self.edit_profile():
                self.workbook.book.set_profile(self.workbook.book.profile())

    def reload_content(self) -> None:
        """Show the content pack now in use (after an install): the
        tree's course rows are rebuilt in place (rows added by other parts stay)."""
        self.flush_worksheet()
        model = self.nav.model()
        last = next((r for r in range(model.rowCount()) if model.item(r).data(KIND) == "workbook"), -1)
        model.removeRows(0, last + 1)
        fresh = self._nav_model()
        for row in range(fresh.rowCount()):
            model.insertRow(row, fresh.takeRow(0))
        fresh.deleteLater()
        self.language_ui.show_content_language()
        self.show_home()  # the search index follows: the new pack has a content key of its own

    def _about(self) -> None:
        pack = self.workbook.pack
        dialogs.about(self, self.tr("About"), self.tr(
            "%s, version %s\nContent: %s, version %s\nData folder: %s") % (
            app_name(), __version__, pack.title, pack.version, self.workbook.data_dir))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.study_ui.flush()  # the note being written, before the workbook closes
        if not self.flush_worksheet():
            answer = dialogs.warning(
                self, self.tr("Changes not saved"),
                self.tr("Your last changes could not be saved. Close anyway and lose them?"),
                dialogs.QMessageBox.StandardButton.Cancel | dialogs.QMessageBox.StandardButton.Discard,
                dialogs.QMessageBox.StandardButton.Cancel)
            if answer != dialogs.QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        thread = getattr(self.sharing_ui, "_export_thread", None)
        if thread is not None and thread.isRunning():
            thread.wait()  # let a PDF being written finish rather than leave half a file
        self.trainer_ui.finish()  # and a cohort report or blank worksheets being written
        self.data_safety.finish_daily_backup()
        self.workbook.close()
        event.accept()
