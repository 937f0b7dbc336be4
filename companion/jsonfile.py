"""JSON from outside (share files, answer files, backups), read within bounds.

Python's parser accepts numbers of any length, nesting as deep as its
recursion allows and strings holding lone surrogates, which no file can
store back as UTF-8. :func:`loads` refuses each of these with a
:class:`Refused` that says which, so one bad file never turns into a
traceback later (at search, at export) or into data that cannot be saved.
"""
from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 24          # a worksheet is at most answers → table → row → cell
MAX_NUMBER_CHARS = 40   # what a person types; far past 2**63


class Refused(ValueError):
    """The JSON is not what a companion writes; the message says why in plain words."""


class Malformed(Refused):
    """Not JSON at all: damaged or cut short."""


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise Refused("a number with too many digits")
    return int(text)


def _decimal(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise Refused("a number with too many digits")
    value = float(text)
    if not math.isfinite(value):
        raise Refused("a number too large to store")
    return value


def _constant(name: str) -> Any:
    raise Refused(f"{name} is not a number a companion writes")


def loads(data: bytes | str) -> Any:
    """Parse JSON text (bytes are read as UTF-8); raise :class:`Refused`
    (or UnicodeDecodeError for bytes that are not UTF-8)."""
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_decimal, parse_constant=_constant)
    except RecursionError:
        raise Refused("nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise Malformed(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    check(value)
    return value


def check(value: Any, depth: int = 0) -> None:
    """Raise :class:`Refused` for nesting past MAX_DEPTH or text that is not
    valid Unicode (a lone surrogate, in a value or a key)."""
    if depth > MAX_DEPTH:
        raise Refused("nested too deeply")
    if isinstance(value, str):
        _text(value)
    elif isinstance(value, list):
        for item in value:
            check(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _text(str(key))
            check(item, depth + 1)


def _text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("text that is not valid Unicode (a lone surrogate)") from None
