"""Numbers shown in the window as its language writes them: QLocale's default,
set with the language (``translator.apply``): 1 234 and 12,5 in French, 1.234
in Spanish, Latin digits in Arabic (ar_AE)."""
from __future__ import annotations

import re

from PySide6.QtCore import QLocale

_PLACEHOLDER = re.compile(r"%(%|d|s)")


def number(value: int | float) -> str:
    """``value`` written in the window's language (a float with at most two decimals)."""
    locale = QLocale()
    if isinstance(value, float) and not value.is_integer():
        text = locale.toString(value, "f", 2)
        decimal = locale.decimalPoint()
        return text.rstrip("0").rstrip(decimal) if decimal in text else text
    return locale.toString(int(value))


def filled(text: str, *values: object) -> str:
    """``text`` (a translated ``tr()`` text with ``%d`` and ``%s``) filled with
    ``values``, every number written in the window's language."""
    shown = tuple(number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in values)
    return _PLACEHOLDER.sub(lambda m: "%%" if m.group(1) == "%" else "%s", text) % shown
