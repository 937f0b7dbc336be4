"""Computed fields: a table column's total, count or latest date, worked
out from the answers each time they are shown or exported, never stored."""
from __future__ import annotations

from typing import Any

from companion.worksheets.answers import is_empty, parse_date
from companion.worksheets.template import Field, Template


def computed_value(template: Template, f: Field, answers: dict[str, Any]) -> Any:
    """The value of a computed field from the answers (None when there is nothing to compute from)."""
    op, table_id, column_id = f.compute or ("", "", "")
    table, column = template.field(table_id), None
    rows = answers.get(table_id)
    if table is None or not isinstance(rows, list):
        return None
    column = table.column(column_id)
    cells = [row.get(column_id) for row in rows if isinstance(row, dict) and not is_empty(row.get(column_id))]
    if op == "count":
        return len(cells)
    if op == "sum" and column is not None:
        numbers = [v for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if not numbers:
            return None
        total = sum(numbers)
        return int(total) if float(total).is_integer() else round(total, 2)
    if op == "latest":
        days = [v for v in cells if parse_date(v) is not None]
        return max(days) if days else None
    return None


def with_computed(template: Template, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with every computed field's value, for showing and exporting
    (computed values are never stored)."""
    computed = {f.id: computed_value(template, f, answers) for f in template.fields() if f.type == "computed"}
    return {**answers, **{k: v for k, v in computed.items() if v is not None}}
