"""In the main window: search (Ctrl+K), progress, notes, follow-up, reading comfort.

:class:`StudyUI` is built by the main window once (``MainWindow._build_menus``)
and adds, without the window knowing their insides: the search box in a
toolbar and the results view; the bar above a topic (read, bookmark, note)
and the note below it; the follow-up view; "My notes and bookmarks"; the
View menu (text size, theme); and the detection of a topic read to its end.
The window calls :meth:`show` and :meth:`navigate` for the views it does
not know, :meth:`shown` after it shows a topic or a worksheet, and
:meth:`overview` for the home page.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QStandardItem
from PySide6.QtWidgets import (
    QApplication, QMenu, QTextEdit, QToolBar, QWidget,
)

from companion.errors import CompanionError
from companion.workbook.search_text import find_terms  # not the search itself: it waits for the first search
from companion.ui.catch_up import CompletionsCatchUp
from companion.ui.plain import tooltip
from companion.ui.theme import Appearance
from companion.ui.views.notes import notes_html
from companion.ui.views.search_box import SearchBox
from companion.ui.views.topic_tools import NoteEditor, TopicBar

KIND = Qt.ItemDataRole.UserRole  # as in main_window
IDENT = Qt.ItemDataRole.UserRole + 1
FITS_DWELL_MS = 2500  # a topic with no scroll bar counts as read after this long on screen
MAX_HIGHLIGHTS = 400
TEXT_FIELDS = ("QLineEdit", "QPlainTextEdit", "QTextEdit", "QAbstractSpinBox")  # they take Ctrl+K for themselves


class StudyUI(QObject):
    def __init__(self, window, go_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.study = window.workbook.study
        self.appearance = Appearance(window.workbook, self)
        self.catch_up = CompletionsCatchUp(window)
        self.current_topic: str | None = None
        self._before_search: QWidget | None = None
        self._recorded: tuple[str, str] | None = None
        self._dwell = QTimer(self)
        self._dwell.setSingleShot(True)
        self._dwell.setInterval(FITS_DWELL_MS)
        self._build()
        self._build_menus(go_menu)
        self._connect_signals()
        self.appearance.apply()

    # building --------------------------------------------------------------------------
    def _build(self) -> None:
        window = self.window
        self.toolbar = QToolBar(window.tr("Search"), window)
        self.toolbar.setObjectName("searchToolbar")
        self.toolbar.setMovable(False)
        self.search_box = SearchBox(self.toolbar)
        self.search_box.setFixedWidth(360)
        self.toolbar.addWidget(self.search_box)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self._search_view = None
        self._followup_view = None
        reader = window.reader
        self.topic_bar = TopicBar(self.study, reader)
        self.note_editor = NoteEditor(self.study, reader)
        reader.column.insertWidget(0, self.topic_bar)
        reader.column.addWidget(self.note_editor)
        model = window.nav.model()
        for text, ident in ((window.tr("Follow-up of your plan"), "followup"),
                            (window.tr("My notes and bookmarks"), "notes")):
            entry = QStandardItem(text)
            entry.setEditable(False)
            entry.setData("view", KIND)
            entry.setData(ident, IDENT)
            entry.setToolTip(tooltip(text))  # as the window's other rows
            model.appendRow(entry)

    def _build_menus(self, go_menu: QMenu) -> None:
        window = self.window
        go_menu.addSeparator()
        self.search_action = QAction(window.tr("&Search…"), window)
        self.search_action.setShortcut(QKeySequence("Ctrl+K"))
        self.notes_action = QAction(window.tr("My &notes and bookmarks"), window)
        self.followup_action = QAction(window.tr("&Follow-up of your plan"), window)
        for action in (self.search_action, self.notes_action, self.followup_action):
            go_menu.addAction(action)
        self.view_menu = view_menu = window.menuBar().addMenu(window.tr("&View"))
        self.larger_action = QAction(window.tr("&Larger text"), window)
        self.larger_action.setShortcuts([QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self.smaller_action = QAction(window.tr("&Smaller text"), window)
        self.smaller_action.setShortcuts([QKeySequence.StandardKey.ZoomOut])
        self.normal_action = QAction(window.tr("&Normal text size"), window)
        self.normal_action.setShortcut(QKeySequence("Ctrl+0"))
        for action in (self.larger_action, self.smaller_action, self.normal_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(window.tr("&Theme"))
        self.theme_group = QActionGroup(window)
        self.theme_actions = {}
        for name, text in (("system", window.tr("Follow the &system")), ("light", window.tr("&Light")),
                           ("dark", window.tr("&Dark"))):
            action = QAction(text, window)
            action.setCheckable(True)
            action.setChecked(self.appearance.theme == name)
            action.setData(name)
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[name] = action

    def _connect_signals(self) -> None:
        window = self.window
        self.search_action.triggered.connect(self.focus_search)
        self.notes_action.triggered.connect(lambda: window.open_link("view", "notes"))
        self.followup_action.triggered.connect(lambda: window.open_link("view", "followup"))
        self.larger_action.triggered.connect(lambda: self.appearance.zoom(1))
        self.smaller_action.triggered.connect(lambda: self.appearance.zoom(-1))
        self.normal_action.triggered.connect(lambda: self.appearance.zoom(0))
        self.theme_group.triggered.connect(lambda action: self.appearance.set_theme(action.data()))
        self.appearance.changed.connect(self._restyle)
        self.search_box.query_changed.connect(self.run_search)
        self.search_box.returnPressed.connect(self._open_best)
        self.search_box.down_pressed.connect(lambda: self.search_view.focus_results())
        self.search_box.escape_pressed.connect(self.leave_search)
        self.search_box.focused.connect(lambda: QTimer.singleShot(0, self._prepare_search))
        window.reader.page_shown.connect(self._page_shown)
        window.reader.browser.verticalScrollBar().actionTriggered.connect(
            lambda _action: QTimer.singleShot(0, self._check_end))
        self._dwell.timeout.connect(self._dwelled)
        self.topic_bar.note_toggled.connect(self._toggle_note)
        self.note_editor.note_saved.connect(
            lambda topic_id, _stamp: self.topic_bar.show_topic(topic_id, bool(self.study.note(topic_id)))
            if topic_id == self.current_topic else None)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    # views made when first needed (nothing heavy at start-up) ------------------------------------
    @property
    def search_view(self):
        if self._search_view is None:
            from companion.ui.views.search import SearchView

            self._search_view = SearchView(self.window.workbook.search, self.window.stack)
            self.window.stack.addWidget(self._search_view)
            self._search_view.open_requested.connect(self.open_result)
            self._search_view.leave_requested.connect(self.focus_search)
        return self._search_view

    @property
    def followup_view(self):
        if self._followup_view is None:
            from companion.ui.views.followup import FollowUpView

            self._followup_view = FollowUpView(self.window.workbook, self.window.stack)
            self.window.stack.addWidget(self._followup_view)
            self._followup_view.open_requested.connect(self.window.open_worksheet)
            self._followup_view.start_requested.connect(lambda tid: self.window.open_link("template", tid))
            # an import or a save in a plan changes what the view shows, wherever the person is
            self.window.imported.connect(lambda _count: self._followup_view.mark_stale())
            if self.window.built_worksheet_view is not None:
                self._follow_saves(self.window.built_worksheet_view)
            self.window.worksheet_view_built.connect(self._follow_saves)
        return self._followup_view

    def _follow_saves(self, view) -> None:
        view.answers_saved.connect(lambda _id, _stamp: self._followup_view.mark_stale())

    # what the window asks ------------------------------------------------------------------
    def show(self, kind: str, ident: str, anchor: str = "") -> bool:
        """Show one of these views (notes, follow-up, search); False when (kind, ident) is not one."""
        window = self.window
        if kind == "view" and ident == "notes":
            window._read(notes_html(self.study, window), written=True)
            return True
        if (kind == "view" and ident == "followup") or kind == "followup":
            window.flush_worksheet()
            try:
                self.followup_view.refresh(int(ident) if kind == "followup" and ident.isdigit() else None)
            except CompanionError as exc:
                self.followup_view._warn(str(exc))
            window.stack.setCurrentWidget(self.followup_view)
            return True
        if kind == "note":
            window._show("topic", ident, "")
            window._select_nav("topic", ident)
            self.shown("topic", ident)
            self.topic_bar.note_button.setChecked(True)
            self.note_editor.edit.setFocus()
            return True
        if kind == "search" or (kind == "view" and ident == "search"):
            query = ident if kind == "search" else self.search_box.text()
            self.search_box.setText(query)
            self.run_search(query)
            return True
        return False

    def open_check(self, topic_id: str) -> None:
        """A topic's knowledge check in a dialog; Home's progress counts it once answered."""
        from companion.ui.views.check import KnowledgeCheck

        topic = self.window.workbook.pack.topic(topic_id)
        if topic is None or topic_id not in self.window.workbook.pack.checks:
            return
        KnowledgeCheck(self.study, topic_id, topic.title, self.window).exec()

    def navigate(self, kind: str, ident: str) -> bool:
        """Views named on the command line: search:QUERY, notes, followup[:ID]."""
        if kind == "search" and ident:
            return self.show("search", ident)
        if kind == "notes" and not ident:
            self.window.open_link("view", "notes")
            return True
        if kind == "followup":
            self.window.open_link("followup", ident) if ident else self.window.open_link("view", "followup")
            return True
        return False

    def shown(self, kind: str, ident) -> None:
        """Called by the window after it shows a topic or a worksheet (or anything else)."""
        ident = str(ident)
        if kind == "topic":
            topic_id = ident.partition("#")[0]
            self.current_topic = topic_id
            note = self.study.note(topic_id)
            self.topic_bar.show_topic(topic_id, bool(note))
            self.note_editor.show_topic(topic_id)
            self.note_editor.setVisible(self.topic_bar.note_button.isChecked() or bool(note))
            blocker = self.topic_bar.note_button.blockSignals(True)
            self.topic_bar.note_button.setChecked(self.note_editor.isVisibleTo(self.window.reader))
            self.topic_bar.note_button.blockSignals(blocker)
            QTimer.singleShot(0, self._check_fits)
        if kind in ("topic", "open") and (kind, ident) != self._recorded:
            self._recorded = (kind, ident)
            try:
                self.study.record_opened(kind, ident)
            except CompanionError:
                pass

    def overview(self):
        """What the home page shows of the person's progress (None if it cannot be read)."""
        return self.catch_up.overview()  # completions not kept are worked out once it is shown

    # search ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()
        if self.search_box.text().strip() and self.window.stack.currentWidget() is not self._search_view:
            self.run_search(self.search_box.text())

    def _prepare_search(self) -> None:
        """Bring the index up to date while the person starts typing (once a session for the content)."""
        try:
            self.window.workbook.search.prepare()
        except CompanionError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)

    def run_search(self, query: str) -> None:
        stack = self.window.stack
        if not query.strip():
            if self._search_view is not None and stack.currentWidget() is self._search_view:
                self.leave_search()
            return
        if stack.currentWidget() is not self.search_view:
            self.window.flush_worksheet()
            self.note_editor.flush()
            self._before_search = stack.currentWidget()
        self.search_view.search(query)
        stack.setCurrentWidget(self.search_view)
        self.window.navigator.visited("search", query)

    def _open_best(self) -> None:
        self.search_box.search_now()
        self.search_view.open_first()

    def leave_search(self) -> None:
        """Escape: back to the view shown before the search."""
        stack = self.window.stack
        if self._search_view is not None and stack.currentWidget() is self._search_view:
            stack.setCurrentWidget(self._before_search or self.window.reader)
            stack.currentWidget().setFocus()
            self.window.navigator.left_search()
        self.search_box.clear()

    def open_result(self, result) -> None:
        window, query = self.window, self.search_view.query
        try:
            if result.kind == "worksheet":
                field = self.window.workbook.search.matching_field(int(result.id), query)
                window.navigate(f"worksheet:{result.id}" + (f"#{field}" if field else ""))
            elif result.kind == "note":
                window.open_link(*result.link)
                self.highlight(query, self.note_editor.edit)
            else:
                window.open_link(*result.link)
                if result.kind in ("topic", "page", "glossary"):
                    self.highlight(query, window.reader.browser, from_view_top="#" in result.id
                                   or result.kind == "glossary")
                    window.reader.browser.setFocus()
        except CompanionError as exc:
            window.statusBar().showMessage(str(exc), 8000)

    def highlight(self, query: str, editor, from_view_top: bool = False) -> int:
        """Mark every match of the query in ``editor`` and select the first one
        (the first at or below the top of the view when ``from_view_top``); returns the count."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        doc = editor.document()
        spans = find_terms(doc.toRawText(), query)[:MAX_HIGHLIGHTS]
        colour = self.appearance.highlight_colour()
        selections = []
        for start, end in spans:
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = QTextCharFormat()
            selection.format.setBackground(colour)
            selections.append(selection)
        editor.setExtraSelections(selections)
        if spans:
            top = editor.cursorForPosition(QPoint(0, 0)).position() if from_view_top else 0
            start, end = next((s for s in spans if s[0] >= top), spans[0])
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)
            editor.ensureCursorVisible()
        return len(spans)

    # topics: read to the end, notes ----------------------------------------------------------
    def _page_shown(self) -> None:
        self.note_editor.flush()
        self.current_topic = None
        self._dwell.stop()
        self.topic_bar.hide()
        self.topic_bar.topic_id = None
        self.note_editor.hide()
        self.window.reader.browser.setExtraSelections([])

    def _check_fits(self) -> None:
        bar = self.window.reader.browser.verticalScrollBar()
        if self.current_topic and bar.maximum() == 0:
            self._dwell.start()

    def _dwelled(self) -> None:
        bar = self.window.reader.browser.verticalScrollBar()
        if self.current_topic and bar.maximum() == 0 and self.window.stack.currentWidget() is self.window.reader:
            self.topic_bar.mark_read_by_scrolling()

    def _check_end(self) -> None:
        bar = self.window.reader.browser.verticalScrollBar()
        if self.current_topic and bar.maximum() > 0 and bar.value() >= bar.maximum() - 4:
            self.topic_bar.mark_read_by_scrolling()

    def _toggle_note(self, on: bool) -> None:
        self.note_editor.setVisible(on)
        if on:
            self.note_editor.edit.setFocus()
        else:
            self.note_editor.flush()

    # comfort ----------------------------------------------------------------------------------
    def _restyle(self) -> None:
        css = self.appearance.reader_css()
        reader = self.window.reader
        reader.browser.document().setDefaultStyleSheet(css)
        view = self.window.built_worksheet_view  # a view built later takes the reader's style
        if view is not None:
            view.instructions.document().setDefaultStyleSheet(css)
        if reader.html:
            bar = reader.browser.verticalScrollBar()
            ratio = bar.value() / bar.maximum() if bar.maximum() else 0.0
            reader.browser.setHtml(reader.html)
            bar.setValue(round(ratio * bar.maximum()))
        for name, action in self.theme_actions.items():
            action.setChecked(name == self.appearance.theme)

    def _focus_changed(self, _old, new) -> None:
        """Let Ctrl+K reach the search from inside text fields (which take Ctrl+K for themselves)."""
        # inherits() asks Qt's meta-object, so these classes need not be set up at start-up
        if new is not None and any(new.inherits(name) for name in TEXT_FIELDS) \
                and not new.property("companionSearchKey"):
            new.setProperty("companionSearchKey", True)
            new.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent  # set up with the first text field focused, not at start-up

        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_K \
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def flush(self) -> bool:
        self.catch_up.finish()
        return self.note_editor.flush()
