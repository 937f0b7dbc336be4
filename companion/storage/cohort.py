"""cohort.sqlite: a cohort report's tables as a SQLite database, made with sqlite-utils.

Each of the report's sheets (about, participants, worksheets, answers, one
long table per kind of worksheet table, files not read) becomes a table
with typed columns, its keys and foreign keys declared, and a full-text
index (FTS5, ``<table>_fts``) on its text, so that Datasette or any SQLite
browser opens it ready to facet and search: "informacao" finds
"informação". The database is written whole under a temporary name and put
in place at the end, like every file the companion writes.

sqlite-utils is imported here only, when a report is written.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from companion.files import atomic_output

TYPES = {"int": int, "real": float, "text": str, "date": str, "datetime": str}
TOKENIZER = "unicode61 remove_diacritics 2"


def _value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def _quoted(name: str) -> str:
    """A table's or column's name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def write_cohort_database(cohort, out: Path) -> Path:
    """Write the cohort's sheets (``cohort.sheets()``) as tables of a new database at ``out``."""
    import sqlite_utils

    sheets = cohort.sheets()
    with atomic_output(Path(out)) as tmp:
        db = sqlite_utils.Database(tmp)
        # a file nobody reads until it is whole and synced (atomic_output): no journal, no sync per insert
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        try:
            with db.conn:
                for sheet in sheets:
                    table = db.table(sheet.name)
                    table.create({c.key: TYPES[c.kind] for c in sheet.columns}, pk=sheet.pk,
                                 foreign_keys=list(sheet.refs) or None,
                                 column_order=[c.key for c in sheet.columns])
                    # the rows straight to SQLite: a value per column, in the table's order
                    names = ", ".join(_quoted(c.key) for c in sheet.columns)
                    marks = ", ".join("?" * len(sheet.columns))
                    db.conn.executemany(f"INSERT INTO {_quoted(sheet.name)} ({names}) VALUES ({marks})",
                                        ([_value(v) for v in row] for row in sheet.rows))
            for sheet in sheets:
                if sheet.search:
                    db.table(sheet.name).enable_fts(list(sheet.search), tokenize=TOKENIZER, create_triggers=True)
            db.conn.execute("VACUUM")
        finally:
            db.close()
    return Path(out)
