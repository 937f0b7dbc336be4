"""Reading a file that is to replace the person's data (a restore, or a
backup used to recover a damaged database), treated as hostile until proven
otherwise: its header, ``PRAGMA integrity_check`` (with ``trusted_schema``
off), its ``user_version`` and its whole schema, object by object, against
the schema our own migrations build."""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from companion.errors import InputError
from companion.messages import t
from companion.storage.backup import (
    HEADER, MAX_BACKUP_BYTES, BackupInfo, _harden, _is_damage, _one_line, app_for_schema, plain_reason,
)
from companion.storage.migrations import MIGRATIONS, SCHEMA_VERSION

def _normalise(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


STATISTICS = {"sqlite_stat1", "sqlite_stat4"}  # tables ANALYZE may add: SQLite's own, never our code


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    """Every schema object of the file, but SQLite's statistics tables (only
    tables of exactly those names: a trigger or view called so is reported)."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return {(kind, name, table, _normalise(sql)) for kind, name, table, sql in rows
            if not (kind == "table" and name in STATISTICS)}


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


JSON_COLUMNS = {("answers", "value"), ("revision_values", "value"), ("template_snapshots", "labels"),
                ("check_answers", "chosen")}
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
    from companion import jsonfile

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
                            jsonfile.loads(text)
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


# adopting the data --------------------------------------------------------------
# Tables that are derived from the data and built again by the app: the search
# index (queued by its triggers as the rows come in). The kept completions come
# along (only figures a completion can be; each is checked against its
# worksheet's last save and template version when read, as any kept one).
DERIVED = ("search_",)
DERIVED_SETTINGS = ("search.",)


def rebuild(source: Path, folder: Path) -> Path:
    """A new database in ``folder`` (a hidden ``.restore-*.part`` file) made
    with the companion's own schema, into which the rows of ``source`` (a file
    :func:`verify` accepted) are copied column by column. Nothing of the
    file's schema survives: no trigger, view or index of its own, only data.
    The caller puts the result in place or removes it."""
    import os
    import tempfile

    import sqlite_utils

    handle, name = tempfile.mkstemp(prefix=".restore-", suffix=".part", dir=folder)
    os.close(handle)
    target = Path(name)
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")  # rows come in table by table; checked at the end
        source_conn = sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True)
        try:
            _harden(source_conn)
            version = source_conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            source_conn.close()
        for script in MIGRATIONS[:version]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {int(version)}")
        ours = sqlite_utils.Database(conn)
        tables = [name for name in ours.table_names()
                  if not name.startswith(DERIVED) and not name.startswith("sqlite_")]
        conn.execute("ATTACH DATABASE ? AS incoming", (f"file:{Path(source).resolve()}?mode=ro",))
        conn.execute("BEGIN")
        for table in tables:
            columns = ", ".join(f'"{column.name}"' for column in ours[table].columns)
            where = ""
            if table == "settings":
                where = " WHERE " + " AND ".join(f"key NOT LIKE '{prefix}%'" for prefix in DERIVED_SETTINGS)
            elif table == "worksheet_completion":
                where = " WHERE typeof(completion) = 'integer' AND completion BETWEEN 0 AND 100"
            conn.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM incoming."{table}"{where}')
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE incoming")
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise InputError(t("restore.damaged", path=source, detail="foreign keys"))
        conn.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        conn.close()
        target.unlink(missing_ok=True)
        raise
    conn.close()
    with open(target, "rb") as written:
        os.fsync(written.fileno())
    return target
