"""A worksheet's tables for spreadsheet programs."""
from __future__ import annotations

import csv
import io

from companion.messages import t
from companion.worksheets import answers as answers_mod
from companion.worksheets.model import Worksheet
from companion.worksheets.template import Template


def csv_text(worksheet: Worksheet, template: Template) -> str | None:
    """Every table of a worksheet, one block each (None when it has no table)."""
    tables = [f for f in template.fields() if f.type == "table"]
    if not tables:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, f in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([t("csv.table", label=f.label)])
        writer.writerow([c.label for c in f.columns])
        for row in worksheet.answers.get(f.id) or []:
            if isinstance(row, dict) and any(not answers_mod.is_empty(v) for v in row.values()):
                writer.writerow([_cell(c, row.get(c.id)) for c in f.columns])
    return buffer.getvalue()


def _cell(column, value) -> object:
    """Numbers stay numbers for the spreadsheet; choices become their words."""
    if column.type in ("number", "rating") and isinstance(value, (int, float)):
        return value
    return answers_mod.display_text(column, value)
