"""Fonts bundled under resources/fonts, registered with ReportLab once."""
from __future__ import annotations

from functools import lru_cache

from companion.paths import fonts_dir

BODY = "NotoSans"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"

_FILES = {BODY: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf", ITALIC: "NotoSans-Italic.ttf"}


@lru_cache(maxsize=1)
def register() -> str:
    """Register the body font family; returns its name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, ITALIC)
    addMapping(BODY, 1, 1, BOLD)
    return BODY
