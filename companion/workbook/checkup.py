"""Reading every page of the database, after the window is shown.

``PRAGMA quick_check`` reads the whole database: a tenth of a second or more
for a large workbook, before anything is drawn. The window's start reads only
the file's start and its schema (enough to find a file that is not a
database, is empty or cut short), and a worker thread reads every page just
after the first paint. A database found damaged then is left as it is while
the app runs; the person is told to start the companion again, and that
start reads every page first and recovers from the newest good backup (the
request is a file in the data folder, since the database itself cannot be
trusted to keep it). The command line's commands that write read every page
before they start, as before."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from companion import paths

if TYPE_CHECKING:
    from companion.workbook.safety import Startup

RECHECK = ".check-every-page"


def asked(folder: Path) -> bool:
    """A check of every page was asked for by the last run (it found damage)."""
    return (Path(folder) / RECHECK).exists()


def done(folder: Path, startup: "Startup", recovery):
    """After a start that read every page: the request is met. Returns ``recovery``."""
    if startup.pages_checked:
        try:
            (Path(folder) / RECHECK).unlink(missing_ok=True)
        except OSError:
            pass
    return recovery


def check_pages(folder: Path, startup: "Startup") -> None:
    """Every page read, if the start did not (on a worker thread: its own
    connection); damage is noted on ``startup`` and the next start asked to recover."""
    from companion.storage import backup as store

    if startup.pages_checked or startup.lock is None:
        return
    startup.pages_checked = True
    found = store.health(paths.database_path(folder))
    if found.state != "damaged":
        return
    startup.damaged = found.detail
    startup.daily_due = False  # no daily backup of a damaged database
    try:
        (Path(folder) / RECHECK).touch()
    except OSError:
        pass
