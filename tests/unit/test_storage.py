"""The database: schema, migrations, durability settings, answers."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from companion.errors import InputError, StorageError
from companion.storage.db import Database
from companion.storage.migrations import SCHEMA_VERSION


def test_a_new_database_is_created_at_the_current_schema(tmp_path: Path):
    db = Database(tmp_path / "new" / "c.sqlite3")
    assert db.schema_version() == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.setting("written_by")
    db.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "c.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer version"):
        Database(path)
    assert path.read_bytes() == before


def test_a_damaged_file_is_reported_not_crashed_on(tmp_path: Path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open the database"):
        Database(path)


def test_answers_round_trip_through_storage(workbook):
    answers = {"title": "Um plano para a informação", "objective": "مرحبا ሰላም",
               "activities": [{"activity": "Rent", "start": "2027-03-01", "end": "2027-04-01", "budget": 10.5}]}
    created = workbook.book.create_worksheet("plan", "Mine", answers)
    assert workbook.book.worksheet(created.id).answers == answers
    workbook.book.save_answers(created.id, {"title": "Changed"})
    again = workbook.book.worksheet(created.id)
    assert again.answers["title"] == "Changed" and again.answers["objective"] == answers["objective"]
    assert again.updated_at >= created.updated_at


def test_bad_answers_create_nothing(workbook):
    with pytest.raises(InputError):
        workbook.book.create_worksheet("plan", "Mine", {"title": "x", "colour": "red"})
    assert workbook.book.worksheets() == []
    with pytest.raises(InputError, match="no worksheet template"):
        workbook.book.create_worksheet("nope")
    with pytest.raises(InputError, match="no worksheet with id 42"):
        workbook.book.worksheet(42)


def test_saved_answers_survive_reopening(tmp_path: Path):
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    first = Workbook(tmp_path, MINI_PACK)
    worksheet = first.book.create_worksheet("plan")
    first.book.save_answers(worksheet.id, {"title": "Kept"})
    first.close()
    second = Workbook(tmp_path, MINI_PACK)
    assert second.book.worksheet(worksheet.id).answers == {"title": "Kept"}
    assert [w.title for w in second.book.worksheets()] == ["Action plan"]
    second.close()


def test_answers_read_with_what_an_earlier_read_kept_decode_only_what_changed(workbook):
    rows = [{"activity": f"Step {n}", "budget": n} for n in range(30)]
    sheet = workbook.book.create_worksheet("plan", "Mine", {"title": "Before", "activities": rows})
    store = workbook._worksheets
    kept: dict = {}
    first = store.answers(sheet.id, kept)
    assert first == store.answers(sheet.id) == {"title": "Before", "activities": rows}
    store.save_answers(sheet.id, {"title": "After", "objective": "New"})
    again = store.answers(sheet.id, kept)
    assert again == store.answers(sheet.id) == {"title": "After", "activities": rows, "objective": "New"}
    assert again["activities"] is first["activities"]  # stored as the same text: not decoded again
    assert {key: value for key, (_, value) in kept.items()} == again  # kept brought up to date
