"""Personal notes: one note per topic (or other target), kept as typed."""
from __future__ import annotations

from typing import NamedTuple

from companion.storage.db import Database, now


class NoteRow(NamedTuple):
    id: int
    target_kind: str
    target_id: str
    body: str
    created_at: str
    updated_at: str


_COLUMNS = "id, target_kind, target_id, body, created_at, updated_at"


class NoteStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn = database.conn

    def get(self, target_kind: str, target_id: str) -> NoteRow | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM notes WHERE target_kind = ? AND target_id = ?",
                                (target_kind, target_id)).fetchone()
        return NoteRow(*row) if row else None

    def by_id(self, note_id: int) -> NoteRow | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM notes WHERE id = ?", (note_id,)).fetchone()
        return NoteRow(*row) if row else None

    def save(self, target_kind: str, target_id: str, body: str) -> str:
        """Store the note (an empty body removes it); returns the time saved."""
        stamp = now()
        with self.database.transaction():
            if body.strip():
                self.conn.execute(
                    "INSERT INTO notes (target_kind, target_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (target_kind, target_id) DO UPDATE SET body = excluded.body,"
                    " updated_at = excluded.updated_at", (target_kind, target_id, body, stamp, stamp))
            else:
                self.conn.execute("DELETE FROM notes WHERE target_kind = ? AND target_id = ?",
                                  (target_kind, target_id))
        return stamp

    def all(self) -> list[NoteRow]:
        """Every note, the most recently changed first."""
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM notes ORDER BY updated_at DESC, id DESC")
        return [NoteRow(*row) for row in rows]
