"""The child of tests/e2e/test_crash.py: does one thing through the app's
application layer while the power-cut shim (tests/e2e/powercut/powercut.c,
loaded with LD_PRELOAD) watches its data folder and cuts the power at a
chosen moment.

``crash_child.py TASK DATA PACK [FILE]``, TASK one of:

- ``saves``: open the workbook (making its one worksheet when there is none),
  print ``ready ID N`` (N: the number stored now), then save answers as fast
  as it can and print each number saved, after Book.save_answers returned
  (that is, after the commit was acknowledged). It never stops by itself.
- ``import FILE``: import a share file (Sharing.import_paths);
- ``restore FILE``: restore a backup file (Safety.restore);
- ``install FILE``: install a content pack archive (Packs.install, the pack
  in use chosen as at start: an installed pack newer than PACK wins);
- ``export FILE``: export every worksheet as a share file (Sharing.export_share)
  to FILE, a path inside the data folder, so on the modelled disk.

Each of the last four prints ``done`` and what the call said (``installed``,
``imported``...) once it returned, then calls the
shim's powercut_here(): the power fails the moment the app has said done.

``COMPANION_CRASH_SYNCHRONOUS`` (e.g. ``OFF``) sets that ``PRAGMA synchronous``
after the app's own pragmas, to show what the test sees when the database
does not sync; the app's code is not changed for it.
"""
from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from companion.workbook import Workbook


def _weaken_sync(level: str) -> None:
    from companion.storage import db

    configure = db.Database._configure

    def weaker(self) -> None:
        configure(self)
        self.conn.execute(f"PRAGMA synchronous = {level}")

    db.Database._configure = weaker


def _acknowledge(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _power_fails_now() -> None:
    try:
        here = ctypes.CDLL(None).powercut_here
    except AttributeError:  # run without the shim
        return
    here()


def saves(book: Workbook) -> None:
    sheets = book.book.worksheets()
    sheet = sheets[0] if sheets else book.book.create_worksheet("plan", "crash test")
    number = int(book.book.worksheet(sheet.id).answers.get("title") or "0")
    _acknowledge(f"ready {sheet.id} {number}")
    while True:
        number += 1
        # a value of varying size, so that pages split, fill and the WAL checkpoints
        book.book.save_answers(sheet.id, {"title": str(number), "objective": "x" * (number * 37 % 5000),
                                          "activities": [{"activity": f"step {i}"} for i in range(number % 7)]})
        _acknowledge(str(number))


def main(task: str, data: str, pack: str, file: str | None = None) -> None:
    level = os.environ.get("COMPANION_CRASH_SYNCHRONOUS")
    if level:
        _weaken_sync(level)
    if task == "saves":
        saves(Workbook(Path(data), Path(pack)))
        return
    if task == "install":
        book = Workbook.open(Path(data))  # the pack in use, as at start (COMPANION_CONTENT: the bundled one)
        outcome = book.packs.install(Path(file), allow_unsigned=True).status
    elif task == "import":
        outcome = " ".join(r.status for r in Workbook(Path(data), Path(pack)).sharing.import_paths([Path(file)]))
    elif task == "export":  # FILE: relative to the data folder
        book = Workbook(Path(data), Path(pack))
        book.sharing.export_share([w.id for w in book.book.worksheets()], Path(data) / file)
        outcome = "exported"
    elif task == "restore":
        Workbook(Path(data), Path(pack)).safety.restore(Path(file))
        outcome = "restored"
    else:
        raise SystemExit(f"unknown task {task}")
    _acknowledge(f"done {outcome}")
    _power_fails_now()


if __name__ == "__main__":
    main(*sys.argv[1:])
