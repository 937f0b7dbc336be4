"""The streamed .xlsx writer: read back by openpyxl, values, types and looks are as written."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from companion.export.xlsx_stream import PLAIN, WARNING, WRAP, XlsxStream, column_letter


def _write(path, **sheet):
    with XlsxStream(path) as book:
        book.add_sheet(**sheet)
    return load_workbook(path)


def test_column_letters():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_values_come_back_typed_and_words_stay_words(tmp_path):
    rows = [[1, 2.5, "plain words", None, True],
            ["=HYPERLINK(\"http://x\")", -3, "a < b & c > \"d\"", dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 14, 30)],
            ["bell\x07 here", "  spaces kept  ", "line\nbreak", "عربي", dt.datetime(2026, 3, 1, 9, 5,
                                                                                   tzinfo=dt.timezone.utc)]]
    book = _write(tmp_path / "t.xlsx", name="Sheet & 'one'", widths=[11, 12, 13, 14, 15],
                  header=["A", "B", "C", "D", "E"], rows=rows)
    ws = book["Sheet & 'one'"]
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got[0] == ["A", "B", "C", "D", "E"]
    assert got[1] == [1, 2.5, "plain words", None, True]
    assert got[2][:3] == ["=HYPERLINK(\"http://x\")", -3, "a < b & c > \"d\""]
    assert got[2][3] == dt.datetime(2026, 3, 1) and got[2][4] == dt.datetime(2026, 3, 1, 14, 30)
    assert got[3] == ["bell\ufffd here", "  spaces kept  ", "line\nbreak", "عربي", dt.datetime(2026, 3, 1, 9, 5)]
    assert ws["A3"].data_type == "s" and ws["A3"].quotePrefix and not ws["C2"].quotePrefix
    assert ws["D3"].number_format == "yyyy-mm-dd" and ws["E3"].number_format == "yyyy-mm-dd hh:mm"
    assert all(c.font.b for c in ws[1]) and not ws["A2"].font.b
    assert [ws.column_dimensions[column_letter(n)].width for n in range(1, 6)] == [11, 12, 13, 14, 15]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E4"


def test_a_first_row_as_a_warning_the_rest_wrapped(tmp_path):
    book = _write(tmp_path / "t.xlsx", name="About", widths=[20, 100], header=["Item", "Value"],
                  rows=[["Notice", "Personal data"], ["Made", "2026-12-01"]], look=WRAP, first_look=WARNING,
                  autofilter=False)
    ws = book["About"]
    assert ws["A2"].font.b and ws["B2"].font.color.rgb == "FF9B1C1C" and ws["B2"].alignment.wrap_text
    assert not ws["A3"].font.b and ws["A3"].alignment.wrap_text and ws["A3"].alignment.vertical == "top"
    assert ws.auto_filter.ref is None


def test_an_empty_sheet_and_many_sheets(tmp_path):
    with XlsxStream(tmp_path / "t.xlsx") as book:
        for n in range(3):
            book.add_sheet(f"S{n}", [10], ["Only a header"], [], look=PLAIN)
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["S0", "S1", "S2"]
    assert [list(r) for r in book["S2"].iter_rows(values_only=True)] == [["Only a header"]]

