"""The language in the window: which one at start (``--lang``, else the one
kept in the data folder, else the system's, proposed on the first start in
the profile dialog), View → Language, File → PDF labels in, and the status
bar's word on the language of the course content in use. A new language
opens the window again."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLabel, QMenu

from companion import messages
from companion.ui import translator

PREFERENCE = "language"


def system_language() -> str:
    from PySide6.QtCore import QLocale

    for name in QLocale.system().uiLanguages():
        found = messages.known(name)
        if found and found != messages.PSEUDO:
            return found
    return messages.ENGLISH


def start(workbook, requested: str | None = None) -> str:
    """Apply the language for this window: ``requested`` (``--lang``, not kept), else the
    one kept in the data folder, else the system's (proposed once the window is shown)."""
    code = translator.apply(requested or workbook.preference(PREFERENCE) or system_language())
    workbook.ask_language(code)  # the course content follows, where a pack of that language exists
    return code


class LanguageUI(QObject):
    """View → Language, File → PDF labels in, and the content language in the status bar."""

    def __init__(self, window, requested: str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.requested = requested
        self.pdf_labels: str | None = None  # None: the window's language
        self.content_label = QLabel(window)
        self.content_label.setObjectName("contentLanguage")
        window.statusBar().addPermanentWidget(self.content_label)
        self.show_content_language()

    def names(self) -> dict[str, str]:
        """Each language's name in the window's language."""
        return {"en": self.tr("English"), "fr": self.tr("French"), "es": self.tr("Spanish"),
                "pt": self.tr("Portuguese"), "ar": self.tr("Arabic"), messages.PSEUDO: messages.NAMES[messages.PSEUDO]}

    # menus ---------------------------------------------------------------------------------
    def add_to(self, view_menu: QMenu) -> None:
        menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(menu)
        self.language_actions = {}
        for code in messages.LANGUAGES:
            action = QAction(messages.NAMES[code], menu, checkable=True)
            action.setChecked(code == messages.current_language())
            action.triggered.connect(lambda _on=False, c=code: self.choose(c))
            group.addAction(action)
            menu.addAction(action)
            self.language_actions[code] = action

    def add_pdf_labels_to(self, file_menu: QMenu, before: QAction | None = None) -> None:
        menu = QMenu(self.tr("PDF &labels in"), file_menu)
        group = QActionGroup(menu)
        self.pdf_label_actions = {}
        for code in (None, *messages.LANGUAGES):
            text = self.tr("The window's language") if code is None else messages.NAMES[code]
            action = QAction(text, menu, checkable=True)
            action.setChecked(code is None)
            action.triggered.connect(lambda _on=False, c=code: setattr(self, "pdf_labels", c))
            group.addAction(action)
            menu.addAction(action)
            self.pdf_label_actions[code] = action
        file_menu.insertMenu(before, menu) if before is not None else file_menu.addMenu(menu)

    # choosing ------------------------------------------------------------------------------
    def choose(self, code: str) -> bool:
        """Keep ``code`` as the language and open the window again in it (False: the window stayed)."""
        self.window.workbook.set_preference(PREFERENCE, code)
        if code == messages.current_language():
            return False
        if self.window.close():  # saves what was typed first; refused while changes cannot be saved
            self.window.restart_language = code
            return True
        self.language_actions[messages.current_language()].setChecked(True)
        return False

    def keep(self, chosen: str | None) -> None:
        """After the profile dialog: ``chosen`` (None: the one proposed, kept unless
        it came from ``--lang``), and the window opens again in another."""
        if chosen is not None:
            self.choose(chosen)
        elif not self.requested and not self.window.workbook.preference(PREFERENCE):
            self.window.workbook.set_preference(PREFERENCE, messages.current_language())

    # the content in use --------------------------------------------------------------------
    def show_content_language(self) -> None:
        names = self.names()
        pack = messages.known(getattr(self.window.workbook.pack, "language", "en")) or messages.ENGLISH
        window = messages.current_language()
        if pack == window or window == messages.PSEUDO:
            text = self.tr("Course content in %s") % names[pack]
        else:
            text = self.tr("Course content in %s: there is none in %s yet") % (names[pack], names[window])
        self.content_label.setText(text)
        self.content_label.setAccessibleName(text)
        self.content_label.setTextFormat(Qt.TextFormat.PlainText)


def start_before_data(requested: str | None = None) -> str:
    """The language of what is asked before the data folder is open (``--lang``, else the system's)."""
    return translator.apply(requested or system_language())
