"""Data safety: versions, backups, restores, recovery at start, the lock, storage failures."""
from __future__ import annotations

import datetime as dt
import errno
import gzip
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from companion import __version__
from companion.workbook import safety
from companion.errors import InputError, StorageError
from companion.storage import backup as store
from companion.storage.restore import verify
from companion.storage.db import Database
from companion.storage.migrations import SCHEMA_VERSION
from companion.workbook import Workbook
from tests.conftest import MINI_PACK, ROOT


def _book(folder: Path) -> Workbook:
    return Workbook(folder, MINI_PACK)


def _filled(folder: Path, count: int = 3) -> Workbook:
    book = _book(folder)
    for number in range(count):
        sheet = book.book.create_worksheet("plan", f"Plan {number}")
        book.book.save_answers(sheet.id, {"title": f"Title {number}", "objective": "o" * 3000})
    return book


def _titles(folder: Path) -> list[str]:
    book = _book(folder)
    try:
        return sorted(w.title for w in book.book.worksheets())
    finally:
        book.close()


def _snapshot_files(folder: Path) -> dict[str, bytes]:
    database = folder / "companion.sqlite3"
    return {p.name: p.read_bytes() for p in folder.glob("companion.sqlite3*")} if database.exists() else {}


# 1. the app version that wrote each data version ------------------------------------
def test_each_migration_records_the_app_version_that_ran_it(tmp_path: Path):
    db = Database(tmp_path / "c.sqlite3")
    for number in range(1, SCHEMA_VERSION + 1):
        assert db.setting(f"schema_{number}_app") == __version__
    db.close()


def test_a_newer_database_is_refused_naming_the_version_needed_and_left_untouched(tmp_path: Path):
    path = tmp_path / "c.sqlite3"
    Database(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("INSERT INTO settings VALUES (?, '2.3.0')", (f"schema_{SCHEMA_VERSION + 1}_app",))
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        Database(path)
    assert "version 2.3.0" in str(caught.value) and "install version 2.3.0 or newer" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite3"]


# 2. backups ------------------------------------------------------------------------
def test_a_backup_is_one_consistent_file_even_during_a_write(tmp_path: Path):
    book = _filled(tmp_path / "data")
    other = sqlite3.connect(tmp_path / "data" / "companion.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE worksheets SET title = 'uncommitted'")
    path = safety.backup_now(book, "test")
    other.execute("ROLLBACK")
    other.close()
    assert path.parent == tmp_path / "data" / "backups" and path.name.endswith("-test.sqlite3")
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: needs no -wal beside it
    info = verify(path)
    assert info.worksheets == 3 and info.version == SCHEMA_VERSION
    copy = sqlite3.connect(path)
    assert "uncommitted" not in {row[0] for row in copy.execute("SELECT title FROM worksheets")}
    copy.close()
    book.close()


def test_backup_now_on_a_folder_without_a_database_does_nothing(tmp_path: Path):
    assert safety.backup_now(tmp_path, "import") is None
    assert not (tmp_path / "backups").exists()


def _fake_backup(folder: Path, when: dt.datetime, reason: str = "daily") -> Path:
    target = folder / "backups"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"backup-{when:%Y%m%d-%H%M%S}-000-{reason}.sqlite3"
    path.write_bytes(b"x")
    return path


def test_thinning_keeps_the_newest_ten_seven_days_and_four_weeks(tmp_path: Path):
    now = dt.datetime(2026, 3, 31, 12, 0)
    made = [_fake_backup(tmp_path, now - dt.timedelta(hours=6 * i)) for i in range(240)]  # 60 days, 4 a day
    migration = tmp_path / "backups" / "before-migration-v2-20250101-000000.sqlite3"
    migration.write_bytes(b"x")
    (tmp_path / "backups" / ".backup-half.sqlite3.part").write_bytes(b"x")
    safety.thin_backups(tmp_path)
    left = {b.path for b in safety.list_backups(tmp_path)}
    newest_ten = set(made[:10])
    days = {}
    weeks = {}
    for path in made:
        taken = dt.datetime.strptime(path.name[7:22], "%Y%m%d-%H%M%S")
        days.setdefault(taken.date(), path)
        weeks.setdefault(taken.isocalendar()[:2], path)
    expected = newest_ten | set(list(days.values())[:7]) | set(list(weeks.values())[:4]) | {migration}
    assert left == expected
    assert 14 <= len(left) <= 22
    assert not list((tmp_path / "backups").glob(".*.part"))


def test_the_daily_backup_is_taken_when_the_newest_is_a_day_old(tmp_path: Path):
    book = _filled(tmp_path)
    first = safety.backup_if_due(book)
    assert first is not None
    assert safety.backup_if_due(book) is None
    later = dt.datetime.now() + dt.timedelta(days=1, minutes=1)
    assert safety.backup_if_due(book, now=later) is not None
    book.close()


def test_start_takes_the_daily_backup_only_for_an_existing_database(tmp_path: Path):
    fresh = _book(tmp_path / "fresh")
    startup = fresh.safety.start()
    assert startup.backup is None and startup.recovery is None
    startup.release()
    fresh.close()
    book = _filled(tmp_path / "used")
    book.close()
    startup = _book(tmp_path / "used").safety.start()
    assert startup.backup is not None and verify(startup.backup).worksheets == 3
    startup.release()


def test_the_daily_backup_can_wait_until_the_window_is_shown(tmp_path: Path):
    book = _filled(tmp_path / "used")
    book.close()
    book = _book(tmp_path / "used")
    startup = book.safety.start(daily=False)
    assert startup.backup is None and startup.daily_due
    assert not list((tmp_path / "used" / "backups").glob("backup-*"))
    book.safety.take_daily_backup(startup)
    assert startup.backup is not None and verify(startup.backup).worksheets == 3
    book.safety.take_daily_backup(startup)  # once per start, not twice
    assert len(list((tmp_path / "used" / "backups").glob("backup-*"))) == 1
    startup.release()
    book.close()


# restore ------------------------------------------------------------------------------
def test_export_and_restore_round_trip_backing_up_the_current_data_first(tmp_path: Path):
    book = _filled(tmp_path / "data", 2)
    (tmp_path / "stick").mkdir()
    out, info = safety.export_backup(book, tmp_path / "stick" / "mine.mldbackup")
    assert out.is_file() and info.worksheets == 2
    book.book.create_worksheet("plan", "After the backup")
    restored = safety.restore(book, out)
    assert restored.info.worksheets == 2 and "2 worksheet(s)" in restored.message()
    assert sorted(w.title for w in book.book.worksheets()) == ["Plan 0", "Plan 1"]  # the book reopened itself
    assert restored.previous is not None and verify(restored.previous).worksheets == 3
    book.close()


def test_a_restored_workbook_keeps_its_completions_without_working_them_out(tmp_path: Path, monkeypatch):
    from companion.worksheets import answers as answers_mod

    book = _filled(tmp_path / "data", 2)
    kept = {r.worksheet_id: r.completion for r in book.study.worksheet_completions()}
    out, _ = safety.export_backup(book, tmp_path / "mine.mldbackup")
    safety.restore(book, out)
    computed = []
    monkeypatch.setattr(answers_mod, "completion", lambda *a: computed.append(a) or 0)
    assert {r.worksheet_id: r.completion for r in book.study.worksheet_completions()} == kept and computed == []
    book.close()


def test_restore_removes_a_stale_wal_before_putting_the_backup_in_place(tmp_path: Path):
    book = _filled(tmp_path / "data", 1)
    out, _ = safety.export_backup(book, tmp_path / "b.sqlite3")
    book.close()
    database = tmp_path / "data" / "companion.sqlite3"
    Path(f"{database}-wal").write_bytes(b"stale wal " * 100)
    Path(f"{database}-shm").write_bytes(b"stale shm " * 100)
    safety.restore(tmp_path / "data", out)
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").read_bytes()[:5] != b"stale"
    assert _titles(tmp_path / "data") == ["Plan 0"]


def test_restoring_the_database_in_use_is_refused(tmp_path: Path):
    book = _filled(tmp_path, 1)
    with pytest.raises(InputError, match="the database in use"):
        safety.restore(book, tmp_path / "companion.sqlite3")
    with pytest.raises(InputError, match="the database in use"):
        safety.export_backup(book, tmp_path / "companion.sqlite3")
    book.close()


def _sqlite_file(path: Path, sql: str, version: int | None = None) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    if version is not None:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def _bad_backups(tmp_path: Path, good: Path) -> dict[str, tuple[Path, str]]:
    data = good.read_bytes()
    folder = tmp_path / "bad"
    folder.mkdir()

    def write(name: str, content: bytes) -> Path:
        (folder / name).write_bytes(content)
        return folder / name

    with_trigger = write("trigger.sqlite3", data)
    _sqlite_file(with_trigger, "CREATE TRIGGER wipe AFTER INSERT ON revisions BEGIN DELETE FROM worksheets; END;")
    newer = write("newer.sqlite3", data)
    _sqlite_file(newer, f"INSERT INTO settings VALUES ('schema_{SCHEMA_VERSION + 1}_app', '9.0.0')",
                 SCHEMA_VERSION + 1)
    page = 4096
    garbage = bytearray(data)
    for start in range(page, len(garbage), page * 2):
        garbage[start:start + page] = os.urandom(page)
    return {
        "missing": (folder / "nope.sqlite3", "no such file"),
        "folder": (folder, "not a file"),
        "empty": (write("empty.sqlite3", b""), "not a companion backup"),
        "random": (write("random.bin", os.urandom(20000)), "not a companion backup"),
        "json": (write("answers.json", b'{"title": "x"}'), "not a companion backup"),
        "header only": (write("header.sqlite3", data[:100]), ""),
        "truncated": (write("truncated.sqlite3", data[: len(data) // 2]), ""),
        "garbage pages": (write("garbage.sqlite3", bytes(garbage)), "damaged"),
        "packed, cut short": (write("short.mldbackup", gzip.compress(data)[:-20]), "damaged"),
        "packed garbage pages": (write("packed-garbage.mldbackup", gzip.compress(bytes(garbage))), "damaged"),
        "packed random": (write("packed-random.mldbackup", b"\x1f\x8b" + os.urandom(2000)), "damaged"),
        "other database": (_sqlite_file(folder / "other.sqlite3", "CREATE TABLE notes (x)", 1), "not a companion"),
        "user_version 0": (_sqlite_file(folder / "zero.sqlite3", "CREATE TABLE t (x)"), "not a companion"),
        "extra trigger": (with_trigger, "not a companion backup"),
        "newer": (newer, "install version 9.0.0"),
    }


def test_a_bad_backup_changes_nothing_and_gets_one_plain_line(tmp_path: Path):
    book = _filled(tmp_path / "data", 2)
    packed, _ = safety.export_backup(book, tmp_path / "good.mldbackup")
    good = tmp_path / "good.sqlite3"  # unpacked, as backups were written before they were packed
    good.write_bytes(gzip.decompress(packed.read_bytes()))
    book.close()
    before = _snapshot_files(tmp_path / "data")
    backups_before = sorted(p.name for p in (tmp_path / "data" / "backups").glob("*"))
    for name, (path, expected) in _bad_backups(tmp_path, good).items():
        with pytest.raises(InputError) as caught:
            safety.restore(tmp_path / "data", path)
        message = str(caught.value)
        assert "\n" not in message and expected in message, (name, message)
        assert _snapshot_files(tmp_path / "data") == before, name
        assert sorted(p.name for p in (tmp_path / "data" / "backups").glob("*")) == backups_before, name
        assert not list((tmp_path / "data").glob(".restore-*")), name
    assert _titles(tmp_path / "data") == ["Plan 0", "Plan 1"]


def test_an_older_backup_is_restored_and_migrated(tmp_path: Path):
    from companion.storage.migrations import MIGRATIONS

    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO worksheets (uid, template_id, template_version, title, created_at, updated_at)"
                 " VALUES ('u', 'plan', 1, 'From version 1', '2025-01-01', '2025-01-01')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    book = _filled(tmp_path / "data", 1)
    safety.restore(book, old)
    assert [w.title for w in book.book.worksheets()] == ["From version 1"]
    assert book._db.schema_version() == SCHEMA_VERSION
    book.close()


# 3. recovery at start ------------------------------------------------------------------
def _damage(database: Path, how: str) -> None:
    data = bytearray(database.read_bytes())
    if how == "pages":
        for start in range(4096, len(data), 4096):
            data[start:start + 4096] = os.urandom(4096)
    elif how == "header":
        data[:100] = os.urandom(100)
    elif how == "empty":
        data = bytearray()
    database.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["pages", "header", "empty"])
def test_a_damaged_database_is_set_aside_and_the_newest_good_backup_restored(tmp_path: Path, how: str):
    folder = tmp_path / "data"
    book = _filled(folder, 2)
    good = safety.backup_now(book, "daily")
    book.book.create_worksheet("plan", "Written after the backup")
    book.close()
    # an even newer backup that is itself damaged must be passed over
    broken = folder / "backups" / f"backup-{dt.datetime.now() + dt.timedelta(minutes=5):%Y%m%d-%H%M%S}-000-daily.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    database = folder / "companion.sqlite3"
    Path(f"{database}-wal").write_bytes(b"left by a crash")
    _damage(database, how)
    damaged_bytes = database.read_bytes()

    startup = _book(folder).safety.start()
    recovery = startup.recovery
    startup.release()
    assert recovery is not None and recovery.backup.path == good
    kept = list(folder.glob("companion.sqlite3.damaged-*"))
    assert recovery.damaged in kept and recovery.damaged.read_bytes() == damaged_bytes
    assert Path(f"{recovery.damaged}-wal").read_bytes() == b"left by a crash"
    message = recovery.message()
    assert recovery.backup.taken.strftime("%Y-%m-%d %H:%M") in message and "missing" in message
    assert str(recovery.damaged) in message
    assert _titles(folder) == ["Plan 0", "Plan 1"]
    assert store.health(database).state == "ok"


def test_a_damaged_database_without_a_backup_starts_fresh_and_keeps_the_damaged_file(tmp_path: Path):
    folder = tmp_path / "data"
    _filled(folder, 1).close()
    _damage(folder / "companion.sqlite3", "header")
    startup = _book(folder).safety.start()
    startup.release()
    assert startup.recovery is not None and startup.recovery.backup is None
    assert "no usable backup" in startup.recovery.message()
    assert startup.recovery.damaged.exists()
    assert _titles(folder) == []


def test_a_healthy_or_newer_database_is_left_alone_at_start(tmp_path: Path):
    folder = tmp_path / "data"
    _filled(folder, 1).close()
    assert safety.recover_if_damaged(folder) is None
    conn = sqlite3.connect(folder / "companion.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.commit()
    conn.close()
    assert safety.recover_if_damaged(folder) is None
    with pytest.raises(StorageError, match="newer version"):
        _book(folder).safety.start()
    assert not list(folder.glob("*.damaged-*"))


# 4. one companion per data folder ----------------------------------------------------------
def test_a_second_start_is_refused_for_writing_and_allowed_for_reading(tmp_path: Path):
    first = _book(tmp_path).safety.start()
    with pytest.raises(safety.AlreadyOpen, match="already open"):
        _book(tmp_path).safety.start()
    reader = _book(tmp_path).safety.start(write=False)
    assert reader.state == "busy" and reader.lock is None
    first.release()
    again = _book(tmp_path).safety.start()
    assert again.state == "held"
    again.release()


def test_the_lock_of_a_killed_process_does_not_block(tmp_path: Path):
    code = ("import sys, time; from companion.storage.lock import DataLock; "
            f"lock = DataLock({str(tmp_path)!r}); print(lock.acquire(), flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(safety.AlreadyOpen):
            _book(tmp_path).safety.start()
    finally:
        child.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        child.wait()
    assert (tmp_path / "companion.lock").exists()  # the file stays, the lock went with the process
    startup = _book(tmp_path).safety.start()
    assert startup.state == "held"
    startup.release()


# 5. a full disk, a read-only folder, a stick pulled out --------------------------------------
@pytest.mark.parametrize("failure, words", [
    (sqlite3.OperationalError("disk I/O error"), "could not be read or written"),
    (sqlite3.OperationalError("database or disk is full"), "disk is full"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
    (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    (OSError(errno.EROFS, "Read-only file system"), "read-only"),
])
def test_a_failed_save_is_a_plain_storage_error_and_the_next_try_works(tmp_path: Path, monkeypatch, failure, words):
    from companion.storage.instances import WorksheetStore

    for attribute, code in (("SQLITE_IOERR", "disk I/O"), ("SQLITE_FULL", "full"), ("SQLITE_READONLY", "readonly")):
        if isinstance(failure, sqlite3.Error) and code in str(failure):
            failure.sqlite_errorname = attribute
    book = _filled(tmp_path, 1)
    sheet = book.book.worksheets()[0]
    real = WorksheetStore.save_answers

    def broken(self, *args, **kwargs):
        raise failure

    monkeypatch.setattr(WorksheetStore, "save_answers", broken)
    with pytest.raises(StorageError) as caught:
        book.book.save_answers(sheet.id, {"title": "Typed while the disk failed"})
    assert words in str(caught.value) and "Traceback" not in str(caught.value)
    monkeypatch.setattr(WorksheetStore, "save_answers", real)
    book.book.save_answers(sheet.id, {"title": "Typed while the disk failed"})
    assert book.book.worksheet(sheet.id).answers["title"] == "Typed while the disk failed"
    book.close()


def test_a_failed_commit_leaves_the_connection_ready_for_the_next_try(tmp_path: Path):
    book = _filled(tmp_path, 1)
    sheet = book.book.worksheets()[0]
    conn = book._db.conn
    conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON revisions BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    with pytest.raises(StorageError):
        book._worksheets.save_answers(sheet.id, {"title": "x"})
    assert not conn.in_transaction
    conn.execute("DROP TRIGGER refuse")
    book._worksheets.save_answers(sheet.id, {"title": "y"})
    assert book.book.worksheet(sheet.id).answers["title"] == "y"
    book.close()


def test_a_data_folder_that_disappears_is_not_recreated_empty(tmp_path: Path):
    stick = tmp_path / "stick" / "companion"
    book = _filled(stick, 1)
    sheet = book.book.worksheets()[0]
    book.close()
    (tmp_path / "stick").rename(tmp_path / "pulled-out")
    with pytest.raises(StorageError, match="cannot be reached"):
        book.book.save_answers(sheet.id, {"title": "x"})
    assert not (tmp_path / "stick").exists()
    (tmp_path / "pulled-out").rename(tmp_path / "stick")
    book.book.save_answers(sheet.id, {"title": "back again"})
    assert book.book.worksheet(sheet.id).answers["title"] == "back again"
    book.close()


def _mount_tmpfs(target: Path, size: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_really_full_disk_gives_a_plain_error_and_keeps_the_saved_data(tmp_path: Path):
    disk = tmp_path / "tiny"
    _mount_tmpfs(disk, "1m")
    try:
        book = _book(disk / "data")
        sheet = book.book.create_worksheet("plan", "On a tiny disk")
        book.book.save_answers(sheet.id, {"title": "kept"})
        with pytest.raises(StorageError, match="disk is full"):
            for number in range(200):
                book.book.save_answers(sheet.id, {"objective": f"{number} " + "long text " * 3000})
        book.close()
        check = _book(disk / "data")
        assert check.book.worksheet(sheet.id).answers["title"] == "kept"
        assert store.health(disk / "data" / "companion.sqlite3").state == "ok"
        check.close()
    finally:
        _umount(disk)


def test_a_folder_turned_read_only_gives_a_plain_error(tmp_path: Path):
    disk = tmp_path / "stick"
    _mount_tmpfs(disk, "4m")
    try:
        book = _book(disk / "data")
        sheet = book.book.create_worksheet("plan", "On a stick")
        book.close()  # a remount needs no file open for writing
        result = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot remount read-only: {result.stderr.strip()}")
        with pytest.raises(StorageError) as caught:
            book.book.save_answers(sheet.id, {"title": "not saved"})
        assert "read-only" in str(caught.value) and "Traceback" not in str(caught.value)
    finally:
        _umount(disk)


def test_an_unexpected_disk_error_in_any_command_is_one_line(tmp_path: Path, monkeypatch, capsys):
    from companion.cli import main as cli
    from companion.storage.instances import WorksheetStore

    monkeypatch.setenv("COMPANION_CONTENT", str(MINI_PACK))
    book = _filled(tmp_path, 1)
    sheet = book.book.worksheets()[0]
    book.close()

    def full(*_args, **_kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorname = "SQLITE_FULL"
        raise error

    monkeypatch.setattr(WorksheetStore, "set_title", full)
    assert cli.main(["--data-dir", str(tmp_path), "worksheets", "rename", str(sheet.id), "New"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "companion: could not read or save your data: the disk is full"
    monkeypatch.setattr(WorksheetStore, "set_title", lambda *a: (_ for _ in ()).throw(KeyError("a real bug")))
    with pytest.raises(KeyError):  # a programming error is not dressed up as a disk problem
        cli.main(["--data-dir", str(tmp_path), "worksheets", "rename", str(sheet.id), "New"])


def test_a_backup_is_packed_without_the_search_index_and_both_kinds_restore(tmp_path: Path):
    book = _filled(tmp_path / "data", 3)
    assert [r.kind for r in book.search.find("Title") if r.kind == "worksheet"] == ["worksheet"] * 3
    out, _ = safety.export_backup(book, tmp_path / "packed.mldbackup")
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    unpacked = tmp_path / "unpacked.sqlite3"
    unpacked.write_bytes(gzip.decompress(out.read_bytes()))
    conn = sqlite3.connect(unpacked)
    assert conn.execute("SELECT count(*) FROM search_worksheets").fetchone() == (0,)  # the index is left out
    conn.close()
    assert out.stat().st_size < unpacked.stat().st_size / 2
    for backup in (out, unpacked):  # packed, and as written before backups were packed
        book.book.create_worksheet("plan", "After the backup")
        safety.restore(book, backup)
        assert sorted(w.title for w in book.book.worksheets()) == ["Plan 0", "Plan 1", "Plan 2"]
        found = [r.id for r in book.search.find("Title 1") if r.kind == "worksheet"]  # the index built again
        assert len(found) == 1 and book.book.worksheet(found[0]).title == "Plan 1"
    book.close()
