"""A worksheet's answers for spreadsheet programs: CSV and Excel workbooks.

Text that came from a person never becomes a formula: a cell starting with
``= + - @``, a tab or a carriage return is written with a leading
apostrophe in CSV (spreadsheets show it as text) and as a text cell in
.xlsx, so ``=HYPERLINK(...)`` typed in an answer stays words.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any, Sequence

from companion.files import atomic_output
from companion.messages import t
from companion.worksheets import answers as answers_mod
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Field, Template

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Languages whose spreadsheets write decimals with a comma and so split CSV on semicolons.
DECIMAL_COMMA = {"fr", "es", "pt", "it", "de", "nl", "ru", "tr", "pl", "id", "vi", "ro", "ca", "sv", "da", "fi"}


def default_delimiter() -> str:
    """',' or ';': what a spreadsheet set for this computer's language splits CSV on."""
    for name in ("LC_ALL", "LC_NUMERIC", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return ";" if re.split(r"[_.@-]", value)[0].lower() in DECIMAL_COMMA else ","
    return ","


def neutral(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(column: Field, value: Any) -> Any:
    """Numbers stay numbers for the spreadsheet; choices become their words."""
    if column.type in ("number", "rating") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return answers_mod.display_text(column, value)


def _rows(worksheet: Worksheet, f: Field) -> list[dict]:
    rows = worksheet.answers.get(f.id) or []
    return [row for row in rows if isinstance(row, dict) and any(not answers_mod.is_empty(v) for v in row.values())]


def csv_text(worksheet: Worksheet, template: Template, delimiter: str = ",") -> str | None:
    """Every table of a worksheet, one block each (None when it has no table)."""
    tables = [f for f in template.fields() if f.type == "table"]
    if not tables:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for number, f in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([neutral(t("csv.table", label=f.label))])
        writer.writerow([neutral(c.label) for c in f.columns])
        for row in _rows(worksheet, f):
            writer.writerow([neutral(_cell(c, row.get(c.id))) for c in f.columns])
    return buffer.getvalue()


# Excel --------------------------------------------------------------------------------
def _typed(f: Field, value: Any) -> Any:
    """A value as a typed spreadsheet cell: numbers as numbers, dates as dates, words otherwise."""
    if answers_mod.is_empty(value):
        return None
    if f.type in ("number", "rating") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if f.type == "date":
        day = answers_mod.parse_date(value)
        if day is not None:
            return day
    try:
        return answers_mod.display_text(f, value)
    except (TypeError, ValueError, KeyError):
        return str(value)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what the .xlsx format cannot hold
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(label: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", label).strip()[:28] or "Table"
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        name = f"{base[:25]} {number}"
    taken.add(name.lower())
    return name


def write_xlsx(items: Sequence[tuple[Worksheet, Template]], out: Path) -> Path:
    """The worksheets as one .xlsx: a first sheet with every answer that is not
    a table (one row per answer), then one sheet per kind of table, each row a
    table row with the worksheet it belongs to, in typed columns."""
    from openpyxl import Workbook as ExcelBook
    from openpyxl.styles import Font

    book = ExcelBook()
    first = book.active
    first.title = _sheet_name(t("xlsx.answers"), set())
    taken = {first.title.lower()}
    bold = Font(bold=True)

    def put(sheet, row: list[Any]) -> None:
        # control characters have no place in an .xlsx cell: shown escaped, as the command line shows them
        sheet.append([_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", v) if isinstance(v, str) else v
                      for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if cell.value.startswith(FORMULA_START):
                    cell.quotePrefix = True

    put(first, [t("xlsx.worksheet"), t("xlsx.title"), t("xlsx.question"), t("xlsx.answer")])
    tables: dict[tuple[str, str], Any] = {}
    for worksheet, template in items:
        for f in template.fields():
            value = worksheet.answers.get(f.id)
            if f.type != "table":
                if not answers_mod.is_empty(value):
                    put(first, [worksheet.id, worksheet.title, f.label, _typed(f, value)])
                continue
            sheet = tables.get((template.id, f.id))
            if sheet is None:
                sheet = tables[(template.id, f.id)] = book.create_sheet(_sheet_name(f.label, taken))
                put(sheet, [t("xlsx.worksheet"), t("xlsx.title")] + [c.label for c in f.columns])
                for cell in sheet[1]:
                    cell.font = bold
            for row in _rows(worksheet, f):
                put(sheet, [worksheet.id, worksheet.title] + [_typed(c, row.get(c.id)) for c in f.columns])
    for cell in first[1]:
        cell.font = bold
    for sheet in book.worksheets:
        for cell in (c for row in sheet.iter_rows() for c in row):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    with atomic_output(Path(out)) as tmp:
        book.save(tmp)
    return Path(out)
