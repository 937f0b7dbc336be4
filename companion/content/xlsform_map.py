"""XLSForm's questions as a worksheet template's fields (used by :mod:`companion.content.xlsform`).

:class:`Mapper` walks the form as pyxform reads it (its JSON, in the order of
the survey sheet's rows) and builds the template as plain data with each
text kept in every language of the form; :meth:`Mapper.template` gives it in
one language. What a worksheet cannot express is a :class:`Problem` at the
row that asks for it, with what and why.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from companion.messages import t
from companion.worksheets import expressions

TYPES = {"text": "text", "integer": "number", "decimal": "number", "date": "date",
         "select one": "choice", "select all that apply": "multichoice"}
METADATA = {"start", "end", "today", "deviceid", "phonenumber", "username", "email", "subscriberid",
            "simserial", "audit", "start-geopoint", "background-audio"}
COLUMNS = {"type", "name", "label", "hint", "guidance_hint", "required", "required_message", "relevant",
           "constraint", "constraint_message", "appearance", "example", "repeat_count"}
_ALIASES = {"jr:constraintmsg": "constraint_message", "jr:requiredmsg": "required_message",
            "constraint_msg": "constraint_message", "guidance": "guidance_hint"}
_TRUE, _FALSE = {"yes", "true", "true()", "1"}, {"no", "false", "false()", "0", ""}
_PIPED = re.compile(r"\$\{[^}]*\}")


@dataclass
class RowProblem:
    sheet: str
    row: int
    message: str


def column_base(name: str) -> str:
    """``label::French (fr)`` → ``label``; aliases and ``bind::`` as pyxform reads them."""
    base = str(name).split("::")[0].strip().lower().replace(" ", "_")
    if str(name).lower().startswith("bind::"):
        base = str(name).split("::")[1].strip().lower()
    return _ALIASES.get(base, base)


def make_id(name: str) -> str:
    """An XLSForm name as a companion id: lower case, hyphens for anything else."""
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def texts(value: Any) -> dict[str, str]:
    """A label (text, or a map from language to text) as a map; "default" for no language."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v not in (None, "")}
    return {"default": str(value)} if value not in (None, "") else {}


@dataclass
class Mapper:
    survey: list[dict]          # the survey sheet's rows, as pyxform read them (row n at n - 2)
    choice_rows: list[dict]
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rows: dict[str, deque[int]] = {}
        for number, row in enumerate(self.survey, start=2):
            if row.get("name"):
                self.rows.setdefault(str(row["name"]), deque()).append(number)
        self.ids: dict[str, str] = {}       # XLSForm name → field id
        self.row_by_id: dict[str, int] = {}
        self.kinds: dict[str, str] = {}     # XLSForm name → what it is ("field", "note", "group", ...)
        self.literals: dict[str, str] = {}  # choice name → option id, for quoted text in expressions
        self.example: dict[str, Any] = {}
        self.sections: list[dict] = []
        self.instructions: list[dict[str, str]] = []

    # where, and what went wrong ----------------------------------------------------------
    def refuse(self, row: int, key: str, sheet: str = "survey", **values: Any) -> None:
        self.problems.append(RowProblem(sheet, row, t(key, **values)))

    def row_of(self, node: dict, parent_row: int = 1) -> int:
        queue = self.rows.get(str(node.get("name")))
        return queue.popleft() if queue else parent_row

    def raw(self, row: int) -> dict:
        return self.survey[row - 2] if 2 <= row < len(self.survey) + 2 else {}

    def text(self, node: dict, key: str) -> dict[str, str]:
        found = texts(node.get(key))
        self.languages.update(found)
        return found

    # names ------------------------------------------------------------------------------
    def name(self, node: dict, row: int, kind: str) -> str:
        name = str(node.get("name") or "")
        ident = make_id(name)
        if not ident or not ident[0].isalnum():
            self.refuse(row, "xlsform.bad_name", name=name)
        elif ident in self.ids.values() or name in self.ids:
            other = next((n for n, i in self.ids.items() if i == ident), name)
            self.refuse(row, "xlsform.same_id", name=name, other=other, id=ident)
        self.ids[name] = ident
        self.kinds[name] = kind
        self.row_by_id.setdefault(ident, row)
        return ident

    def options(self, node: dict, row: int) -> list[dict]:
        options, seen = [], {}
        choice_rows = {(str(r.get("list_name")), str(r.get("name"))): n
                       for n, r in enumerate(self.choice_rows, start=2)}
        for choice in node.get("choices") or ():
            name = str(choice.get("name") or "")
            where = choice_rows.get((str(node.get("list_name")), name), row)
            sheet = "choices" if where != row else "survey"
            ident = make_id(name)
            if not ident:
                self.refuse(where, "xlsform.bad_name", sheet=sheet, name=name)
            elif ident in seen and seen[ident] != name:
                self.refuse(where, "xlsform.same_id", sheet=sheet, name=name, other=seen[ident], id=ident)
            seen[ident] = name
            self.literals[name] = ident
            options.append({"id": ident, "label": self.text(choice, "label") or {"default": name}})
        if not options:
            self.refuse(row, "xlsform.no_choices", list=node.get("list_name") or node.get("itemset") or "")
        return options

    # the form ---------------------------------------------------------------------------
    def walk(self, children: list[dict]) -> None:
        top: dict | None = None
        for node in children:
            if node.get("type") == "group" and (node.get("control") or {}).get("bodyless"):
                continue  # pyxform's own meta group (instanceID)
            if node.get("type") == "group":
                self.group(node, [])
                top = None
                continue
            if top is None and (node.get("type") != "note" or self.sections):
                top = {"id": "", "title": None, "help": {}, "fields": []}
                self.sections.append(top)
            if top is None:  # a note before any question: the worksheet's instructions
                row = self.row_of(node)
                self.checked_columns(row)
                self.name(node, row, "note")
                if node.get("bind", {}).get("relevant"):
                    self.refuse(row, "xlsform.note_relevant")
                self.instructions.append(self.text(node, "label"))
                continue
            self.item(node, top, [], 1)

    def group(self, node: dict, relevant: list[str]) -> None:
        row = self.row_of(node)
        self.checked_columns(row)
        ident = self.name(node, row, "group")
        own = (node.get("bind") or {}).get("relevant")
        relevant = relevant + ([own] if own else [])
        title = self.text(node, "label") or {"default": str(node.get("name"))}
        section = {"id": ident, "title": title, "help": self.text(node, "hint"), "fields": []}
        self.sections.append(section)
        part = 1
        for child in node.get("children") or ():
            if child.get("type") == "group":
                self.group(child, relevant)
                part += 1
                section = {"id": f"{ident}-{part}", "title": title, "help": {}, "fields": []}
                self.sections.append(section)
            else:
                self.item(child, section, relevant, row)

    def item(self, node: dict, section: dict, relevant: list[str], parent_row: int) -> None:
        kind = str(node.get("type"))
        if kind == "calculate" and str(node.get("name")) not in self.rows:
            return  # pyxform's own, on no row of the sheet: a repeat's fixed count
        row = self.row_of(node, parent_row)
        written = str(self.raw(row).get("type") or kind)
        if kind in METADATA:
            self.notes.append(t("xlsform.skipped_metadata", row=row, type=written))
            self.name(node, row, "metadata")
            return
        self.checked_columns(row)
        if kind == "note":
            self.name(node, row, "note")
            if (node.get("bind") or {}).get("relevant"):
                self.refuse(row, "xlsform.note_relevant")
            target = section["fields"][-1] if section["fields"] else section
            _append(target, "help", self.text(node, "label"))
            return
        if kind == "repeat":
            self.table(node, section, relevant, row)
            return
        if kind not in TYPES:
            self.name(node, row, "other")
            self.refuse(row, "xlsform.unsupported_type", type=written)
            return
        f = self.field(node, row, kind)
        show = [r for r in relevant + [(node.get("bind") or {}).get("relevant")] if r]
        if show:
            f["show_if"] = show[0] if len(show) == 1 else " and ".join(f"({r})" for r in show)
        section["fields"].append(f)
        self.example_of(node, f, row, self.example)

    def field(self, node: dict, row: int, kind: str) -> dict:
        ident = self.name(node, row, "field")
        f: dict[str, Any] = {"id": ident, "type": TYPES[kind], "label": self.text(node, "label")}
        if not f["label"]:
            self.refuse(row, "xlsform.no_label")
        for value in f["label"].values():
            if _PIPED.search(value):
                self.refuse(row, "xlsform.piped_label")
                break
        f["help"] = self.text(node, "hint")
        _append(f, "help", self.text(node, "guidance_hint"))
        if kind == "text" and "multiline" in str((node.get("control") or {}).get("appearance") or ""):
            f["type"] = "longtext"
        if kind == "integer":
            f["integer"] = True
        if kind in ("select one", "select all that apply"):
            f["options"] = self.options(node, row)
        bind = node.get("bind") or {}
        required = str(bind.get("required") or "").strip()
        if required.lower() in _TRUE:
            f["required"] = True
        elif required.lower() not in _FALSE:
            self.refuse(row, "xlsform.required_expression", expr=required[:80])
        if bind.get("constraint"):
            message = texts(bind.get("jr:constraintMsg"))
            self.languages.update(message)
            f["constraint"] = {"expr": str(bind["constraint"]), "message": message}
        return f

    def table(self, node: dict, section: dict, relevant: list[str], row: int) -> None:
        ident = self.name(node, row, "table")
        table: dict[str, Any] = {"id": ident, "type": "table", "label": self.text(node, "label") or
                                 {"default": str(node.get("name"))}, "help": self.text(node, "hint"), "columns": []}
        show = [r for r in relevant + [(node.get("bind") or {}).get("relevant")] if r]
        if show:
            table["show_if"] = show[0] if len(show) == 1 else " and ".join(f"({r})" for r in show)
        count = str(self.raw(row).get("repeat_count") or "").strip()
        if count.isdigit():
            table["min_rows"] = int(count)
        elif count:
            self.refuse(row, "xlsform.repeat_count", expr=count[:80])
        example_row: dict[str, Any] = {}
        for child in node.get("children") or ():
            kind = str(child.get("type"))
            child_row = self.row_of(child, row)
            self.checked_columns(child_row)
            if kind == "note":
                self.name(child, child_row, "note")
                _append(table, "help", self.text(child, "label"))
            elif kind in ("group", "repeat"):
                self.name(child, child_row, "other")
                self.refuse(child_row, "xlsform.nested_in_repeat", type=str(self.raw(child_row).get("type") or kind))
            elif kind not in TYPES:
                self.name(child, child_row, "other")
                self.refuse(child_row, "xlsform.unsupported_type", type=str(self.raw(child_row).get("type") or kind))
            else:
                column = self.field(child, child_row, kind)
                if (child.get("bind") or {}).get("relevant"):
                    self.refuse(child_row, "xlsform.column_relevant")
                table["columns"].append(column)
                self.example_of(child, column, child_row, example_row)
        if not table["columns"]:
            self.refuse(row, "xlsform.empty_repeat")
        if example_row:
            self.example[ident] = [example_row]
        section["fields"].append(table)

    def checked_columns(self, row: int) -> None:
        for key, value in self.raw(row).items():
            if value not in (None, "") and column_base(key) not in COLUMNS:
                self.refuse(row, "xlsform.unsupported_column", column=str(key)[:60])

    def example_of(self, node: dict, f: dict, row: int, into: dict) -> None:
        value = node.get("example")
        if value in (None, ""):
            return
        text = str(value).strip()
        kind = f["type"]
        try:
            if kind == "number":
                number = float(text)
                into[f["id"]] = int(number) if f.get("integer") or number.is_integer() else number
            elif kind == "date":
                into[f["id"]] = _date(text)
            elif kind in ("choice", "multichoice"):
                known = {o["id"] for o in f["options"]}
                chosen = [make_id(name) for name in text.split()]
                if not chosen or any(c not in known for c in chosen) or (kind == "choice" and len(chosen) > 1):
                    raise ValueError
                into[f["id"]] = chosen[0] if kind == "choice" else chosen
            else:
                into[f["id"]] = text
        except ValueError:
            self.refuse(row, "xlsform.bad_example", value=text[:60], type=kind)

    # expressions --------------------------------------------------------------------------
    def expressions(self) -> None:
        """Write every show_if and constraint with the fields' ids, and check it can be evaluated."""
        for section in self.sections:
            for f in section["fields"]:
                self.expression(f, "show_if")
                self.expression(f, "constraint")
                for column in f.get("columns", ()):
                    self.expression(column, "constraint")

    def expression(self, f: dict, key: str) -> None:
        raw = f.get(key)
        if raw is None:
            return
        text = raw["expr"] if key == "constraint" else raw
        row = self.row_by_id.get(f["id"], 1)
        column = "relevant" if key == "show_if" else "constraint"
        problem = expressions.check(text)
        if problem is None:
            for ref in sorted(expressions.references(text)):
                if self.kinds.get(ref) not in ("field", "table"):
                    problem = t("xlsform.ref_not_field", ref=ref, kind=self.kinds.get(ref, "?"))
                    break
        if problem:
            self.refuse(row, "xlsform.bad_expression", column=column, detail=problem)
            return
        text = expressions.rename(text, self.ids, self.literals)
        if key == "constraint":
            raw["expr"] = text
        else:
            f[key] = text


def _append(target: dict, key: str, more: dict[str, str]) -> None:
    if not more:
        return
    have = target.get(key) or {}
    for language in set(have) | set(more):
        parts = [p for p in (have.get(language) or have.get("default"), more.get(language) or more.get("default")) if p]
        have[language] = "\n\n".join(parts)
    target[key] = have


def _date(text: str) -> str:
    import datetime as dt

    return dt.date.fromisoformat(text[:10]).isoformat()
