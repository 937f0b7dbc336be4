"""The ``companion`` command: the app, and the same operations for scripts.

Every command calls :class:`~companion.workbook.Workbook`; nothing here
knows SQL or Qt. A problem is one line on stderr and exit status 2 (bad
usage or bad input), never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from companion import __version__
from companion.cli import packs as cli_content, safety as cli_safety, study as cli_study
from companion.errors import CompanionError, InputError
from companion.messages import t

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(EXIT_USAGE, f"companion: {message} (see 'companion --help')\n")


def _data_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="folder for the database and your files (also COMPANION_HOME)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="companion", description="Migration & Local Development Companion")
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    _data_option(parser, None)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(name: str, help_text: str, parent=commands) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        _data_option(sub, argparse.SUPPRESS)
        return sub

    shot = command("screenshot", "save a picture of the main window, drawn offscreen")
    shot.add_argument("out", metavar="OUT.png")
    shot.add_argument("--view", default="home",
                      help="home, glossary, schedule, topic:ID, worksheet:ID, example:TEMPLATE_ID, "
                           "search:QUERY, notes, followup or followup:ID")
    shot.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT")

    content = command("content", "check a content pack").add_subparsers(dest="action", required=True,
                                                                          parser_class=_Parser)
    check = command("check", "validate a content pack: one line per problem", content)
    check.add_argument("path", nargs="?", type=Path)
    stats = command("stats", "count what a content pack holds", content)
    stats.add_argument("path", nargs="?", type=Path)
    stats.add_argument("--json", action="store_true")

    sheets = command("worksheets", "list, create and show worksheets").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
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

    export = command("export", "export worksheets").add_subparsers(dest="action", required=True,
                                                                   parser_class=_Parser)
    pdf = command("pdf", "export worksheets (or --all of them) to one PDF that imports back", export)
    pdf.add_argument("ids", nargs="*", metavar="ID")
    pdf.add_argument("--all", action="store_true", help="the whole workbook")
    pdf.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    # [commands: issue 5, export and sharing]
    share = command("share", "export worksheets to a share file a colleague can import", export)
    share.add_argument("ids", nargs="+", metavar="ID")
    share.add_argument("--out", required=True, type=Path, metavar="FILE.mldshare")
    csv_cmd = command("csv", "export a worksheet's tables to CSV for spreadsheets", export)
    csv_cmd.add_argument("id")
    csv_cmd.add_argument("--out", required=True, type=Path, metavar="FILE.csv")
    importing = command("import", "import share files, companion PDFs or folders of them")
    importing.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importing.add_argument("--json", action="store_true")
    # [commands: issue 6, search, progress, notes, follow-up]
    cli_study.add_commands(command)
    # [commands: issue 7, data safety]
    cli_safety.add_commands(command)
    # [commands: issue 8, installers and content updates]
    cli_content.add_commands(command, content)
    return parser


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _workbook(args: argparse.Namespace):
    from companion.workbook import Workbook

    return Workbook.open(args.data_dir)


def _pack_root(path: Path | None) -> Path:
    from companion import paths

    return path if path is not None else paths.content_dir()


def cmd_content_check(args: argparse.Namespace) -> int:
    from companion.content.pack import load_pack
    from companion.content.validate import check_loaded

    root = _pack_root(args.path)
    loaded = load_pack(root)
    problems = check_loaded(loaded)
    for problem in problems:
        print(problem)
    if problems:
        print(t("cli.pack_invalid", count=len(problems)), file=sys.stderr)
        return EXIT_INVALID
    pack = loaded.pack
    print(t("cli.pack_valid", path=root, topics=sum(1 for _ in pack.topics()),
            worksheets=len(pack.templates), terms=len(pack.glossary)))
    return EXIT_OK


def cmd_content_stats(args: argparse.Namespace) -> int:
    from companion.content.pack import load_pack
    from companion.content.validate import stats

    figures = stats(load_pack(_pack_root(args.path)).pack)
    if args.json:
        _print_json(figures)
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    workbook = _workbook(args)
    rows = [{"id": tp.id, "version": tp.version, "title": tp.title, "module": tp.module,
             "fields": sum(1 for _ in tp.fields())} for tp in workbook.templates()]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:<28} {row['module']:<5} {row['title']}")
    return EXIT_OK


def _read_json(path: Path) -> Any:
    try:
        if path.stat().st_size > 10 * 1024 * 1024:  # [issue 7] answers are text a person wrote
            raise InputError(t("file.too_big", path=path))
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(t("file.not_found", path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(t("file.unreadable", path=path, detail=exc)) from None
    except json.JSONDecodeError as exc:
        raise InputError(t("file.bad_json", path=path, detail=exc)) from None
    except (ValueError, RecursionError):  # [issue 7] a 5,000-digit number, arrays nested 100,000 deep
        raise InputError(t("file.bad_json", path=path, detail=t("file.json_limits"))) from None


def _summary(workbook, worksheet) -> dict:
    return {"id": worksheet.id, "template": worksheet.template_id, "title": worksheet.title,
            "status": worksheet.status, "completion": workbook.completion(worksheet),
            "updated": worksheet.updated_at}


def cmd_new(args: argparse.Namespace) -> int:
    answers = _read_json(args.answers) if args.answers else None
    workbook = _workbook(args)
    worksheet = workbook.create_worksheet(args.template, args.title, answers)
    if args.json:
        _print_json(_summary(workbook, worksheet))
    else:
        print(worksheet.id)
    return EXIT_OK


def _print_rows(args: argparse.Namespace, workbook, worksheets) -> int:
    rows = []
    for worksheet in worksheets:
        worksheet.answers = workbook.store.answers(worksheet.id)
        rows.append(_summary(workbook, worksheet))
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']:>4}  {row['template']:<26} {row['status']:<9} {row['completion']:>3}%  "
                  f"{row['updated'][:16].replace('T', ' ')}  {row['title']}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    workbook = _workbook(args)
    return _print_rows(args, workbook, workbook.worksheets())


def cmd_bin(args: argparse.Namespace) -> int:
    workbook = _workbook(args)
    return _print_rows(args, workbook, workbook.bin())


def _one(operation: str):
    """A command that applies one workbook operation to a worksheet and prints it."""

    def handler(args: argparse.Namespace) -> int:
        workbook = _workbook(args)
        extra = [getattr(args, name) for name in ("title", "revision") if hasattr(args, name)]
        worksheet = getattr(workbook, operation)(args.id, *extra)
        summary = _summary(workbook, worksheet)
        if args.json:
            _print_json(summary)
        else:
            print(f"{summary['id']}  {summary['status']}  {summary['completion']}%  {summary['title']}")
        return EXIT_OK

    return handler


def cmd_history(args: argparse.Namespace) -> int:
    workbook = _workbook(args)
    rows = [{"revision": r.id, "time": r.created_at, "kind": r.kind, "fields": list(r.fields),
             "restored_from": r.restored_from} for r in workbook.history(args.id)]
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(f"{row['revision']:>6}  {row['time'][:19].replace('T', ' ')}  {row['kind']:<9} "
                  f"{', '.join(row['fields'])}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    workbook = _workbook(args)
    worksheet = workbook.worksheet(args.id)
    issues = workbook.issues(worksheet)
    data = {**_summary(workbook, worksheet), "template_version": worksheet.template_version,
            "answers": worksheet.answers,
            "earlier_version": {label: value for label, value in workbook.earlier_answers(worksheet)},
            "problems": [{"field": i.field_id, "severity": i.severity, "message": i.message} for i in issues]}
    if args.json:
        _print_json(data)
        return EXIT_OK
    template = workbook.template_of(worksheet)
    print(f"{worksheet.title}  ({template.title}, {worksheet.status}, {data['completion']}%)")
    for f in template.fields():
        if f.id in worksheet.answers:
            print(f"  {f.label}: {json.dumps(worksheet.answers[f.id], ensure_ascii=False)}")
    for issue in issues:
        print(f"  [{issue.severity}] {issue.field_id}: {issue.message}")
    return EXIT_OK


def cmd_export_pdf(args: argparse.Namespace) -> int:
    from companion.workbook import sharing

    if bool(args.ids) == bool(args.all):
        raise InputError(t("cli.pdf_which"))
    out = sharing.export_pdf(_workbook(args), None if args.all else args.ids, args.out)
    print(t("cli.exported", path=out))
    return EXIT_OK


def cmd_export_share(args: argparse.Namespace) -> int:
    from companion.workbook import sharing

    print(t("cli.exported", path=sharing.export_share(_workbook(args), args.ids, args.out)))
    return EXIT_OK


def cmd_export_csv(args: argparse.Namespace) -> int:
    from companion.workbook import sharing

    print(t("cli.exported", path=sharing.export_csv(_workbook(args), args.id, args.out)))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from companion.workbook import sharing

    results = sharing.import_paths(_workbook(args), args.paths)
    counts = {k: sum(1 for r in results if r.status == k) for k in ("imported", "duplicate", "refused")}
    if args.json:
        _print_json({"imported": [{"file": str(r.path), "title": r.title, "id": r.worksheet_id}
                                  for r in results if r.status == "imported"],
                     "duplicates": [{"file": str(r.path), "title": r.title, "id": r.worksheet_id}
                                    for r in results if r.status == "duplicate"],
                     "refused": [{"file": str(r.path), "reason": r.reason}
                                 for r in results if r.status == "refused"]})
    else:
        for result in results:
            print(result.message(), file=sys.stderr if result.status == "refused" else sys.stdout)
        print(t("import.summary", imported=counts["imported"], duplicates=counts["duplicate"],
                refused=counts["refused"]))
    if not results:
        raise InputError(t("import.nothing"))
    return EXIT_INVALID if counts["refused"] and not counts["imported"] and not counts["duplicate"] else EXIT_OK


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def cmd_run(args: argparse.Namespace) -> int:
    if not _has_display():
        print(f"companion: {t('cli.no_display')}", file=sys.stderr)
        return EXIT_INVALID
    from companion.ui.app import run

    return run(args.data_dir)


def cmd_screenshot(args: argparse.Namespace) -> int:
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        raise InputError(t("cli.bad_size")) from None
    if width < 200 or height < 200:
        raise InputError(t("cli.bad_size"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from companion.ui.app import screenshot

    return screenshot(args.data_dir, args.out, args.view, (width, height))


HANDLERS = {
    (None, None): cmd_run,
    ("screenshot", None): cmd_screenshot,
    ("content", "check"): cmd_content_check,
    ("content", "stats"): cmd_content_stats,
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
    ("export", "pdf"): cmd_export_pdf,
    # [handlers: issue 5]
    ("export", "share"): cmd_export_share,
    ("export", "csv"): cmd_export_csv,
    ("import", None): cmd_import,
    # [handlers: issue 6]
    **cli_study.HANDLERS,
    # [handlers: issue 7]
    **cli_safety.HANDLERS,
    # [handlers: issue 8]
    **cli_content.HANDLERS,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = HANDLERS[(args.command, getattr(args, "action", None))]
    try:
        cli_content.use_writable_data_dir(args)  # [issue 8] a read-only stick: warn, use this computer's folder
        cli_safety.take_data_folder(args)  # [issue 7] one companion per data folder, recovery
        return handler(args)
    except CompanionError as exc:
        print(f"companion: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"companion: {t('cli.interrupted')}", file=sys.stderr)
        return 130
    except Exception as exc:  # [issue 7] a full disk or a read-only folder: one line too
        message = cli_safety.storage_failure(exc)
        if message is None:
            raise
        print(f"companion: {message}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        cli_safety.let_go()
