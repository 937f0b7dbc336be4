"""The ``companion`` command: the app, and the same operations for scripts.

Each feature's commands are in the module of this package named as in
:mod:`companion.workbook`; every command calls the workbook's services, and
nothing here knows SQL or Qt. A problem is one line on stderr and exit
status 2 (bad usage or bad input), never a traceback.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from companion import __version__
from companion.cli import book, cohort, common, followup, language, packs, profile, safety, search, selfcheck, \
    sharing, study, window
from companion.errors import CompanionError
from companion.messages import set_language, t

FEATURES = (window, packs, book, sharing, search, study, followup, safety, selfcheck, profile, cohort)
HANDLERS = {key: handler for feature in FEATURES for key, handler in feature.HANDLERS.items()}


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", language.HelpFormatter)  # help texts in the current language
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(common.EXIT_USAGE, f"companion: {message} (see 'companion --help')\n")


def _data_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="folder for the database and your files (also COMPANION_HOME)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="companion", description="Migration & Local Development Companion")
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    _data_option(parser, None)
    window.add_options(parser)  # --open VIEW
    language.add_option(parser)  # --lang CODE
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(name: str, help_text: str, parent=commands) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        _data_option(sub, argparse.SUPPRESS)
        return sub

    for feature in FEATURES:
        feature.add_commands(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:  # before the parser: its help and its errors are written in that language
        set_language(language.checked(language.requested(argv)) or language.system_language())
    except CompanionError as exc:
        common.say(str(exc))
        return common.EXIT_USAGE
    args = build_parser().parse_args(argv)
    handler = HANDLERS[common.key(args)]
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = common.EscapingStream(out), common.EscapingStream(err)
    try:
        return _run(handler, args)
    finally:
        sys.stdout, sys.stderr = out, err


def _run(handler, args: argparse.Namespace) -> int:
    try:
        common.use_writable_data_dir(args)  # a read-only stick: warn, use this computer's folder
        common.take_data_folder(args)  # one companion per data folder, recovery
        return handler(args)
    except CompanionError as exc:
        common.say(str(exc))
        return common.EXIT_USAGE
    except KeyboardInterrupt:
        common.say(t("cli.interrupted"))
        return 130
    except BrokenPipeError:  # 'companion ... | head' stopped reading: nothing is wrong
        common.quiet_stdout()
        return common.EXIT_OK
    except Exception as exc:  # a full disk or a read-only folder: one line too
        message = common.storage_failure(exc)
        if message is None:
            raise
        common.say(message)
        return common.EXIT_USAGE
    finally:
        common.let_go(args)
