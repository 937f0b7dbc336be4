"""``companion self-check``: this installation checked end to end in a
temporary folder (content, worksheets, PDF, share files, window)."""
from __future__ import annotations

import argparse
import os
import sys

from companion.cli.common import EXIT_FAILED, EXIT_OK, Command
from companion.messages import t


def add_commands(command: Command) -> None:
    check = command("self-check", "check this installation end to end in a temporary folder "
                                  "(content, worksheets, PDF, share files, window)")
    check.add_argument("--no-window", action="store_true", help="skip drawing the main window")


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


HANDLERS = {("self-check", None): cmd_self_check}
