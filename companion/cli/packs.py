"""``companion content ...``: check a content pack, count what it holds,
pack it for a stick (signed or not), install one, list the packs; make a
signing key and trust one; turn an XLSForm into a worksheet template."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.cli.common import EXIT_FAILED, EXIT_OK, Command, ask_yes, print_json, workbook
from companion.messages import t, t_count


def add_commands(command: Command) -> None:
    content = command("content", "check, pack and install content packs").add_subparsers(
        dest="action", required=True)
    check = command("check", "validate a content pack: one line per problem", content)
    check.add_argument("path", nargs="?", type=Path)
    stats = command("stats", "count what a content pack holds (every bundled pack when none is given); "
                    "a translation's words against its base's", content)
    stats.add_argument("path", nargs="?", type=Path)
    stats.add_argument("--json", action="store_true")
    diff = command("diff", "list what the second pack lacks or has in excess compared with the first, by id",
                   content)
    diff.add_argument("first", type=Path, metavar="PACK")
    diff.add_argument("second", type=Path, metavar="OTHER")
    pack = command("pack", "validate a content pack and write it as a .zip for a USB stick", content)
    pack.add_argument("path", type=Path, metavar="PATH")
    pack.add_argument("--out", required=True, type=Path, metavar="PACK.zip")
    pack.add_argument("--sign", type=Path, metavar="NAME.key", help="sign the pack with this private key")
    install = command("install", "install a content pack archive (from a USB stick) beside the bundled one",
                      content)
    install.add_argument("archive", type=Path, metavar="PACK.zip")
    install.add_argument("--dry-run", action="store_true", help="show what would change, install nothing")
    install.add_argument("--allow-unsigned", action="store_true",
                         help="install a pack that is not signed by a trusted key (you agree to it)")
    install.add_argument("--fingerprint", metavar="WORDS",
                         help="the signer's fingerprint as the trainer read it out: trust the key and install")
    install.add_argument("--json", action="store_true")
    listing = command("list", "list the bundled and installed content packs and the one in use", content)
    listing.add_argument("--json", action="store_true")
    keygen = command("keygen", "make a key pair for signing content packs: NAME.key (private) and NAME.pub",
                     content)
    keygen.add_argument("--out", required=True, type=Path, metavar="NAME")
    keygen.add_argument("--name", help="the name packs signed with it show (default: NAME)")
    trust = command("trust", "trust a trainer's public key after comparing its fingerprint", content)
    trust.add_argument("key", type=Path, metavar="NAME.pub")
    trust.add_argument("--fingerprint", metavar="WORDS", help="the fingerprint as the trainer read it out")
    xlsform = command("import-xlsform", "turn an XLSForm (.xlsx) into a worksheet template of a content pack",
                      content)
    xlsform.add_argument("form", type=Path, metavar="FORM.xlsx")
    xlsform.add_argument("--pack", required=True, type=Path, metavar="DIR")
    xlsform.add_argument("--module", help="the module the worksheet belongs to (default: the pack's first)")
    xlsform.add_argument("--replace", action="store_true", help="replace a worksheet of the same id")


def _pack_root(path: Path | None) -> Path:
    from companion import paths

    return path if path is not None else paths.content_dir()


def cmd_content_check(args: argparse.Namespace) -> int:
    from companion.workbook import translation

    root = _pack_root(args.path)
    loaded, problems = translation.check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(t_count("cli.pack_invalid", len(problems)), file=sys.stderr)
        return EXIT_FAILED
    pack = loaded.pack
    print(t("cli.pack_valid", path=root, topics=sum(1 for _ in pack.topics()),
            worksheets=len(pack.templates), terms=len(pack.glossary)))
    return EXIT_OK


def cmd_content_stats(args: argparse.Namespace) -> int:
    from companion.workbook import translation

    packs = translation.stats(args.path)
    if args.json:
        print_json(packs[0] if args.path is not None else packs)
        return EXIT_OK
    for number, figures in enumerate(packs):
        if number:
            print()
        for key, value in figures.items():
            print(f"{key}: {value}")
        line = translation.ratio_line(figures)
        if line:
            print(line)
    return EXIT_OK


def cmd_content_diff(args: argparse.Namespace) -> int:
    from companion.workbook import translation

    lines = translation.diff(args.first, args.second)
    for line in lines:
        print(line)
    if lines:
        print(t("translation.differ_count", count=len(lines), first=args.first, second=args.second), file=sys.stderr)
        return EXIT_FAILED
    print(t("translation.same", first=args.first, second=args.second))
    return EXIT_OK


def cmd_pack(args: argparse.Namespace) -> int:
    from companion.workbook import packs

    try:
        info = packs.pack_archive(args.path, args.out, key=args.sign)
    except packs.PackInvalid as exc:
        for problem in exc.problems:
            print(problem)
        raise
    print(t("packs.packed", path=args.out, id=info.id, version=info.version))
    if args.sign:
        signer, _seed = packs.signing.read_secret(args.sign)
        print(t("sign.signed", name=signer.name, fingerprint=signer.fingerprint))
    return EXIT_OK


def cmd_install(args: argparse.Namespace) -> int:
    book = workbook(args)
    try:
        report = book.packs.install(args.archive, dry_run=args.dry_run, allow_unsigned=args.allow_unsigned,
                                    fingerprint=args.fingerprint)
    finally:
        book.close()
    if args.json:
        print_json(report.as_dict())
        return EXIT_OK
    if report.status != "already":
        for line in report.diff.lines():
            print(line)
    print(report.signed_by())
    print(report.summary())
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    from companion.content import signing

    secret, public, key = signing.keygen(args.out, args.name)
    print(t("sign.made", secret=secret, public=public))
    print(t("sign.fingerprint", name=key.name, fingerprint=key.fingerprint))
    return EXIT_OK


def cmd_trust(args: argparse.Namespace) -> int:
    from companion.content import signing
    from companion.errors import InputError

    key = signing.read_public(args.key)
    print(t("sign.fingerprint", name=key.name, fingerprint=key.fingerprint))
    if args.fingerprint:
        if not signing.same_fingerprint(args.fingerprint, key):
            raise InputError(t("sign.fingerprint_differs", name=key.name, fingerprint=key.fingerprint))
    elif sys.stdin is not None and sys.stdin.isatty():
        if not ask_yes(t("sign.ask_compare")):
            print(t("sign.not_trusted"))
            return EXIT_FAILED
    else:
        raise InputError(t("sign.trust_needs_fingerprint"))
    book = workbook(args)
    try:
        path = book.packs.trust(key)
    finally:
        book.close()
    print(t("sign.trusted", name=key.name, path=path))
    return EXIT_OK


def cmd_import_xlsform(args: argparse.Namespace) -> int:
    from companion.content import xlsform

    try:
        imported = xlsform.import_xlsform(args.form, args.pack, module=args.module, replace=args.replace)
    except xlsform.FormRefused as exc:
        for problem in exc.problems:
            print(problem)
        raise
    for note in imported.notes:
        print(note)
    for path in imported.written:
        print(t("xlsform.wrote", path=path))
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
    ("content", "diff"): cmd_content_diff,
    ("content", "pack"): cmd_pack,
    ("content", "install"): cmd_install,
    ("content", "list"): cmd_list,
    ("content", "keygen"): cmd_keygen,
    ("content", "trust"): cmd_trust,
    ("content", "import-xlsform"): cmd_import_xlsform,
}
