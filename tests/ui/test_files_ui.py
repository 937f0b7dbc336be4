"""Files in and out of the window: where the export dialogs open and what they
suggest, what an import says, and the follow-up view after an import."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from companion.ui.export_place import file_name


def _boxes(monkeypatch) -> list[dict]:
    """Every message box the window shows, as a person would read it, answered at once."""
    shown = []

    def record(box, *_a):
        shown.append({"icon": box.icon(), "title": box.windowTitle(), "text": box.text(),
                      "informative": box.informativeText(), "details": box.detailedText()})
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    for kind, icon in (("information", QMessageBox.Icon.Information), ("warning", QMessageBox.Icon.Warning)):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, title, text, *a, i=icon, **k: shown.append(
            {"icon": i, "title": title, "text": text, "informative": "", "details": ""}) or QMessageBox.StandardButton.Ok)
    return shown


# -- what an import says, and the follow-up view after it ----------------------------------------------

def test_an_import_that_refused_every_file_says_so_as_a_warning_naming_each_file(make_window, monkeypatch, tmp_path):
    window = make_window()
    (tmp_path / "plano.mldshare").write_bytes(b"not a share file at all")
    (tmp_path / "relatório.pdf").write_bytes(b"%PDF-1.4 nothing of ours")
    shown = _boxes(monkeypatch)
    window.sharing_ui.import_paths([str(tmp_path / "plano.mldshare"), str(tmp_path / "relatório.pdf")])
    assert len(shown) == 1
    box = shown[0]
    assert box["icon"] == QMessageBox.Icon.Warning
    said = box["text"] + "\n" + box["informative"]  # on the face of the box, not behind "Show details"
    assert "Nothing was imported" in said
    assert "plano.mldshare" in said and "relatório.pdf" in said
    assert window.workbook.book.worksheets() == []


def test_the_follow_up_view_shows_a_plan_imported_while_it_is_on_screen(make_window, monkeypatch, tmp_path):
    colleague = make_window(tmp_path / "colleague")
    plan = colleague.workbook.book.create_worksheet("plan", "Plano de Mirazul", {
        "title": "Um balcão", "activities": [{"activity": "Alugar a sala", "start": "2027-03-01"}]})
    share = tmp_path / "plano.mldshare"
    colleague.workbook.sharing.export_share([plan.id], share)
    window = make_window(tmp_path / "mine")
    window.study_ui.followup_action.trigger()
    view = window.study_ui.followup_view
    assert window.stack.currentWidget() is view and view.empty.isVisible()
    shown = _boxes(monkeypatch)
    window.sharing_ui.import_paths([str(share)])
    assert shown and shown[0]["icon"] == QMessageBox.Icon.Information
    assert window.stack.currentWidget() is view
    assert not view.empty.isVisible() and view.plans.currentText() == "Plano de Mirazul"
    assert view.table.item(0, 0).text() == "1. Alugar a sala"


# -- where the export dialogs open, and the names they suggest -----------------------------------------

@pytest.fixture
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation",
                        lambda kind: str(folder) if kind == QStandardPaths.StandardLocation.DocumentsLocation
                        else str(tmp_path / "elsewhere"))
    return folder


def _save_dialogs(monkeypatch, answer):
    """The save dialogs asked, as (title, suggested path); each answers ``answer(suggested)``."""
    asked = []

    def ask(_parent, title, suggested, *_a, **_k):
        asked.append((title, suggested))
        return answer(suggested), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    return asked


def test_export_dialogs_start_in_documents_then_remember_the_folder_used(make_window, monkeypatch, tmp_path,
                                                                        documents):
    window = make_window()
    worksheet = window.workbook.book.create_worksheet("plan", "Plano d'Água — Mirazul")
    window.navigate(f"worksheet:{worksheet.id}")
    stick = tmp_path / "stick"
    stick.mkdir()
    asked = _save_dialogs(monkeypatch, lambda suggested: str(stick / Path(suggested).name))
    window.sharing_ui.export_current_as("share")
    assert Path(asked[0][1]).parent == documents
    assert Path(asked[0][1]).name == "Plano d'Água — Mirazul.mldshare"
    assert (stick / "Plano d'Água — Mirazul.mldshare").is_file()
    window.sharing_ui.export_current_as("csv")
    assert Path(asked[1][1]) == stick / "Plano d'Água — Mirazul.csv"  # the folder used last
    assert window.workbook.preference("export_folder") == str(stick)


def test_a_remembered_folder_that_is_gone_falls_back_to_documents(make_window, monkeypatch, tmp_path, documents):
    window = make_window()
    window.workbook.set_preference("export_folder", str(tmp_path / "stick-of-another-computer"))
    worksheet = window.workbook.book.create_worksheet("plan", "Plano")
    window.navigate(f"worksheet:{worksheet.id}")
    asked = _save_dialogs(monkeypatch, lambda suggested: "")  # the person cancels
    window.sharing_ui.export_current_as("csv")
    assert Path(asked[0][1]) == documents / "Plano.csv"


def test_the_follow_up_report_dialog_starts_in_documents_with_the_plan_s_title(make_window, monkeypatch, documents):
    window = make_window()
    plan = window.workbook.book.create_worksheet("plan", "خطة العمل: مدينة؟", {
        "activities": [{"activity": "Rent"}]})
    window.navigate(f"followup:{plan.id}")
    asked = _save_dialogs(monkeypatch, lambda suggested: "")
    window.study_ui.followup_view.report_button.click()
    assert Path(asked[0][1]).parent == documents
    assert Path(asked[0][1]).name.startswith("خطة العمل_ مدينة؟")  # only the ":" no file system takes


@pytest.mark.parametrize("title, expected", [
    ("Plano d'Água — Mirazul", "Plano d'Água — Mirazul"),
    ("خطة العمل للمدينة", "خطة العمل للمدينة"),
    ("የድርጊት እቅድ", "የድርጊት እቅድ"),
    ("Ação: 2025/26 \"final\" <v2>?*|\\", "Ação_ 2025_26 _final_ _v2_"),
    ("tab\there\x07bell", "tab_here_bell"),
    ("  ...  ", "worksheet"),
])
def test_suggested_file_names_keep_the_title_s_letters(title, expected):
    assert file_name(title, "worksheet") == expected


def test_import_dialogs_start_in_documents_too(make_window, monkeypatch, documents):
    window = make_window()
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda _p, _t, folder, *a, **k: asked.append(folder) or ([], ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda _p, _t, folder="", *a, **k: asked.append(folder) or "")
    window.sharing_ui.import_action.trigger()
    window.sharing_ui.import_folder_action.trigger()
    assert [Path(folder) for folder in asked] == [documents, documents]
