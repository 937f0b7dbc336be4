"""The command line of issue 6: search, progress, notes and the follow-up of action plans.

``cli.py`` adds these commands to its parser with :func:`add_commands` and
their handlers from :data:`HANDLERS`. Every handler calls
``companion.workbook.study`` or ``companion.workbook.followup``; nothing here knows SQL or Qt.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Callable

from companion.messages import t

EXIT_OK = 0


def add_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the commands, with ``command(name, help, parent=...)`` from cli.build_parser."""
    find = command("search", "find topics, glossary terms, your worksheets and your notes")
    find.add_argument("query", nargs="+", metavar="QUERY", help="words to find (accents and case do not matter)")
    find.add_argument("--limit", type=int, default=8, metavar="N", help="results of each kind (default 8)")
    find.add_argument("--json", action="store_true")

    progress = command("progress", "how far you have come in the course").add_subparsers(
        dest="action", required=True, parser_class=type(find))
    show = command("show", "modules, topics read, where you left off and the next step", progress)
    show.add_argument("--json", action="store_true")
    read = command("read", "mark a topic as read (or --undo)", progress)
    read.add_argument("topic", metavar="TOPIC_ID")
    read.add_argument("--undo", action="store_true", help="mark it as not read")

    notes = command("notes", "your notes on topics and your bookmarks").add_subparsers(
        dest="action", required=True, parser_class=type(find))
    listing = command("list", "list your notes and bookmarks", notes)
    listing.add_argument("--json", action="store_true")
    write = command("set", "write your note on a topic (empty text removes it)", notes)
    write.add_argument("topic", metavar="TOPIC_ID")
    write.add_argument("text")
    mark = command("bookmark", "bookmark a topic (or --remove)", notes)
    mark.add_argument("topic", metavar="TOPIC_ID")
    mark.add_argument("--remove", action="store_true")

    follow = command("followup", "follow up your action plan after the course").add_subparsers(
        dest="action", required=True, parser_class=type(find))
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


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _workbook(args: argparse.Namespace):
    from companion.workbook import Workbook

    return Workbook.open(args.data_dir)


def _study(args: argparse.Namespace):
    from companion.workbook.study import study

    return study(_workbook(args))


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    results = _study(args).search(query, per_kind=max(1, min(args.limit, 100)))
    if args.json:
        _print_json([r.as_json() for r in results])
        return EXIT_OK
    if not results:
        print(t("search.nothing", query=query))
        return EXIT_OK
    kind = None
    for result in results:
        if result.kind != kind:
            kind = result.kind
            print(t(f"search.kind.{kind}"))
        link_kind, ident = result.link
        print(f"  {result.plain_title()}  ({link_kind}:{ident})")
        snippet = " ".join(result.marked(result.snippet, "[", "]").split())
        if snippet:
            print(f"      {snippet}")
    return EXIT_OK


def cmd_progress_show(args: argparse.Namespace) -> int:
    overview = _study(args).overview()
    data = {
        "topics_read": overview.read, "topics": overview.topics,
        "modules": [{"id": m.module_id, "title": m.title, "percent": m.percent, "topics_read": m.topics_read,
                     "topics": m.topics, "worksheets_started": m.worksheets_started, "worksheets": m.worksheets}
                    for m in overview.modules],
        "last_opened": overview.last and {"kind": overview.last.kind, "id": overview.last.id,
                                          "title": overview.last.title},
        "next_step": overview.next_step and {"kind": overview.next_step.kind, "id": overview.next_step.id,
                                             "title": overview.next_step.title},
        "due": [{"kind": d.kind, "date": d.date, "worksheet": d.worksheet_id, "text": d.text, "late": d.late}
                for d in overview.due],
    }
    if args.json:
        _print_json(data)
        return EXIT_OK
    for m in overview.modules:
        print(t("progress.module", title=m.title, percent=m.percent, read=m.topics_read, topics=m.topics,
                started=m.worksheets_started, worksheets=m.worksheets))
    if overview.last:
        print(t("progress.last", title=overview.last.title))
    if overview.next_step:
        print(t("progress.next", title=overview.next_step.title))
    for d in overview.due:
        print(_due_text(d))
    return EXIT_OK


def _due_text(d) -> str:
    key = "followup.due_checkin" if d.kind == "checkin" else "followup.due_overdue"
    return t(key, date=d.date, title=d.worksheet_title, text=d.text)


def cmd_progress_read(args: argparse.Namespace) -> int:
    study = _study(args)
    study.mark_read(args.topic, read=not args.undo)
    title = study.workbook.pack.topic(args.topic).title
    print(t("progress.unread" if args.undo else "progress.read", title=title))
    return EXIT_OK


def cmd_notes_list(args: argparse.Namespace) -> int:
    study = _study(args)
    notes, bookmarks = study.notes(), study.bookmarks()
    if args.json:
        _print_json({
            "notes": [{"kind": n.kind, "id": n.target_id, "title": n.title, "module": n.module, "text": n.body,
                       "updated": n.updated_at, "bookmarked": n.bookmarked} for n in notes],
            "bookmarks": [{"id": b.topic_id, "title": b.title, "module": b.module, "created": b.created_at}
                          for b in bookmarks]})
        return EXIT_OK
    if not notes and not bookmarks:
        print(t("notes.none"))
    for b in bookmarks:
        print(f"* {b.title}  (topic:{b.topic_id})")
    for n in notes:
        print(f"{n.title}  (topic:{n.target_id}, {n.updated_at[:16].replace('T', ' ')})")
        for line in n.body.splitlines():
            print(f"    {line}")
    return EXIT_OK


def cmd_notes_set(args: argparse.Namespace) -> int:
    study = _study(args)
    study.save_note(args.topic, args.text)
    title = study.workbook.pack.topic(args.topic).title
    print(t("notes.saved" if args.text.strip() else "notes.removed", title=title))
    return EXIT_OK


def cmd_notes_bookmark(args: argparse.Namespace) -> int:
    study = _study(args)
    study.set_bookmark(args.topic, not args.remove)
    title = study.workbook.pack.topic(args.topic).title
    print(t("notes.unbookmarked" if args.remove else "notes.bookmarked", title=title))
    return EXIT_OK


def cmd_followup_checkin(args: argparse.Namespace) -> int:
    from companion.workbook import followup

    workbook = _workbook(args)
    done = followup.checkin(workbook, args.worksheet, args.row, args.status, args.comment, args.date)
    if args.json:
        _print_json({"worksheet": done.worksheet_id, "row": done.activity_row, "activity": done.activity,
                     "status": done.status, "comment": done.comment, "date": done.checked_on})
    else:
        print(t("followup.recorded", activity=done.activity, status=followup.status_label(done.status),
                date=done.checked_on))
    return EXIT_OK


def cmd_followup_show(args: argparse.Namespace) -> int:
    from companion.workbook import followup

    current = followup.plan(_workbook(args), args.worksheet)
    if args.json:
        _print_json(followup.as_json(current))
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
    from companion.workbook import followup

    out = followup.write_report(_workbook(args), args.worksheet, args.out)
    print(t("cli.exported", path=out))
    return EXIT_OK


HANDLERS = {
    ("search", None): cmd_search,
    ("progress", "show"): cmd_progress_show,
    ("progress", "read"): cmd_progress_read,
    ("notes", "list"): cmd_notes_list,
    ("notes", "set"): cmd_notes_set,
    ("notes", "bookmark"): cmd_notes_bookmark,
    ("followup", "checkin"): cmd_followup_checkin,
    ("followup", "show"): cmd_followup_show,
    ("followup", "report"): cmd_followup_report,
}
