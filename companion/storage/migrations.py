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
    # 2: every save keeps a revision (only the fields it changed), and the
    # labels of each template version a worksheet was started with, so that
    # answers to fields a later version dropped can still be shown by name.
    """
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        worksheet_id INTEGER NOT NULL REFERENCES worksheets (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'edit',
        restored_from INTEGER
    );
    CREATE INDEX revisions_worksheet ON revisions (worksheet_id, id);
    CREATE TABLE revision_values (
        revision_id INTEGER NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
        field_id TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (revision_id, field_id)
    ) WITHOUT ROWID;
    CREATE TABLE template_snapshots (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        labels TEXT NOT NULL,
        PRIMARY KEY (template_id, version)
    ) WITHOUT ROWID;
    INSERT INTO revisions (worksheet_id, created_at, kind)
        SELECT id, updated_at, 'create' FROM worksheets;
    INSERT INTO revision_values (revision_id, field_id, value)
        SELECT r.id, a.field_id, a.value FROM answers a JOIN revisions r ON r.worksheet_id = a.worksheet_id;
    """,
    # 3: worksheets that came from share files, to recognise a file imported twice
    """
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        worksheet_id INTEGER NOT NULL REFERENCES worksheets (id) ON DELETE CASCADE,
        source_uid TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        file_name TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    CREATE INDEX imports_hash ON imports (content_hash);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
