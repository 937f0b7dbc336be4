"""The schema, as an ordered list of migrations.

Migration N brings a database from ``user_version`` N-1 to N. Each runs in
one transaction together with the version bump, so a crash leaves either the
old schema or the new one. Never edit a migration that has shipped: add one.
"""
from __future__ import annotations

# What the search index follows: every change to these tables queues the
# worksheet or note it belongs to in search_pending, whatever code made it
# (one definition, nine triggers). sqlite-utils' enable_fts(create_triggers=True)
# mirrors a table's own columns into its index; ours indexes the answers as the
# templates display them, so only the queueing is done in SQL.
SEARCH_QUEUE = (  # (table, name in trigger names, kind queued, its id column, columns whose change counts)
    ("answers", "answer", "worksheet", "worksheet_id", ""),
    ("worksheets", "worksheet", "worksheet", "id", "title, template_id, deleted_at"),
    ("notes", "note", "note", "id", ""),
)


def _search_queue_triggers() -> str:
    out = []
    for table, name, kind, column, watched in SEARCH_QUEUE:
        for event, verb, row in (("INSERT", "added", "NEW"), ("UPDATE", "changed", "NEW"),
                                 ("DELETE", "removed", "OLD")):
            when = f"UPDATE OF {watched}" if event == "UPDATE" and watched else event
            out.append(
                f"    CREATE TRIGGER search_{name}_{verb} AFTER {when} ON {table} BEGIN\n"
                f"        INSERT INTO search_pending SELECT '{kind}', {row}.{column} WHERE NOT EXISTS\n"
                f"        (SELECT 1 FROM search_pending WHERE kind = '{kind}' AND item_id = {row}.{column}); END;")
    return "\n".join(out) + "\n"


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
    # 4: topics read, bookmarks, personal notes, follow-up check-ins
    # of action plans, a cache of each worksheet's completion, and the full-text
    # search index: one FTS5 table for the course content, one for worksheets
    # (rowid = worksheet id) and one for notes (rowid = note id). Triggers queue
    # every changed worksheet or note in search_pending, whatever code changed
    # it; the index catches up before the next search (the triggers avoid
    # INSERT OR IGNORE: an upsert that fires them would turn its IGNORE into ABORT).
    """
    CREATE TABLE topics_read (
        topic_id TEXT PRIMARY KEY,
        read_at TEXT NOT NULL,
        how TEXT NOT NULL CHECK (how IN ('scrolled', 'marked'))
    ) WITHOUT ROWID;
    CREATE TABLE bookmarks (
        topic_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (target_kind, target_id)
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        worksheet_id INTEGER NOT NULL REFERENCES worksheets (id) ON DELETE CASCADE,
        activity_row INTEGER NOT NULL,
        activity TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('not-started', 'in-progress', 'done', 'blocked')),
        comment TEXT NOT NULL DEFAULT '',
        checked_on TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX checkins_worksheet ON checkins (worksheet_id, checked_on, id);
    CREATE TABLE worksheet_completion (
        worksheet_id INTEGER PRIMARY KEY REFERENCES worksheets (id) ON DELETE CASCADE,
        updated_at TEXT NOT NULL,
        content_key TEXT NOT NULL,
        completion INTEGER NOT NULL
    );
    CREATE VIRTUAL TABLE search_content USING fts5 (
        kind UNINDEXED, ref UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    );
    INSERT INTO search_content (search_content, rank) VALUES ('rank', 'bm25(0.0, 0.0, 6.0, 1.0)');
    CREATE VIRTUAL TABLE search_worksheets USING fts5 (
        kind UNINDEXED, ref UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    );
    INSERT INTO search_worksheets (search_worksheets, rank) VALUES ('rank', 'bm25(0.0, 0.0, 6.0, 1.0)');
    CREATE VIRTUAL TABLE search_notes USING fts5 (
        kind UNINDEXED, ref UNINDEXED, title, body,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    );
    INSERT INTO search_notes (search_notes, rank) VALUES ('rank', 'bm25(0.0, 0.0, 6.0, 1.0)');
    CREATE TABLE search_pending (
        kind TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        PRIMARY KEY (kind, item_id)
    ) WITHOUT ROWID;
""" + _search_queue_triggers() + """    INSERT INTO search_pending (kind, item_id) SELECT 'worksheet', id FROM worksheets;
    """,
    # 5: answers to the knowledge checks at the end of each topic (kept by the
    # ids of topic, question and options, so they hold in every language)
    """
    CREATE TABLE check_answers (
        topic_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        chosen TEXT NOT NULL,
        right INTEGER NOT NULL CHECK (right IN (0, 1)),
        answered_at TEXT NOT NULL,
        PRIMARY KEY (topic_id, question_id)
    ) WITHOUT ROWID;
    """,
    # 6: the search index keeps its words folded (companion.folding: no case,
    # no accents, Arabic letter variants and marks folded) in title and body,
    # the text as written beside them to show, and the language of each row
    # of content; the content is indexed again and every worksheet and note queued.
    "".join(f"""
    DROP TABLE {table};
    CREATE VIRTUAL TABLE {table} USING fts5 (
        kind UNINDEXED, ref UNINDEXED, title, body, language UNINDEXED, shown_title UNINDEXED,
        shown_body UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    );
    INSERT INTO {table} ({table}, rank) VALUES ('rank', 'bm25(0.0, 0.0, 6.0, 1.0, 0.0, 0.0, 0.0)');
    """ for table in ("search_content", "search_worksheets", "search_notes")) + """
    DELETE FROM settings WHERE key = 'search.content';
    INSERT OR IGNORE INTO search_pending (kind, item_id) SELECT 'worksheet', id FROM worksheets;
    INSERT OR IGNORE INTO search_pending (kind, item_id) SELECT 'note', id FROM notes;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
