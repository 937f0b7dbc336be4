"""File → Install content from USB…, and a read-only stick at start, as a participant sees them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from companion.workbook import packs, portable
from tests.unit.test_packs import newer_pack, zip_of


def _tree_titles(window) -> list[str]:
    model = window.nav.model()
    titles = []

    def walk(parent):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            titles.append(index.data())
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return titles


def _answer_boxes(monkeypatch, button_text: str | None) -> list[tuple[str, str]]:
    """Record every message box; click the button named ``button_text`` in question boxes."""
    seen = []

    def exec_(box):
        seen.append((box.text(), box.informativeText() + "\n" + box.detailedText()))
        for button in box.buttons():
            if button_text and button.text() == button_text:
                button.click()
                return 0
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: seen.append((title, text)))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: seen.append((title, text)))
    return seen


def test_installing_content_from_usb_shows_the_changes_and_keeps_the_answers(make_window, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    plan = window.workbook.book.create_worksheet("plan", "Our plan", {"title": "One door", "objective": "Open a centre"})
    archive = zip_of(newer_pack(tmp_path / "src"), tmp_path / "mini-1.1.0.zip")
    assert "File" in window.menuBar().actions()[0].text().replace("&", "")
    action = window.content_installer.action
    assert action in window.menuBar().actions()[0].menu().actions()
    assert action.text().replace("&", "") == "Install content from USB…"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    seen = _answer_boxes(monkeypatch, "Install anyway")  # the test pack is not signed

    action.trigger()

    question, details = seen[0]
    assert "version 1.1.0" in question and "replaces version 1.0.0" in question
    assert "removed fields: objective" in details and "core-new" in details
    assert window.workbook.pack.version == "1.1.0"
    assert "New Key concepts" in _tree_titles(window)
    assert "Follow-up of your plan" in _tree_titles(window), "rows added by other parts stay"
    window.open_worksheet(plan.id)
    assert window.workbook.book.set_apart(window.workbook.book.worksheet(plan.id)) == ('earlier', [("Objective", "Open a centre")])


def test_cancelling_or_a_broken_pack_changes_nothing(make_window, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    before = _tree_titles(window)
    good = zip_of(newer_pack(tmp_path / "src"), tmp_path / "good.zip")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    seen = _answer_boxes(monkeypatch, "Cancel")
    window.content_installer.action.trigger()
    assert window.workbook.pack.version == "1.0.0" and not (packs.packs_dir(window.workbook.data_dir) / "mini-en").exists()
    evil = zip_of(newer_pack(tmp_path / "src2"), tmp_path / "evil.zip", [("mini-en/../../evil.txt", b"x")])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(evil), ""))
    window.content_installer.action.trigger()
    title, text = seen[-1]
    assert title == "Content not installed" and "outside the pack folder" in text and "goes on" in text
    assert _tree_titles(window) == before and window.workbook.pack.version == "1.0.0"
    assert not list(tmp_path.rglob("evil.txt"))


def test_a_read_only_stick_at_start_offers_this_computers_folder(qtbot, monkeypatch, tmp_path):
    from companion.ui.app import make_app
    from companion.ui.portable import choose_data_dir

    make_app()
    fallen = portable.DataFolder(tmp_path / "laptop", wanted=Path("/media/stick/companion-data"),
                                 problem="Read-only file system")
    seen = _answer_boxes(monkeypatch, "Use this computer's folder")
    assert choose_data_dir(None, resolve=lambda d: fallen) == (str(tmp_path / "laptop"), True)
    assert "cannot save your work on this USB stick" in seen[0][0]
    assert "Read-only file system" in seen[0][1] and str(tmp_path / "laptop") in seen[0][1]
    _answer_boxes(monkeypatch, "Quit")
    assert choose_data_dir(None, resolve=lambda d: fallen) == (None, False)
    fine = portable.DataFolder(tmp_path / "stick", portable=True)
    assert choose_data_dir("given", resolve=lambda d: fine) == ("given", True)
