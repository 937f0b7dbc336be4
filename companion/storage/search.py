"""The full-text search index (SQLite FTS5) and its bookkeeping.

Three FTS5 tables with the same columns (kind, ref, title, body): the course
content (topics by section, pages, glossary terms, worksheet templates), the
participant's worksheets (rowid = worksheet id) and notes (rowid = note id).
Apart, a word typed as a prefix is looked up in the small content table
without walking the doclists of a thousand worksheets, and each kind is
ranked on its own. Content rows are rebuilt only when the content pack
changes; triggers (migration 4) queue every changed worksheet or note in
``search_pending``, which the caller indexes again before the next search.
Queries reach this module already made safe and folded (see
``companion.workbook.search``); every row's title and body are indexed
folded by the same function (:func:`companion.folding.fold`) and kept as
written beside them (``shown_title``, ``shown_body``) to be shown, with the
language of a row of content. A query ranks every row it matches in SQLite, by
the rank its table was made with, and reads only the best of them.
"""
from __future__ import annotations

import re
import sqlite3
from typing import Iterable, NamedTuple, Sequence

from companion.errors import StorageError
from companion.folding import fold
from companion.messages import t
from companion.storage.db import Database

CONTENT, WORKSHEETS, NOTES = "search_content", "search_worksheets", "search_notes"
# Content kinds share one table, each in its own range of rowids (FTS5 narrows a MATCH to a range cheaply).
RANGES = {"topic": (100_000_000, 200_000_000), "page": (200_000_000, 300_000_000),
          "glossary": (300_000_000, 400_000_000), "template": (400_000_000, 500_000_000)}
TABLES = {"worksheet": WORKSHEETS, "note": NOTES, **{kind: CONTENT for kind in RANGES}}
COLUMNS = "rowid, kind, ref, title, body, language, shown_title, shown_body"
INSERT = "INSERT INTO {table} (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_NUMBER = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)\s*"
_RANK_CALL = re.compile(rf"bm25\s*\(((?:{_NUMBER}(?:,{_NUMBER})*)?)\s*\)")  # a rank setting: bm25 and its weights


class Row(NamedTuple):
    kind: str
    ref: str
    title: str
    body: str
    language: str = ""  # of a row of content; the participant's own words have none
    folded_body: str | None = None  # fold(body), when the caller has it already


class Hit(NamedTuple):
    kind: str
    ref: str
    title: str  # as written
    body: str  # as written
    score: float
    language: str = ""
    folded_body: str = ""  # the body as indexed (companion.folding.fold)


def _values(rowid: int, row: Row) -> tuple:
    body = fold(row.body) if row.folded_body is None else row.folded_body
    return (rowid, row.kind, row.ref, fold(row.title), body, row.language, row.title, row.body)


class SearchIndex:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.conn = database.conn
        self._ranks: dict[str, str] = {}  # the rank of each table, as an SQL expression

    # content ---------------------------------------------------------------
    def replace_content(self, rows: Iterable[Row], key: str) -> None:
        """Put the content rows in place of the old ones, and remember ``key``."""
        counts: dict[str, int] = {}
        values = []
        for r in rows:
            counts[r.kind] = counts.get(r.kind, 0) + 1
            values.append(_values(RANGES[r.kind][0] + counts[r.kind], r))
        with self.database.transaction():
            self.conn.execute(f"DELETE FROM {CONTENT}")
            self.conn.executemany(INSERT.format(table=CONTENT), values)
            self.conn.execute(f"INSERT INTO {CONTENT} ({CONTENT}) VALUES ('optimize')")
            self.database.set_setting("search.content", key)
            # notes carry topic titles: index them again with the new content
            self.conn.execute("INSERT OR IGNORE INTO search_pending (kind, item_id) SELECT 'note', id FROM notes")

    def content_key(self) -> str | None:
        return self.database.setting("search.content")

    def has_content(self) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {CONTENT} LIMIT 1").fetchone() is not None

    # the participant's words ----------------------------------------------------
    def pending(self) -> list[tuple[str, int]]:
        return self.conn.execute("SELECT kind, item_id FROM search_pending").fetchall()

    def has_pending(self) -> bool:
        return self.conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is not None

    def update(self, done: Sequence[tuple[str, int]], rows: dict[tuple[str, int], Row | None],
               keep_held: bool = False) -> None:
        """Replace the index rows of ``done`` items (None: the item is gone) in one transaction.
        ``keep_held``: a row the index holds already, exactly, is left as it is (writing
        one again costs as much as its first writing: a save that changed no word, an
        option chosen or a rating given, need not pay it)."""
        with self.database.transaction():
            for kind, item_id in done:
                table = TABLES.get(kind)
                if table in (WORKSHEETS, NOTES):
                    row = rows.get((kind, item_id))
                    values = None if row is None else _values(item_id, row)
                    if not (keep_held and values is not None and self._holds(table, values)):
                        self.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (item_id,))
                        if values is not None:
                            self.conn.execute(INSERT.format(table=table), values)
                self.conn.execute("DELETE FROM search_pending WHERE kind = ? AND item_id = ?", (kind, item_id))
            if len(done) > 100:  # after a large batch, merge the index's segments: faster queries
                self.conn.execute(f"INSERT INTO {WORKSHEETS} ({WORKSHEETS}) VALUES ('optimize')")

    def _holds(self, table: str, values: tuple) -> bool:
        return self.conn.execute(f"SELECT {COLUMNS} FROM {table} WHERE rowid = ?", values[:1]).fetchone() == values

    # queries -----------------------------------------------------------------------
    def search(self, match: str, kind: str, limit: int) -> list[Hit]:
        """The best ``limit`` rows of one kind for an FTS5 ``match`` expression
        (of folded words), best first (equal scores in the order the rows were put in).

        Every matching row is ranked (in SQLite), but only the best are read."""
        table = TABLES[kind]
        low, high = RANGES.get(kind, (0, 1 << 62))
        try:
            best = (f"SELECT rowid AS found, {self._rank(table)} AS score FROM {table}"
                    f" WHERE {table} MATCH ? AND rowid > ? AND rowid < ? ORDER BY score LIMIT ?")
            rows = self.conn.execute(
                f"SELECT ref, shown_title, shown_body, body, score, language FROM ({best})"
                f" JOIN {table} ON {table}.rowid = found ORDER BY score", (match, low, high, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            if not any(word in str(exc) for word in ("no such table", "database", "disk", "locked")):
                return []  # a malformed expression finds nothing rather than failing
            raise StorageError(t("search.failed", detail=exc)) from None
        return [Hit(kind, ref, title, body, -score, language, folded)
                for ref, title, body, folded, score, language in rows]

    def _rank(self, table: str) -> str:
        """The rank the table was made with (its 'rank' setting, such as bm25 with a weight
        for each column) called as a function: SQLite sorts by it faster than by the
        ``rank`` column, with the same scores. ``rank`` when the setting is not one such call."""
        if table not in self._ranks:
            found = self.conn.execute(f"SELECT v FROM {table}_config WHERE k = 'rank'").fetchone()
            call = _RANK_CALL.fullmatch(str(found[0]).strip()) if found else None
            weights = call.group(1).strip() if call else ""
            self._ranks[table] = f"bm25({table}{', ' if weights else ''}{weights})" if call else "rank"
        return self._ranks[table]

    def answer_texts(self, worksheet_id: int) -> dict[str, str]:
        """A worksheet's answers as stored (JSON text), by field id: enough to tell
        which field a search matched without decoding every answer."""
        return dict(self.conn.execute("SELECT field_id, value FROM answers WHERE worksheet_id = ?",
                                      (worksheet_id,)))

    def count(self) -> int:
        return sum(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                   for table in (CONTENT, WORKSHEETS, NOTES))
