"""``companion backup`` and ``companion restore``: all the person's data as
one file, and back. (Taking the data folder before every command is in
:mod:`companion.cli.common`.)"""
from __future__ import annotations

import argparse
from pathlib import Path

from companion.cli.common import EXIT_OK, Command, tell_startup, workbook
from companion.messages import t


def add_commands(command: Command) -> None:
    save = command("backup", "write all your data to one backup file (for a USB stick)")
    save.add_argument("--out", required=True, type=Path, metavar="FILE")
    back = command("restore", "replace your data with a backup file (checked first; your data is backed up)")
    back.add_argument("file", type=Path, metavar="FILE")


def cmd_backup(args: argparse.Namespace) -> int:
    out, info = workbook(args).safety.export_backup(args.out)
    print(t("backup.written", path=out, worksheets=info.worksheets))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    book = workbook(args)
    args.startup = book.safety.start(write=True, daily=False)
    tell_startup(args.startup)
    restored = book.safety.restore(args.file)
    print(restored.message())
    if restored.previous is not None:
        print(t("restore.previous", path=restored.previous))
    return EXIT_OK


HANDLERS = {
    ("backup", None): cmd_backup,
    ("restore", None): cmd_restore,
}
