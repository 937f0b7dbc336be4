"""What was imported from share files, so that importing twice creates nothing new."""
from __future__ import annotations

from companion.storage.db import Database, now


class ImportStore:
    def __init__(self, database: Database) -> None:
        self.conn = database.conn

    def find(self, content_hash: str) -> int | None:
        """The live worksheet made from this content before, if any."""
        row = self.conn.execute(
            "SELECT i.worksheet_id FROM imports i JOIN worksheets w ON w.id = i.worksheet_id"
            " WHERE i.content_hash = ? AND w.deleted_at IS NULL ORDER BY i.id DESC LIMIT 1", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def record(self, worksheet_id: int, source_uid: str, content_hash: str, file_name: str) -> None:
        self.conn.execute(
            "INSERT INTO imports (worksheet_id, source_uid, content_hash, file_name, imported_at)"
            " VALUES (?, ?, ?, ?, ?)", (worksheet_id, source_uid, content_hash, file_name, now()))

    def latest_revision(self, worksheet_id: int) -> int:
        row = self.conn.execute("SELECT max(id) FROM revisions WHERE worksheet_id = ?", (worksheet_id,)).fetchone()
        return row[0] or 0
