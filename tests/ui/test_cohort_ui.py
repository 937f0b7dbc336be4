"""The trainer's desk in the window: a cohort's roster, a worksheet opened from
it read only, the report saved on a worker thread, blank worksheets printed."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QMessageBox, QWidget

from tests.conftest import BUNDLED_PACK
from tests.unit.cohort_files import make_handin


@pytest.fixture(scope="module")
def handin(tmp_path_factory):
    return make_handin(tmp_path_factory.mktemp("course"))


def _roster(window, qtbot, folder):
    with qtbot.waitSignal(window.trainer_ui.cohort_read, timeout=30000) as read:
        window.trainer_ui.read_cohort([str(folder)])
    assert read.args[0] is not None
    return window.trainer_ui.roster


def test_the_roster_is_a_sortable_model_and_a_click_opens_a_worksheet_read_only(make_window, qtbot, handin,
                                                                               tmp_path):
    window = make_window(tmp_path / "trainer", pack=BUNDLED_PACK)
    assert [a.text() for a in window.menuBar().actions()][-2:] == ["&Trainer", "&Help"]
    roster = _roster(window, qtbot, handin["folder"])
    qtbot.addWidget(roster)
    table, proxy = roster.table, roster.proxy
    assert table.model() is proxy and proxy.sourceModel() is roster.model  # data, not a widget per cell
    assert proxy.rowCount() == 4 and proxy.columnCount() == 5 + 4
    names = [proxy.index(r, 0).data() for r in range(4)]
    assert names == ["Amina Yusuf", "Carlos Pérez", "No name (old.mldshare)", "فاطمة الزهراء"]
    table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # by how much each handed in
    assert [proxy.index(r, 4).data() for r in range(4)] == ["3", "2", "2", "1"]
    plan = next(c for c in range(proxy.columnCount()) if proxy.headerData(c, Qt.Orientation.Horizontal) ==
                "Action plan")
    assert proxy.index(0, plan).data() == "100% · draft"
    assert roster.unread.isVisible() and "notes.pdf" in roster.unread.toPlainText()
    roster.resize(1100, 460)
    roster.grab().save(str(tmp_path / "roster.png"))
    assert (tmp_path / "roster.png").stat().st_size > 10_000
    with qtbot.waitSignal(roster.worksheet_opened) as opened:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                         pos=table.visualRect(proxy.index(0, plan)).center())
    dialog = opened.args[0]
    qtbot.addWidget(dialog)
    assert dialog.worksheet.answers["title"] == "The second version of the plan"
    title = dialog.rows["title"].editor.findChild(QLineEdit)
    assert title.text() == "The second version of the plan" and title.isReadOnly()
    assert "Amina Yusuf" in dialog.windowTitle() and "read only" in dialog.about.text()
    dialog.grab().save(str(tmp_path / "worksheet.png"))
    nameless = [w for w in (roster, *roster.findChildren(QWidget)) if w.isVisible()
                and not (w.accessibleName() or getattr(w, "text", lambda: "")()) and w.focusPolicy() !=
                Qt.FocusPolicy.NoFocus and w.metaObject().className() in ("QTableView", "QPlainTextEdit",
                                                                        "QPushButton", "QDialog")]
    assert nameless == []
    assert len(window.workbook.book.worksheets()) == 0  # nothing was imported


def test_the_report_is_saved_where_the_trainer_chooses_on_a_worker_thread(make_window, qtbot, handin, tmp_path,
                                                                        monkeypatch):
    window = make_window(tmp_path / "trainer", pack=BUNDLED_PACK)
    roster = _roster(window, qtbot, handin["folder"])
    qtbot.addWidget(roster)
    out = tmp_path / "chosen"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    with qtbot.waitSignal(window.trainer_ui.report_written, timeout=60000) as written:
        roster.save_button.click()
        assert window.isEnabled()
    assert written.args == [str(out)]
    assert sorted(p.name for p in out.iterdir()) == ["cohort.pdf", "cohort.sqlite", "cohort.xlsx"]
    assert "Saved cohort.pdf" in roster.saved.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    roster.save_button.click()  # the files are there already: asked, and left alone
    assert not window.trainer_ui._running


def test_a_folder_with_nothing_readable_is_told_in_a_dialog(make_window, qtbot, tmp_path, monkeypatch):
    window = make_window(tmp_path / "trainer", pack=BUNDLED_PACK)
    (tmp_path / "empty").mkdir()
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    with qtbot.waitSignal(window.trainer_ui.cohort_read, timeout=30000) as read:
        window.trainer_ui.read_cohort([str(tmp_path / "empty")])
    assert read.args == [None] and "no share file" in warned[0]


def test_blank_worksheets_are_printed_from_the_file_menu(make_window, qtbot, tmp_path, monkeypatch):
    window = make_window(tmp_path / "trainer", pack=BUNDLED_PACK)
    from companion.ui.views.choose import ChooseTemplates

    def choose(dialog):
        dialog._set_all(Qt.CheckState.Unchecked)
        for row in range(dialog.list.count()):
            if dialog.list.item(row).data(Qt.ItemDataRole.UserRole) in ("action-plan", "stakeholder-map"):
                dialog.list.item(row).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChooseTemplates, "exec", choose)
    (tmp_path / "papers").mkdir()
    out = tmp_path / "papers" / "blank.pdf"
    offered = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (offered.append(a[2]), (str(out), ""))[1])
    file_menu = window.menuBar().actions()[0].menu()
    assert window.trainer_ui.blank_action in file_menu.actions()
    with qtbot.waitSignal(window.trainer_ui.blank_written, timeout=60000) as written:
        window.trainer_ui.blank_action.trigger()
    assert written.args == [str(out)] and Path(out).read_bytes()[:5] == b"%PDF-"
    with qtbot.waitSignal(window.trainer_ui.blank_written, timeout=60000):
        window.trainer_ui.blank_action.trigger()
    assert Path(offered[0]).name == "Blank worksheets.pdf"
    assert Path(offered[1]).parent == out.parent  # the next dialog opens where the last file went
