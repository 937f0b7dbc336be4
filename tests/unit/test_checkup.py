"""Every page of the database read after the window's first paint, and damage found then
recovered at the next start."""
from __future__ import annotations

import os
from pathlib import Path

from companion.workbook import Workbook, checkup
from tests.conftest import MINI_PACK


def _damaged_pages(folder: Path) -> None:
    """Garbage over pages past the schema: the file's start and schema still read."""
    path = folder / "companion.sqlite3"
    data = bytearray(path.read_bytes())
    for start in range(len(data) // 4096 // 2 * 4096, len(data), 4096 * 2):
        data[start:start + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


def _filled(folder: Path) -> Workbook:
    book = Workbook(folder, MINI_PACK)
    for number in range(6):
        sheet = book.book.create_worksheet("plan", f"Plan {number}")
        book.book.save_answers(sheet.id, {"title": f"Title {number}", "objective": "o" * 9000})
    return book


def test_a_start_without_the_page_check_reads_it_later_and_the_next_start_recovers(tmp_path: Path):
    folder = tmp_path / "data"
    book = _filled(folder)
    book.safety.backup_now("daily")
    book.close()
    _damaged_pages(folder)
    book = Workbook(folder, MINI_PACK)
    startup = book.safety.start(daily=False, pages=False)
    assert startup.recovery is None and not startup.pages_checked  # not read before the window
    checkup.check_pages(folder, startup)  # on the worker thread, after the first paint
    assert startup.damaged and not startup.daily_due and checkup.asked(folder)
    startup.release()
    book.close()
    book = Workbook(folder, MINI_PACK)
    startup = book.safety.start(daily=False, pages=False)  # asked: every page is read first
    assert startup.recovery is not None and startup.recovery.backup is not None
    assert not checkup.asked(folder)
    assert len(book.book.worksheets()) == 6
    startup.release()
    book.close()


def test_a_whole_database_passes_the_later_check(tmp_path: Path):
    folder = tmp_path / "data"
    book = _filled(folder)
    book.close()
    book = Workbook(folder, MINI_PACK)
    startup = book.safety.start(daily=False, pages=False)
    checkup.check_pages(folder, startup)
    assert startup.pages_checked and not startup.damaged and not checkup.asked(folder)
    startup.release()
    book.close()
