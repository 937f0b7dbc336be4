"""Backups, restores, recovery and the lock, from the command line."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import one_line
from tests.conftest import ROOT


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("companion.sqlite3*")}


def test_backup_and_restore_round_trip(run, tmp_path):
    assert run("worksheets", "new", "plan", "--title", "Before").returncode == 0
    out = tmp_path / "stick" / "all.mldbackup"
    out.parent.mkdir()
    made = run("backup", "--out", str(out))
    assert made.returncode == 0 and "1 worksheet(s)" in made.stdout and out.is_file()
    run("worksheets", "new", "plan", "--title", "After")
    back = run("restore", str(out))
    assert back.returncode == 0, back.stderr
    assert "restored your data" in back.stdout and "before-restore" in back.stdout
    assert "Before" in run("worksheets", "list").stdout and "After" not in run("worksheets", "list").stdout


def test_restoring_a_bad_file_changes_nothing(run, tmp_path):
    run("worksheets", "new", "plan", "--title", "Mine")
    home = tmp_path / "home"
    before = _files(home)
    backups = sorted(p.name for p in (home / "backups").glob("*")) if (home / "backups").exists() else []
    cases = {"random.bin": os.urandom(3000), "empty.sqlite3": b"", "text.json": b'{"a": 1}',
             "cut.sqlite3": b"SQLite format 3\x00" + b"\x00" * 200}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        result = run("restore", str(tmp_path / name))
        line = one_line(result)
        assert result.returncode == 2 and ("not a companion backup" in line or "damaged" in line), line
        assert _files(home) == before
        after = sorted(p.name for p in (home / "backups").glob("*")) if (home / "backups").exists() else []
        assert after == backups
    missing = run("restore", str(tmp_path / "nope.sqlite3"))
    assert missing.returncode == 2 and "no such file" in one_line(missing)


def test_a_damaged_database_is_recovered_and_said_on_stderr(run, tmp_path):
    run("worksheets", "new", "plan", "--title", "Kept")
    run("worksheets", "list")  # the daily backup, taken at the first start with a database
    home = tmp_path / "home"
    assert list((home / "backups").glob("backup-*-daily.sqlite3"))
    run("worksheets", "new", "plan", "--title", "Lost")
    database = home / "companion.sqlite3"
    data = bytearray(database.read_bytes())
    data[0:100] = os.urandom(100)
    database.write_bytes(bytes(data))
    listing = run("worksheets", "list")
    assert listing.returncode == 0
    line = one_line(listing)
    assert "the database was damaged" in line and "restored from the backup of" in line
    assert "Kept" in listing.stdout and "Lost" not in listing.stdout
    assert len(list(home.glob("companion.sqlite3.damaged-*"))) == 1


def test_commands_that_write_wait_for_the_open_app_and_reading_ones_do_not(run, tmp_path):
    home = tmp_path / "home"
    run("worksheets", "new", "plan", "--title", "Mine")
    code = ("import sys, time; from companion.storage.lock import DataLock; "
            f"lock = DataLock({str(home)!r}); print(lock.acquire(), flush=True); time.sleep(60)")
    app = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert app.stdout.readline().strip() == "held"
        before = _files(home)
        for args in (("worksheets", "new", "plan", "--title", "Second"), ("worksheets", "rename", "1", "X"),
                     ("restore", str(tmp_path / "x.sqlite3"))):
            result = run(*args)
            assert result.returncode == 2 and "already open" in one_line(result), args
        assert _files(home) == before
        listing = run("worksheets", "list")
        assert listing.returncode == 0 and "Mine" in listing.stdout
        assert run("export", "pdf", "1", "--out", str(tmp_path / "p.pdf")).returncode == 0
        assert run("backup", "--out", str(tmp_path / "b.mldbackup")).returncode == 0
    finally:
        app.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        app.wait()
    assert run("worksheets", "new", "plan", "--title", "Second").returncode == 0  # the lock went with it


def test_a_newer_data_folder_names_the_version_needed(run, tmp_path):
    run("worksheets", "new", "plan")
    database = tmp_path / "home" / "companion.sqlite3"
    conn = sqlite3.connect(database, isolation_level=None)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version + 1}")
    conn.execute("INSERT INTO settings VALUES (?, '3.1.0')", (f"schema_{version + 1}_app",))
    conn.close()
    before = database.read_bytes()
    result = run("worksheets", "list")
    assert result.returncode == 2 and "install version 3.1.0 or newer" in one_line(result)
    assert database.read_bytes() == before
    assert not list(database.parent.glob("*.damaged-*"))


def test_a_read_only_data_folder_is_one_plain_line(run, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(home)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert run("worksheets", "new", "plan", "--title", "On a stick").returncode == 0
        if subprocess.run(["mount", "-o", "remount,ro", str(home)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only")
        result = run("worksheets", "new", "plan", "--title", "Refused")
        assert result.returncode == 2 and "read-only" in one_line(result)
    finally:
        subprocess.run(["umount", "-l", str(home)], capture_output=True)
