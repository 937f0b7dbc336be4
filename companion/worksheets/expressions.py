"""Expressions in XLSForm's syntax, for a field's ``show_if`` and ``constraint``.

A small language, read by a tokenizer and a recursive-descent parser into a
tree of tuples and evaluated against the answers: never Python's ``eval``.
It knows ``${field}``, ``.`` (the answer being checked), numbers, quoted
text, ``= != < <= > >=``, ``and or``, ``+ - * div mod``, parentheses and the
functions in :data:`FUNCTIONS`; anything else (another function, a path, a
bare name) is refused by name when the template is loaded. The values follow
XPath as XLSForm's tools do: an empty answer is empty text, which is not a
number, so ``${age} > 17`` is false until an age is given; dates compare and
subtract as days.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

from companion.errors import InputError
from companion.messages import t, t_count

MAX_LENGTH = 2000   # characters in one expression
MAX_TOKENS = 400
MAX_DEPTH = 30      # brackets and operators inside each other
FUNCTIONS = {"selected": 2, "count-selected": 1, "string-length": 1, "today": 0, "not": 1}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOKEN = r"""
    (?P<space>\s+)
  | \$\{(?P<ref>[^}]*)\}
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | '(?P<str1>[^']*)' | "(?P<str2>[^"]*)"
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.:-]*)
  | (?P<dot>\.(?!\.))
"""  # compiled when first used (see _token): nothing of this module is needed to start the app
_REF_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_WORD_OPS = {"and", "or", "div", "mod"}


@lru_cache(maxsize=1)
def _token() -> re.Pattern:
    return re.compile(_TOKEN, re.VERBOSE)


class ExpressionError(InputError):
    """An expression that cannot be read or is not supported: the message says which part."""


def _refuse(key: str, **values: Any) -> ExpressionError:
    return ExpressionError(t(key, **values))


# reading --------------------------------------------------------------------------------
def tokens(text: str) -> list[tuple[str, Any, int, int]]:
    """(kind, value, start, end) of each token of ``text``."""
    if not isinstance(text, str):
        raise _refuse("expr.not_text")
    if len(text) > MAX_LENGTH:
        raise _refuse("expr.too_long", max=MAX_LENGTH)
    found, position = [], 0
    while position < len(text):
        match = _token().match(text, position)
        if match is None:
            rest = text[position:]
            if rest[0] in "'\"":
                raise _refuse("expr.unclosed")
            raise _refuse("expr.bad_character", char=rest[:2] if rest.startswith("..") else rest[0])
        kind = match.lastgroup
        start, position = match.start(), match.end()
        if kind == "space":
            continue
        value = match.group(kind)
        if kind == "ref" and not _REF_NAME.match(value):
            raise _refuse("expr.bad_ref", ref=value[:40])
        if kind in ("str1", "str2"):
            kind = "str"
        if kind == "name" and value in _WORD_OPS:
            kind = "op"
        found.append((kind, value, start, position))
        if len(found) > MAX_TOKENS:
            raise _refuse("expr.too_long", max=MAX_LENGTH)
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokens(text)
        self.at = 0
        self.depth = 0

    def peek(self, *values: str) -> str | None:
        if self.at < len(self.tokens):
            kind, value = self.tokens[self.at][:2]
            if kind == "op" and value in values:
                return value
        return None

    def take(self) -> tuple[str, Any, int, int]:
        if self.at >= len(self.tokens):
            raise _refuse("expr.incomplete")
        self.at += 1
        return self.tokens[self.at - 1]

    def expect(self, value: str) -> None:
        if self.take()[:2] != ("op", value):
            raise _refuse("expr.expected", expected=value, got=self.tokens[self.at - 1][1])

    def parse(self) -> tuple:
        if not self.tokens:
            raise _refuse("expr.empty")
        tree = self.binary(0)
        if self.at < len(self.tokens):
            raise _refuse("expr.unexpected", got=self.tokens[self.at][1])
        return tree

    LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))

    def binary(self, level: int) -> tuple:
        if level == len(self.LEVELS):
            return self.unary()
        self.enter()
        left = self.binary(level + 1)
        while (op := self.peek(*self.LEVELS[level])) is not None:
            self.at += 1
            left = ("op", op, left, self.binary(level + 1))
        self.depth -= 1
        return left

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH * len(self.LEVELS):
            raise _refuse("expr.too_deep", max=MAX_DEPTH)

    def unary(self) -> tuple:
        if not self.peek("-"):
            return self.primary()
        self.at += 1
        self.enter()
        tree = ("neg", self.unary())
        self.depth -= 1
        return tree

    def primary(self) -> tuple:
        kind, value, *_ = self.take()
        if kind in ("num", "str", "ref", "dot"):
            return (kind, float(value) if kind == "num" else value)
        if kind == "op" and value == "(":
            self.enter()
            tree = self.binary(0)
            self.expect(")")
            self.depth -= 1
            return tree
        if kind == "name":
            if not self.peek("("):
                raise _refuse("expr.bare_name", name=value[:40])
            if value not in FUNCTIONS:
                raise _refuse("expr.unknown_function", name=value[:40],
                              known=", ".join(f"{name}()" for name in FUNCTIONS))
            self.at += 1
            self.enter()
            args = []
            if not self.peek(")"):
                args.append(self.binary(0))
                while self.peek(","):
                    self.at += 1
                    args.append(self.binary(0))
            self.expect(")")
            self.depth -= 1
            if len(args) != FUNCTIONS[value]:
                raise ExpressionError(t_count("expr.arguments", FUNCTIONS[value], name=value))
            return ("call", value, tuple(args))
        raise _refuse("expr.unexpected", got=value)


@lru_cache(maxsize=1024)
def parse(text: str) -> tuple:
    """The tree of ``text``; ExpressionError says what is wrong or not supported."""
    return _Parser(text).parse()


def check(text: Any) -> str | None:
    """None when ``text`` is a supported expression, else why not (for the validator)."""
    try:
        parse(text)
    except ExpressionError as exc:
        return str(exc)
    except RecursionError:
        return t("expr.too_deep", max=MAX_DEPTH)
    return None


def references(text: str) -> set[str]:
    """The fields ``${...}`` that ``text`` names."""
    return {value for kind, value, *_ in tokens(text) if kind == "ref"}


def rename(text: str, fields: dict[str, str], literals: dict[str, str] | None = None) -> str:
    """``text`` with ``${old}`` written ``${new}`` for each of ``fields`` and quoted
    text equal to a key of ``literals`` replaced by its value (choice names)."""
    literals = literals or {}
    out, last = [], 0
    for kind, value, start, end in tokens(text):
        if kind == "ref" and value in fields:
            out += [text[last:start], "${" + fields[value] + "}"]
            last = end
        elif kind == "str" and value in literals:
            out += [text[last:start], "'" + literals[value] + "'"]
            last = end
    return "".join(out) + text[last:]


# values ---------------------------------------------------------------------------------
_EPOCH = dt.date(1970, 1, 1)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else math.nan
        except ValueError:
            return math.nan
    return math.nan


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "NaN" if math.isnan(value) else str(int(value)) if value.is_integer() and abs(value) < 1e15 \
            else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return " ".join(_items(value))
    return str(value) if isinstance(value, (int, str)) else ""


def _items(value: Any) -> list[str]:
    """The choices of a multiple-choice answer (a list, or text separated by spaces)."""
    if isinstance(value, list):
        return [item if isinstance(item, str) else _string(item) for item in value
                if isinstance(item, (str, int, float)) and not isinstance(item, bool)]
    return _string(value).split()


def truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return True if isinstance(value, dt.date) else bool(value) if isinstance(value, list) else bool(_string(value))


def _as_date(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, dt.date) or isinstance(right, dt.date):
        left, right = _as_date(left), _as_date(right)
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            same = truth(left) == truth(right)
        elif isinstance(left, (float, dt.date)) or isinstance(right, (float, dt.date)):
            same = _number(left) == _number(right)
        else:
            same = _string(left) == _string(right)
        return same if op == "=" else not same
    a, b = _number(left), _number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _arithmetic(op: str, a: float, b: float) -> float:
    if op in ("+", "-", "*"):
        return a + b if op == "+" else a - b if op == "-" else a * b
    if b == 0 or math.isnan(a) or math.isnan(b) or math.isinf(a):
        if op == "div" and b == 0 and not math.isnan(a) and a != 0:
            return math.copysign(math.inf, a)
        return math.nan
    return a / b if op == "div" else math.fmod(a, b)


class Scope:
    """What an expression sees: the answers, the dates among them, ``.``, and today."""

    def __init__(self, answers: dict[str, Any], dates: frozenset[str] = frozenset(), current: Any = None,
                 today: dt.date | None = None) -> None:
        self.answers, self.dates, self.current, self.today = answers, dates, current, today

    def field(self, name: str) -> Any:
        return self.value(self.answers.get(name), _as_date if name in self.dates else None)

    @staticmethod
    def value(value: Any, as_date=None) -> Any:
        """An answer as expressions see it: empty text for none, numbers as floats, a date's text as a date."""
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return as_date(value) if as_date else value


def _value(tree: tuple, scope: Scope) -> Any:
    kind = tree[0]
    if kind in ("num", "str"):
        return tree[1]
    if kind == "ref":
        return scope.field(tree[1])
    if kind == "dot":
        return scope.value(scope.current, _as_date)
    if kind == "neg":
        return -_number(_value(tree[1], scope))
    if kind == "call":
        return _call(tree[1], [_value(arg, scope) for arg in tree[2]], scope)
    op, left, right = tree[1], tree[2], tree[3]
    if op == "and":
        return truth(_value(left, scope)) and truth(_value(right, scope))
    if op == "or":
        return truth(_value(left, scope)) or truth(_value(right, scope))
    a, b = _value(left, scope), _value(right, scope)
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, a, b)
    return _arithmetic(op, _number(a), _number(b))


def _call(name: str, args: list[Any], scope: Scope) -> Any:
    if name == "selected":
        return _string(args[1]) in _items(args[0])
    if name == "count-selected":
        return float(len(_items(args[0])))
    if name == "string-length":
        return float(len(_string(args[0])))
    if name == "not":
        return not truth(args[0])
    return scope.today or dt.date.today()  # today()


def evaluate(text: str, scope: Scope) -> Any:
    """The value of ``text`` (raises ExpressionError if it cannot be read)."""
    return _value(parse(text), scope)


def holds(text: str, scope: Scope, otherwise: bool) -> bool:
    """Whether ``text`` is true; ``otherwise`` when it cannot be evaluated."""
    try:
        return truth(evaluate(text, scope))
    except (ExpressionError, RecursionError, ArithmeticError, ValueError, TypeError):
        return otherwise


# the worksheet's uses ----------------------------------------------------------------------
def _dates(fields) -> frozenset[str]:
    return frozenset(f.id for f in fields if f.type == "date")


def shown(template, f, answers: dict[str, Any]) -> bool:
    """Whether field ``f`` with an expression ``show_if`` is shown (shown when it cannot be worked out)."""
    return holds(f.show_expr, Scope(answers, _dates(template.fields()), answers.get(f.id)), otherwise=True)


def constraint_messages(template, f, value: Any, answers: dict[str, Any]) -> list[str]:
    """The messages of the constraints ``value`` (not empty) of field ``f`` breaks:
    the field's own, or for a table each row's cells against their columns'."""
    if f.constraint:
        expr, message = f.constraint
        if not holds(expr, Scope(answers, _dates(template.fields()), value), otherwise=True):
            return [message or t("check.constraint")]
        return []
    if f.type != "table" or not isinstance(value, list) or not any(c.constraint for c in f.columns):
        return []
    messages, column_dates = [], _dates(template.fields()) | _dates(f.columns)
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            continue
        scope_answers = {**answers, **row}
        for column in f.columns:
            cell = row.get(column.id)
            if not column.constraint or cell is None or cell == "" or cell == []:
                continue
            expr, message = column.constraint
            if not holds(expr, Scope(scope_answers, column_dates, cell), otherwise=True):
                messages.append(t("check.row_constraint", row=number, column=column.label,
                                  message=message or t("check.constraint")))
    return messages
