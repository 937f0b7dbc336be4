"""``companion cohort report``: a trainer's report on the files a cohort handed in.

The files are read, never imported: the data folder's own workbook is not
written. The report is three files in the folder given (cohort.pdf,
cohort.xlsx, cohort.sqlite); each file that could not be read is one line
on stderr, and the report lists it too."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, Command, print_json, workbook
from companion.messages import t


def add_commands(command: Command) -> None:
    cohort = command("cohort", "a trainer's view of the worksheets a cohort handed in").add_subparsers(
        dest="action", required=True)
    report = command("report", "read share files and companion PDFs (and folders of them) and write "
                               "cohort.pdf, cohort.xlsx and cohort.sqlite; nothing is imported", cohort)
    report.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    report.add_argument("--out", required=True, type=Path, metavar="DIR", help="the folder for the three files")
    report.add_argument("--json", action="store_true")


def cmd_report(args: argparse.Namespace) -> int:
    from companion.workbook.cohort import describe

    cohort, written = workbook(args).cohort.report(args.paths, args.out)
    summary = describe(cohort)
    if args.json:
        print_json({**summary, "written": [str(path) for path in written]})
    else:
        for path in written:
            print(t("cli.exported", path=path))
        print(t("cohort.cli_summary", participants=summary["participants"], worksheets=summary["worksheets"],
                set_aside=summary["set_aside"], not_read=len(summary["not_read"])))
    for item in cohort.not_read:
        print(f"companion: {t('cohort.cli_not_read', file=item.file, reason=item.reason)}", file=sys.stderr)
    return EXIT_OK


HANDLERS = {("cohort", "report"): cmd_report}
