"""Worksheet templates: typed fields in sections, parsed from plain data.

A template is data (YAML in the content pack); :func:`parse_template` turns
the loaded mapping into records and reports every problem with its line
instead of stopping at the first.

The records are named tuples, not dataclasses: they are made each time the app
starts (the parsed pack is unpickled into them), and a dataclass costs about
a millisecond to make at import where a named tuple costs a tenth of that.
"""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from companion.errors import Problem
from companion.messages import t
from companion.yamlfile import line_of

FIELD_TYPES = (
    "text", "longtext", "number", "date", "choice", "multichoice",
    "rating", "checklist", "table", "computed",
)
COMPUTE_OPS = ("sum", "count", "latest")  # of a table's column: its total, its filled rows, its latest date
OPTION_TYPES = {"choice": "options", "multichoice": "options", "checklist": "items"}
CHART_TYPES = {"grid": ("x", "y", "label"), "timeline": ("start", "end", "label")}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Option(NamedTuple):
    id: str
    label: str


class Chart(NamedTuple):
    type: str
    columns: dict[str, str]


class _FieldRecord(NamedTuple):
    id: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    advisable: bool = False
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: str = ""
    max_length: int | None = None
    labels: dict[int, str] = {}  # read, never changed: the fields without labels share this empty one
    not_before: str | None = None
    show_if: tuple[str, Any] | None = None
    show_expr: str = ""  # show_if written as an expression (worksheets.expressions)
    constraint: tuple[str, str] | None = None  # (expression, message): the answer must make it true
    columns: tuple["Field", ...] = ()
    min_rows: int = 0
    chart: Chart | None = None
    compute: tuple[str, str, str] | None = None  # (op, table field id, column id) of a computed field
    earlier_values: dict = {}  # an earlier version's answer → this version's (shared when empty, as labels)
    line: int = 0


class Field(_FieldRecord):
    """A field of a worksheet (a column, when in a table)."""

    def option_label(self, option_id: str) -> str:
        for option in self.options:
            if option.id == option_id:
                return option.label
        return str(option_id)

    def column(self, column_id: str) -> "Field | None":
        return self._columns.get(column_id)

    @cached_property
    def _columns(self) -> dict[str, "Field"]:
        return {c.id: c for c in reversed(self.columns)}  # the first of a repeated id, as before

    def scale(self) -> range:
        """The whole values of a rating field."""
        low = int(self.min if self.min is not None else 1)
        high = int(self.max if self.max is not None else 5)
        return range(low, high + 1)


class Section(NamedTuple):
    id: str
    title: str
    help: str
    fields: tuple[Field, ...]


class _TemplateRecord(NamedTuple):
    id: str
    version: int
    title: str
    module: str
    summary: str
    instructions: str
    sections: tuple[Section, ...]
    example_title: str = ""
    example: dict = {}  # the worked example's answers (read, never changed)
    path: Path | None = None
    example_line: int = 0


class Template(_TemplateRecord):
    """A worksheet template: its sections of fields, and its worked example."""

    def fields(self) -> Iterator[Field]:
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> Field | None:
        return self._fields.get(field_id)

    @cached_property
    def _fields(self) -> dict[str, Field]:
        return {f.id: f for f in reversed(list(self.fields()))}  # the first of a repeated id, as before


class _Collector:
    """Gathers problems for one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def text(self, data: dict, key: str, required: bool = True, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(line_of(data), t("field.missing", key=key))
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(line_of(data, key), t("field.wrong_type", key=key, expected=t("word.text")))
            return default
        return str(value)

    def ident(self, data: dict, key: str = "id") -> str:
        value = self.text(data, key)
        if value and not ID_RE.match(value):
            self.add(line_of(data, key), t("id.bad", id=value))
        return value

    def number(self, data: dict, key: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(line_of(data, key), t("field.wrong_type", key=key, expected=t("word.a_number")))
            return None
        return value

    def mapping(self, data: Any, line: int) -> bool:
        if not isinstance(data, dict):
            self.add(line, t("yaml.not_mapping"))
            return False
        for key, dup_line in getattr(data, "duplicates", ()):
            self.add(dup_line, t("yaml.duplicate_key", key=key))
        return True

    def items(self, data: dict, key: str) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(line_of(data, key), t("field.wrong_type", key=key, expected=t("word.a_list")))
            return []
        return value


def _options(c: _Collector, data: dict, key: str, ftype: str) -> tuple[Option, ...]:
    raw = c.items(data, key)
    if not raw:
        c.add(line_of(data), t("template.no_options", type=ftype, key=key))
        return ()
    options, seen = [], set()
    for item in raw:
        line = line_of(item, default=line_of(raw))
        if not c.mapping(item, line):
            continue
        option_id = c.ident(item)
        if option_id in seen:
            c.add(line, t("id.duplicate", kind=t("word.option"), id=option_id, other=t("word.line", line=line_of(raw))))
        seen.add(option_id)
        options.append(Option(option_id, c.text(item, "label")))
    return tuple(options)


def _chart(c: _Collector, data: dict, columns: tuple[Field, ...]) -> Chart | None:
    raw = data.get("chart")
    if raw is None:
        return None
    line = line_of(data, "chart")
    if not c.mapping(raw, line):
        return None
    ctype = c.text(raw, "type")
    if ctype not in CHART_TYPES:
        c.add(line, t("template.chart_type", type=ctype))
        return None
    names = {col.id for col in columns}
    chosen = {}
    for role in CHART_TYPES[ctype]:
        column_id = c.text(raw, role)
        if column_id and column_id not in names:
            c.add(line, t("template.bad_chart", id=column_id))
        chosen[role] = column_id
    return Chart(ctype, chosen)


def _field(c: _Collector, data: Any, line: int, in_table: bool = False) -> Field | None:
    if not c.mapping(data, line):
        return None
    ftype = c.text(data, "type")
    if ftype and ftype not in FIELD_TYPES:
        c.add(line_of(data, "type"), t("template.unknown_type", type=ftype, known=", ".join(FIELD_TYPES)))
        return None
    if ftype == "table" and in_table:
        c.add(line_of(data, "type"), t("template.table_in_table"))
        return None
    kwargs: dict[str, Any] = dict(
        id=c.ident(data), type=ftype, label=c.text(data, "label"),
        help=c.text(data, "help", required=False), line=line_of(data),
        required=data.get("required") is True, advisable=data.get("advisable") is True,
        min=c.number(data, "min"), max=c.number(data, "max"),
        integer=data.get("integer") is True, unit=c.text(data, "unit", required=False),
    )
    if kwargs["min"] is not None and kwargs["max"] is not None and kwargs["min"] > kwargs["max"]:
        c.add(line_of(data, "min"), t("template.bad_range"))
    if ftype in OPTION_TYPES:
        kwargs["options"] = _options(c, data, OPTION_TYPES[ftype], ftype)
    if ftype == "rating":
        labels = data.get("labels") or {}
        if isinstance(labels, dict):
            kwargs["labels"] = {int(k): str(v) for k, v in labels.items() if str(k).lstrip("-").isdigit()}
    if ftype == "text" and data.get("max_length") is not None:
        length = c.number(data, "max_length")
        kwargs["max_length"] = int(length) if length else None
    if data.get("not_before") is not None:
        kwargs["not_before"] = c.text(data, "not_before")
    if ftype == "computed":
        raw = data.get("compute")
        if c.mapping(raw, line_of(data, "compute")) and raw.get("of") in COMPUTE_OPS:
            kwargs["compute"] = (str(raw["of"]), c.text(raw, "table"), c.text(raw, "column"))
        else:
            c.add(line_of(data, "compute"), t("template.bad_compute", ops=", ".join(COMPUTE_OPS)))
    if data.get("earlier_values") is not None:
        raw = data["earlier_values"]
        if c.mapping(raw, line_of(data, "earlier_values")):
            kwargs["earlier_values"] = {str(k): v for k, v in raw.items()}
    if isinstance(data.get("show_if"), str):
        kwargs["show_expr"] = _expression(c, data, "show_if", data["show_if"])
    elif data.get("show_if") is not None:
        cond = data["show_if"]
        if c.mapping(cond, line_of(data, "show_if")) and "field" in cond and "equals" in cond:
            kwargs["show_if"] = (str(cond["field"]), cond["equals"])
        else:
            c.add(line_of(data, "show_if"), t("field.missing", key="show_if: {field, equals}"))
    if data.get("constraint") is not None:
        raw = data["constraint"]
        if c.mapping(raw, line_of(data, "constraint")) and isinstance(raw.get("expr"), str):
            kwargs["constraint"] = (_expression(c, data, "constraint", raw["expr"]),
                                    c.text(raw, "message", required=False))
        else:
            c.add(line_of(data, "constraint"), t("field.missing", key="constraint: {expr, message}"))
    if ftype == "table":
        raw_columns = c.items(data, "columns")
        if not raw_columns:
            c.add(line_of(data), t("template.no_columns"))
        columns = tuple(
            col for col in (
                _field(c, item, line_of(item, default=line_of(raw_columns)), in_table=True)
                for item in raw_columns
            ) if col is not None
        )
        _unique(c, columns, "column")
        for col in columns:
            if col.not_before and not any(o.id == col.not_before for o in columns):
                c.add(col.line, t("template.unknown_ref", key="not_before", id=col.not_before))
        kwargs["columns"] = columns
        kwargs["min_rows"] = int(c.number(data, "min_rows") or 0)
        kwargs["chart"] = _chart(c, data, columns)
    return Field(**kwargs)


def _expression(c: _Collector, data: dict, key: str, text: str) -> str:
    """``text`` if it is an expression the companion evaluates, else "" and a problem."""
    from companion.worksheets import expressions

    problem = expressions.check(text)
    if problem:
        c.add(line_of(data, key), t("template.bad_expression", key=key, detail=problem))
        return ""
    return text


def _expression_refs(c: _Collector, f: Field, known: set[str]) -> None:
    """Every ``${field}`` of ``f``'s expressions names a field (or a column of its table)."""
    from companion.worksheets import expressions

    for key, text in (("show_if", f.show_expr), ("constraint", f.constraint[0] if f.constraint else "")):
        for name in sorted(expressions.references(text)) if text else ():
            if name not in known:
                c.add(f.line, t("template.unknown_ref", key=key, id=name))


def _unique(c: _Collector, fields: tuple[Field, ...], kind: str) -> None:
    seen: dict[str, int] = {}
    for f in fields:
        if f.id in seen:
            c.add(f.line, t("id.duplicate", kind=t(f"word.{kind}"), id=f.id, other=t("word.line", line=seen[f.id])))
        seen.setdefault(f.id, f.line)


def parse_template(data: Any, path: Path) -> tuple[Template | None, list[Problem]]:
    """Build a :class:`Template` from loaded YAML, with every problem found."""
    c = _Collector(path)
    if not c.mapping(data, 1):
        return None, c.problems
    sections = []
    raw_sections = c.items(data, "sections")
    if not raw_sections:
        c.add(line_of(data), t("field.missing", key="sections"))
    for raw in raw_sections:
        line = line_of(raw, default=line_of(raw_sections))
        if not c.mapping(raw, line):
            continue
        raw_fields = c.items(raw, "fields")
        fields = tuple(
            f for f in (_field(c, item, line_of(item, default=line_of(raw_fields))) for item in raw_fields)
            if f is not None
        )
        sections.append(Section(c.ident(raw), c.text(raw, "title"), c.text(raw, "help", required=False), fields))
    all_fields = tuple(f for s in sections for f in s.fields)
    _unique(c, all_fields, "field")
    by_id = {f.id: f for f in all_fields}
    for f in all_fields:
        if f.show_if and f.show_if[0] not in by_id:
            c.add(f.line, t("template.unknown_ref", key="show_if", id=f.show_if[0]))
        if f.not_before and f.not_before not in by_id:
            c.add(f.line, t("template.unknown_ref", key="not_before", id=f.not_before))
        _expression_refs(c, f, set(by_id))
        for column in f.columns:
            _expression_refs(c, column, set(by_id) | {col.id for col in f.columns})
        if f.compute:
            op, table, column = f.compute
            source = by_id.get(table)
            if source is None or source.type != "table" or source.column(column) is None:
                c.add(f.line, t("template.unknown_ref", key="compute", id=f"{table}.{column}"))
            elif op == "sum" and source.column(column).type not in ("number", "rating"):
                c.add(f.line, t("template.compute_type", op=op, id=f"{table}.{column}", type=t("word.number")))
            elif op == "latest" and source.column(column).type != "date":
                c.add(f.line, t("template.compute_type", op=op, id=f"{table}.{column}", type=t("word.date")))
    version = c.number(data, "version")
    if version is None:
        c.add(line_of(data), t("field.missing", key="version"))
    example = data.get("worked_example")
    example_answers = example.get("answers") if isinstance(example, dict) else None
    template = Template(
        id=c.ident(data), version=int(version or 1), title=c.text(data, "title"),
        module=c.text(data, "module"), summary=c.text(data, "summary", required=False),
        instructions=c.text(data, "instructions", required=False), sections=tuple(sections),
        example_title=c.text(example, "title", required=False) if isinstance(example, dict) else "",
        example=example_answers if isinstance(example_answers, dict) else {},
        path=path, example_line=line_of(data, "worked_example"),
    )
    return template, c.problems
