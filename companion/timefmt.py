"""Times and fingerprints as the rest of the app needs them, with nothing
heavy to import (this module is on the way to the first window)."""
from __future__ import annotations

import datetime as dt

try:  # CPython's built-in BLAKE2; importing hashlib would also load OpenSSL (~3 ms at start-up)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - a Python without the _blake2 module
    from hashlib import blake2b as _blake2b


def local_time(stamp: str) -> str:
    """A stored UTC time as the person's local time, to the minute."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(stamp or "")[:16].replace("T", " ")


def fingerprint(text: str = ""):
    """A hash object for cache keys (``update`` it, then ``hexdigest``): BLAKE2b, 16 bytes."""
    return _blake2b(text.encode(), digest_size=16)
