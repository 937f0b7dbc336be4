"""Files crafted by an attacker, through the command line a trainer runs.

Each was seen doing harm before: planting SQL through a backup, hanging or
exhausting memory through a YAML bomb, a pipe or a device, a traceback and
broken state from numbers, surrogates or nesting a companion never writes,
raw terminal escapes. Every one is now refused in one line (exit 2), and
the data is what it was: the database dumped with the app closed is the
same before and after, no file is added, and the app still starts and
searches. The checks run before any backup is taken, so a refused file
leaves no backup behind either.
"""
from __future__ import annotations

import hashlib
import json
import os
import gzip
import sqlite3
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from tests.e2e.conftest import one_line


def _dump(home: Path, read_only: bool = False) -> str:
    path = home / "companion.sqlite3"
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) if read_only else sqlite3.connect(path)
    try:
        return "\n".join(line for line in conn.iterdump() if "search_" not in line)
    finally:
        conn.close()


def _files(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and "cache" not in p.parts}


@pytest.fixture
def home(run, tmp_path: Path) -> Path:
    """A data folder with one worksheet and its answers, and the app closed."""
    made = run("worksheets", "new", "plan", "--title", "Mine", "--answers", str(_json(tmp_path / "a.json", {
        "title": "Open a one-stop desk", "objective": "Serve 300 people"})))
    assert made.returncode == 0, made.stderr
    assert run("worksheets", "list").returncode == 0  # the day's backup, taken at the second start
    return tmp_path / "home"


def _json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _share(path: Path, worksheets: list[dict]) -> Path:
    """A share file as the app writes it (a valid checksum), around any worksheets."""
    payload = {"format": "mld-companion-share", "format_version": 1, "app_version": "0.1.0",
               "exported_at": "2026-01-01T00:00:00+00:00", "worksheets": worksheets}
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    path.write_text(json.dumps(payload, ensure_ascii=True), encoding="utf-8")
    return path


def _sheet(**changes) -> dict:
    sheet = {"uid": "u-1", "template_id": "plan", "template_version": 1, "title": "From a colleague",
             "status": "draft", "revision": 1, "created_at": "2026-01-01", "updated_at": "2026-01-01",
             "answers": {"title": "Theirs"}}
    sheet.update(changes)
    return sheet


def _unchanged_after(run, home: Path, *args: str) -> subprocess.CompletedProcess:
    before, files = _dump(home), _files(home)
    result = run(*args)
    assert _dump(home) == before
    assert _files(home) == files
    again = run("search", "desk")
    assert again.returncode == 0 and "Mine" in again.stdout, again.stderr
    return result


def _nested(depth: int):
    value = "deep"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("name, worksheets", [
    ("a 5,000-digit number", None),
    ("a lone surrogate in a value", [_sheet(answers={"title": "\ud800"})]),
    ("a lone surrogate in a key", [_sheet(answers={"\udfff": "x"})]),
    ("answers nested 500 deep", [_sheet(answers={"title": "x", "later-field": _nested(500)})]),
    ("answers nested 20 deep in a field of a later version",
     [_sheet(template_version=2, answers={"title": "x", "later-field": _nested(20)})]),
    ("a 10 MB title", [_sheet(title="T" * 10_000_000)]),
    ("a 1 MB answer", [_sheet(answers={"title": "x" * 1_000_000})]),
])
def test_a_share_file_a_companion_never_writes_is_refused_and_changes_nothing(run, home, tmp_path, name, worksheets):
    path = tmp_path / "bad.mldshare"
    if worksheets is None:  # Python's own json cannot even write it: put the digits in by hand
        _share(path, [_sheet(answers={"title": "Theirs", "later-field": 7})])
        path.write_text(path.read_text().replace('"later-field": 7', '"later-field": ' + "9" * 5000))
    else:
        _share(path, worksheets)
    result = _unchanged_after(run, home, "import", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "refused" in result.stdout


def test_a_folder_import_takes_the_good_files_and_names_each_refused_one(run, home, tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    _share(folder / "1-good.mldshare", [_sheet(uid="good-1", title="Good one")])
    _share(folder / "2-surrogate.mldshare", [_sheet(uid="bad-1", answers={"title": "\ud800"})])
    (folder / "3-garbage.mldshare").write_bytes(os.urandom(300))
    _share(folder / "4-good.mldshare", [_sheet(uid="good-2", title="Good two")])
    result = run("import", str(folder))
    assert result.returncode == 2, result.stderr
    assert "2-surrogate.mldshare" in result.stderr and "3-garbage.mldshare" in result.stderr
    assert "2 imported, 0 already here, 2 refused" in result.stdout
    listed = run("worksheets", "list").stdout
    assert "Good one" in listed and "Good two" in listed


def test_a_backup_cannot_plant_a_trigger_named_like_sqlite_statistics(run, home, tmp_path):
    backup = tmp_path / "planted.sqlite3"
    assert run("backup", "--out", str(backup)).returncode == 0
    backup.write_bytes(gzip.decompress(backup.read_bytes()))  # written packed; unpacked ones restore too
    conn = sqlite3.connect(backup)  # SQLite refuses the name in CREATE TRIGGER: write the schema by hand
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES "
                 "('trigger', 'sqlite_stat_x', 'answers', 0, 'CREATE TRIGGER sqlite_stat_x AFTER INSERT ON answers "
                 "BEGIN UPDATE answers SET value = ''\"overwritten\"''; END')")
    conn.commit()
    conn.close()
    result = run("restore", str(backup))
    # refused as not ours, or adopted without the trigger: either way no answer is overwritten
    assert run("worksheets", "new", "plan", "--title", "After").returncode == 0
    conn = sqlite3.connect(home / "companion.sqlite3")
    triggers = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    values = [value for (value,) in conn.execute("SELECT value FROM answers")]
    conn.close()
    assert "sqlite_stat_x" not in triggers
    assert '"overwritten"' not in values and '"Open a one-stop desk"' in values
    assert result.returncode == 2 and "not a companion backup" in one_line(result)


def test_a_restored_backup_keeps_the_data_and_none_of_the_files_schema(run, home, tmp_path):
    backup = tmp_path / "good.sqlite3"
    assert run("backup", "--out", str(backup)).returncode == 0
    assert run("worksheets", "new", "plan", "--title", "Made after the backup").returncode == 0
    assert run("restore", str(backup)).returncode == 0
    listed = run("worksheets", "list").stdout
    assert "Mine" in listed and "Made after the backup" not in listed
    assert run("search", "desk").stdout.count("Mine") >= 1  # the index is built again from the data
    leftovers = [p.name for p in home.iterdir() if p.name.startswith(".restore-")]
    assert leftovers == []


def test_a_yaml_bomb_pack_is_refused_at_once_and_leaves_no_cache(run, home, tmp_path):
    import shutil
    import zipfile

    from tests.conftest import MINI_PACK

    pack = tmp_path / "bomb"
    shutil.copytree(MINI_PACK, pack)
    manifest = pack / "manifest.yaml"
    laughs = 'x1: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"x{n + 1}: &{chr(97 + n)} [{', '.join(['*' + chr(96 + n)] * 9)}]\n" for n in range(1, 9))
    manifest.write_text(manifest.read_text().replace("version: 1.0.0", "version: 9.0.0") + laughs)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(pack.rglob("*")):
            if path.is_file():
                out.write(path, f"mini-en/{path.relative_to(pack)}")
    result = _unchanged_after(run, home, "content", "install", str(archive))
    assert result.returncode == 2 and "aliases" in one_line(result)
    cache = sum(p.stat().st_size for p in home.rglob("*") if "cache" in p.parts and p.is_file())
    assert cache < 10 * 1024 * 1024


def test_yaml_nested_900_deep_in_a_pack_is_one_line(run, tmp_path):
    import shutil

    from tests.conftest import MINI_PACK

    pack = tmp_path / "deep"
    shutil.copytree(MINI_PACK, pack)
    (pack / "glossary.yaml").write_text("terms: " + "[" * 900 + "]" * 900 + "\n")
    result = run("content", "check", str(pack))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nested" in result.stdout


ID_PAST_SQLITE = str(2 ** 63)


@pytest.mark.parametrize("args", [
    ("worksheets", "show", ID_PAST_SQLITE), ("worksheets", "history", ID_PAST_SQLITE),
    ("worksheets", "rename", ID_PAST_SQLITE, "x"), ("worksheets", "duplicate", ID_PAST_SQLITE),
    ("worksheets", "delete", ID_PAST_SQLITE), ("worksheets", "restore", ID_PAST_SQLITE),
    ("worksheets", "complete", ID_PAST_SQLITE), ("worksheets", "reopen", ID_PAST_SQLITE),
    ("worksheets", "revert", ID_PAST_SQLITE, "1"), ("worksheets", "revert", "1", ID_PAST_SQLITE),
    ("worksheets", "show", "-" + ID_PAST_SQLITE), ("worksheets", "show", "9" * 5000),
    ("export", "pdf", ID_PAST_SQLITE, "--out", "x.pdf"), ("export", "share", ID_PAST_SQLITE, "--out", "x.mldshare"),
    ("export", "csv", ID_PAST_SQLITE, "--out", "x.csv"), ("followup", "show", ID_PAST_SQLITE),
    ("followup", "report", ID_PAST_SQLITE, "--out", "x.pdf"),
    ("followup", "checkin", "1", ID_PAST_SQLITE, "--status", "done"),
    ("followup", "checkin", ID_PAST_SQLITE, "1", "--status", "done"),
])
def test_ids_past_what_sqlite_holds_are_one_line(run, home, args):
    result = _unchanged_after(run, home, *args)
    assert result.returncode == 2
    one_line(result)


def test_terminal_escapes_in_titles_are_printed_escaped(run, home, tmp_path):
    title = "Evil \x1b[2J\x1b]0;owned\x07 \x9b31m title"
    path = _share(tmp_path / "escapes.mldshare", [_sheet(uid="esc", title=title)])
    imported = run("import", str(path))
    listed = run("worksheets", "list")
    for output in (imported.stdout, listed.stdout):
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
        assert "\\x1b[2J" in output


def test_backup_out_refuses_a_device_and_writes_a_new_or_regular_file(run, home, tmp_path):
    device = tmp_path / "null"  # a device of our own: a companion that renamed over it harms nothing else
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        os.mkfifo(device)  # not root: a pipe is not a regular file either
    refused = _unchanged_after(run, home, "backup", "--out", str(device))
    assert refused.returncode == 2 and "not a regular file" in one_line(refused)
    assert not device.is_file()
    assert run("backup", "--out", str(tmp_path / "new.sqlite3")).returncode == 0
    assert run("backup", "--out", str(tmp_path / "new.sqlite3")).returncode == 0  # a regular file: replaced


def test_a_pipe_or_a_device_given_to_import_is_refused_at_once(run, home, tmp_path):
    fifo = tmp_path / "pipe.mldshare"
    os.mkfifo(fifo)
    done = threading.Event()
    results = {}

    def go():
        results["pipe"] = run("import", str(fifo))
        done.set()

    worker = threading.Thread(target=go, daemon=True)
    worker.start()
    finished = done.wait(60)
    if not finished:  # unblock the hung reader so the test ends
        with open(fifo, "w"):
            pass
    assert finished, "import of a pipe waited for a writer"
    assert results["pipe"].returncode == 2 and "not a file" in results["pipe"].stderr
    zero = _unchanged_after(run, home, "import", "/dev/zero")  # only read, never written
    assert zero.returncode == 2 and "not a file" in zero.stderr
    restore = _unchanged_after(run, home, "restore", "/dev/zero")
    assert restore.returncode == 2 and "not a file" in one_line(restore)


def test_a_crash_between_the_worksheet_and_its_import_record_leaves_neither(tmp_path, monkeypatch):
    from companion.storage.imports import ImportStore
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    path = _share(tmp_path / "once.mldshare", [_sheet(uid="once")])
    book = Workbook(tmp_path / "data", MINI_PACK)

    def power_cut(*_args):
        raise KeyboardInterrupt  # the process dies between the two writes

    monkeypatch.setattr(ImportStore, "record", power_cut)
    with pytest.raises(KeyboardInterrupt):
        book.sharing.import_paths([path])
    monkeypatch.undo()
    assert book.book.worksheets() == []
    results = book.sharing.import_paths([path])
    again = book.sharing.import_paths([path])
    assert [r.status for r in results] == ["imported"] and [r.status for r in again] == ["duplicate"]
    assert len(book.book.worksheets()) == 1
    book.close()


def test_leftovers_of_an_interrupted_restore_are_removed_at_the_next_start(run, home):
    leftover = home / ".restore-abc123.part"
    leftover.write_bytes(b"half a database")
    (home / "backups").mkdir(exist_ok=True)
    half_backup = home / "backups" / ".backup-20260101.sqlite3.part"
    half_backup.write_bytes(b"half")
    assert run("worksheets", "new", "plan", "--title", "Next start").returncode == 0
    assert not leftover.exists() and not half_backup.exists()


def test_a_read_only_data_folder_can_be_read_searched_exported_and_backed_up(run, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(home)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert run("worksheets", "new", "plan", "--title", "On a locked stick").returncode == 0
        if subprocess.run(["mount", "-o", "remount,ro", str(home)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only")
        before = _dump(home, read_only=True)
        for args in (("worksheets", "list"), ("search", "locked"), ("notes", "list"),
                     ("export", "pdf", "1", "--out", str(tmp_path / "ro.pdf")),
                     ("backup", "--out", str(tmp_path / "ro.sqlite3"))):
            result = run(*args)
            assert result.returncode == 0, (args, result.stderr)
            assert "read-only" in one_line(result)
        assert "On a locked stick" in run("worksheets", "list").stdout
        assert (tmp_path / "ro.pdf").stat().st_size > 1000 and (tmp_path / "ro.sqlite3").exists()
        refused = run("worksheets", "new", "plan", "--title", "Refused")
        assert refused.returncode == 2 and "read-only" in one_line(refused)
        assert _dump(home, read_only=True) == before
    finally:
        subprocess.run(["umount", "-l", str(home)], capture_output=True)
