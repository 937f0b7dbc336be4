"""``companion content ...``: check a content pack, count what it holds,
pack it for a stick, install one, list the packs."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.common import EXIT_FAILED, EXIT_OK, Command, print_json, workbook
from companion.messages import t


def add_commands(command: Command) -> None:
    content = command("content", "check, pack and install content packs").add_subparsers(
        dest="action", required=True)
    check = command("check", "validate a content pack: one line per problem", content)
    check.add_argument("path", nargs="?", type=Path)
    stats = command("stats", "count what a content pack holds", content)
    stats.add_argument("path", nargs="?", type=Path)
    stats.add_argument("--json", action="store_true")
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
        return EXIT_FAILED
    pack = loaded.pack
    print(t("cli.pack_valid", path=root, topics=sum(1 for _ in pack.topics()),
            worksheets=len(pack.templates), terms=len(pack.glossary)))
    return EXIT_OK


def cmd_content_stats(args: argparse.Namespace) -> int:
    from companion.content.pack import load_pack
    from companion.content.validate import stats

    figures = stats(load_pack(_pack_root(args.path)).pack)
    if args.json:
        print_json(figures)
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return EXIT_OK


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
    book = workbook(args)
    try:
        report = book.packs.install(args.archive, dry_run=args.dry_run)
    finally:
        book.close()
    if args.json:
        print_json(report.as_dict())
        return EXIT_OK
    if report.status != "already":
        for line in report.diff.lines():
            print(line)
    print(report.summary())
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    book = workbook(args)
    rows = book.packs.describe()
    if args.json:
        print_json(rows)
        return EXIT_OK
    for row in rows:
        mark = f"  ({t('packs.in_use')})" if row["in_use"] else ""
        print(f"{row['id']:<20} {row['version']:<10} {row['language']:<4} {row['origin']:<10} {row['path']}{mark}")
    return EXIT_OK


HANDLERS = {
    ("content", "check"): cmd_content_check,
    ("content", "stats"): cmd_content_stats,
    ("content", "pack"): cmd_pack,
    ("content", "install"): cmd_install,
    ("content", "list"): cmd_list,
}
