"""The window's main flows with every Python socket refused (in this process).

Start the window, read a topic, edit a worksheet, export a PDF on the worker
thread, search, import, back up and restore: each works, and nothing even
tried to open a socket. (tests/e2e/test_no_network_cli.py runs the command
line the same way, and in a namespace with no network at all.)
"""
from __future__ import annotations

import socket

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox



@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(name):
        def refused(*args, **kwargs):
            attempts.append(name)
            raise OSError(101, f"network use refused by the test ({name})")
        return refused

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse("socket.socket")()

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_server",
                 "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    attempts.clear()
    return attempts


def test_the_main_flows_work_with_the_network_refused(no_network, make_window, qtbot, monkeypatch, tmp_path):
    window = make_window(tmp_path / "data")
    window.navigate("topic:core-why-local")
    assert "Why" in window.reader.browser.toPlainText()
    worksheet = window.workbook.book.create_worksheet("plan", "Offline plan")
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    qtbot.keyClicks(view.rows["objective"].editor.edit, "Works without the internet")
    assert view.flush()

    out = tmp_path / "plan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    from companion.ui.views.choose import ChooseWorksheets

    monkeypatch.setattr(ChooseWorksheets, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(window.export_finished, timeout=30000) as finished:
        window.sharing_ui.export_pdf([worksheet.id])
    assert finished.args == [str(out)] and out.stat().st_size > 1000

    window.study_ui.run_search("internet")
    found = window.study_ui.search_view.found
    assert any(result.kind == "worksheet" for result in found)

    share = window.workbook.sharing.export_share([worksheet.id], tmp_path / "plan.mldshare")
    colleague = make_window(tmp_path / "colleague")
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    with qtbot.waitSignal(colleague.imported) as imported:
        colleague.sharing_ui.import_paths([str(share)])
    assert imported.args == [1]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "all.mldbackup"), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert window.data_safety.backup_to_file()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "all.mldbackup"), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.data_safety.restore_from_file()
    assert no_network == []
