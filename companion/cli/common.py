"""What every command shares, written once: exit codes, JSON output, the
workbook of ``--data-dir``, reading a JSON file, taking the data folder
before a command and letting it go after, and a disk failure in one line."""
from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from companion.errors import InputError, StorageError
from companion.messages import t

if TYPE_CHECKING:
    from companion.workbook import Workbook

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Command = Callable[..., argparse.ArgumentParser]
"""``command(name, help[, parent])``: adds a sub-command (see cli.main)."""

# Commands that never touch the data folder, or take it themselves.
NO_DATA = {(None, None), ("screenshot", None), ("content", "check"), ("content", "stats"), ("content", "diff"),
           ("restore", None),
           ("content", "pack"), ("content", "list"), ("self-check", None), ("content", "keygen"),
           ("content", "import-xlsform")}
# Commands that need no data folder: no warning about a read-only stick for them.
# (The app itself, (None, None), asks in a dialog instead.)
QUIET = {(None, None), ("content", "check"), ("content", "stats"), ("content", "diff"), ("content", "pack"),
         ("content", "keygen"),
         ("content", "import-xlsform")}
# Commands that only read: they still run while the app is open. Anything
# not listed here is taken to write, and waits for the app to close.
READ_ONLY = {
    ("worksheets", "templates"), ("worksheets", "list"), ("worksheets", "show"), ("worksheets", "bin"),
    ("worksheets", "history"), ("export", "pdf"), ("export", "share"), ("export", "csv"), ("export", "xlsx"), ("backup", None),
    ("search", None), ("progress", "show"), ("notes", "list"), ("followup", "show"), ("followup", "report"), ("checks", "show"),
    ("content", "list"), ("export", "blank"), ("cohort", "report"), ("profile", "show"),
}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escaped(text: str) -> str:
    """Text with every control character but newline and tab shown as ``\\xNN``,
    so a title holding terminal escape sequences cannot move the cursor,
    recolour the terminal or hide the lines around it."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


class EscapingStream(io.TextIOBase):
    """A text stream that writes through :func:`escaped`; the command line
    prints through it, so no command can forget to."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escaped(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()


def quiet_stdout() -> None:
    """Send what is still buffered for a closed pipe nowhere, so Python's exit
    does not complain about it."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def key(args: argparse.Namespace) -> tuple:
    return (args.command, getattr(args, "action", None))


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def say(message: str) -> None:
    """One line on stderr, as every problem is told (a message of several
    lines, as the window shows it, is joined into one)."""
    print("companion: " + " ".join(part.strip() for part in str(message).splitlines() if part.strip()),
          file=sys.stderr)


def answered_yes(answer: str) -> bool:
    """Whether ``answer`` says yes: y or yes, or the language's own (o/oui, s/sí, s/sim, ن/نعم),
    in any case, with or without accents."""
    from companion.folding import fold

    words = {fold(w.strip()) for w in t("cli.yes_answers").replace("،", ",").split(",")} | {"y", "yes"}
    return fold(answer.strip()) in words - {""}


def ask_yes(prompt: str) -> bool:
    """Ask ``prompt`` at the terminal; True when the answer says yes (an end of input says no)."""
    try:
        return answered_yes(input(prompt))
    except EOFError:
        print()
        return False


def workbook(args: argparse.Namespace) -> "Workbook":
    """The command's workbook; its messages from then on in the language kept in the
    data folder, unless --lang said another."""
    from companion.cli.language import use_stored
    from companion.workbook import Workbook

    book = Workbook.open(args.data_dir, language=getattr(args, "lang", None))
    use_stored(args, book)
    return book


def read_json(path: Path) -> Any:
    """An answers file: a regular file of at most 10 MB of bounded JSON."""
    from companion import jsonfile
    from companion.files import read_regular

    data = read_regular(path, 10 * 1024 * 1024)
    try:
        return jsonfile.loads(data)
    except UnicodeDecodeError as exc:
        raise InputError(t("file.unreadable", path=path, detail=exc.reason)) from None
    except jsonfile.Refused as exc:
        raise InputError(t("file.bad_json", path=path, detail=exc)) from None


# before and after every command ---------------------------------------------------------------
def use_writable_data_dir(args: argparse.Namespace) -> None:
    """Portable mode on a stick that cannot be written: one line of warning,
    then this computer's own folder for the rest of the command."""
    if key(args) in QUIET:
        return
    from companion.workbook import portable

    folder = portable.resolve(args.data_dir)
    if folder.fell_back:
        say(folder.warning())
        args.data_dir = str(folder.path)


def tell_startup(startup) -> None:
    if startup.recovery is not None:
        say(startup.recovery.message())
    if startup.warning:
        say(startup.warning)


def take_data_folder(args: argparse.Namespace) -> None:
    """Before a command: refuse to write where the app is open (one line,
    exit 2), recover a damaged database (said on stderr), back up daily.
    The folder stays taken until :func:`let_go`."""
    if key(args) in NO_DATA:
        return
    from companion.workbook import Workbook

    book = Workbook.open(args.data_dir)  # not read before a damaged database is recovered
    if book.read_only:
        if key(args) not in READ_ONLY:
            raise StorageError(t("data.read_only", path=book.data_dir))
        say(t("data.read_only", path=book.data_dir))
        return
    try:
        writes = key(args) not in READ_ONLY  # a command that only reads does not read every page first
        args.startup = book.safety.start(write=writes, pages=writes)
        tell_startup(args.startup)
    finally:
        book.close()


def let_go(args: argparse.Namespace | None) -> None:
    """After a command: release the data folder it took."""
    startup = getattr(args, "startup", None)
    if startup is not None:
        startup.release()


def storage_failure(exc: BaseException) -> str | None:
    """A disk or database failure the command did not expect, in one line (None: a real bug)."""
    if not isinstance(exc, OSError) and type(exc).__module__ != "sqlite3":
        return None
    from companion.workbook.safety import storage_error_text

    return storage_error_text(exc)
