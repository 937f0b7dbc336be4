"""``companion profile show`` and ``companion profile set``: who the participant
is (printed on exports) and the participant id their share files and PDFs carry."""
from __future__ import annotations

import argparse

from companion.cli.common import EXIT_OK, Command, print_json, workbook
from companion.messages import t

FIELDS = ("name", "organisation", "role", "city", "country")


def add_commands(command: Command) -> None:
    profile = command("profile", "your name and organisation, printed on what you export").add_subparsers(
        dest="action", required=True)
    show = command("show", "print your profile and your participant id", profile)
    show.add_argument("--json", action="store_true")
    change = command("set", "change your profile (the details not given stay as they are)", profile)
    change.add_argument("--name", required=True, metavar="N")
    for key in FIELDS[1:]:
        change.add_argument(f"--{key}", metavar=key[0].upper())
    change.add_argument("--json", action="store_true")


def _print(args: argparse.Namespace, participant: dict[str, str]) -> int:
    data = {"participant_id": participant.get("id", ""), **{key: participant.get(key, "") for key in FIELDS}}
    if args.json:
        print_json(data)
    else:
        for key, value in data.items():
            print(f"{t('profile.' + key)}: {value}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    return _print(args, workbook(args).book.participant())


def cmd_set(args: argparse.Namespace) -> int:
    book = workbook(args).book
    values = book.profile()
    values.update({key: getattr(args, key) for key in FIELDS if getattr(args, key) is not None})
    book.set_profile(values)
    return _print(args, book.participant())


HANDLERS = {("profile", "show"): cmd_show, ("profile", "set"): cmd_set}
