"""Tables for spreadsheets: typed .xlsx, CSV a spreadsheet of any language
splits right, and text that never runs as a formula."""
from __future__ import annotations

import datetime as dt
import os
import stat

import openpyxl
import pytest

from companion.export.spreadsheet import default_delimiter

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\tTab", "\rCR"]
PLAN = {"title": HOSTILE[0], "activities": [
    {"activity": HOSTILE[1], "start": "2027-03-01", "end": "2027-06-30", "budget": 5000},
    {"activity": HOSTILE[3], "budget": -5}]}


def test_csv_cells_that_look_like_formulas_stay_text(workbook, tmp_path):
    sheet = workbook.book.create_worksheet("plan", "Plan", PLAN)
    text = workbook.sharing.csv_text(sheet.id, ",")
    assert "'+1+2," in text and "'@SUM(A1)" in text
    assert ",-5" in text  # a negative number is a number, not a formula
    for line in text.splitlines():
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), line


@pytest.mark.parametrize("lang, delimiter", [("fr_FR.UTF-8", ";"), ("es_ES.UTF-8", ";"), ("pt_BR.UTF-8", ";"),
                                             ("en_GB.UTF-8", ","), ("ar_MA.UTF-8", ",")])
def test_csv_splits_where_a_spreadsheet_of_that_language_expects(monkeypatch, lang, delimiter):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_NUMERIC", raising=False)
    monkeypatch.setenv("LANG", lang)
    assert default_delimiter() == delimiter


def test_xlsx_has_a_sheet_per_table_with_typed_columns_and_no_formula(workbook, tmp_path):
    first = workbook.book.create_worksheet("plan", "Plan A", PLAN)
    second = workbook.book.create_worksheet("plan", "Plan B", {"title": "B", "activities": [
        {"activity": "Train staff", "start": "2027-09-01", "budget": 1200.5}]})
    out = workbook.sharing.export_xlsx([first.id, second.id], tmp_path / "plans.xlsx")
    book = openpyxl.load_workbook(out)
    answers, activities = book.worksheets[0], book["Activities"]
    assert [c.value for c in answers[2]] == [first.id, "Plan A", "Title", HOSTILE[0]]
    assert answers.cell(2, 4).data_type == "s"  # shown as text, never run
    rows = [[c.value for c in row] for row in activities.iter_rows(min_row=2)]
    assert rows[0][:3] == [first.id, "Plan A", "+1+2"] and activities.cell(2, 3).data_type == "s"
    assert rows[0][3] == dt.datetime(2027, 3, 1) and rows[0][-1] == 5000
    assert rows[1][-1] == -5 and rows[2][:3] == [second.id, "Plan B", "Train staff"] and rows[2][-1] == 1200.5


def test_exported_files_get_the_permissions_of_any_new_file(workbook, tmp_path):
    sheet = workbook.book.create_worksheet("plan", "Plan", PLAN)
    old = os.umask(0o022)
    try:
        files = [workbook.sharing.export_share([sheet.id], tmp_path / "p.mldshare"),
                 workbook.sharing.export_csv(sheet.id, tmp_path / "p.csv"),
                 workbook.sharing.export_xlsx([sheet.id], tmp_path / "p.xlsx")]
    finally:
        os.umask(old)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_share_file_is_judged_by_what_it_holds_not_by_its_name(workbook, tmp_path):
    from companion.workbook import Workbook
    from tests.conftest import MINI_PACK

    sheet = workbook.book.create_worksheet("plan", "Named oddly", PLAN)
    out = workbook.sharing.export_share([sheet.id], tmp_path / "x")
    other = Workbook(tmp_path / "colleague", MINI_PACK)
    try:
        [result] = other.sharing.import_paths([out])
        assert result.status == "imported", result.reason
    finally:
        other.close()


def test_control_characters_in_answers_do_not_stop_the_xlsx(workbook, tmp_path):
    sheet = workbook.book.create_worksheet("plan", "Bell\x07 title", {"title": "A\x1b[31m red", "activities": [
        {"activity": "Tab\there and \x00 nul", "budget": 1}]})
    out = workbook.sharing.export_xlsx([sheet.id], tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.worksheets[0].cell(2, 4).value == "A\\x1b[31m red"
    assert book["Activities"].cell(2, 3).value == "Tab\there and \\x00 nul"
