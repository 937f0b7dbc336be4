"""``companion followup ...``: check-ins on the action plan's activities
after the course, and the follow-up report."""
from __future__ import annotations

import argparse
from pathlib import Path

from companion.cli.common import EXIT_OK, Command, print_json, workbook
from companion.messages import t
from companion.worksheets import followup


def add_commands(command: Command) -> None:
    follow = command("followup", "follow up your action plan after the course").add_subparsers(
        dest="action", required=True)
    checkin = command("checkin", "record a check-in on one activity of an action plan", follow)
    checkin.add_argument("worksheet", metavar="WORKSHEET_ID")
    checkin.add_argument("row", metavar="ACTIVITY_ROW", help="the activity's number, from 1 (see 'followup show')")
    checkin.add_argument("--status", required=True, help="not-started, in-progress, done or blocked")
    checkin.add_argument("--comment", default="", metavar="TEXT")
    checkin.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the check-in (default: today)")
    checkin.add_argument("--json", action="store_true")
    shown = command("show", "each activity with its latest status and its check-ins", follow)
    shown.add_argument("worksheet", metavar="WORKSHEET_ID")
    shown.add_argument("--json", action="store_true")
    report = command("report", "write the follow-up report as a PDF", follow)
    report.add_argument("worksheet", metavar="WORKSHEET_ID")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")


def cmd_followup_checkin(args: argparse.Namespace) -> int:
    done = workbook(args).followup.checkin(args.worksheet, args.row, args.status, args.comment, args.date)
    if args.json:
        print_json({"worksheet": done.worksheet_id, "row": done.activity_row, "activity": done.activity,
                     "status": done.status, "comment": done.comment, "date": done.checked_on})
    else:
        print(t("followup.recorded", activity=done.activity, status=followup.status_label(done.status),
                date=done.checked_on))
    return EXIT_OK


def cmd_followup_show(args: argparse.Namespace) -> int:
    current = workbook(args).followup.plan(args.worksheet)
    if args.json:
        print_json(followup.as_json(current))
        return EXIT_OK
    print(f"{current.worksheet.title}  ({current.worksheet.id})")
    if not current.activities:
        print(f"  {t('followup.no_activities')}")
    for a in current.activities:
        dates = f"{a.values.get('start') or ''} – {a.values.get('end') or ''}".strip(" –")
        print(f"  {a.row:>2}. {a.name}  [{followup.status_label(a.status)}]  {dates}")
        for c in a.history:
            comment = f": {c.comment}" if c.comment else ""
            print(f"        {c.checked_on}  {followup.status_label(c.status)}{comment}")
    return EXIT_OK


def cmd_followup_report(args: argparse.Namespace) -> int:
    out = workbook(args).followup.write_report(args.worksheet, args.out)
    print(t("cli.exported", path=out))
    return EXIT_OK


HANDLERS = {
    ("followup", "checkin"): cmd_followup_checkin,
    ("followup", "show"): cmd_followup_show,
    ("followup", "report"): cmd_followup_report,
}
