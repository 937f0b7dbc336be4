"""Python's cycle collector, held while the window is made.

Starting the window makes some 50,000 objects (the modules, Qt's classes and
enums, the parsed pack) that live as long as the app. While they are made the
collector walks them again and again, seventy-odd times: about 15 ms of a
start. :func:`hold` stops it from the start of the window; :func:`resume`,
once the window has been drawn, collects once what the start left, keeps the
rest out of every later collection (``gc.freeze``: they live as long as the
app) and lets the collector run again.
"""
from __future__ import annotations

import gc


def hold() -> None:
    gc.disable()


def resume() -> None:
    """Nothing to do when the collector runs already."""
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()
