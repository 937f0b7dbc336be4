"""Data safety from the window: saving that fails and is retried, closing with
unsaved changes, backing up to a stick and restoring, what is said at start."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTextBrowser

from companion.workbook import safety
from companion.storage.restore import verify
from companion.storage.instances import WorksheetStore
from companion.workbook import Workbook
from tests.conftest import MINI_PACK

SCREENSHOTS = os.environ.get("COMPANION_SCREENSHOTS")  # a folder: keep the pictures taken here


@pytest.fixture
def failing_disk(monkeypatch):
    """Saving fails with a disk error until ``failing_disk.fixed = True``."""

    class Disk:
        fixed = False
        attempts = 0

    real = WorksheetStore.save_answers

    def save(self, *args, **kwargs):
        Disk.attempts += 1
        if not Disk.fixed:
            error = sqlite3.OperationalError("disk I/O error")
            error.sqlite_errorname = "SQLITE_IOERR"
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(WorksheetStore, "save_answers", save)
    return Disk


def _open_plan(window):
    worksheet = window.workbook.book.create_worksheet("plan", "My plan")
    window.navigate(f"worksheet:{worksheet.id}")
    return worksheet


def test_a_failed_save_shows_at_once_keeps_the_typing_and_is_retried(make_window, qtbot, failing_disk):
    window = make_window()
    worksheet = _open_plan(window)
    view = window.worksheet_view
    edit = view.rows["objective"].editor.edit
    qtbot.keyClicks(edit, "Serve 300 returnees")
    assert view.flush() is False
    assert view.banner.isVisible() and "not saved yet" in view.banner.text()
    assert "could not be read or written" in view.banner.text() and "Traceback" not in view.banner.text()
    assert view.saved.text() == "Not saved"
    assert "not saved yet" in window.statusBar().currentMessage()
    assert edit.toPlainText() == "Serve 300 returnees" if hasattr(edit, "toPlainText") else edit.text()
    failing_disk.fixed = True
    with qtbot.waitSignal(view.answers_saved, timeout=5000):
        pass  # the retry, 3 s later, with nothing done by the person
    assert not view.banner.isVisible() and view.saved.text().startswith("Saved ")
    assert window.statusBar().currentMessage() == ""
    assert window.workbook.book.worksheet(worksheet.id).answers["objective"] == "Serve 300 returnees"
    # saving as one types is back to its usual half second
    qtbot.keyClicks(edit, ".")
    with qtbot.waitSignal(view.answers_saved, timeout=1500):
        pass


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(make_window, qtbot, monkeypatch,
                                                                      failing_disk):
    window = make_window()
    worksheet = _open_plan(window)
    qtbot.keyClicks(window.worksheet_view.rows["title"].editor.edit, "Not lost")
    asked = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    window.close()
    assert asked and "could not be saved" in asked[0]
    assert window.isVisible()
    assert window.worksheet_view.rows["title"].editor.edit.text() == "Not lost"
    failing_disk.fixed = True
    window.close()  # saved now: no question
    assert len(asked) == 1 and not window.isVisible()
    again = Workbook(window.workbook.data_dir, MINI_PACK)
    assert again.book.worksheet(worksheet.id).answers["title"] == "Not lost"
    again.close()


def test_closing_and_discarding_is_the_persons_choice(make_window, qtbot, monkeypatch, failing_disk):
    window = make_window()
    _open_plan(window)
    qtbot.keyClicks(window.worksheet_view.rows["title"].editor.edit, "Let go")
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()
    assert not window.isVisible()


def test_opening_another_worksheet_with_unsaved_changes_asks_first(make_window, qtbot, monkeypatch, failing_disk):
    window = make_window()
    first = _open_plan(window)
    other = window.workbook.book.create_worksheet("plan", "Other plan")
    qtbot.keyClicks(window.worksheet_view.rows["title"].editor.edit, "Typed here")
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.navigate(f"worksheet:{other.id}")
    view = window.worksheet_view
    assert view.worksheet.id == first.id and view.rows["title"].editor.edit.text() == "Typed here"
    assert window.stack.currentWidget() is view and view.banner.isVisible()
    failing_disk.fixed = True
    window.navigate(f"worksheet:{other.id}")
    assert view.worksheet.id == other.id
    assert window.workbook.book.worksheet(first.id).answers["title"] == "Typed here"


def test_the_file_menu_backs_up_to_a_stick_and_restores(make_window, qtbot, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    labels = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Back up your data to a file…" in labels and "&Restore from a backup…" in labels
    window.workbook.book.create_worksheet("plan", "Before the trip")
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(stick / "my-backup"), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window.data_safety.backup_action.trigger()
    backup = stick / "my-backup.mldbackup"
    assert backup.is_file() and safety.inspect(backup).worksheets == 1  # packed: read through a private copy
    assert told and "you may now remove the stick" in told[0]
    window.workbook.book.create_worksheet("plan", "After the trip")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    questions = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: questions.append(a[2]) or QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.data_safety.restored):
        window.data_safety.restore_action.trigger()
    assert "holds 1 worksheet," in questions[0] and "backed up first" in questions[0]
    assert [w.title for w in window.workbook.book.worksheets()] == ["Before the trip"]
    assert window.stack.currentWidget() is window.reader
    assert any("before-restore" in b.path.name for b in safety.list_backups(window.workbook))


def test_restoring_a_bad_file_changes_nothing_and_says_why(make_window, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    window.workbook.book.create_worksheet("plan", "Mine")
    bad = tmp_path / "holiday-photo.mldbackup"
    bad.write_bytes(os.urandom(5000))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked to restore a bad file"))
    assert window.data_safety.restore_from_file() is False
    assert "not a companion backup" in warned[0] and "Nothing was changed" in warned[0]
    assert [w.title for w in window.workbook.book.worksheets()] == ["Mine"]


def _damaged_folder_with_backup(folder: Path) -> None:
    book = Workbook(folder, MINI_PACK)
    book.book.create_worksheet("plan", "Kept by the backup")
    safety.backup_now(book, "daily")
    book.book.create_worksheet("plan", "Written after the backup")
    book.close()
    database = folder / "companion.sqlite3"
    data = bytearray(database.read_bytes())
    for start in range(4096, len(data), 4096):
        data[start:start + 4096] = os.urandom(4096)
    database.write_bytes(bytes(data))


def test_a_damaged_database_is_recovered_at_start_and_the_person_is_told(make_window, qtbot, tmp_path):
    folder = tmp_path / "data"
    _damaged_folder_with_backup(folder)
    startup = Workbook(folder, MINI_PACK).safety.start()
    try:
        window = make_window(folder)
        box = window.data_safety.startup_box(startup)
        assert box is not None and box.accessibleName() == "Your data was recovered"
        taken = startup.recovery.backup.taken.strftime("%Y-%m-%d %H:%M")
        assert taken in box.text() and "missing" in box.informativeText()
        assert str(startup.recovery.damaged) in box.informativeText()
        assert [w.title for w in window.workbook.book.worksheets()] == ["Kept by the backup"]
        box.show()
        qtbot.waitExposed(box)
        picture = Path(SCREENSHOTS or tmp_path) / "recovered-at-start.png"
        picture.parent.mkdir(parents=True, exist_ok=True)
        assert box.grab().save(str(picture)) and picture.stat().st_size > 1000
        box.close()
    finally:
        startup.release()


def test_a_second_window_on_the_same_data_is_refused_with_a_message(qtbot, monkeypatch, tmp_path):
    from companion.ui import safety as data_safety
    from companion.ui.app import make_app

    make_app()
    first = Workbook(tmp_path, MINI_PACK).safety.start()
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.informativeText())) or 0)
    try:
        assert data_safety.start(Workbook(tmp_path, MINI_PACK)) is None
    finally:
        first.release()
    assert shown and shown[0][0] == "The companion is already open." and str(tmp_path) in shown[0][1]


# the reader never loads anything from outside --------------------------------------------------
@pytest.mark.parametrize("url", [
    "http://evil.example/t.png", "https://evil.example/t.png", "ftp://evil.example/t.png", "file:///etc/passwd",
    "//evil.example/share/t.png", "\\\\evil\\share\\t.png", "data:image/png;base64,AAAA", "smb://evil/share",
])
def test_the_reader_refuses_every_resource_from_outside(make_window, monkeypatch, url):
    window = make_window()
    asked = []
    monkeypatch.setattr(QTextBrowser, "loadResource", lambda self, kind, u: asked.append(u.toString()))
    for browser in (window.reader.browser, window.worksheet_view.instructions):
        assert browser.loadResource(2, QUrl(url)) is None
    assert asked == []


def test_a_hostile_topic_loads_nothing_and_runs_nothing(make_window, monkeypatch):
    from companion.content.markdown import to_html

    window = make_window()
    requested = []
    real = type(window.reader.browser).loadResource

    def spy(self, kind, url):
        requested.append(url.toString())
        return real(self, kind, url)

    monkeypatch.setattr(type(window.reader.browser), "loadResource", spy)
    fetched = []
    monkeypatch.setattr(QTextBrowser, "loadResource", lambda self, kind, u: fetched.append(u.toString()))
    page = to_html("<script>alert(1)</script>\n\n![t](http://evil.example/t.png) "
                   "<img src=http://evil.example/x.png> [x](javascript:alert(1))\n\n"
                   "<iframe src=https://evil.example></iframe>")
    window.reader.show_html(page)
    text = window.reader.browser.toPlainText()
    assert "<script>alert(1)</script>" in text and "<iframe" in text  # shown as text
    assert fetched == [] and not any("evil" in r for r in requested)


def test_a_web_link_opens_only_after_the_person_agrees(make_window, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    window = make_window()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.reader.browser.anchorClicked.emit(QUrl("https://example.org/"))
    assert opened == []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.reader.browser.anchorClicked.emit(QUrl("https://example.org/"))
    assert opened == ["https://example.org/"]


def test_the_app_opens_its_window_before_the_daily_backup_and_takes_it_just_after(qtbot, tmp_path, monkeypatch):
    """The path `companion` takes (ui.app.open_window, then after_start once shown)."""
    from companion.ui.app import make_app, open_window

    book = Workbook.open(tmp_path)
    book.book.create_worksheet("action-plan", "My plan")
    book.close()
    make_app()
    window, startup = open_window(str(tmp_path))
    qtbot.addWidget(window)
    try:
        assert startup.daily_due and not list((tmp_path / "backups").glob("backup-*"))
        window.show()
        qtbot.waitExposed(window)
        told = []
        monkeypatch.setattr(window.data_safety, "tell_startup", told.append)
        window.data_safety.after_start(startup)  # the copy runs on a worker thread; the window answers
        qtbot.waitUntil(lambda: told == [startup], timeout=20000)
        assert startup.backup is not None and verify(startup.backup).worksheets == 1
    finally:
        window.workbook.close()
        startup.release()
