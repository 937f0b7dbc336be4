"""Where the floor app is: the program every start-up is measured against.

The first of: ``--floor PATH``, the ``COMPANION_FLOOR_APP`` environment
variable, ``../shared/bench/floor_app.py`` beside this checkout.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "floor_app.py"


def floor_app(given: Path | None = None) -> Path | None:
    """The floor app's path, or None after saying on stderr why start-up will not be measured."""
    path = Path(given or os.environ.get("COMPANION_FLOOR_APP") or DEFAULT)
    if path.is_file():
        return path
    print(f"bench: no floor app at {path}: start-up is not measured "
          f"(give --floor PATH or COMPANION_FLOOR_APP)", file=sys.stderr)
    return None
