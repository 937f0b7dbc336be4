"""Answers: their types, the checks a participant sees, and completion.

An answer's value is plain JSON-able data (see the field-type table in
``content/README.md``). :func:`coerce` accepts a value from outside (a JSON
answers file, a share file, a worked example) or raises
:class:`~companion.errors.InputError`; :func:`check` gives the errors and
warnings shown beside the fields; :func:`completion` the share of visible
fields answered.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, NamedTuple

from companion.errors import InputError
from companion.messages import t, t_count
from companion.worksheets import expressions
from companion.worksheets.template import Field, Template

ERROR = "error"
WARNING = "warning"
MAX_TEXT = 100_000   # characters in one answer, whatever the field says
MAX_ROWS = 1_000     # rows in one table
MAX_DEPTH = 4        # an answer of a field this version does not know: at most a table's rows of cells


class Issue(NamedTuple):
    field_id: str
    severity: str
    message: str
    missing: bool = False  # the answer is required and not given


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def display_text(f: Field, value: Any) -> str:
    """A value as words: option labels, dates as written, numbers with units."""
    if is_empty(value):
        return ""
    if f.type == "choice":
        return f.option_label(value)
    if f.type in ("multichoice", "checklist"):
        return "; ".join(f.option_label(v) for v in value)
    if f.type == "rating":
        label = f.labels.get(int(value))
        top = f.scale().stop - 1
        return f"{value} / {top}" + (f" ({label})" if label else "")
    if f.type in ("number", "computed") and f.unit:
        return f"{value} {f.unit}"
    return str(value)


def _finite(value: Any) -> bool:
    """A real number a person could mean: not NaN, not infinite, not 10**400."""
    try:
        return math.isfinite(value)
    except (OverflowError, TypeError):
        return False


def _among(value: Any, known: set) -> bool:
    try:
        return value in known
    except TypeError:  # a list or an object where a choice was expected
        return False


def _shown(value: Any) -> str:
    """Something from outside, as one short line in a message."""
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def coerce(f: Field, value: Any, name: str | None = None) -> Any:
    """The value as stored for field ``f``; raise InputError if it does not fit."""
    name = name or f.id
    if value is None:
        return None
    kind = f.type
    if kind == "computed":
        raise InputError(t("answer.computed", field=name))
    if f.earlier_values:
        value = _carried(f, value)
    if kind in ("text", "longtext"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InputError(t("answer.not_text", field=name))
        text = str(value)
        limit = min(f.max_length or MAX_TEXT, MAX_TEXT)
        if len(text) > limit:
            raise InputError(t("answer.too_long", field=name, max=limit))
        return text
    if kind == "number":
        if isinstance(value, str) and value.strip():
            try:
                value = float(value) if any(ch in value for ch in ".eE") else int(value)
            except ValueError:
                raise InputError(t("answer.not_number", field=name)) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
            raise InputError(t("answer.not_number", field=name))
        if f.integer and value != int(value):
            raise InputError(t("answer.not_whole", field=name))
        return int(value) if float(value).is_integer() and (f.integer or isinstance(value, int)) else value
    if kind == "date":
        if parse_date(value) is None:
            raise InputError(t("answer.not_date", field=name))
        return value
    if kind == "choice":
        if not _among(value, {o.id for o in f.options}):
            raise InputError(t("answer.unknown_option", value=_shown(value), field=name))
        return value
    if kind in ("multichoice", "checklist"):
        if not isinstance(value, list):
            raise InputError(t("answer.not_list", field=name))
        known = {o.id for o in f.options}
        for item in value:
            if not isinstance(item, str) or item not in known:
                raise InputError(t("answer.unknown_option", value=_shown(item), field=name))
        return [o.id for o in f.options if o.id in value]
    if kind == "rating":
        scale = f.scale()
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value) \
                or value != int(value):
            raise InputError(t("answer.not_whole", field=name))
        if int(value) not in scale:
            raise InputError(t("answer.out_of_scale", field=name, min=scale.start, max=scale.stop - 1))
        return int(value)
    if kind == "table":
        if not isinstance(value, list):
            raise InputError(t("answer.not_rows", field=name))
        if len(value) > MAX_ROWS:
            raise InputError(t("answer.too_many_rows", field=name, max=MAX_ROWS))
        rows = []
        for number, row in enumerate(value, start=1):
            if not isinstance(row, dict):
                raise InputError(t("answer.not_row", row=number, field=name))
            clean = {}
            for column_id, cell in row.items():
                column = f.column(column_id)
                if column is None:
                    raise InputError(t("answer.unknown_column", column=_shown(column_id), field=name))
                try:
                    cell = coerce(column, cell)
                except InputError:  # again, to say which cell
                    cell = coerce(column, cell, f"{name}, row {number}, {column.label or column.id}")
                if not is_empty(cell):
                    clean[column_id] = cell
            rows.append(clean)
        return rows
    raise InputError(t("answer.unknown_field", field=name))


def coerce_all(template: Template, answers: Any) -> dict[str, Any]:
    """Check a whole set of answers from outside; raise InputError on the first misfit."""
    if not isinstance(answers, dict):
        raise InputError(t("answers.not_mapping"))
    clean = {}
    for field_id, value in answers.items():
        f = template.field(str(field_id))
        if f is None:
            raise InputError(t("answer.unknown_field", field=_shown(field_id)))
        clean[f.id] = coerce(f, value)
    return clean


def _carried(f: Field, value: Any) -> Any:
    """An answer given with an earlier version's options or scale, as this
    version declares it (``earlier_values``); anything else unchanged."""
    if isinstance(value, list):
        return [f.earlier_values.get(v, v) if isinstance(v, str) else v for v in value]
    return f.earlier_values.get(value, value) if isinstance(value, str) else value


def check_shape(name: str, value: Any, depth: int = 0) -> None:
    """An answer to a field this template does not know (from an earlier or a
    later version) is kept as it came, so it must at least be of a shape a
    companion writes: text, numbers, lists and mappings, at most a table deep,
    no text longer than MAX_TEXT. Raises InputError otherwise."""
    if depth > MAX_DEPTH:
        raise InputError(t("answer.bad_shape", field=_shown(name), detail="nested too deeply"))
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise InputError(t("answer.too_long", field=_shown(name), max=MAX_TEXT))
    elif isinstance(value, float):
        if not _finite(value):
            raise InputError(t("answer.bad_shape", field=_shown(name), detail="not a finite number"))
    elif isinstance(value, list):
        if len(value) > MAX_ROWS:
            raise InputError(t("answer.too_many_rows", field=_shown(name), max=MAX_ROWS))
        for item in value:
            check_shape(name, item, depth + 1)
    elif isinstance(value, dict):
        if len(value) > MAX_ROWS:
            raise InputError(t("answer.bad_shape", field=_shown(name), detail="too many entries"))
        for key, item in value.items():
            if not isinstance(key, str) or len(key) > 200:
                raise InputError(t("answer.bad_shape", field=_shown(name), detail="a key that is not short text"))
            check_shape(name, item, depth + 1)
    elif not (value is None or isinstance(value, (bool, int))):
        raise InputError(t("answer.bad_shape", field=_shown(name), detail=type(value).__name__))


def split_answers(template: Template, answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(answers that fit the template, answers set apart).

    A worksheet made with another version of its template (an earlier one
    after a content update, or a later one shared by a colleague whose
    companion is newer) may hold fields the template does not know, fields
    of another type, table columns or choice options it does not know. What
    fits is kept where it belongs: a table keeps the cells of the columns it
    knows, a multiple choice the options it knows. The rest is set apart,
    never dropped: a table's unknown cells as rows of their own (by row
    number, None where a row had none), a choice's unknown options as a list.
    """
    fitting, apart = {}, {}
    for field_id, value in answers.items():
        f = template.field(field_id)
        if f is None:
            apart[field_id] = value
            continue
        try:
            fitting[field_id] = coerce(f, value)
            continue
        except InputError:
            pass
        known, unknown = _split_value(f, value)
        if known is not None:
            fitting[field_id] = known
        if unknown is not None:
            apart[field_id] = unknown
    return fitting, apart


def _split_value(f: Field, value: Any) -> tuple[Any, Any]:
    """(the part of ``value`` field ``f`` can hold, the rest); None for an empty part."""
    if f.type == "table" and isinstance(value, list) and all(isinstance(r, dict) for r in value):
        rows, extra = [], []
        for row in value:
            mine = {k: v for k, v in row.items() if f.column(k) is not None}
            try:
                rows.append(coerce(f, [mine])[0] if mine else {})
                extra.append({k: v for k, v in row.items() if f.column(k) is None} or None)
            except InputError:
                rows.append({})
                extra.append(dict(row))
        return rows, (extra if any(extra) else None)
    if f.type in ("multichoice", "checklist") and isinstance(value, list):
        known = {o.id for o in f.options}
        mine = [v for v in value if isinstance(v, str) and v in known]
        rest = [v for v in value if not (isinstance(v, str) and v in known)]
        return (coerce(f, mine) if mine else None), (rest or None)
    return None, value


def rejoin(template: Template, fitting: dict[str, Any], apart: dict[str, Any]) -> dict[str, Any]:
    """The answers to store from :func:`split_answers`' two parts: nothing lost."""
    joined = {**apart, **fitting}
    for field_id in set(fitting) & set(apart):
        joined[field_id] = merge_apart(template.field(field_id), fitting[field_id], apart[field_id])
    return joined


def merge_apart(f: Field, value: Any, apart: Any) -> Any:
    """A field's new value with what was set apart put back (a table's cells
    on their rows, a choice's unknown options), so that editing a worksheet
    of another version never drops what it held."""
    if f.type in ("multichoice", "checklist") and isinstance(value, list) and isinstance(apart, list):
        return value + [v for v in apart if v not in value]
    if f.type != "table" or not isinstance(value, list) or not isinstance(apart, list):
        return value
    merged = []
    for number, row in enumerate(value):
        extra = apart[number] if number < len(apart) and isinstance(apart[number], dict) else None
        merged.append({**extra, **row} if extra and isinstance(row, dict) else row)
    return merged


def field_labels(template: Template) -> dict[str, str]:
    return {f.id: f.label for f in template.fields()}


def is_visible(template: Template, f: Field, answers: dict[str, Any]) -> bool:
    if f.show_expr:
        return expressions.shown(template, f, answers)
    if not f.show_if:
        return True
    other, expected = f.show_if
    value = answers.get(other)
    if isinstance(value, list):
        return expected in value
    return value == expected


def _number_issue(f: Field, value: Any) -> str | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if f.min is not None and value < f.min:
        return t("check.below_min", min=_fmt(f.min))
    if f.max is not None and value > f.max:
        return t("check.above_max", max=_fmt(f.max))
    return None


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _table_issues(f: Field, rows: list) -> list[str]:
    messages = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or all(is_empty(v) for v in row.values()):
            continue
        for column in f.columns:
            cell = row.get(column.id)
            if column.required and is_empty(cell):
                messages.append(t("check.row_required", row=number, column=column.label))
            if column.type == "number" and _number_issue(column, cell):
                messages.append(t("check.row_range", row=number, column=column.label,
                                  min=_fmt(column.min if column.min is not None else float("-inf")),
                                  max=_fmt(column.max if column.max is not None else float("inf"))))
            if column.not_before:
                start, end = parse_date(row.get(column.not_before)), parse_date(cell)
                if start and end and end < start:
                    other = f.column(column.not_before)
                    messages.append(t("check.row_date_order", row=number, column=column.label,
                                      other=other.label if other else column.not_before))
    return messages


def check(template: Template, answers: dict[str, Any]) -> list[Issue]:
    """Errors (must be fixed to complete) and warnings, for visible fields."""
    issues: list[Issue] = []
    for f in template.fields():
        if f.type == "computed" or not is_visible(template, f, answers):
            continue
        value = answers.get(f.id)
        if is_empty(value):
            if f.required:
                issues.append(Issue(f.id, ERROR, t("check.required"), missing=True))
            elif f.advisable:
                issues.append(Issue(f.id, WARNING, t("check.advisable")))
            continue
        if f.type == "number" and (message := _number_issue(f, value)):
            issues.append(Issue(f.id, ERROR, message))
        if f.type == "text" and f.max_length and len(str(value)) > f.max_length:
            issues.append(Issue(f.id, ERROR, t("check.too_long", max=f.max_length)))
        if f.type == "date" and f.not_before:
            other = template.field(f.not_before)
            start, end = parse_date(answers.get(f.not_before)), parse_date(value)
            if other and start and end and end < start:
                issues.append(Issue(f.id, ERROR, t("check.date_order", other=other.label.lower(),
                                                   other_value=answers.get(f.not_before))))
        issues.extend(Issue(f.id, ERROR, m) for m in expressions.constraint_messages(template, f, value, answers))
        if f.type == "table" and isinstance(value, list):
            issues.extend(Issue(f.id, ERROR, m) for m in _table_issues(f, value))
            filled = [r for r in value if isinstance(r, dict) and any(not is_empty(v) for v in r.values())]
            if f.min_rows and len(filled) < f.min_rows:
                issues.append(Issue(f.id, WARNING, t_count("check.min_rows", f.min_rows)))
    return issues


def completion(template: Template, answers: dict[str, Any], answered: frozenset[str] | None = None) -> int:
    """Percent of the visible fields that have an answer. ``answered``: the
    ids of the fields of ``answers`` that have one (:func:`has_answer`), when
    the caller keeps them already."""
    visible = [f for f in template.fields() if f.type != "computed" and is_visible(template, f, answers)]
    if not visible:
        return 100
    if answered is None:
        count = sum(1 for f in visible if has_answer(answers.get(f.id)))
    else:
        count = sum(1 for f in visible if f.id in answered)
    return round(100 * count / len(visible))


def has_answer(value: Any) -> bool:
    """An answer that is not empty; a table with at least one cell filled in."""
    if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        return any(not is_empty(v) for r in value for v in r.values())
    return not is_empty(value)
