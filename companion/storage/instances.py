"""The participant's worksheets, their answers and every revision of them.

``answers`` holds each worksheet's current answers; ``revisions`` with
``revision_values`` is an append-only log of what each save changed. The
answers at any revision are the last value of each field up to it, so a
revision costs only the fields it touched.
"""
from __future__ import annotations

import json
from typing import Any, Callable, NamedTuple

from companion.storage.db import Database, Transaction, now
from companion.worksheets.model import DRAFT, Worksheet

_COLUMNS = "id, uid, template_id, template_version, title, status, created_at, updated_at"


class Revision(NamedTuple):
    id: int
    created_at: str
    kind: str
    fields: tuple[str, ...]
    restored_from: int | None = None


def _row(row: tuple) -> Worksheet:
    return Worksheet(*row)


def _new_uid() -> str:
    """A random UUID4 as 32 hex digits; the uuid module is imported only here
    (it pulls in platform, which costs at start-up)."""
    import uuid

    return uuid.uuid4().hex


class WorksheetStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn = database.conn

    # transactions ------------------------------------------------------
    def _transaction(self) -> Transaction:
        return self.database.transaction()

    # worksheets ----------------------------------------------------------
    def create(self, template_id: str, template_version: int, title: str,
               answers: dict[str, Any] | None = None, kind: str = "create",
               then: Callable[[int], None] | None = None) -> int:
        """A new worksheet with its answers and first revision; ``then(id)``
        runs in the same transaction (an import records its source there, so
        a crash never leaves the worksheet without the record)."""
        stamp = now()
        with self._transaction():
            cursor = self.conn.execute(
                "INSERT INTO worksheets (uid, template_id, template_version, title, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_new_uid(), template_id, template_version, title, DRAFT, stamp, stamp),
            )
            worksheet_id = cursor.lastrowid
            self._write(worksheet_id, answers or {}, stamp, kind)
            if then is not None:
                then(worksheet_id)
        return worksheet_id

    def _write(self, worksheet_id: int, answers: dict[str, Any], stamp: str, kind: str,
               restored_from: int | None = None) -> int:
        encoded = [(key, json.dumps(value, ensure_ascii=False)) for key, value in answers.items()]
        self.conn.executemany(
            "INSERT INTO answers (worksheet_id, field_id, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (worksheet_id, field_id) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            [(worksheet_id, key, value, stamp) for key, value in encoded],
        )
        revision = self.conn.execute(
            "INSERT INTO revisions (worksheet_id, created_at, kind, restored_from) VALUES (?, ?, ?, ?)",
            (worksheet_id, stamp, kind, restored_from),
        ).lastrowid
        self.conn.executemany(
            "INSERT INTO revision_values (revision_id, field_id, value) VALUES (?, ?, ?)",
            [(revision, key, value) for key, value in encoded],
        )
        return revision

    def save_answers(self, worksheet_id: int, answers: dict[str, Any], kind: str = "edit",
                     restored_from: int | None = None, then: Callable[[str], None] | None = None) -> str:
        """Store changed answers and their revision in one transaction; returns the
        time. ``then(time)`` runs in the same transaction (what is derived from the
        answers is kept with them, all or nothing)."""
        stamp = now()
        with self._transaction():
            self._write(worksheet_id, answers, stamp, kind, restored_from)
            self.conn.execute("UPDATE worksheets SET updated_at = ? WHERE id = ?", (stamp, worksheet_id))
            if then is not None:
                then(stamp)
        return stamp

    def get(self, worksheet_id: int, with_answers: bool = True, deleted: bool = False) -> Worksheet | None:
        where = "deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM worksheets WHERE id = ? AND {where}", (worksheet_id,)
        ).fetchone()
        if row is None:
            return None
        worksheet = _row(row)
        if with_answers:
            worksheet.answers = self.answers(worksheet_id)
        return worksheet

    def answers(self, worksheet_id: int, kept: dict[str, tuple[str, Any]] | None = None) -> dict[str, Any]:
        """A worksheet's answers by field id.

        ``kept`` (field id: (the answer as stored, its value)) is what an
        earlier read gave: an answer stored as the same text is taken from it
        rather than decoded again (a save reads the whole worksheet, a 100-row
        table with it, to change one field), and it is brought up to date with
        this read. Its values are the ones returned: not to be changed in place."""
        rows = self.conn.execute(
            "SELECT field_id, value FROM answers WHERE worksheet_id = ?", (worksheet_id,)
        )
        if kept is None:
            return {field_id: json.loads(value) for field_id, value in rows}
        read = {}
        for field_id, value in rows:
            found = kept.get(field_id)
            read[field_id] = found if found is not None and found[0] == value else (value, json.loads(value))
        kept.clear()
        kept.update(read)
        return {field_id: value for field_id, (_, value) in read.items()}

    def list(self, template_id: str | None = None, deleted: bool = False) -> list[Worksheet]:
        where = f"deleted_at IS {'NOT ' if deleted else ''}NULL"
        if template_id:
            return self._listed(f"{where} AND template_id = ?", (template_id,))
        return self._listed(where, ())

    def of_templates(self, template_ids: list[str], limit: int | None = None) -> list[Worksheet]:
        """The live worksheets of these templates, most recently changed first (the first ``limit``)."""
        if not template_ids:
            return []
        marks = ", ".join("?" * len(template_ids))
        return self._listed(f"deleted_at IS NULL AND template_id IN ({marks})", tuple(template_ids), limit)

    def _listed(self, where: str, params: tuple, limit: int | None = None) -> list[Worksheet]:
        """The worksheets ``where`` selects, most recently changed first (the first ``limit``)."""
        sql = f"SELECT {_COLUMNS} FROM worksheets WHERE {where} ORDER BY updated_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return [_row(r) for r in self.conn.execute(sql, params)]

    def set_title(self, worksheet_id: int, title: str) -> None:
        with self._transaction():
            self.conn.execute("UPDATE worksheets SET title = ?, updated_at = ? WHERE id = ?",
                              (title, now(), worksheet_id))

    def set_status(self, worksheet_id: int, status: str, stamp: str | None = None) -> None:
        with self._transaction():
            self.conn.execute("UPDATE worksheets SET status = ?, updated_at = ? WHERE id = ?",
                              (status, stamp or now(), worksheet_id))

    def set_deleted(self, worksheet_id: int, deleted: bool) -> None:
        with self._transaction():
            self.conn.execute("UPDATE worksheets SET deleted_at = ? WHERE id = ?",
                              (now() if deleted else None, worksheet_id))

    # revisions -------------------------------------------------------------
    def history(self, worksheet_id: int) -> list[Revision]:
        rows = self.conn.execute(
            "SELECT r.id, r.created_at, r.kind, r.restored_from, group_concat(v.field_id, char(31))"
            " FROM revisions r LEFT JOIN revision_values v ON v.revision_id = r.id"
            " WHERE r.worksheet_id = ? GROUP BY r.id ORDER BY r.id DESC", (worksheet_id,)
        )
        return [Revision(rid, stamp, kind, tuple(fields.split("\x1f")) if fields else (), restored)
                for rid, stamp, kind, restored, fields in rows]

    def revision_values(self, worksheet_id: int) -> dict[int, dict[str, Any]]:
        """What each revision of the worksheet stored, by revision id (one read for the whole history)."""
        rows = self.conn.execute(
            "SELECT v.revision_id, v.field_id, v.value FROM revision_values v JOIN revisions r ON r.id = v.revision_id"
            " WHERE r.worksheet_id = ? ORDER BY v.revision_id", (worksheet_id,)
        )
        stored: dict[int, dict[str, Any]] = {}
        for revision_id, field_id, value in rows:
            stored.setdefault(revision_id, {})[field_id] = json.loads(value)
        return stored

    def answers_at(self, worksheet_id: int, revision_id: int) -> dict[str, Any] | None:
        """The worksheet's answers as they were after ``revision_id`` (None if no such revision)."""
        known = self.conn.execute("SELECT 1 FROM revisions WHERE id = ? AND worksheet_id = ?",
                                  (revision_id, worksheet_id)).fetchone()
        if known is None:
            return None
        rows = self.conn.execute(
            "SELECT v.field_id, v.value FROM revision_values v JOIN revisions r ON r.id = v.revision_id"
            " WHERE r.worksheet_id = ? AND r.id <= ? ORDER BY r.id", (worksheet_id, revision_id)
        )
        state: dict[str, Any] = {}
        for field_id, value in rows:
            state[field_id] = json.loads(value)
        return state

    # template versions -------------------------------------------------------
    def remember_template(self, template_id: str, version: int, labels: dict[str, str]) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO template_snapshots (template_id, version, labels) VALUES (?, ?, ?)",
            (template_id, version, json.dumps(labels, ensure_ascii=False)),
        )

    def template_labels(self, template_id: str) -> dict[str, str]:
        """Field labels from every version of a template seen here, newest last."""
        labels: dict[str, str] = {}
        rows = self.conn.execute(
            "SELECT labels FROM template_snapshots WHERE template_id = ? ORDER BY version", (template_id,)
        )
        for (encoded,) in rows:
            labels.update(json.loads(encoded))
        return labels
