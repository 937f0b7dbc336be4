"""The app itself (``companion`` with no command) and ``companion screenshot``."""
from __future__ import annotations

import argparse
import os
import sys

from companion.cli.common import EXIT_USAGE, Command
from companion.errors import InputError
from companion.messages import t


VIEWS = ("home, glossary, schedule, bin, notes, followup, followup:ID, topic:ID, worksheet:ID, "
         "example:TEMPLATE_ID, template:TEMPLATE_ID or search:WORDS")
_PLAIN_VIEWS = {"home", "glossary", "schedule", "bin", "notes", "followup"}
_NAMED_VIEWS = {"topic", "worksheet", "example", "template", "page", "search", "followup"}
_NUMBERED_VIEWS = {"worksheet", "followup"}


def add_options(parser: argparse.ArgumentParser) -> None:
    """The app's own options, given to ``companion`` itself."""
    parser.add_argument("--open", metavar="VIEW", dest="open_view",
                        help="start the app at this view (for a desktop shortcut or support): home, glossary, "
                             "schedule, bin, notes, followup, followup:ID, topic:ID, worksheet:ID, "
                             "example:TEMPLATE_ID, template:TEMPLATE_ID or search:WORDS")


def check_view(view: str) -> None:
    """Refuse a view the window has no such kind of (before any window opens);
    whether the topic or worksheet named is there, the window itself says."""
    kind, colon, ident = view.partition(":")
    ident = ident.strip()
    if kind in _PLAIN_VIEWS and not colon:
        return
    if kind in _NAMED_VIEWS and ident:
        number = ident.partition("#")[0].strip()
        if kind not in _NUMBERED_VIEWS or (number.isascii() and number.isdigit()):
            return
    raise InputError(t("cli.bad_open", views=VIEWS))


def add_commands(command: Command) -> None:
    shot = command("screenshot", "save a picture of the main window, drawn offscreen")
    shot.add_argument("out", metavar="OUT.png")
    shot.add_argument("--view", default="home",
                      help="home, glossary, schedule, topic:ID, worksheet:ID, example:TEMPLATE_ID, "
                           "search:QUERY, notes, followup or followup:ID")
    shot.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT")


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def cmd_run(args: argparse.Namespace) -> int:
    view = getattr(args, "open_view", None)
    if view is not None:
        check_view(view)
    if not _has_display():
        print(f"companion: {t('cli.no_display')}", file=sys.stderr)
        return EXIT_USAGE
    from companion import collector

    collector.hold()  # until the window is drawn (ui.app.run resumes it then): see companion.collector
    try:
        from companion.workbook import load_for_the_window

        load_for_the_window()  # before Qt: see there why
        from companion.ui.app import run

        return run(args.data_dir, view, getattr(args, "lang", None))
    finally:
        collector.resume()  # when the window never came (a refused start)


def cmd_screenshot(args: argparse.Namespace) -> int:
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        raise InputError(t("cli.bad_size")) from None
    if width < 200 or height < 200:
        raise InputError(t("cli.bad_size"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from companion.ui.app import screenshot

    return screenshot(args.data_dir, args.out, args.view, (width, height), getattr(args, "lang", None))


HANDLERS = {
    (None, None): cmd_run,
    ("screenshot", None): cmd_screenshot,
}
