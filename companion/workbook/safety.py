"""Keeping the participant's data safe, written once for the CLI and the UI.

- :func:`start`: one companion per data folder (a lock), a damaged database
  set aside and recovered from the newest good backup, and the daily backup.
- :func:`backup_now`: a copy in ``backups/`` before an import, a restore or
  a migration, or once a day at start; :func:`thin_backups` keeps the newest
  ten, the newest of each of the last seven days and of the last four weeks
  (copies taken before a migration are never thinned).
- :func:`export_backup` and :func:`restore`: the whole of the person's data as
  one file, for a USB stick, and back. A file that is not a whole, readable
  companion database changes nothing.

Damaged files are never deleted: they are renamed ``companion.sqlite3.damaged-<time>``
beside the database, with their ``-wal`` and ``-shm`` files.
"""
from __future__ import annotations

import datetime as dt
import os
import stat
import re
import tempfile
from pathlib import Path
from typing import Any, NamedTuple, TYPE_CHECKING

from companion import paths
from companion.errors import InputError, StorageError
from companion.storage.lock import BUSY, HELD, DataLock
from companion.messages import t
from companion.storage import backup as store, packed
from companion.storage.restore import rebuild, verify as checked
from companion.workbook import checkup
from companion.timefmt import local_time

if TYPE_CHECKING:
    from companion.workbook import Workbook

BACKUP_DIR = "backups"
SUFFIX = ".sqlite3"
KEEP_NEWEST, KEEP_DAILY, KEEP_WEEKLY = 10, 7, 4
DAILY_EVERY = dt.timedelta(days=1)
_NAME = re.compile(r"(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)(?:-(\d{3}))?")  # the time a backup was taken


class AlreadyOpen(StorageError):
    """Another companion is using this data folder."""


class BackupFile(NamedTuple):
    path: Path
    taken: dt.datetime

    @property
    def before_migration(self) -> bool:
        return self.path.name.startswith("before-migration")


class Recovery(NamedTuple):
    """A damaged database was set aside at start; ``backup`` is what replaced it."""

    detail: str
    damaged: Path
    backup: BackupFile | None

    def message(self) -> str:
        if self.backup is None:
            return t("recovery.fresh", detail=self.detail, damaged=self.damaged)
        return t("recovery.restored", detail=self.detail, damaged=self.damaged,
                 when=self.backup.taken.strftime("%Y-%m-%d %H:%M"))


class Restored(NamedTuple):
    source: Path
    info: store.BackupInfo
    previous: Path | None

    def message(self) -> str:
        when = local_time(self.info.last_change) or t("restore.never")
        return t("restore.done", path=self.source, worksheets=self.info.worksheets, when=when)


class Startup:
    """What :func:`start` found and did; hold it while the app runs."""

    def __init__(self, state: str, lock: DataLock | None = None, recovery: Recovery | None = None,
                 backup: Path | None = None, warning: str = "", daily_due: bool = False,
                 pages_checked: bool = True, damaged: str = "") -> None:
        self.state, self.lock, self.recovery, self.backup = state, lock, recovery, backup
        self.warning, self.daily_due = warning, daily_due
        self.pages_checked = pages_checked  # False: every page is read after the window is shown (checkup)
        self.damaged = damaged  # what that later check found wrong

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _folder(target: Any) -> Path:
    """The data folder of a Workbook, or the folder itself."""
    return Path(getattr(target, "data_dir", target))


def _database_path(target: Any) -> Path:
    return paths.database_path(_folder(target))


def backups_dir(target: Any) -> Path:
    return _folder(target) / BACKUP_DIR


# backups ------------------------------------------------------------------------
def list_backups(target: Any) -> list[BackupFile]:
    """The backups in the data folder, newest first."""
    found = []
    try:
        entries = list(backups_dir(target).glob("*" + SUFFIX))
    except OSError:
        return []
    for path in entries:
        match = _NAME.search(path.name)
        if not match or path.name.startswith("."):
            continue
        try:  # not strptime: its module takes 4 ms to load, at every start (the day's backup is looked for)
            taken = dt.datetime(*(int(part) for part in match.groups()[:6]))
        except ValueError:
            continue
        taken += dt.timedelta(milliseconds=int(match.group(7) or 0))
        found.append(BackupFile(path, taken))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def _new_backup_path(target: Any, reason: str) -> Path:
    folder = backups_dir(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(t("backup.cannot_write", path=folder, detail=store.plain_reason(exc))) from None
    moment = dt.datetime.now()
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "backup"
    base = f"backup-{moment:%Y%m%d-%H%M%S}-{moment.microsecond // 1000:03d}-{reason}"
    path, number = folder / f"{base}{SUFFIX}", 1
    while path.exists():
        number += 1
        path = folder / f"{base}-{number}{SUFFIX}"
    return path


def _source(target: Any):
    """What to copy from: a Workbook's open database, else the file."""
    return target._db if hasattr(target, "data_dir") else _database_path(target)


def backup_now(target: Any, reason: str) -> Path | None:
    """Copy the database into ``backups/`` now (None when there is none yet).

    ``target`` is a Workbook or a data folder. Used before imports and
    restores and by the daily backup; raises StorageError if it cannot."""
    if not _database_path(target).exists():
        return None
    dest = store.snapshot(_source(target), _new_backup_path(target, reason))
    thin_backups(target)
    return dest


def backup_if_due(target: Any, now: dt.datetime | None = None) -> Path | None:
    """The daily backup: taken when the newest backup is a day old or more."""
    now = now or dt.datetime.now()
    newest = list_backups(target)[:1]
    if newest and abs(now - newest[0].taken) < DAILY_EVERY:
        return None
    return backup_now(target, "daily")


def thin_backups(target: Any) -> list[Path]:
    """Keep the newest ten, the newest of each of the last seven days that have
    one and of the last four weeks; remove the others (and half-written
    copies). Copies taken before a migration are kept. Returns what went."""
    items = [b for b in list_backups(target) if not b.before_migration]
    keep = {b.path for b in items[:KEEP_NEWEST]}
    days: dict[Any, Path] = {}
    weeks: dict[Any, Path] = {}
    for b in items:  # newest first: the first of each day or week is its newest
        days.setdefault(b.taken.date(), b.path)
        weeks.setdefault(b.taken.isocalendar()[:2], b.path)
    keep |= set(list(days.values())[:KEEP_DAILY]) | set(list(weeks.values())[:KEEP_WEEKLY])
    removed = [b.path for b in items if b.path not in keep]
    try:
        removed += list(backups_dir(target).glob(".*.part"))
    except OSError:
        pass
    gone = []
    for path in removed:
        try:
            path.unlink()
            gone.append(path)
        except OSError:
            pass
    return gone


def export_backup(target: Any, out: Path) -> tuple[Path, store.BackupInfo]:
    """Everything the person has (today: the database) as one checked file."""
    out = Path(out)
    database = _database_path(target)
    if not database.exists():
        raise InputError(t("backup.nothing", path=_folder(target)))
    if out.is_dir():
        raise InputError(t("file.cannot_write", path=out, detail="a folder"))
    if os.path.lexists(out) and not (out.exists() and stat.S_ISREG(os.stat(out).st_mode)):
        raise InputError(t("backup.out_not_file", path=out))  # a device, a pipe, a dangling link
    if store.same_file(out, database) or (out.name.startswith(database.name)
                                and out.resolve().parent == database.resolve().parent):
        raise InputError(t("restore.in_use", path=out))
    plain = out.with_name(f".{out.name}.unpacked.part")
    try:
        store.snapshot(_source(target), plain)
        try:
            info = checked(plain)
        except InputError as exc:
            raise StorageError(str(exc)) from None
        packed.pack(plain, out)
    finally:
        store.discard_database(plain)
    return out, info


# restoring ------------------------------------------------------------------------
def inspect(file: Path) -> store.BackupInfo:
    """Check a backup file (on a private copy) and say what it holds."""
    source = Path(file)
    if source.exists() and not source.is_file():
        raise InputError(t("restore.not_file", path=source))
    with tempfile.TemporaryDirectory(prefix="companion-check-") as scratch:
        tmp = store.copy_in(source, Path(scratch))
        return checked(tmp, shown_as=source)


def restore(target: Any, file: Path) -> Restored:
    """Replace the person's data with a backup file, after checking it and
    backing up what is there now. A file that fails a check changes nothing."""
    folder, source = _folder(target), Path(file)
    database = paths.database_path(folder)
    if source.exists() and not source.is_file():
        raise InputError(t("restore.not_file", path=source))
    if store.same_file(source, database):
        raise InputError(t("restore.in_use", path=source))
    tmp = store.copy_in(source, folder)
    adopted = None
    try:
        info = checked(tmp, shown_as=source)
        adopted = rebuild(tmp, folder)
        previous = _keep_current(target, database)
        if hasattr(target, "close"):
            target.close()
        store.install(adopted, database)
    finally:
        store.discard_database(tmp)
        if adopted is not None:
            store.discard_database(adopted)
    thin_backups(folder)
    return Restored(source, info, previous)


def _keep_current(target: Any, database: Path) -> Path | None:
    """Back up the data about to be replaced; a damaged database is set aside instead."""
    if not database.exists():
        return None
    try:
        return backup_now(target, "before-restore")
    except StorageError:
        if store.health(database).state != "damaged":
            raise
    if hasattr(target, "close"):
        target.close()
    return store.set_aside(database)


def recover_if_damaged(target: Any, pages: bool = True) -> Recovery | None:
    """At start: a damaged database is set aside and the newest backup that
    passes every check takes its place (none: the app starts empty). Without
    ``pages`` only the file's start and schema are read (see checkup)."""
    folder = _folder(target)
    database = paths.database_path(folder)
    found = store.health(database, pages)
    if found.state != "damaged":
        return None
    damaged = store.set_aside(database)
    for candidate in list_backups(folder):
        try:
            tmp = store.copy_in(candidate.path, folder)
        except InputError:
            continue
        adopted = None
        try:
            checked(tmp)
            adopted = rebuild(tmp, folder)
            store.install(adopted, database)
        except InputError:
            continue
        finally:
            store.discard_database(tmp)
            if adopted is not None:
                store.discard_database(adopted)
        return Recovery(found.detail, damaged, candidate)
    return Recovery(found.detail, damaged, None)


def remove_leftovers(folder: Path) -> list[Path]:
    """Half-written files an interrupted restore, recovery or backup left in
    the data folder (``.restore-*.part``, ``backups/.*.part``); only while
    this process holds the folder, so no other companion is writing them."""
    gone = []
    for pattern in (".restore-*.part", f"{BACKUP_DIR}/.*.part"):
        for path in Path(folder).glob(pattern):
            try:
                store.discard_database(path)
                gone.append(path)
            except OSError:
                pass
    return gone


# the service of one workbook -------------------------------------------------------------
class Safety:
    """Data safety for one workbook: the folder taken for this process, its
    backups, restore and recovery."""

    def __init__(self, workbook: "Workbook") -> None:
        self.workbook = workbook

    def start(self, write: bool = True, daily: bool = True, pages: bool = True) -> Startup:
        """Take the data folder for this process: refuse (AlreadyOpen) when
        another companion has it and we mean to write; recover a damaged
        database; take the daily backup. Read-only use of a busy folder goes
        ahead, untouched. The caller holds the Startup and releases it."""
        folder = self.workbook.data_dir
        lock = DataLock(folder)
        state = lock.acquire()
        if state == BUSY:
            if write:
                raise AlreadyOpen(t("lock.busy", path=folder))
            return Startup(state)
        startup = Startup(state, lock if state == HELD else None)
        try:
            if state == HELD:
                remove_leftovers(folder)
                existed = _database_path(folder).exists()
                startup.pages_checked = pages or checkup.asked(folder)
                startup.recovery = checkup.done(folder, startup, recover_if_damaged(folder, startup.pages_checked))
                startup.daily_due = existed and startup.recovery is None
                if daily:
                    self.take_daily_backup(startup)
        except BaseException:
            startup.release()
            raise
        return startup

    def take_daily_backup(self, startup: Startup, from_file: bool = False) -> None:
        """The day's backup, when :meth:`start` found one due (a database that
        was there and whole); a failure becomes the start-up warning. With
        ``from_file`` the copy reads the database file through a connection of
        its own, so the window can take it on a worker thread after its first
        paint while the person starts reading (WAL lets both read at once)."""
        if not startup.daily_due or startup.state != HELD:
            return
        startup.daily_due = False
        self.workbook.open_database()  # opened (and migrated) before the copy
        try:
            startup.backup = backup_if_due(self.workbook.data_dir if from_file else self.workbook)
        except StorageError as exc:
            startup.warning = t("backup.failed_at_start", detail=exc)

    def backups(self) -> list[BackupFile]:
        return list_backups(self.workbook.data_dir)

    def backup_now(self, reason: str) -> Path | None:
        return backup_now(self.workbook, reason)

    def export_backup(self, out: Path) -> tuple[Path, store.BackupInfo]:
        return export_backup(self.workbook, out)

    def restore(self, file: Path) -> Restored:
        return restore(self.workbook, file)


def storage_error_text(exc: BaseException) -> str | None:
    """A disk or database failure in one plain line (None when it is neither)."""
    from companion.storage.db import storage_error

    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    converted = storage_error(exc)
    return str(converted) if converted is not None else None
