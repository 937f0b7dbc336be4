"""Copies of the database: taking them, checking a file's health, reading a backup.

Copies are taken with SQLite's online backup API, which reads one consistent
snapshot even while the app is writing, and are written to a temporary name,
checked, flushed to the disk and only then renamed into place: a backup file
that exists under its real name is always whole.

A file that is to replace the person's data (a restore, or a backup used to
recover a damaged database) is treated as hostile until proven otherwise:
its header, ``PRAGMA integrity_check`` (with ``trusted_schema`` off), its
``user_version`` and its whole schema, object by object, against the schema
our own migrations build. Extra triggers or views are refused as well as
missing tables, so a crafted file cannot slip behaviour into the database.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from companion.errors import InputError, StorageError
from companion.files import sync_folder
from companion.messages import t
from companion.storage import packed
from companion.storage.migrations import SCHEMA_VERSION

_CHUNK = 1024 * 1024
HEADER = b"SQLite format 3\x00"
MAX_BACKUP_BYTES = 2 * 1024 ** 3
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class Health(NamedTuple):
    """What a look at a database file found: ``ok``, ``missing``, ``newer``,
    ``damaged`` (set it aside) or ``unreadable`` (a disk or permission problem:
    leave it alone)."""

    state: str
    detail: str = ""
    version: int = 0


class BackupInfo(NamedTuple):
    """What a checked backup holds, to show before restoring it."""

    version: int
    worksheets: int
    last_change: str
    written_by: str


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _is_damage(exc: BaseException) -> bool:
    return getattr(exc, "sqlite_errorname", "") in _DAMAGE or (
        type(exc) is sqlite3.DatabaseError and "malformed" in str(exc))


def _lenient(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _harden(conn: sqlite3.Connection) -> None:
    """Pragmas for reading a file we did not write ourselves."""
    conn.text_factory = _lenient  # bad bytes in a name or a message must not stop the check
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA mmap_size = 0")


def _passing(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA cache_size = -256")  # reads every page once: SQLite's 2 MiB gained nothing but memory
    return conn


def _read_only(path: Path) -> sqlite3.Connection:
    conn = _passing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True))
    conn.text_factory = _lenient
    return conn


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


# health -----------------------------------------------------------------------
def health(path: Path, pages: bool = True) -> Health:
    """A quick look at the database file before the app opens it; every page
    read (``PRAGMA quick_check``) only with ``pages`` (else its start and schema)."""
    path = Path(path)
    try:
        with open(path, "rb") as stream:
            head = stream.read(100)
    except FileNotFoundError:
        return Health("missing")
    except OSError as exc:
        return Health("unreadable", exc.strerror or str(exc))
    if not head:
        return Health("damaged", t("health.empty"))
    if head[:16] != HEADER:
        return Health("damaged", t("health.not_database"))
    sides = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    before = [side.exists() for side in sides]
    try:
        conn = _read_only(path)  # a damaged file and its -wal stay exactly as found
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                return Health("newer", version=version)
            if pages:
                rows = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            else:
                rows = ["ok"] if conn.execute("SELECT count(*) FROM sqlite_master").fetchone() else []
        finally:
            conn.close()
            _tidy(sides, before)
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return Health("damaged", _one_line(exc))
        return Health("unreadable", _one_line(exc))
    if rows != ["ok"]:
        return Health("damaged", _one_line("; ".join(rows[:3])))
    return Health("ok", version=version)


def _tidy(sides: list[Path], before: list[bool]) -> None:
    """Remove an empty -wal (and its -shm) that only our read-only look made."""
    wal, shm = sides
    try:
        if not before[0] and not before[1] and wal.exists() and wal.stat().st_size == 0:
            wal.unlink()
            shm.unlink(missing_ok=True)
    except OSError:
        pass


def app_for_schema(source: Path | sqlite3.Connection, version: int) -> str | None:
    """The app version that wrote data version ``version`` (only read, never written)."""
    own = None
    try:
        conn = source if isinstance(source, sqlite3.Connection) else (own := _read_only(source))
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (f"schema_{version}_app",)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        if own is not None:
            own.close()
    return str(row[0]) if row else None


# taking copies ------------------------------------------------------------------
def snapshot(source: Any, dest: Path) -> Path:
    """Copy a database (an open :class:`Database`, a connection or a path) to
    ``dest`` as one self-contained, checked file, atomically."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.part")
    own = None
    conn = getattr(source, "conn", source)
    try:
        if not isinstance(conn, sqlite3.Connection):
            conn = own = _passing(sqlite3.connect(Path(source)))
        tmp.unlink(missing_ok=True)
        target = _passing(sqlite3.connect(tmp, isolation_level=None))
        try:
            conn.backup(target)
            _leave_out_what_is_derived(target)
            target.execute("PRAGMA journal_mode = DELETE")
            result = target.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            target.close()
        if result != "ok":
            raise StorageError(t("backup.source_damaged", detail=result))
        _fsync_file(tmp)
        os.replace(tmp, dest)
        sync_folder(dest.parent)
    except (sqlite3.Error, OSError) as exc:
        _discard(tmp)
        if _is_damage(exc):
            raise StorageError(t("backup.source_damaged", detail=exc)) from None
        raise StorageError(t("backup.cannot_write", path=dest, detail=plain_reason(exc))) from None
    except BaseException:
        _discard(tmp)
        raise
    finally:
        if own is not None:
            own.close()
    return dest


# Built again from the data by the app (the search index): a backup leaves them out,
# which makes it a fraction of the database's size. The kept completions stay (a few
# bytes a worksheet): a restored workbook's Home has them without working them out.
DERIVED_TABLES = ("search_content", "search_worksheets", "search_notes", "search_pending")


def _leave_out_what_is_derived(copy: sqlite3.Connection) -> None:
    """Empty the derived tables of a fresh copy and give their space back.
    After a restore the index is built again: the content from the pack, and
    every worksheet and note queued again by the rebuild's triggers."""
    present = dict(copy.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    found = [name for name in DERIVED_TABLES if name in present]
    if not found:
        return
    copy.execute("BEGIN")
    for name in found:
        if present[name].upper().startswith("CREATE VIRTUAL TABLE"):  # emptied with its index pages
            copy.execute(f'DROP TABLE "{name}"')
            copy.execute(present[name])
        else:
            copy.execute(f'DELETE FROM "{name}"')
    copy.execute("DELETE FROM settings WHERE key LIKE 'search.%'")
    copy.execute("COMMIT")
    copy.execute("VACUUM")


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _read_only_folder(path: Path | None) -> bool:
    if path is None:
        return False
    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    return folder.is_dir() and not os.access(folder, os.W_OK)


def plain_reason(exc: BaseException, path: Path | None = None) -> str:
    """An OS or SQLite error in words a participant understands (``path``:
    the file or folder involved, to recognise a read-only one)."""
    import errno

    name = getattr(exc, "sqlite_errorname", "")
    code = getattr(exc, "errno", None)
    if name not in _DAMAGE and _read_only_folder(path):
        return t("reason.read_only")
    if name.startswith("SQLITE_FULL") or code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return t("reason.full")
    if name.startswith("SQLITE_READONLY") or code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return t("reason.read_only")
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or code in (errno.EIO, errno.ENOENT, errno.ENODEV,
                                                                         errno.ENXIO):
        return t("reason.io")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return t("reason.busy")
    if name in _DAMAGE:
        return t("reason.damaged")
    return getattr(exc, "strerror", None) or str(exc)


# putting a copy in place -----------------------------------------------------------
def same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def copy_in(source: Path, folder: Path) -> Path:
    """A private copy of ``source`` in ``folder`` (flushed to the disk), so
    that what is checked is exactly what is installed, even from a stick."""
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise InputError(t("restore.not_file", path=source))
        if info.st_size > MAX_BACKUP_BYTES:
            os.close(fd)
            raise InputError(t("restore.too_big", path=source))
        reader = os.fdopen(fd, "rb")
    except FileNotFoundError:
        raise InputError(t("restore.not_found", path=source)) from None
    except OSError as exc:
        raise InputError(t("restore.unreadable", path=source, detail=plain_reason(exc))) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".restore-", suffix=".part", dir=folder)
    except OSError as exc:
        reader.close()
        raise StorageError(t("db.save_failed", path=folder, reason=plain_reason(exc))) from None
    tmp = Path(name)
    unpacker = None
    try:
        with reader, os.fdopen(handle, "wb") as writer:
            while True:
                try:
                    chunk = reader.read(_CHUNK)
                except OSError as exc:
                    raise InputError(t("restore.unreadable", path=source,
                                       detail=plain_reason(exc))) from None
                if not chunk:
                    break
                if unpacker is None and reader.tell() == len(chunk) and packed.is_packed(chunk):
                    unpacker = packed.Unpacker(MAX_BACKUP_BYTES)
                chunk = _unpacked(unpacker, chunk, source)
                try:
                    writer.write(chunk)
                except OSError as exc:
                    raise StorageError(t("db.save_failed", path=folder, reason=plain_reason(exc))) from None
            _unpacked(unpacker, None, source)
            try:
                writer.flush()
                os.fsync(writer.fileno())
            except OSError as exc:
                raise StorageError(t("db.save_failed", path=folder, reason=plain_reason(exc))) from None
    except BaseException:
        discard_database(tmp)
        raise
    return tmp


def _unpacked(unpacker, chunk: bytes | None, source: Path) -> bytes:
    """A chunk of a packed backup unpacked (``None``: check that it ended); as read when not packed."""
    if unpacker is None:
        return chunk or b""
    try:
        if chunk is None:
            unpacker.finish()
            return b""
        return unpacker.feed(chunk)
    except OverflowError:
        raise InputError(t("restore.too_big", path=source)) from None
    except ValueError as exc:
        raise InputError(t("restore.damaged", path=source, detail=exc)) from None


def discard_database(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass


def install(tmp: Path, database: Path) -> None:
    """Put a checked copy in place of the database, atomically. The old
    ``-wal``/``-shm`` go first: a stale WAL must never meet the new file."""
    try:
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, database)
    except OSError as exc:
        raise StorageError(t("db.save_failed", path=database, reason=plain_reason(exc))) from None
    sync_folder(database.parent)


def set_aside(database: Path) -> Path:
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
                             detail=plain_reason(exc))) from None
    sync_folder(database.parent)
    return aside


def readable_copy(database: Path) -> Path:
    """A private, writable copy of a database in a folder that cannot be
    written (a locked stick), in a new temporary folder the caller removes:
    reading, searching and exporting work on it; nothing goes back."""
    folder = Path(tempfile.mkdtemp(prefix="companion-read-only-"))
    copy = folder / Path(database).name
    if Path(database).exists():
        try:
            source = sqlite3.connect(f"file:{Path(database).resolve()}?mode=ro&immutable=1", uri=True)
            try:
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise StorageError(t("db.cannot_open", path=database, detail=plain_reason(exc))) from None
    return copy
