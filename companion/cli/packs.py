"""The command line of issue 8: content packs on a stick, the self-check, a read-only stick.

``cli.py`` adds the commands with :func:`add_commands`, their handlers from
:data:`HANDLERS`, and calls :func:`use_writable_data_dir` before every
command. The operations are in ``companion.workbook.packs``, ``companion.workbook.selfcheck``
and ``companion.workbook.portable``; nothing here knows SQL or Qt.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

from companion.messages import t

EXIT_OK, EXIT_FAILED = 0, 1
# Commands that need no data folder: no warning about a read-only stick for them.
# (The app itself, (None, None), asks in a dialog instead.)
QUIET = {(None, None), ("content", "check"), ("content", "stats"), ("content", "pack")}


def add_commands(command: Callable[..., argparse.ArgumentParser], content) -> None:
    """Add the commands: ``command(name, help[, parent])`` from cli.build_parser,
    ``content`` the subparsers of ``companion content``."""
    pack = command("pack", "validate a content pack and write it as a .zip for a USB stick", content)
    pack.add_argument("path", type=Path, metavar="PATH")
    pack.add_argument("--out", required=True, type=Path, metavar="PACK.zip")
    install = command("install", "install a content pack archive (from a USB stick) beside the bundled one",
                      content)
    install.add_argument("archive", type=Path, metavar="PACK.zip")
    install.add_argument("--dry-run", action="store_true", help="show what would change, install nothing")
    install.add_argument("--json", action="store_true")
    listing = command("list", "list the bundled and installed content packs and the one in use", content)
    listing.add_argument("--json", action="store_true")
    check = command("self-check", "check this installation end to end in a temporary folder "
                                  "(content, worksheets, PDF, share files, window)")
    check.add_argument("--no-window", action="store_true", help="skip drawing the main window")


def _key(args: argparse.Namespace) -> tuple:
    return (args.command, getattr(args, "action", None))


def use_writable_data_dir(args: argparse.Namespace) -> None:
    """Portable mode on a stick that cannot be written: one line of warning,
    then this computer's own folder for the rest of the command."""
    if _key(args) in QUIET:
        return
    from companion.workbook import portable

    folder = portable.resolve(args.data_dir)
    if folder.fell_back:
        print(f"companion: {folder.warning()}", file=sys.stderr)
        args.data_dir = str(folder.path)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _workbook(args: argparse.Namespace):
    from companion.workbook import Workbook

    return Workbook.open(args.data_dir)


def cmd_pack(args: argparse.Namespace) -> int:
    from companion.workbook import packs

    try:
        info = packs.pack_archive(args.path, args.out)
    except packs.PackInvalid as exc:
        for problem in exc.problems:
            print(problem)
        raise
    print(t("packs.packed", path=args.out, id=info.id, version=info.version))
    return EXIT_OK


def cmd_install(args: argparse.Namespace) -> int:
    from companion.workbook import packs

    workbook = _workbook(args)
    try:
        report = packs.install(workbook, args.archive, dry_run=args.dry_run)
    finally:
        workbook.close()
    if args.json:
        _print_json(report.as_dict())
        return EXIT_OK
    if report.status != "already":
        for line in report.diff.lines():
            print(line)
    print(report.summary())
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from companion.workbook import packs

    workbook = _workbook(args)
    rows = packs.describe_packs(workbook)
    if args.json:
        _print_json(rows)
        return EXIT_OK
    for row in rows:
        mark = f"  ({t('packs.in_use')})" if row["in_use"] else ""
        print(f"{row['id']:<20} {row['version']:<10} {row['language']:<4} {row['origin']:<10} {row['path']}{mark}")
    return EXIT_OK


def _draw_window(workbook):
    """The self-check's window step (offscreen unless told otherwise: no window pops up)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from companion.ui.selfcheck import window_check

    return window_check(workbook)


def cmd_self_check(args: argparse.Namespace) -> int:
    from companion import paths
    from companion.workbook import selfcheck

    steps = []
    for step in selfcheck.run(paths.data_dir(args.data_dir), None if args.no_window else _draw_window):
        steps.append(step)
        print(step.line, flush=True)
    bad = sum(1 for s in steps if s.failed)
    if bad:
        print(t("selfcheck.summary_failed", failed=bad, count=len(steps)), file=sys.stderr)
        return EXIT_FAILED
    print(t("selfcheck.summary_ok", count=sum(1 for s in steps if s.status == selfcheck.OK)))
    return EXIT_OK


HANDLERS = {
    ("content", "pack"): cmd_pack,
    ("content", "install"): cmd_install,
    ("content", "list"): cmd_list,
    ("self-check", None): cmd_self_check,
}
