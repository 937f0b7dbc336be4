"""Check-ins on the activities of an action plan, after the course.

Append-only: a check-in is never changed, so the history of a plan is what
the participant recorded, in order.
"""
from __future__ import annotations

from companion.storage.db import Database, now
from companion.worksheets.followup import Checkin


_COLUMNS = "id, worksheet_id, activity_row, activity, status, comment, checked_on, created_at"


class CheckinStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn = database.conn

    def add(self, worksheet_id: int, activity_row: int, activity: str, status: str, comment: str,
            checked_on: str) -> Checkin:
        with self.database.transaction():
            cursor = self.conn.execute(
                "INSERT INTO checkins (worksheet_id, activity_row, activity, status, comment, checked_on, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (worksheet_id, activity_row, activity, status, comment, checked_on, now()))
        return self.get(cursor.lastrowid)

    def get(self, checkin_id: int) -> Checkin:
        return Checkin(*self.conn.execute(f"SELECT {_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,)).fetchone())

    def of(self, worksheet_id: int) -> list[Checkin]:
        """A worksheet's check-ins, oldest first (by the date they are about, then as recorded)."""
        rows = self.conn.execute(f"SELECT {_COLUMNS} FROM checkins WHERE worksheet_id = ?"
                                 " ORDER BY checked_on, id", (worksheet_id,))
        return [Checkin(*row) for row in rows]

