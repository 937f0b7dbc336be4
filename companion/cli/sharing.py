"""``companion export ...`` and ``companion import``: PDFs, share files and
CSV out; share files and companion PDFs in."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.common import EXIT_OK, EXIT_USAGE, Command, print_json, workbook
from companion.errors import InputError
from companion.messages import t


def add_commands(command: Command) -> None:
    export = command("export", "export worksheets").add_subparsers(dest="action", required=True)
    pdf = command("pdf", "export worksheets (or --all of them) to one PDF that imports back", export)
    pdf.add_argument("ids", nargs="*", metavar="ID")
    pdf.add_argument("--all", action="store_true", help="the whole workbook")
    pdf.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    pdf.add_argument("--labels", metavar="CODE", help="the language of the PDF's own words: en, fr, es, pt or ar "
                                                      "(default: the language of the messages)")
    share = command("share", "export worksheets to a share file a colleague can import", export)
    share.add_argument("ids", nargs="+", metavar="ID")
    share.add_argument("--out", required=True, type=Path, metavar="FILE.mldshare")
    csv_cmd = command("csv", "export a worksheet's tables to CSV for spreadsheets", export)
    csv_cmd.add_argument("id")
    csv_cmd.add_argument("--out", required=True, type=Path, metavar="FILE.csv")
    csv_cmd.add_argument("--delimiter", choices=[",", ";"],
                         help="what splits the columns (default: ';' where decimals are written with a comma)")
    xlsx = command("xlsx", "export worksheets (or --all of them) to one spreadsheet workbook (.xlsx)", export)
    xlsx.add_argument("ids", nargs="*", metavar="ID")
    xlsx.add_argument("--all", action="store_true", help="the whole workbook")
    xlsx.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    blank = command("blank", "print blank worksheets (or --all of them) to one PDF, ready to photocopy", export)
    blank.add_argument("templates", nargs="*", metavar="TEMPLATE")
    blank.add_argument("--all", action="store_true", help="every worksheet of the course")
    blank.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    importing = command("import", "import share files, companion PDFs or folders of them")
    importing.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    importing.add_argument("--json", action="store_true")


def cmd_export_pdf(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.all):
        raise InputError(t("cli.pdf_which"))
    from companion.cli.language import checked

    labels = checked(args.labels)
    out = workbook(args).sharing.export_pdf(None if args.all else args.ids, args.out, labels=labels)
    print(t("cli.exported", path=out))
    return EXIT_OK


def cmd_export_share(args: argparse.Namespace) -> int:
    print(t("cli.exported", path=workbook(args).sharing.export_share(args.ids, args.out)))
    return EXIT_OK


def cmd_export_csv(args: argparse.Namespace) -> int:
    print(t("cli.exported", path=workbook(args).sharing.export_csv(args.id, args.out, args.delimiter)))
    return EXIT_OK


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.all):
        raise InputError(t("cli.pdf_which"))
    print(t("cli.exported", path=workbook(args).sharing.export_xlsx(None if args.all else args.ids, args.out)))
    return EXIT_OK


def cmd_export_blank(args: argparse.Namespace) -> int:
    from companion.workbook.blank import export_blank

    if bool(args.templates) == bool(args.all):
        raise InputError(t("cli.blank_which"))
    print(t("cli.exported", path=export_blank(workbook(args), None if args.all else args.templates, args.out)))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    results = workbook(args).sharing.import_paths(args.paths)
    counts = {k: sum(1 for r in results if r.status == k) for k in ("imported", "duplicate", "refused")}
    if args.json:
        print_json({"imported": [{"file": str(r.path), "title": r.title, "id": r.worksheet_id}
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
    return EXIT_USAGE if counts["refused"] else EXIT_OK  # any file refused: a script must notice


HANDLERS = {
    ("export", "pdf"): cmd_export_pdf,
    ("export", "share"): cmd_export_share,
    ("export", "csv"): cmd_export_csv,
    ("export", "xlsx"): cmd_export_xlsx,
    ("export", "blank"): cmd_export_blank,
    ("import", None): cmd_import,
}
