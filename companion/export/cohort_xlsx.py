"""cohort.xlsx: a cohort report's tables as a spreadsheet, ready for pivot tables.

The first sheet says that the file holds participants' personal data and
should not be passed on; then the roster (one row per participant), the
worksheets handed in, every answer that is not a table (one row per answer,
one per option chosen), one long sheet per kind of table and the files that
could not be read. Every row names its participant and worksheet, and every
column is typed (numbers, dates, words), so a pivot table by participant
works as it is. The sheets are ``cohort.sheets()``, row for row the tables
of cohort.sqlite.

Text that came from a participant never becomes a formula (as in
:mod:`companion.export.spreadsheet`).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from companion.export.spreadsheet import FORMULA_START, _sheet_name
from companion.files import atomic_output

FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}  # typed cells, shown as ISO dates
WIDTHS = {"int": 11, "real": 13, "date": 12, "datetime": 17}


def _width(sheet, index: int, column) -> float:
    """A column as wide as its header and longer values, within reason."""
    if column.kind in WIDTHS:
        return max(WIDTHS[column.kind], min(len(column.label) + 2, 30))
    longest = max((len(str(row[index])) for row in sheet.rows[:200] if row[index] is not None), default=0)
    return max(10, min(60, max(len(column.label), longest) + 2))


def _plain(value) -> bool:
    """A value openpyxl writes as it is: a number, None, or words that no spreadsheet would run."""
    if isinstance(value, str):
        return not value.startswith(FORMULA_START)
    return not isinstance(value, (dt.date, dt.datetime))


def _legal(value):
    """Words without the control characters a spreadsheet file cannot hold (each shown as "\ufffd")."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _cell(ws, value):
    """A date with its format, or words that look like a formula kept as words."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.quotePrefix = True
    else:
        cell.number_format = FORMATS["datetime" if isinstance(value, dt.datetime) else "date"]
    return cell


def _about_cell(ws, value, notice: bool, warning, alignment):
    from openpyxl.cell import WriteOnlyCell

    cell = _cell(ws, value) if not _plain(value) else WriteOnlyCell(ws, value=value)
    cell.alignment = alignment(wrap_text=True, vertical="top")
    if notice:  # the notice: personal data, not to be passed on
        cell.font = warning
    return cell


def write_cohort_xlsx(cohort, out: Path) -> Path:
    """Write ``cohort.sheets()`` as the sheets of one .xlsx at ``out`` (written whole, then put in place)."""
    from openpyxl import Workbook as ExcelBook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = ExcelBook(write_only=True)  # rows streamed out: a large cohort needs little memory
    bold, warning = Font(bold=True), Font(bold=True, color="9B1C1C")
    taken: set[str] = set()
    for sheet in cohort.sheets():
        ws = book.create_sheet(_sheet_name(sheet.title, taken))
        about = sheet.name == "about"
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = 100 if about and index == 2 else \
                _width(sheet, index - 1, column)
        ws.freeze_panes = "A2"
        if sheet.rows and not about:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=_legal(column.label))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for number, row in enumerate(sheet.rows):
            if about:
                ws.append([_about_cell(ws, _legal(value), number == 0, warning, Alignment) for value in row])
                continue
            row = [_legal(value) for value in row]
            ws.append([value if _plain(value) else _cell(ws, value) for value in row])
    with atomic_output(Path(out)) as tmp:
        book.save(tmp)
    return Path(out)
