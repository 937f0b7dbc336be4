"""The sample XLSForm imported into a pack, its worksheet filled in through the window (show-if
and constraints as the form says), exported as a share file and imported back by a colleague."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.conftest import MINI_PACK, ROOT

pytest.importorskip("pyxform")


def _type(editor, text: str) -> None:
    editor.edit.setText(text)
    editor.edit.textEdited.emit(text)


def test_the_imported_form_is_filled_in_the_window_exported_and_imported_back(make_window, monkeypatch, qtbot,
                                                                                tmp_path):
    from companion.content.xlsform import import_xlsform

    pack = shutil.copytree(MINI_PACK, tmp_path / "pack")
    import_xlsform(ROOT / "content" / "samples" / "consultation-plan.xlsx", pack, module="m1")
    window = make_window(tmp_path / "mine", pack=pack)
    worksheet = window.workbook.book.create_worksheet("consultation-plan", "Consultation in Mirazul")
    window.navigate(f"worksheet:{worksheet.id}")
    view = window.worksheet_view
    rows = view.rows
    assert rows["invited-other"].isHidden() and rows["languages"].isHidden()

    qtbot.keyClicks(rows["topic"].editor.edit, "Opening hours of the centre")
    _type(rows["meeting-date"].editor, "2026-05-12")
    _type(rows["participants"].editor, "900")
    format_editor = rows["format"].editor
    format_editor.combo.setCurrentIndex(format_editor.choices.index("focus-group"))
    for option_id, box in rows["invited"].editor.boxes:
        box.setChecked(option_id in ("returnees", "other"))
    assert not rows["invited-other"].isHidden()  # selected(${invited}, 'other')
    qtbot.keyClicks(rows["invited-other"].editor.edit, "Seasonal workers")
    interpreters = rows["interpreters"].editor
    interpreters.combo.setCurrentIndex(interpreters.choices.index("yes"))
    assert not rows["languages"].isHidden()  # ${interpreters} = 'yes'
    qtbot.keyClicks(rows["languages"].editor.edit, "Arabic, Tigrinya")
    agenda = rows["agenda"].editor
    agenda.set_value([{"question": "What would make the centre easier to reach?", "minutes": 15}])
    agenda.edited.emit()
    _type(rows["report-date"].editor, "2026-06-15")
    assert view.flush()

    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
    view.toggle_complete()  # 900 people: the form's constraint says no
    assert view.worksheet.status == "draft" and told
    assert rows["participants"].message.text() == "Between 1 and 500 people"
    _type(rows["participants"].editor, "40")
    view.toggle_complete()
    assert view.worksheet.status == "complete"
    stored = window.workbook.book.worksheet(worksheet.id).answers
    assert stored["participants"] == 40 and stored["invited"] == ["returnees", "other"]
    assert stored["agenda"] == [{"question": "What would make the centre easier to reach?", "minutes": 15}]

    out = tmp_path / "consultation.mldshare"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.sharing_ui.export_current_as("share")
    assert out.is_file()
    colleague = make_window(tmp_path / "colleague", pack=pack)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    with qtbot.waitSignal(colleague.imported):
        colleague.sharing_ui.import_paths([str(out)])
    received = colleague.workbook.book.worksheets("consultation-plan")
    assert [w.title for w in received] == ["Consultation in Mirazul"]
    assert colleague.workbook.book.worksheet(received[0].id).answers == stored
    colleague.navigate(f"worksheet:{received[0].id}")
    assert not colleague.worksheet_view.rows["languages"].isHidden()
