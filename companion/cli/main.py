"""The ``companion`` command: the app, and the same operations for scripts.

Each feature's commands are in the module of this package named as in
:mod:`companion.workbook`; every command calls the workbook's services, and
nothing here knows SQL or Qt. A problem is one line on stderr and exit
status 2 (bad usage or bad input), never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any, Sequence

from companion import __version__
from companion.cli import common, language, window
from companion.errors import CompanionError
from companion.messages import set_language, t

# The modules of this package that add and run the commands, in the order of
# 'companion --help'; and the module of each command. A command's module is
# imported (and its part of the parser built) only when that command runs:
# the app itself needs none of them.
FEATURES = ("window", "packs", "book", "sharing", "search", "study", "followup", "safety", "selfcheck", "profile",
            "cohort")
COMMANDS = {"screenshot": "window", "content": "packs", "worksheets": "book", "export": "sharing",
            "import": "sharing", "search": "search", "progress": "study", "notes": "study", "checks": "study",
            "followup": "followup", "backup": "safety", "restore": "safety", "self-check": "selfcheck",
            "profile": "profile", "cohort": "cohort"}


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", language.HelpFormatter)  # help texts in the current language
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(common.EXIT_USAGE, f"companion: {message} (see 'companion --help')\n")


class _FirstLook(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        raise ValueError(message)


def _data_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="folder for the database and your files (also COMPANION_HOME)")


def _top_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``companion`` itself, before any command."""
    _data_option(parser, None)
    window.add_options(parser)  # --open VIEW
    language.add_option(parser)  # --lang CODE


def needed_features(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules the parse of ``argv`` needs: none for the app
    itself, the one of its command, or all of them (help, an unknown command)."""
    first = _FirstLook(add_help=False)
    _top_options(first)
    first.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        known, extra = first.parse_known_args(list(argv))
    except ValueError:  # an option without its value: the full parser says what is wrong
        return FEATURES
    if not known.rest:
        return () if not extra else FEATURES
    found = COMMANDS.get(known.rest[0])
    return (found,) if found else FEATURES


def build_parser(features: Sequence[str] = FEATURES) -> tuple[argparse.ArgumentParser, dict]:
    """The parser with the commands of ``features`` (module names), and their handlers."""
    parser = _Parser(prog="companion", description="Migration & Local Development Companion")
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    _top_options(parser)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    def command(name: str, help_text: str, parent=commands) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        _data_option(sub, argparse.SUPPRESS)
        return sub

    handlers = dict(window.HANDLERS)
    for name in FEATURES:
        if name in features:
            feature = importlib.import_module(f"companion.cli.{name}")
            feature.add_commands(command)
            handlers.update(feature.HANDLERS)
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:  # before the parser: its help and its errors are written in that language
        set_language(language.checked(language.requested(argv)) or language.system_language())
    except CompanionError as exc:
        common.say(str(exc))
        return common.EXIT_USAGE
    parser, handlers = build_parser(needed_features(argv))
    args = parser.parse_args(argv)
    handler = handlers[common.key(args)]
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
