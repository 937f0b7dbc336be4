"""The participant's worksheets and their answers."""
from __future__ import annotations

import json
import uuid
from typing import Any

from companion.storage.db import Database, now
from companion.worksheets.model import DRAFT, Worksheet

_COLUMNS = "id, uid, template_id, template_version, title, status, created_at, updated_at"


def _row(row: tuple) -> Worksheet:
    return Worksheet(*row)


class WorksheetStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn = database.conn

    def create(self, template_id: str, template_version: int, title: str,
               answers: dict[str, Any] | None = None) -> int:
        stamp = now()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = self.conn.execute(
                "INSERT INTO worksheets (uid, template_id, template_version, title, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, template_id, template_version, title, DRAFT, stamp, stamp),
            )
            worksheet_id = cursor.lastrowid
            self._write_answers(worksheet_id, answers or {}, stamp)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return worksheet_id

    def _write_answers(self, worksheet_id: int, answers: dict[str, Any], stamp: str) -> None:
        self.conn.executemany(
            "INSERT INTO answers (worksheet_id, field_id, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (worksheet_id, field_id) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            [(worksheet_id, key, json.dumps(value, ensure_ascii=False), stamp) for key, value in answers.items()],
        )

    def save_answers(self, worksheet_id: int, answers: dict[str, Any]) -> str:
        """Store changed answers in one transaction; returns the time stored."""
        stamp = now()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._write_answers(worksheet_id, answers, stamp)
            self.conn.execute("UPDATE worksheets SET updated_at = ? WHERE id = ?", (stamp, worksheet_id))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return stamp

    def get(self, worksheet_id: int, with_answers: bool = True) -> Worksheet | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM worksheets WHERE id = ? AND deleted_at IS NULL", (worksheet_id,)
        ).fetchone()
        if row is None:
            return None
        worksheet = _row(row)
        if with_answers:
            worksheet.answers = self.answers(worksheet_id)
        return worksheet

    def answers(self, worksheet_id: int) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT field_id, value FROM answers WHERE worksheet_id = ?", (worksheet_id,)
        )
        return {field_id: json.loads(value) for field_id, value in rows}

    def list(self, template_id: str | None = None) -> list[Worksheet]:
        sql = f"SELECT {_COLUMNS} FROM worksheets WHERE deleted_at IS NULL"
        params: tuple = ()
        if template_id:
            sql += " AND template_id = ?"
            params = (template_id,)
        rows = self.conn.execute(sql + " ORDER BY updated_at DESC, id DESC", params)
        return [_row(r) for r in rows]

    def all_answers(self) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        rows = self.conn.execute(
            "SELECT a.worksheet_id, a.field_id, a.value FROM answers a"
            " JOIN worksheets w ON w.id = a.worksheet_id WHERE w.deleted_at IS NULL"
        )
        for worksheet_id, field_id, value in rows:
            found.setdefault(worksheet_id, {})[field_id] = json.loads(value)
        return found
