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

import os
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from companion.errors import InputError, StorageError
from companion.messages import t
from companion.storage.migrations import MIGRATIONS, SCHEMA_VERSION

HEADER = b"SQLite format 3\x00"
MAX_BACKUP_BYTES = 2 * 1024 ** 3
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


@dataclass(frozen=True)
class Health:
    """What a look at a database file found: ``ok``, ``missing``, ``newer``,
    ``damaged`` (set it aside) or ``unreadable`` (a disk or permission problem:
    leave it alone)."""

    state: str
    detail: str = ""
    version: int = 0


@dataclass(frozen=True)
class BackupInfo:
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


def _read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    conn.text_factory = _lenient
    return conn


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    if os.name == "nt":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


# health -----------------------------------------------------------------------
def health(path: Path) -> Health:
    """A quick look at the database file before the app opens it."""
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
            rows = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
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
            conn = own = sqlite3.connect(Path(source))
        tmp.unlink(missing_ok=True)
        target = sqlite3.connect(tmp)
        try:
            conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            result = target.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            target.close()
        if result != "ok":
            raise StorageError(t("backup.source_damaged", detail=result))
        _fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_folder(dest.parent)
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


# reading a backup ----------------------------------------------------------------
def _normalise(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return {(kind, name, table, _normalise(sql)) for kind, name, table, sql in rows
            if not name.startswith("sqlite_stat")}


@lru_cache(maxsize=None)
def expected_schema(version: int) -> frozenset:
    """Every schema object our migrations make up to ``version``."""
    conn = sqlite3.connect(":memory:")
    try:
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        return frozenset(_schema(conn))
    finally:
        conn.close()


JSON_COLUMNS = {("answers", "value"), ("revision_values", "value"), ("template_snapshots", "labels")}
_AFFINITY = {"TEXT": ("text", "null"), "INTEGER": ("integer", "null"), "REAL": ("real", "integer", "null")}


def _tables(version: int) -> list[str]:
    """Our tables with rows a person's data lives in (not the FTS index's own)."""
    schema = expected_schema(version)
    virtual = [name for kind, name, _, sql in schema if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
    return sorted(name for kind, name, _, _ in schema if kind == "table" and not name.startswith("sqlite_")
                  and not any(name.startswith(v + "_") for v in virtual))


def _bad_value(conn: sqlite3.Connection, version: int) -> str | None:
    """The first value the app could not read: text that is not UTF-8, JSON
    that does not parse, a value of the wrong type; None when all are fine."""
    import json

    layout = {table: [(row[1], (row[2] or "").upper()) for row in conn.execute(f'PRAGMA table_info("{table}")')]
              for table in _tables(version)}
    factory, conn.text_factory = conn.text_factory, bytes  # undecoded, to find text that is not UTF-8
    try:
        for table, columns in layout.items():
            if not columns:
                continue
            picked = ", ".join(f'typeof("{c}"), "{c}"' for c, _ in columns)
            for row in conn.execute(f'SELECT {picked} FROM "{table}"'):
                for (column, declared), kind, value in zip(columns, row[0::2], row[1::2]):
                    kind = kind.decode()
                    if declared in _AFFINITY and kind not in _AFFINITY[declared]:
                        return f"{table}.{column}: {kind}"
                    if kind != "text":
                        continue
                    try:
                        text = value.decode("utf-8")
                        if (table, column) in JSON_COLUMNS:
                            json.loads(text)
                    except (ValueError, RecursionError):
                        return f"{table}.{column}"
    finally:
        conn.text_factory = factory
    return None


def verify(path: Path, shown_as: Path | str | None = None) -> BackupInfo:
    """Check that ``path`` is a whole, readable companion database; raise
    InputError with one plain sentence when it is not."""
    path = Path(path)
    name = shown_as if shown_as is not None else path
    try:
        size = path.stat().st_size
        with open(path, "rb") as stream:
            head = stream.read(100)
    except OSError as exc:
        raise InputError(t("restore.unreadable", path=name, detail=plain_reason(exc))) from None
    if size > MAX_BACKUP_BYTES:
        raise InputError(t("restore.too_big", path=name))
    if len(head) < 100 or head[:16] != HEADER:
        raise InputError(t("restore.not_sqlite", path=name))
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise InputError(t("restore.unreadable", path=name, detail=plain_reason(exc))) from None
    try:
        _harden(conn)
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(3)")]
        if problems != ["ok"]:
            raise InputError(t("restore.damaged", path=name, detail=_one_line("; ".join(map(str, problems)))))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            app = app_for_schema(conn, version)
            raise InputError(t("restore.newer_app", path=name, app=app) if app else
                             t("restore.newer", path=name, found=version, known=SCHEMA_VERSION))
        if version < 1 or _schema(conn) != expected_schema(version):
            raise InputError(t("restore.not_ours", path=name))
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise InputError(t("restore.damaged", path=name, detail="foreign keys"))
        problem = _bad_value(conn, version)
        if problem:
            raise InputError(t("restore.damaged", path=name, detail=problem))
        count, last = conn.execute("SELECT count(*), max(updated_at) FROM worksheets").fetchone()
        row = conn.execute("SELECT value FROM settings WHERE key = 'written_by'").fetchone()
        return BackupInfo(version, count, last or "", row[0] if row else "")
    except sqlite3.Error as exc:
        if _is_damage(exc):
            raise InputError(t("restore.damaged", path=name, detail=_one_line(exc))) from None
        raise InputError(t("restore.unreadable", path=name, detail=plain_reason(exc))) from None
    except (ValueError, RecursionError) as exc:  # whatever else a crafted file can provoke
        raise InputError(t("restore.damaged", path=name, detail=_one_line(exc))) from None
    finally:
        conn.close()
