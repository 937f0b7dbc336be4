"""The command line's language: ``--lang CODE``, else the one kept in the data
folder (once a command opens it), else the system's; and its help texts,
written in English in the code, shown in that language."""
from __future__ import annotations

import argparse
import os
from typing import Sequence

from companion import messages
from companion.errors import CompanionError, InputError
from companion.messages import t


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", metavar="CODE", dest="lang", default=None,
                        help="the language of the window and of the messages: en, fr, es, pt or ar "
                             "(qps: a pseudo-language for checking translations); not kept")


def system_language() -> str:
    """The system's interface language if the companion speaks it, else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for code in os.environ.get(name, "").split(":"):
            if messages.known(code) and messages.known(code) != messages.PSEUDO:
                return messages.known(code)
    import locale  # where no variable names it (Windows): 3 ms of every start otherwise

    try:
        found = messages.known(locale.getlocale()[0])
    except ValueError:
        found = None
    return found if found and found != messages.PSEUDO else messages.ENGLISH


def requested(argv: Sequence[str]) -> str | None:
    """The code given with ``--lang`` in ``argv`` (before the parser reads it: the help is written in it)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def checked(code: str | None) -> str | None:
    """``code`` as an interface language; an unknown one is refused in one line."""
    if code is None:
        return None
    found = messages.known(code)
    if found is None:
        raise InputError(t("cli.bad_language", code=code, known=", ".join(messages.LANGUAGES)))
    return found


def use_stored(args: argparse.Namespace, workbook) -> None:
    """Once a command has opened the data folder: its language, unless ``--lang`` said another."""
    if getattr(args, "lang", None) is None:
        try:
            kept = workbook.preference("language")
        except CompanionError:  # a damaged database: recovered before the command, read again then
            kept = None
        messages.set_language(kept or system_language())
    workbook.ask_language(messages.current_language())  # the course content follows the messages


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with the companion's texts in the current language."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return messages.gettext(action.help) if action.help else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(messages.gettext(text) if text else text)
