"""The command line of issue 7: backups, restores, and the checks every command passes.

``cli.py`` adds the commands with :func:`add_commands` and their handlers
from :data:`HANDLERS`, calls :func:`take_data_folder` before every command
and :func:`let_go` after it. Every operation is in ``companion.workbook.safety``;
nothing here knows SQL or Qt.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from companion.messages import t

EXIT_OK = 0

# Commands that never touch the data folder, or take it themselves.
NO_DATA = {(None, None), ("screenshot", None), ("content", "check"), ("content", "stats"), ("restore", None),
           ("content", "pack"), ("self-check", None)}
# issue 8: packing reads only the pack; listing only the packs folder; the self-check writes only to a temporary folder
NO_DATA |= {("content", "pack"), ("content", "list"), ("self-check", None)}
# Commands that only read: they still run while the app is open. Anything
# not listed here is taken to write, and waits for the app to close.
READ_ONLY = {
    ("worksheets", "templates"), ("worksheets", "list"), ("worksheets", "show"), ("worksheets", "bin"),
    ("worksheets", "history"), ("export", "pdf"), ("export", "share"), ("export", "csv"), ("backup", None),
    ("search", None), ("progress", "show"), ("notes", "list"), ("followup", "show"), ("followup", "report"),
    ("content", "list"),
}


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the commands, with ``command(name, help)`` from cli.build_parser."""
    save = command("backup", "write all your data to one backup file (for a USB stick)")
    save.add_argument("--out", required=True, type=Path, metavar="FILE")
    back = command("restore", "replace your data with a backup file (checked first; your data is backed up)")
    back.add_argument("file", type=Path, metavar="FILE")


def _key(args: argparse.Namespace) -> tuple:
    return (args.command, getattr(args, "action", None))


def _workbook(args: argparse.Namespace):
    from companion.workbook import Workbook

    return Workbook.open(args.data_dir)


def _say(startup) -> None:
    if startup.recovery is not None:
        print(f"companion: {startup.recovery.message()}", file=sys.stderr)
    if startup.warning:
        print(f"companion: {startup.warning}", file=sys.stderr)


def take_data_folder(args: argparse.Namespace) -> None:
    """Before a command: refuse to write where the app is open (one line,
    exit 2), recover a damaged database (said on stderr), back up daily."""
    key = _key(args)
    if key in NO_DATA:
        return
    from companion.workbook import safety

    workbook = _workbook(args)
    try:
        _say(safety.start(workbook, write=key not in READ_ONLY))
    finally:
        workbook.close()


def let_go() -> None:
    """After a command: release the data folder."""
    safety = sys.modules.get("companion.workbook.safety")
    if safety is not None:
        safety.release_all()


def storage_failure(exc: BaseException) -> str | None:
    """A disk or database failure the command did not expect, in one line (None: a real bug)."""
    if not isinstance(exc, OSError) and type(exc).__module__ != "sqlite3":
        return None
    from companion.storage.db import storage_error

    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    converted = storage_error(exc)
    return str(converted) if converted is not None else None


def cmd_backup(args: argparse.Namespace) -> int:
    from companion.workbook import safety

    out, info = safety.export_backup(_workbook(args), args.out)
    print(t("backup.written", path=out, worksheets=info.worksheets))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from companion.workbook import safety

    workbook = _workbook(args)
    _say(safety.start(workbook, write=True, daily=False))
    restored = safety.restore(workbook, args.file)
    print(restored.message())
    if restored.previous is not None:
        print(t("restore.previous", path=restored.previous))
    return EXIT_OK


HANDLERS = {
    ("backup", None): cmd_backup,
    ("restore", None): cmd_restore,
}
