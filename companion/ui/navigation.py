"""Finding the way: Back and Forward through the views a person has visited,
and the tree kept on the one view on screen.

:class:`Navigator` is built by the main window once (``_build_menus``). The
window tells it each view it shows (:meth:`Navigator.visited`); it keeps the
list of views, offers Back and Forward (Alt+Left and Alt+Right, the mouse's
back and forward buttons, arrows in a toolbar and the Go menu), and selects
the view's row in the tree (:meth:`Navigator.show_in_tree`): exactly one row,
or none for a view the tree does not list (search results, a page). Rows
reached with the arrow keys open their view without expanding anything; a
module's row shows the module's page, so expanding a module stays the
person's choice (Right arrow, or a click on its arrow).
"""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QWindow
from PySide6.QtWidgets import QMenu, QStyle, QToolBar, QWidget

from companion.errors import CompanionError

KIND = Qt.ItemDataRole.UserRole  # as in main_window
IDENT = Qt.ItemDataRole.UserRole + 1
MAX_PLACES = 200


class Place(NamedTuple):
    kind: str     # as in MainWindow.open_link: "home", "topic", "open" (a worksheet), "search", ...
    ident: str
    anchor: str = ""


class History:
    """The views visited, in order, and where the person is among them."""

    def __init__(self, limit: int = MAX_PLACES) -> None:
        self.places: list[Place] = []
        self.index = -1
        self.limit = limit

    def current(self) -> Place | None:
        return self.places[self.index] if 0 <= self.index < len(self.places) else None

    def visit(self, place: Place) -> None:
        """A view shown: the views ahead of the current one are let go. The same
        view again is not a new step; a new search replaces the search shown."""
        here = self.current()
        if here == place:
            return
        del self.places[self.index + 1:]
        if here is not None and here.kind == place.kind == "search":
            self.places[self.index] = place
            return
        self.places.append(place)
        if len(self.places) > self.limit:
            del self.places[0]
        self.index = len(self.places) - 1

    def can_go(self, step: int) -> bool:
        return 0 <= self.index + step < len(self.places)

    def go(self, step: int) -> Place | None:
        if not self.can_go(step):
            return None
        self.index += step
        return self.places[self.index]

    def drop_current(self, step: int) -> None:
        """The view just reached with ``go(step)`` can no longer be shown (a
        worksheet deleted): forget it and stand again where the step started."""
        if self.current() is not None:
            del self.places[self.index]
            if step > 0:
                self.index -= 1


def tree_row(kind: str, ident: str) -> tuple[str, str] | None:
    """The tree row (kind, ident) of a view; None when the tree has no row for it.
    A worksheet, its worked example and the list of its worksheets share their
    template's row; a note is on its topic; one plan's follow-up is the
    follow-up's row."""
    if kind in ("worksheet", "example"):
        return "template", ident
    if kind == "glossary":
        return "view", "glossary"
    if kind == "followup":
        return "view", "followup"
    if kind == "note":
        return "topic", ident
    if kind in ("search", "open") or (kind == "view" and ident == "search"):
        return None  # "open" is looked up by the window: it names a worksheet
    return kind, ident


class Navigator(QObject):
    def __init__(self, window, go_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.history = History()
        self.syncing = False  # the tree is being set to the view shown: not a person's choice
        self._moving = False  # Back or Forward is showing a view: not a new step
        self._press_on_current = False
        self._build(go_menu)
        window.nav.viewport().installEventFilter(self)
        window.nav.clicked.connect(self._clicked)
        # the mouse's back and forward buttons, over any widget: every mouse event of
        # the window passes through its QWindow first (watched once it exists)
        window.installEventFilter(self)
        self._watched_window = None
        self._update_actions()

    def _build(self, go_menu: QMenu) -> None:
        window = self.window
        style = window.style()
        self.back_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), window.tr("&Back"), window)
        self.forward_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
                                      window.tr("&Forward"), window)
        for action, key, standard in ((self.back_action, "Alt+Left", QKeySequence.StandardKey.Back),
                                      (self.forward_action, "Alt+Right", QKeySequence.StandardKey.Forward)):
            keys = [QKeySequence(key)]
            keys += [k for k in QKeySequence.keyBindings(standard) if k.toString() not in {x.toString() for x in keys}]
            action.setShortcuts(keys)
        self.back_action.setToolTip(window.tr("Back to the view you saw before (Alt+Left)"))
        self.forward_action.setToolTip(window.tr("Forward again (Alt+Right)"))
        self.back_action.triggered.connect(self.back)
        self.forward_action.triggered.connect(self.forward)
        first = go_menu.actions()[0] if go_menu.actions() else None
        go_menu.insertActions(first, [self.back_action, self.forward_action])
        if first is not None:
            go_menu.insertSeparator(first)
        self.toolbar = QToolBar(window.tr("Back and forward"), window)
        self.toolbar.setObjectName("navigationToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.back_action)
        self.toolbar.addAction(self.forward_action)
        for action, name in ((self.back_action, window.tr("Back")), (self.forward_action, window.tr("Forward"))):
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(name)
            button.setAccessibleDescription(action.toolTip())
        search_bar = getattr(getattr(window, "study_ui", None), "toolbar", None)
        if search_bar is not None:
            window.insertToolBar(search_bar, self.toolbar)
        else:
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    # what the window tells ------------------------------------------------------------------
    def visited(self, kind: str, ident, anchor: str = "") -> None:
        """The window shows this view now: remember it and show it in the tree."""
        ident = "" if ident is None else str(ident)
        if not self._moving:
            self.history.visit(Place(kind, ident, anchor or ""))
            self._update_actions()
        self.show_in_tree(kind, ident)

    def left_search(self) -> None:
        """Escape in the search box put back the view shown before the search."""
        here = self.history.current()
        if here is not None and here.kind == "search" and self.history.can_go(-1):
            self.history.go(-1)
            self._update_actions()
            before = self.history.current()
            self.show_in_tree(before.kind, before.ident)

    def show(self, kind: str, ident: str, anchor: str = "") -> bool:
        """Show the views of the tree's own rows that have no page elsewhere:
        a module and the workbook. False for any other view."""
        from companion.ui.views import contents

        window = self.window
        if kind == "module":
            module = window.workbook.pack.module(ident)
            if module is None:
                return False
            window._read(contents.module_html(window.workbook, module, window), anchor, written=True)
            return True
        if kind == "workbook":
            window._read(contents.workbook_html(window.workbook, window), anchor, written=True)
            return True
        return False

    # the tree --------------------------------------------------------------------------------
    def show_in_tree(self, kind: str, ident: str) -> None:
        """Select the one row of the view on screen (none when the tree has no
        row for it), without showing anything again. The selection changes
        with its signals, so the view repaints both the row left and the row
        selected: no row stays highlighted."""
        nav = self.window.nav
        if kind == "open":
            try:
                row = ("template", self.window.workbook.book.worksheet(ident).template_id)
            except CompanionError:
                row = None
        else:
            row = tree_row(kind, ident)
        model = nav.model()
        matches = []
        if row is not None:
            matches = [i for i in model.match(model.index(0, 0), KIND, row[0], -1,
                                              Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
                       if (i.data(IDENT) or "") == (row[1] or "")]
        selection = nav.selectionModel()
        self.syncing = True
        try:
            if matches:
                flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                if selection.currentIndex() != matches[0] or len(selection.selectedIndexes()) != 1:
                    selection.setCurrentIndex(matches[0], flags)
                nav.scrollTo(matches[0])  # a topic reached by a link: its module opens to show it
            elif selection.hasSelection():
                # no row is selected; the current row stays (a tree given the focus
                # with no current row would make its first row current, and open it)
                selection.clearSelection()
        finally:
            self.syncing = False

    def _clicked(self, index) -> None:
        """A click on the row already selected shows its view again."""
        if self._press_on_current and index == self.window.nav.currentIndex():
            self._press_on_current = False
            self.window._nav_changed(index)

    # Back and Forward ---------------------------------------------------------------------------
    def back(self) -> None:
        self._go(-1)

    def forward(self) -> None:
        self._go(1)

    def _go(self, step: int) -> None:
        window = self.window
        while self.history.can_go(step):
            place = self.history.go(step)
            self._moving = True
            try:
                if place.kind == "search":
                    window.study_ui.show("search", place.ident)
                    self.show_in_tree("search", place.ident)
                else:
                    window.open_link(place.kind, place.ident + (f"#{place.anchor}" if place.anchor else ""))
            except CompanionError as exc:  # a worksheet deleted since: go on past it
                window.statusBar().showMessage(str(exc), 8000)
                self.history.drop_current(step)
                continue
            finally:
                self._moving = False
            break
        self._update_actions()

    def _update_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go(-1))
        self.forward_action.setEnabled(self.history.can_go(1))

    # events ------------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.window and kind in (QEvent.Type.Show, QEvent.Type.WinIdChange):
            handle = self.window.windowHandle()
            if handle is not None and handle is not self._watched_window:
                handle.installEventFilter(self)
                self._watched_window = handle
        elif kind == QEvent.Type.MouseButtonPress:
            button = event.button()
            if button in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton) and self._ours(watched):
                self.back() if button == Qt.MouseButton.BackButton else self.forward()
                return True
            if watched is self.window.nav.viewport() and button == Qt.MouseButton.LeftButton:
                nav = self.window.nav
                point = event.position().toPoint()
                index = nav.indexAt(point)
                rect = nav.visualRect(index)
                on_arrow = rect.isValid() and not rect.contains(point)
                self._press_on_current = index.isValid() and index == nav.currentIndex() and not on_arrow
        return False

    def _ours(self, watched) -> bool:
        if isinstance(watched, QWindow):
            return watched is self.window.windowHandle()
        return isinstance(watched, QWidget) and watched.window() is self.window
