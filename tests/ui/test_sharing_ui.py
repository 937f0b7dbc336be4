"""Exporting and importing from the window, as a participant and a trainer do."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from companion.workbook import sharing


def test_the_workbook_exports_on_a_worker_thread_and_imports_back(make_window, monkeypatch, qtbot, tmp_path):
    window = make_window(tmp_path / "mine")
    template = window.workbook.template("all-fields")
    window.workbook.book.create_worksheet("all-fields", "Mapa de atores", template.example)
    window.workbook.book.create_worksheet("plan", "Plano", {"title": "Informação"})
    out = tmp_path / "workbook.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    from companion.ui.views.choose import ChooseWorksheets

    monkeypatch.setattr(ChooseWorksheets, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(window.export_finished, timeout=30000) as finished:
        window.sharing_ui.export_all_action.trigger()
        assert window.isEnabled()  # the window stays usable while the PDF is written
    assert finished.args == [str(out)] and out.stat().st_size > 1000
    colleague = make_window(tmp_path / "colleague")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    with qtbot.waitSignal(colleague.imported) as imported:
        colleague.sharing_ui.import_paths([str(out)])
    assert imported.args == [2] and shown == ["2 imported, 0 already here, 0 refused."]
    assert sorted(w.title for w in colleague.workbook.book.worksheets()) == ["Mapa de atores", "Plano"]


def test_a_failed_export_says_why(make_window, monkeypatch, qtbot, tmp_path):
    window = make_window()
    window.workbook.book.create_worksheet("plan", "P")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "no-such-folder" / "x.pdf"), ""))
    from companion.ui.views.choose import ChooseWorksheets

    monkeypatch.setattr(ChooseWorksheets, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    with qtbot.waitSignal(window.export_finished, timeout=30000):
        window.sharing_ui.export_all_action.trigger()
    assert warned and "cannot write" in warned[0]


def test_the_profile_is_asked_once_and_goes_on_record(make_window, monkeypatch):
    window = make_window()
    from companion.ui.views import profile

    def fill(dialog):
        dialog.edits["name"].setText("Amina Yusuf")
        dialog.edits["city"].setText("Addis Ababa")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(profile.ProfileDialog, "exec", fill)
    window.ask_profile_once()
    assert window.workbook.book.profile()["name"] == "Amina Yusuf"
    monkeypatch.setattr(profile.ProfileDialog, "exec", lambda dialog: (_ for _ in ()).throw(AssertionError))
    window.ask_profile_once()  # not asked again


def test_a_chosen_set_of_worksheets_goes_into_one_pdf(make_window, monkeypatch, qtbot, tmp_path):
    window = make_window()
    for title in ("One", "Two", "Three"):
        window.workbook.book.create_worksheet("plan", title)
    from companion.ui.views.choose import ChooseWorksheets

    def untick_second(dialog):
        dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ChooseWorksheets, "exec", untick_second)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "two.pdf"), ""))
    with qtbot.waitSignal(window.export_finished, timeout=30000):
        window.sharing_ui.export_all_action.trigger()
    assert [w.title for w in sharing.read_file(tmp_path / "two.pdf")] == ["One", "Three"]


def test_share_and_csv_export_of_the_open_worksheet(make_window, monkeypatch, tmp_path):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan", "P", {"activities": [{"activity": "Rent"}]})
    window.navigate(f"worksheet:{worksheet.id}")
    for kind, name in (("share", "p.mldshare"), ("csv", "p.csv")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, n=name, **k: (str(tmp_path / n), ""))
        window.sharing_ui.export_current_as(kind)
    assert sharing.read_file(tmp_path / "p.mldshare")[0].title == "P"
    assert "Rent" in (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
