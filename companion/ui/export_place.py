"""Where files the person saves go, and what they are called.

Save dialogs open in the folder used last (kept as a preference), or in the
Documents folder when there is none or it is gone (a stick of another
computer); never in the folder the program was started from. A suggested
file name is the title as written, in any script, with only the characters
no file system accepts replaced."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from companion.errors import CompanionError

FOLDER_PREFERENCE = "export_folder"
MAX_NAME = 120  # characters of the title kept in a file name (file systems allow 255 bytes)
# refused by Windows, macOS or Linux file systems: the path separators, the
# characters Windows reserves, and the control characters
_REFUSED = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


def file_name(title: str, fallback: str) -> str:
    """``title`` as a file name (without a suffix): its letters kept in any
    script, apostrophes and dashes too; a run of refused characters becomes
    one "_"; no leading or trailing space or dot (Windows drops them)."""
    name = _REFUSED.sub("_", title or "")
    name = name[:MAX_NAME].strip(" .")
    if not name.strip("_ "):
        return fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = f"{name}_"
    return name


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(workbook) -> Path:
    """The folder a save dialog opens in: the one used last, if it is still there."""
    try:
        remembered = workbook.preference(FOLDER_PREFERENCE)
    except CompanionError:
        remembered = None
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return documents_folder()


def suggested_path(workbook, name: str) -> str:
    """The path a save dialog suggests for ``name`` (a file name with its suffix)."""
    return str(start_folder(workbook) / name)


def remember(workbook, chosen: str) -> None:
    """Keep the folder of a file the person chose, for the next save dialog."""
    if chosen:
        remember_folder(workbook, str(Path(chosen).parent))


def remember_folder(workbook, folder: str) -> None:
    """Keep a folder the person chose, for the next save dialog."""
    if not folder:
        return
    try:
        workbook.set_preference(FOLDER_PREFERENCE, folder)
    except CompanionError:
        pass  # a disk that refuses: the next dialog opens in Documents, nothing is lost
