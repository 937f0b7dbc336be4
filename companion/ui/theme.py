"""Comfortable reading: the text size, and a light or dark theme.

The theme follows the system's colour scheme (``QStyleHints.colorScheme``,
Qt 6.5+) unless the person chooses light or dark in the View menu. Both
choices are kept in the database's settings (through the Workbook), not
in the user's registry. The dark theme is the light stylesheets plus
``app-dark.qss`` and ``reader-dark.css``; the text size scales every point
size in the stylesheets and the application font.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from companion import paths

THEMES = ("system", "light", "dark")
SCALES = (0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7, 2.0)
NORMAL = SCALES.index(1.0)
_POINTS = re.compile(r"(\d+(?:\.\d+)?)pt\b")

DARK = {
    QPalette.ColorRole.Window: "#1d2126", QPalette.ColorRole.WindowText: "#e4e7eb",
    QPalette.ColorRole.Base: "#15181c", QPalette.ColorRole.AlternateBase: "#22272d",
    QPalette.ColorRole.Text: "#e4e7eb", QPalette.ColorRole.Button: "#2a3037",
    QPalette.ColorRole.ButtonText: "#e4e7eb", QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#2a9d9d", QPalette.ColorRole.HighlightedText: "#0b1214",
    QPalette.ColorRole.Link: "#7cc4ff", QPalette.ColorRole.LinkVisited: "#b69cff",
    QPalette.ColorRole.ToolTipBase: "#2a3037", QPalette.ColorRole.ToolTipText: "#e4e7eb",
    QPalette.ColorRole.PlaceholderText: "#8a96a3", QPalette.ColorRole.Light: "#3a424b",
    QPalette.ColorRole.Midlight: "#30373f", QPalette.ColorRole.Mid: "#252a30",
    QPalette.ColorRole.Dark: "#101215", QPalette.ColorRole.Shadow: "#000000",
}
DARK_DISABLED = {QPalette.ColorRole.Text: "#6b7682", QPalette.ColorRole.WindowText: "#6b7682",
                 QPalette.ColorRole.ButtonText: "#6b7682"}


def _read(name: str) -> str:
    path = paths.resources_dir() / "styles" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def scaled(css: str, factor: float) -> str:
    """Every ``Npt`` in a stylesheet times ``factor``."""
    if factor == 1.0:
        return css
    return _POINTS.sub(lambda m: f"{round(float(m.group(1)) * factor, 1):g}pt", css)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DARK_DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


class Appearance(QObject):
    changed = Signal()
    """Emitted after the text size or the theme changed (views restyle themselves)."""

    def __init__(self, preferences, parent: QObject | None = None) -> None:
        """``preferences`` has ``preference(name, default)`` and ``set_preference(name, value)``."""
        super().__init__(parent)
        self.preferences = preferences
        self.theme = preferences.preference("theme", "system")
        if self.theme not in THEMES:
            self.theme = "system"
        try:
            self.step = max(0, min(len(SCALES) - 1, int(preferences.preference("text_size", str(NORMAL)))))
        except ValueError:
            self.step = NORMAL
        self._qss = _read("app.qss")
        self._css = _read("reader.css")
        app = QApplication.instance()
        if app.property("companionBaseFont") is None:  # the size before any scaling, once per process
            app.setProperty("companionBaseFont", QApplication.font().pointSizeF() or 10.0)
        self._base_font = float(app.property("companionBaseFont"))
        self._applied: tuple | None = None
        hints = QApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_changed)

    @property
    def scale(self) -> float:
        return SCALES[self.step]

    def is_dark(self) -> bool:
        if self.theme == "system":
            hints = QApplication.styleHints()
            return hasattr(hints, "colorScheme") and hints.colorScheme() == Qt.ColorScheme.Dark
        return self.theme == "dark"

    def reader_css(self) -> str:
        css = self._css + ("\n" + _read("reader-dark.css") if self.is_dark() else "")
        return scaled(css, self.scale)

    def highlight_colour(self) -> QColor:
        return QColor("#7a5c00" if self.is_dark() else "#ffe58a")

    def apply(self) -> None:
        """Set the palette, the stylesheet and the font for the current choices."""
        app = QApplication.instance()
        state = (self.is_dark(), self.step)
        if state == self._applied:
            return
        first = self._applied is None
        self._applied = state
        dark, _ = state
        if first and not dark and self.step == NORMAL and not app.property("companionRestyled"):
            return  # make_app already set the light look: nothing to redo at start-up
        app.setProperty("companionRestyled", True)
        app.setPalette(dark_palette() if dark else app.style().standardPalette())
        font = QFont(app.font())
        font.setPointSizeF(self._base_font * self.scale)
        app.setFont(font)
        dark_qss = _read("app-dark.qss").replace("{styles}", (paths.resources_dir() / "styles").as_posix())
        app.setStyleSheet(scaled(self._qss + ("\n" + dark_qss if dark else ""), self.scale))
        self.changed.emit()

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            return
        self.theme = theme
        self.preferences.set_preference("theme", theme)
        self.apply()

    def zoom(self, steps: int) -> None:
        """Larger (+1), smaller (-1) or normal (0) text."""
        step = NORMAL if steps == 0 else max(0, min(len(SCALES) - 1, self.step + steps))
        if step == self.step:
            return
        self.step = step
        self.preferences.set_preference("text_size", str(step))
        self.apply()

    def _system_changed(self, *_args) -> None:
        if self.theme == "system":
            self.apply()
