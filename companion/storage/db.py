"""Opening the database: pragmas, schema migrations and the newer-version guard.

Durability: WAL journal with ``synchronous=FULL``. Every save the app reports
as done has been written to the WAL and flushed to the disk, so a power cut
loses nothing acknowledged; ``NORMAL`` would be faster but can lose the last
commits on power loss, which the person would never know about.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from companion import __version__
from companion.errors import CompanionError, StorageError
from companion.messages import t
from companion.storage import backup
from companion.storage.migrations import MIGRATIONS, SCHEMA_VERSION


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def storage_error(exc: BaseException, path: Path | None = None) -> StorageError | None:
    """A disk or database failure as a StorageError in plain words (None for other errors)."""
    if isinstance(exc, CompanionError) or not isinstance(exc, (sqlite3.Error, OSError)):
        return None
    reason = backup.plain_reason(exc, path)
    return StorageError(t("db.save_failed", path=path, reason=reason) if path else t("db.failed", reason=reason))


@contextmanager
def guard(path: Path | None = None) -> Iterator[None]:
    """Turn a disk or database failure (a full disk, a read-only folder, a
    stick pulled out) into a StorageError that says so in plain words."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise storage_error(exc, path) from None


class Database:
    """One SQLite connection with the app's pragmas, migrated on open."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(t("db.cannot_create", path=self.path.parent, detail=exc.strerror or exc)) from None
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._refuse_newer()
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StorageError(t("db.cannot_open", path=self.path,
                                 detail=backup.plain_reason(exc, self.path))) from None

    def _configure(self) -> None:
        self.conn.execute("PRAGMA busy_timeout = 5000")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _refuse_newer(self) -> None:
        """Leave a newer app's database exactly as it is (read before any pragma writes)."""
        found = self.schema_version()
        if found > SCHEMA_VERSION:
            app = backup.app_for_schema(self.conn, found)  # a SELECT: nothing is written
            self.conn.close()
            if app:
                raise StorageError(t("db.newer_app", app=app, found=found, version=__version__))
            raise StorageError(t("db.newer", found=found, known=SCHEMA_VERSION))

    def _migrate(self) -> None:
        found = self.schema_version()
        if found < SCHEMA_VERSION and found > 0:
            self._copy_before_migration(found)
        app = __version__.replace("'", "''")
        for number in range(found + 1, SCHEMA_VERSION + 1):
            script = MIGRATIONS[number - 1]
            # the app version that made each data version, named when an
            # older app refuses this database (see _refuse_newer)
            self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\n"
                f"INSERT INTO settings (key, value) VALUES ('schema_{number}_app', '{app}')"
                f" ON CONFLICT (key) DO UPDATE SET value = excluded.value;\nCOMMIT;"
            )
        if found < SCHEMA_VERSION:
            self.set_setting("written_by", __version__)

    def _copy_before_migration(self, version: int) -> None:
        folder = self.path.parent / "backups"
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise StorageError(t("backup.cannot_write", path=folder, detail=backup.plain_reason(exc))) from None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup.snapshot(self.conn, folder / f"before-migration-v{version}-{stamp}.sqlite3")

    def transaction(self) -> "Transaction":
        """``with database.transaction():`` one write, all or nothing."""
        return Transaction(self.conn, self.path)

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT as a with-block, rolled back on any error
    (every store writes through it: see Database.transaction). A disk or
    database failure comes out as a StorageError in plain words, and the
    connection is left out of any transaction, ready for the next try.

    Opened inside another transaction it joins it: its writes are committed
    or rolled back with the outer one (a save keeps its completion and its
    search row in the transaction of its answers, with one sync of the disk)."""

    def __init__(self, conn, path=None) -> None:
        self.conn = conn
        self.path = path
        self.joined = False

    def __enter__(self) -> None:
        self.joined = self.conn.in_transaction
        if self.joined:
            return
        with guard(self.path):
            self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, trace) -> None:
        if self.joined:  # the outer transaction commits or rolls back
            return
        if kind is None:
            try:
                with guard(self.path):
                    self.conn.execute("COMMIT")
                return
            except BaseException:
                self._rollback()
                raise
        self._rollback()
        converted = storage_error(value, self.path)
        if converted is not None:
            raise converted from None

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # a failed commit may have rolled back already
