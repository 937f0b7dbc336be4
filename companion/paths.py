"""Where things live: the user's data folder and the bundled resources.

Order for the data folder: an explicit ``--data-dir``, then the
``COMPANION_HOME`` variable, then portable mode (a ``companion-data`` folder
or a ``portable.txt`` marker beside the executable), then the platform's user
data folder. Importing this module creates nothing; callers ask for folders
to be made when they need them.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "MLDCompanion"
PORTABLE_DIR_NAME = "companion-data"
PORTABLE_MARKER = "portable.txt"
DATABASE_NAME = "companion.sqlite3"


def bundle_root() -> Path:
    """The folder holding ``content/`` and ``resources/``: the PyInstaller
    bundle when frozen, otherwise the source checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def content_dir(language: str = "en") -> Path:
    """The bundled content pack of a language (``COMPANION_CONTENT`` overrides)."""
    override = os.environ.get("COMPANION_CONTENT")
    if override:
        return Path(override)
    return bundle_root() / "content" / language


def executable_dir() -> Path | None:
    """The folder holding the companion's executable when frozen (None when
    run from source)."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def portable_dir_for(exe_dir: Path | None) -> Path | None:
    """The portable data folder of an executable in ``exe_dir``: its
    ``companion-data`` folder when a ``portable.txt`` marker or that folder is
    beside it, else None. Worked out afresh from where the executable is at
    every start, so a stick works under any drive letter or mount point."""
    if exe_dir is None:
        return None
    exe_dir = Path(exe_dir)
    if (exe_dir / PORTABLE_MARKER).exists() or (exe_dir / PORTABLE_DIR_NAME).is_dir():
        return exe_dir / PORTABLE_DIR_NAME
    return None


def _portable_dir() -> Path | None:
    return portable_dir_for(executable_dir())


def user_data_dir() -> Path:
    """The platform's folder for this user's data (the laptop's, not a stick's)."""
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir(APP_DIR_NAME, appauthor=False))


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The folder for the database and the user's files (not created here)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("COMPANION_HOME")
    if env:
        return Path(env).expanduser()
    portable = _portable_dir()
    if portable is not None:
        return portable
    return user_data_dir()


def database_path(folder: Path) -> Path:
    return folder / DATABASE_NAME
