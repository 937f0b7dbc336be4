"""Qt's ``tr()`` routed to the companion's gettext catalogue, and the language
applied to the application: Qt's own translations of its standard texts
(``qtbase_<lang>.qm``), the layout direction and the locale of dates and numbers.

A plural text is written ``self.tr(plural, singular, n)`` with ``%n`` for the
number: the singular rides in Qt's disambiguation and both go to ngettext."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, Qt
from PySide6.QtWidgets import QApplication

from companion import messages

# Qt has no European Portuguese catalogue: its Brazilian one names the standard buttons.
QT_CATALOGUES = {"pt": ("qtbase_pt", "qtbase_pt_BR")}
# The locale of dates and numbers when the system's is not of the chosen language. Arabic is
# written with Latin digits (as typed in the forms and as in North Africa): ar_AE keeps the
# standard month names and writes 1,234.5.
UI_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES", "pt": "pt_PT", "ar": "ar_AE"}


def _qt_context(context: str | None) -> bool:
    """Qt's own classes (QShortcut, QMessageBox…), whose texts are Qt's catalogue's."""
    return bool(context) and len(context) > 1 and context[0] == "Q" and context[1].isupper()


class CatalogueTranslator(QTranslator):
    """Answers every ``tr()`` of the companion from :mod:`companion.messages`."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D102 - Qt API
        if not source or _qt_context(context):
            return None  # a null text: Qt asks its own catalogue, then shows the source
        if n is not None and n >= 0 and disambiguation:
            return messages.ngettext(disambiguation, source, n)
        return messages.gettext(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False


def ui_locale(code: str) -> QLocale:
    system = QLocale.system()
    spoken = QLocale.languageToCode(system.language())
    if code == messages.PSEUDO or spoken == code or (code == messages.ENGLISH and spoken not in UI_LOCALES):
        return system  # the system's own conventions when it speaks the language (or none of ours)
    return QLocale(UI_LOCALES.get(code, "en_GB"))


def apply(code: str, app: QApplication | None = None) -> str:
    """Show the application in ``code`` from now on (widgets made after this); returns the language set."""
    app = app or QApplication.instance()
    code = messages.set_language(code)
    for old in getattr(app, "_companion_translators", ()):
        app.removeTranslator(old)
    installed = []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in QT_CATALOGUES.get(code, (f"qtbase_{code}",)):
        qt = QTranslator(app)
        if code != messages.ENGLISH and qt.load(name, folder):
            installed.append(qt)
            break
    installed.append(CatalogueTranslator(app))  # installed last: asked first
    for translator in installed:
        app.installTranslator(translator)
    app._companion_translators = installed
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if messages.is_right_to_left(code)
                           else Qt.LayoutDirection.LeftToRight)
    QLocale.setDefault(ui_locale(code))
    return code
