"""How far the participant has come: topics read, bookmarks, answers to the
knowledge checks, and a cache of each worksheet's completion (kept so the home view need not load every
answer of every worksheet to draw its progress bars)."""
from __future__ import annotations

import json
from typing import Iterable, NamedTuple

from companion.storage.db import Database, now


class CompletionRow(NamedTuple):
    worksheet_id: int
    template_id: str
    title: str
    status: str
    updated_at: str
    completion: int | None  # None: not known for this content and this version of the answers


class ProgressStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn = database.conn

    # topics read --------------------------------------------------------------
    def mark_read(self, topic_id: str, how: str) -> None:
        self.conn.execute(
            "INSERT INTO topics_read (topic_id, read_at, how) VALUES (?, ?, ?)"
            " ON CONFLICT (topic_id) DO NOTHING", (topic_id, now(), how))

    def mark_unread(self, topic_id: str) -> None:
        self.conn.execute("DELETE FROM topics_read WHERE topic_id = ?", (topic_id,))

    def read_topics(self) -> dict[str, str]:
        """Topic id to the time it was read."""
        return dict(self.conn.execute("SELECT topic_id, read_at FROM topics_read"))

    # bookmarks -------------------------------------------------------------------
    def set_bookmark(self, topic_id: str, on: bool) -> None:
        if on:
            self.conn.execute("INSERT OR IGNORE INTO bookmarks (topic_id, created_at) VALUES (?, ?)",
                              (topic_id, now()))
        else:
            self.conn.execute("DELETE FROM bookmarks WHERE topic_id = ?", (topic_id,))

    def bookmarks(self) -> list[tuple[str, str]]:
        """(topic id, time bookmarked), newest first."""
        return self.conn.execute(
            "SELECT topic_id, created_at FROM bookmarks ORDER BY created_at DESC").fetchall()

    # knowledge checks ---------------------------------------------------------------
    def answer(self, topic_id: str, question_id: str, chosen: list[str], right: bool) -> str:
        """Keep the latest answer to a question (an answer again replaces it); returns the time."""
        stamp = now()
        self.conn.execute(
            "INSERT INTO check_answers (topic_id, question_id, chosen, right, answered_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (topic_id, question_id) DO UPDATE SET chosen = excluded.chosen,"
            " right = excluded.right, answered_at = excluded.answered_at",
            (topic_id, question_id, json.dumps(chosen, ensure_ascii=False), int(right), stamp))
        return stamp

    def answers(self, topic_id: str | None = None) -> dict[tuple[str, str], tuple[list[str], bool, str]]:
        """(topic, question) to (options chosen, right, time) for one topic or all."""
        rows = self.conn.execute(
            "SELECT topic_id, question_id, chosen, right, answered_at FROM check_answers"
            + (" WHERE topic_id = ?" if topic_id is not None else ""), (topic_id,) if topic_id is not None else ())
        return {(topic, question): (json.loads(chosen), bool(right), at) for topic, question, chosen, right, at in rows}

    def is_bookmarked(self, topic_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM bookmarks WHERE topic_id = ?", (topic_id,)).fetchone() is not None

    # completion cache ------------------------------------------------------------
    def completions(self, keys: dict[str, str]) -> list[CompletionRow]:
        """Every live worksheet, most recently changed first, with its kept
        completion where it is still valid: kept for these answers (the same
        updated_at) and for its template as it is now (``keys``: template id
        to the key of its current version)."""
        rows = self.conn.execute(
            "SELECT w.id, w.template_id, w.title, w.status, w.updated_at, c.updated_at, c.content_key, c.completion"
            " FROM worksheets w LEFT JOIN worksheet_completion c ON c.worksheet_id = w.id"
            " WHERE w.deleted_at IS NULL ORDER BY w.updated_at DESC, w.id DESC")
        return [CompletionRow(wid, template, title, status, updated,
                              value if kept_at == updated and key == keys.get(template) else None)
                for wid, template, title, status, updated, kept_at, key, value in rows]

    def store_completions(self, values: Iterable[tuple[int, str, str, int]]) -> None:
        """Keep (worksheet id, updated_at, template key, completion) quadruples."""
        with self.database.transaction():
            self.conn.executemany(
                "INSERT INTO worksheet_completion (worksheet_id, updated_at, content_key, completion)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (worksheet_id) DO UPDATE SET updated_at = excluded.updated_at,"
                " content_key = excluded.content_key, completion = excluded.completion", list(values))
