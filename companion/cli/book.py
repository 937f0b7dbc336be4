"""``companion worksheets ...``: create, list, show and change worksheets."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from companion.cli.common import EXIT_OK, Command, print_json, read_json, workbook
from companion.messages import t


def add_commands(command: Command) -> None:
    sheets = command("worksheets", "list, create and show worksheets").add_subparsers(dest="action", required=True)
    templates = command("templates", "list the worksheet templates", sheets)
    templates.add_argument("--json", action="store_true")
    new = command("new", "create a worksheet and print its id", sheets)
    new.add_argument("template")
    new.add_argument("--title")
    new.add_argument("--answers", type=Path, metavar="FILE", help="JSON answers to start with")
    new.add_argument("--json", action="store_true")
    listing = command("list", "list your worksheets", sheets)
    listing.add_argument("--json", action="store_true")
    show = command("show", "print a worksheet's answers and problems", sheets)
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    for name, help_text in (("delete", "move a worksheet to the bin"),
                            ("restore", "bring a worksheet back from the bin"),
                            ("complete", "mark a worksheet complete (its answers are checked first)"),
                            ("reopen", "mark a worksheet as a draft again"),
                            ("history", "list a worksheet's revisions")):
        sub = command(name, help_text, sheets)
        sub.add_argument("id")
        sub.add_argument("--json", action="store_true")
    rename = command("rename", "give a worksheet a new title", sheets)
    rename.add_argument("id")
    rename.add_argument("title")
    rename.add_argument("--json", action="store_true")
    duplicate = command("duplicate", "start a new worksheet from an existing one", sheets)
    duplicate.add_argument("id")
    duplicate.add_argument("--title")
    duplicate.add_argument("--json", action="store_true")
    revert = command("revert", "restore the answers of a revision (as a new revision)", sheets)
    revert.add_argument("id")
    revert.add_argument("revision")
    revert.add_argument("--json", action="store_true")
    trash = command("bin", "list the worksheets in the bin", sheets)
    trash.add_argument("--json", action="store_true")


def cmd_templates(args: argparse.Namespace) -> int:
    book = workbook(args)
    rows = [{"id": tp.id, "version": tp.version, "title": tp.title, "module": tp.module,
             "fields": sum(1 for _ in tp.fields())} for tp in book.templates()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<28} {row['module']:<5} {row['title']}")
    return EXIT_OK


def _summary(book, worksheet, completion: int | None = None) -> dict:
    return {"id": worksheet.id, "template": worksheet.template_id, "title": worksheet.title,
            "status": worksheet.status,
            "completion": book.book.completion(worksheet) if completion is None else completion,
            "updated": worksheet.updated_at}


def cmd_new(args: argparse.Namespace) -> int:
    answers = read_json(args.answers) if args.answers else None
    book = workbook(args)
    worksheet = book.book.create_worksheet(args.template, args.title, answers)
    if args.json:
        print_json(_summary(book, worksheet))
    else:
        print(worksheet.id)
    return EXIT_OK


def _print_rows(args: argparse.Namespace, book, worksheets) -> int:
    kept = {row.worksheet_id: row.completion for row in book.study.worksheet_completions()}
    rows = []
    for worksheet in worksheets:
        if worksheet.id not in kept:  # in the bin: not kept, and few
            worksheet.answers = book.book.answers(worksheet.id)
        rows.append(_summary(book, worksheet, kept.get(worksheet.id)))
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:>4}  {row['template']:<26} {t('status.' + row['status']):<9} {row['completion']:>3}%  "
                  f"{row['updated'][:16].replace('T', ' ')}  {row['title']}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    book = workbook(args)
    return _print_rows(args, book, book.book.worksheets())


def cmd_bin(args: argparse.Namespace) -> int:
    book = workbook(args)
    return _print_rows(args, book, book.book.bin())


def _one(operation: str):
    """A command that applies one operation of the book to a worksheet and prints it."""

    def handler(args: argparse.Namespace) -> int:
        book = workbook(args)
        extra = [getattr(args, name) for name in ("title", "revision") if hasattr(args, name)]
        worksheet = getattr(book.book, operation)(args.id, *extra)
        summary = _summary(book, worksheet)
        if args.json:
            print_json(summary)
        else:
            print(f"{summary['id']}  {t('status.' + summary['status'])}  {summary['completion']}%  {summary['title']}")
        return EXIT_OK

    return handler


def cmd_history(args: argparse.Namespace) -> int:
    book = workbook(args)
    rows = [{"revision": r.id, "time": r.created_at, "kind": r.kind, "fields": list(r.fields),
             "restored_from": r.restored_from} for r in book.book.history(args.id)]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['revision']:>6}  {row['time'][:19].replace('T', ' ')}  {row['kind']:<9} "
                  f"{', '.join(row['fields'])}")
    return EXIT_OK


def _set_apart(book, worksheet) -> dict:
    """What the worksheet holds that its template does not, and from which version."""
    version, answers = book.book.set_apart(worksheet)
    return {"version": version, "answers": {label: value for label, value in answers}} if answers else {}


def cmd_show(args: argparse.Namespace) -> int:
    book = workbook(args)
    worksheet = book.book.worksheet(args.id)
    issues = book.book.issues(worksheet)
    data = {**_summary(book, worksheet), "template_version": worksheet.template_version,
            "answers": worksheet.answers,
            "set_apart": _set_apart(book, worksheet),
            "problems": [{"field": i.field_id, "severity": i.severity, "message": i.message} for i in issues]}
    if args.json:
        print_json(data)
        return EXIT_OK
    template = book.book.template_of(worksheet)
    print(f"{worksheet.title}  ({template.title}, {t('status.' + worksheet.status)}, {data['completion']}%)")
    for f in template.fields():
        if f.id in worksheet.answers:
            print(f"  {f.label}: {json.dumps(worksheet.answers[f.id], ensure_ascii=False)}")
    for issue in issues:
        print(f"  [{issue.severity}] {issue.field_id}: {issue.message}")
    return EXIT_OK


HANDLERS = {
    ("worksheets", "templates"): cmd_templates,
    ("worksheets", "new"): cmd_new,
    ("worksheets", "list"): cmd_list,
    ("worksheets", "show"): cmd_show,
    ("worksheets", "bin"): cmd_bin,
    ("worksheets", "history"): cmd_history,
    ("worksheets", "rename"): _one("rename_worksheet"),
    ("worksheets", "duplicate"): _one("duplicate_worksheet"),
    ("worksheets", "delete"): _one("delete_worksheet"),
    ("worksheets", "restore"): _one("restore_worksheet"),
    ("worksheets", "complete"): _one("complete_worksheet"),
    ("worksheets", "reopen"): _one("reopen_worksheet"),
    ("worksheets", "revert"): _one("restore_revision"),
}
