"""The schema, as an ordered list of migrations.

Migration N brings a database from ``user_version`` N-1 to N. Each runs in
one transaction together with the version bump, so a crash leaves either the
old schema or the new one. Never edit a migration that has shipped: add one.
"""
from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE worksheets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        template_id TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX worksheets_template ON worksheets (template_id);
    CREATE TABLE answers (
        worksheet_id INTEGER NOT NULL REFERENCES worksheets (id) ON DELETE CASCADE,
        field_id TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (worksheet_id, field_id)
    ) WITHOUT ROWID;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
