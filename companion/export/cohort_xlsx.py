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

from pathlib import Path

from companion.export.spreadsheet import _sheet_name
from companion.files import atomic_output

WIDTHS = {"int": 11, "real": 13, "date": 12, "datetime": 17}


def _width(sheet, index: int, column) -> float:
    """A column as wide as its header and longer values, within reason."""
    if column.kind in WIDTHS:
        return max(WIDTHS[column.kind], min(len(column.label) + 2, 30))
    longest = max((len(str(row[index])) for row in sheet.rows[:200] if row[index] is not None), default=0)
    return max(10, min(60, max(len(column.label), longest) + 2))


def write_cohort_xlsx(cohort, out: Path) -> Path:
    """Write ``cohort.sheets()`` as the sheets of one .xlsx at ``out`` (written whole, then put in place).
    Each sheet's XML is streamed into the file as its rows are read (see :mod:`companion.export.xlsx_stream`):
    a large cohort needs little memory and little time."""
    from companion.export.xlsx_stream import PLAIN, WARNING, WRAP, XlsxStream

    taken: set[str] = set()
    with atomic_output(Path(out)) as tmp:
        with XlsxStream(tmp) as book:
            for sheet in cohort.sheets():
                about = sheet.name == "about"
                widths = [100 if about and index == 1 else _width(sheet, index, column)
                          for index, column in enumerate(sheet.columns)]
                book.add_sheet(_sheet_name(sheet.title, taken), widths, [c.label for c in sheet.columns],
                               sheet.rows, look=WRAP if about else PLAIN,
                               first_look=WARNING if about else None,  # the notice: personal data, not to be passed on
                               autofilter=not about)
    return Path(out)
