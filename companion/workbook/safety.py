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
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion import paths
from companion.errors import InputError, StorageError
from companion.workbook.lock import BUSY, HELD, DataLock
from companion.messages import t
from companion.storage import backup as store
from companion.timefmt import local_time

BACKUP_DIR = "backups"
SUFFIX = ".sqlite3"
KEEP_NEWEST, KEEP_DAILY, KEEP_WEEKLY = 10, 7, 4
DAILY_EVERY = dt.timedelta(days=1)
_NAME = re.compile(r"(\d{8}-\d{6})(?:-(\d{3}))?")
_CHUNK = 1024 * 1024


class AlreadyOpen(StorageError):
    """Another companion is using this data folder."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: dt.datetime

    @property
    def before_migration(self) -> bool:
        return self.path.name.startswith("before-migration")


@dataclass(frozen=True)
class Recovery:
    """A damaged database was set aside at start; ``backup`` is what replaced it."""

    detail: str
    damaged: Path
    backup: BackupFile | None

    def message(self) -> str:
        if self.backup is None:
            return t("recovery.fresh", detail=self.detail, damaged=self.damaged)
        return t("recovery.restored", detail=self.detail, damaged=self.damaged,
                 when=self.backup.taken.strftime("%Y-%m-%d %H:%M"))


@dataclass(frozen=True)
class Restored:
    source: Path
    info: store.BackupInfo
    previous: Path | None

    def message(self) -> str:
        when = local_time(self.info.last_change) or t("restore.never")
        return t("restore.done", path=self.source, worksheets=self.info.worksheets, when=when)


@dataclass
class Startup:
    """What :func:`start` found and did; hold it while the app runs."""

    state: str
    lock: DataLock | None = None
    recovery: Recovery | None = None
    backup: Path | None = None
    warning: str = ""
    daily_due: bool = False

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


_HELD: list[Startup] = []


def _folder(target: Any) -> Path:
    """The data folder of a Workbook, or the folder itself."""
    return Path(getattr(target, "data_dir", target))


def _database_path(target: Any) -> Path:
    return paths.database_path(_folder(target))


def backups_dir(target: Any) -> Path:
    return _folder(target) / BACKUP_DIR


# starting ---------------------------------------------------------------------
def start(workbook, write: bool = True, daily: bool = True) -> Startup:
    """Take the data folder (of a Workbook, or a folder) for this process:
    refuse (AlreadyOpen) when another companion has it and we mean to write;
    recover a damaged database; take the daily backup. Read-only use of a
    busy folder goes ahead, untouched."""
    folder = _folder(workbook)
    lock = DataLock(folder)
    state = lock.acquire()
    if state == BUSY:
        if write:
            raise AlreadyOpen(t("lock.busy", path=folder))
        return Startup(state)
    startup = Startup(state, lock if state == HELD else None)
    _HELD.append(startup)
    try:
        if state == HELD:
            existed = _database_path(folder).exists()
            startup.recovery = recover_if_damaged(folder)
            startup.daily_due = existed and startup.recovery is None
            if daily:
                take_daily_backup(startup, workbook)
    except BaseException:
        startup.release()
        raise
    return startup


def take_daily_backup(startup: Startup, workbook: Any) -> None:
    """The day's backup, when :func:`start` found one due (a database that
    was there and whole). The window takes it just after it is shown, before
    anyone can type; a failure becomes the start-up warning."""
    if not startup.daily_due or startup.state != HELD:
        return
    startup.daily_due = False
    if hasattr(workbook, "database"):
        workbook.database  # noqa: B018 - opened (and migrated) before the copy
    try:
        startup.backup = backup_if_due(workbook)
    except StorageError as exc:
        startup.warning = t("backup.failed_at_start", detail=exc)


def release_all() -> None:
    """Let go of every data folder this process took (at exit)."""
    while _HELD:
        _HELD.pop().release()


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
        try:
            taken = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        taken += dt.timedelta(milliseconds=int(match.group(2) or 0))
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
    return target.database if hasattr(target, "database") else _database_path(target)


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
    if _same(out, database) or (out.name.startswith(database.name)
                                and out.resolve().parent == database.resolve().parent):
        raise InputError(t("restore.in_use", path=out))
    store.snapshot(_source(target), out)
    try:
        info = store.verify(out)
    except InputError as exc:
        raise StorageError(str(exc)) from None
    return out, info


# restoring ------------------------------------------------------------------------
def _same(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def _copy_in(source: Path, folder: Path) -> Path:
    """A private copy of ``source`` in ``folder`` (flushed to the disk), so
    that what is checked is exactly what is installed, even from a stick."""
    try:
        if source.stat().st_size > store.MAX_BACKUP_BYTES:
            raise InputError(t("restore.too_big", path=source))
        reader = open(source, "rb")
    except FileNotFoundError:
        raise InputError(t("restore.not_found", path=source)) from None
    except OSError as exc:
        raise InputError(t("restore.unreadable", path=source, detail=store.plain_reason(exc))) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".restore-", suffix=".part", dir=folder)
    except OSError as exc:
        reader.close()
        raise StorageError(t("db.save_failed", path=folder, reason=store.plain_reason(exc))) from None
    tmp = Path(name)
    try:
        with reader, os.fdopen(handle, "wb") as writer:
            while True:
                try:
                    chunk = reader.read(_CHUNK)
                except OSError as exc:
                    raise InputError(t("restore.unreadable", path=source,
                                       detail=store.plain_reason(exc))) from None
                if not chunk:
                    break
                try:
                    writer.write(chunk)
                except OSError as exc:
                    raise StorageError(t("db.save_failed", path=folder, reason=store.plain_reason(exc))) from None
            try:
                writer.flush()
                os.fsync(writer.fileno())
            except OSError as exc:
                raise StorageError(t("db.save_failed", path=folder, reason=store.plain_reason(exc))) from None
    except BaseException:
        _discard(tmp)
        raise
    return tmp


def _discard(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass


def _install(tmp: Path, database: Path) -> None:
    """Put a checked copy in place of the database, atomically. The old
    ``-wal``/``-shm`` go first: a stale WAL must never meet the new file."""
    try:
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, database)
    except OSError as exc:
        raise StorageError(t("db.save_failed", path=database, reason=store.plain_reason(exc))) from None
    store.fsync_folder(database.parent)


def _set_aside(database: Path) -> Path:
    """Rename a damaged database (and its -wal, -shm) out of the way; never delete it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside, number = database.with_name(f"{database.name}.damaged-{stamp}"), 1
    while aside.exists():
        number += 1
        aside = database.with_name(f"{database.name}.damaged-{stamp}-{number}")
    try:
        os.rename(database, aside)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{database}{suffix}")
            if side.exists():
                os.rename(side, Path(f"{aside}{suffix}"))
    except OSError as exc:
        raise StorageError(t("recovery.cannot_set_aside", path=database,
                             detail=store.plain_reason(exc))) from None
    store.fsync_folder(database.parent)
    return aside


def inspect(file: Path) -> store.BackupInfo:
    """Check a backup file (on a private copy) and say what it holds."""
    source = Path(file)
    if source.exists() and not source.is_file():
        raise InputError(t("restore.not_file", path=source))
    with tempfile.TemporaryDirectory(prefix="companion-check-") as scratch:
        tmp = _copy_in(source, Path(scratch))
        return store.verify(tmp, shown_as=source)


def restore(target: Any, file: Path) -> Restored:
    """Replace the person's data with a backup file, after checking it and
    backing up what is there now. A file that fails a check changes nothing."""
    folder, source = _folder(target), Path(file)
    database = paths.database_path(folder)
    if source.exists() and not source.is_file():
        raise InputError(t("restore.not_file", path=source))
    if _same(source, database):
        raise InputError(t("restore.in_use", path=source))
    tmp = _copy_in(source, folder)
    try:
        info = store.verify(tmp, shown_as=source)
        previous = _keep_current(target, database)
        if hasattr(target, "close"):
            target.close()
        _install(tmp, database)
    finally:
        _discard(tmp)
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
    return _set_aside(database)


def recover_if_damaged(target: Any) -> Recovery | None:
    """At start: a damaged database is set aside and the newest backup that
    passes every check takes its place (none: the app starts empty)."""
    folder = _folder(target)
    database = paths.database_path(folder)
    found = store.health(database)
    if found.state != "damaged":
        return None
    damaged = _set_aside(database)
    for candidate in list_backups(folder):
        try:
            tmp = _copy_in(candidate.path, folder)
        except InputError:
            continue
        try:
            store.verify(tmp)
            _install(tmp, database)
        except InputError:
            continue
        finally:
            _discard(tmp)
        return Recovery(found.detail, damaged, candidate)
    return Recovery(found.detail, damaged, None)
