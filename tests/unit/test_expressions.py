"""Expressions in XLSForm's syntax: evaluated by the companion's own small reader, never eval;
a field's show_if and constraint written with them, and the old {field, equals} form kept."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from companion import yamlfile
from companion.worksheets import answers as answers_mod
from companion.worksheets import expressions as ex
from companion.worksheets.template import parse_template

TODAY = dt.date(2026, 3, 10)


def value(text: str, answers: dict | None = None, current=None, dates=frozenset()):
    return ex.evaluate(text, ex.Scope(answers or {}, frozenset(dates), current, TODAY))


@pytest.mark.parametrize("text, answers, current, expected", [
    ("${age} >= 18 and ${age} < 120", {"age": 30}, None, True),
    ("${age} >= 18 and ${age} < 120", {"age": 12}, None, False),
    ("${age} > 17", {}, None, False),  # not answered yet: not a number, so not greater
    ("${age} != 3", {}, None, True),
    (". > 0 and . <= 500", {}, 40, True),
    (". > 0 and . <= 500", {}, 501, False),
    ("${kind} = 'other'", {"kind": "other"}, None, True),
    ("${kind} = 'other' or ${kind} = 'both'", {"kind": "city"}, None, False),
    ("not(${kind} = 'other')", {"kind": "city"}, None, True),
    ("selected(${themes}, 'jobs')", {"themes": ["health", "jobs"]}, None, True),
    ("selected(${themes}, 'jobs')", {"themes": []}, None, False),
    ("count-selected(.) <= 2", {}, ["a", "b", "c"], False),
    ("count-selected(${themes}) = 2", {"themes": "a b"}, None, True),  # as XLSForm writes a multiple answer
    ("string-length(.) >= 3", {}, "ab", False),
    ("string-length(${name}) > 0", {"name": "Amina"}, None, True),
    ("(2 + 3) * 4 - 10 div 4", {}, None, 17.5),
    ("7 mod 3", {}, None, 1.0),
    ("-(${a}) + 1", {"a": 3}, None, -2.0),
    ("${n} = 5", {"n": "5"}, None, True),  # text compared with a number, as a number
    ("'abc' < 'abd'", {}, None, False),  # text is no number: XPath compares numbers only
])
def test_expressions_evaluate_as_xlsform_tools_do(text, answers, current, expected):
    assert value(text, answers, current) == expected


def test_dates_compare_and_subtract_as_days_and_today_is_today():
    dates = {"start", "end"}
    assert value("${end} >= ${start}", {"start": "2026-01-01", "end": "2026-02-01"}, dates=dates) is True
    assert value(". >= ${start}", {"start": "2026-01-01"}, "2025-12-31", dates) is False
    assert value("today() - ${start}", {"start": "2026-03-01"}, dates=dates) == 9.0
    assert value(". <= today() + 730", {}, "2026-05-12") is True
    assert value("${start} > '2025-12-31'", {"start": "2026-01-01"}, dates=dates) is True


def test_dividing_by_zero_and_odd_values_give_values_not_errors():
    assert value("1 div 0") == float("inf")
    assert value("0 div 0") != value("0 div 0")  # NaN
    assert value("5 mod 0") != value("5 mod 0")
    assert value("${t} = 'x'", {"t": [{"row": 1}]}) is False  # a table's rows are not text
    assert ex.holds("${a} > 1", ex.Scope({"a": object()}), otherwise=True) is False


@pytest.mark.parametrize("text, said", [
    ("regex(., '^[0-9]+$')", "the function 'regex()' is not supported"),
    ("jr:choice-name(${x}, '${x}')", "the function 'jr:choice-name()' is not supported"),
    ("pulldata('f', 'a', 'b', 'c')", "the function 'pulldata()' is not supported"),
    ("age > 3", "'age' is not supported: name a field as ${age}"),
    ("/data/age > 3", "'/' is not supported"),
    ("../age > 3", "'..' is not supported"),
    ("${a} | ${b}", "'|' is not supported"),
    ("${a} = ", "stops too early"),
    ("'open", "not closed"),
    ("${a b} = 1", "does not name a field"),
    ("selected(${a})", "'selected()' takes 2 arguments"),
    ("", "empty"),
    ("(" * 40 + "1" + ")" * 40, "nested more than"),
    ("-" * 350 + "1", "nested more than"),
    ("1 + " * 600 + "1", "longer than"),
])
def test_anything_else_is_refused_by_name(text, said):
    problem = ex.check(text)
    assert problem is not None and said in problem, problem
    with pytest.raises(ex.ExpressionError):
        ex.parse(text)


def test_nothing_is_ever_handed_to_python():
    for text in ("__import__('os').system('true')", "${a}.__class__", "open('/etc/passwd')",
                 "lambda: 1", "[x for x in ()]", "1; 2", "{1: 2}"):
        assert ex.check(text) is not None, text


def test_renaming_changes_references_and_choice_names_only():
    text = "selected(${my_field}, 'opt_a') and ${my_field_2} = 'opt_a' and 'my_field' = 'x'"
    renamed = ex.rename(text, {"my_field": "my-field", "my_field_2": "my-field-2"}, {"opt_a": "opt-a"})
    assert renamed == "selected(${my-field}, 'opt-a') and ${my-field-2} = 'opt-a' and 'my_field' = 'x'"
    assert ex.references(renamed) == {"my-field", "my-field-2"}


TEMPLATE = """
id: t
version: 1
title: T
module: core
sections:
  - id: s
    title: S
    fields:
      - {id: kind, type: choice, label: Kind, options: [{id: city, label: City}, {id: other, label: Other}]}
      - {id: kind-other, type: text, label: Which, show_if: {field: kind, equals: other}}
      - id: people
        type: number
        label: People
        constraint: {expr: ". > 0 and . <= 500", message: Between 1 and 500 people}
      - id: note
        type: text
        label: Note
        show_if: "${people} >= 100"
        constraint: {expr: "string-length(.) >= 3"}
      - id: start
        type: date
        label: Start
      - id: end
        type: date
        label: End
        constraint: {expr: ". >= ${start}", message: Ends after it starts}
      - id: rows
        type: table
        label: Rows
        columns:
          - {id: what, type: text, label: What}
          - {id: minutes, type: number, label: Minutes, constraint: {expr: ". <= 60", message: At most an hour}}
worked_example:
  answers: {kind: city}
"""


def _template(text: str = TEMPLATE):
    return parse_template(yamlfile.loads(text), Path("t.yaml"))


def test_a_template_carries_show_if_and_constraints_as_expressions_beside_the_old_form():
    template, problems = _template()
    assert problems == []
    people, note = template.field("people"), template.field("note")
    assert people.constraint == (". > 0 and . <= 500", "Between 1 and 500 people")
    assert note.show_expr == "${people} >= 100" and note.show_if is None
    assert template.field("kind-other").show_if == ("kind", "other")  # the old form still works
    assert not answers_mod.is_visible(template, note, {"people": 40})
    assert answers_mod.is_visible(template, note, {"people": 150})
    assert not answers_mod.is_visible(template, template.field("kind-other"), {"kind": "city"})
    assert answers_mod.is_visible(template, template.field("kind-other"), {"kind": "other"})


def test_check_reports_each_failed_constraint_with_its_message():
    template, _ = _template()
    issues = answers_mod.check(template, {
        "people": 900, "note": "ab", "start": "2026-05-01", "end": "2026-04-01",
        "rows": [{"what": "a", "minutes": 90}, {"what": "b", "minutes": 30}]})
    found = {(i.field_id, i.message) for i in issues}
    assert ("people", "Between 1 and 500 people") in found
    assert ("end", "Ends after it starts") in found
    assert ("rows", "row 1, Minutes: At most an hour") in found
    assert ("note", "This answer does not meet the worksheet's condition") in found
    assert not any(i.field_id == "rows" and "row 2" in i.message for i in issues)
    fine = answers_mod.check(template, {"people": 200, "note": "fine", "start": "2026-05-01", "end": "2026-05-02"})
    assert fine == []
    assert answers_mod.check(template, {}) == []  # an empty answer is never checked against its constraint


def test_a_template_with_a_bad_expression_or_an_unknown_field_names_the_line():
    text = TEMPLATE.replace('show_if: "${people} >= 100"', 'show_if: "regex(${people}, \'1\')"')
    _, problems = _template(text)
    assert any("show_if" in p.message and "'regex()' is not supported" in p.message for p in problems)
    text = TEMPLATE.replace('${start}', '${begin}')
    _, problems = _template(text)
    assert any("'constraint' names 'begin'" in p.message for p in problems)
    text = TEMPLATE.replace('constraint: {expr: "string-length(.) >= 3"}', "constraint: [1]")
    _, problems = _template(text)
    assert any("constraint: {expr, message}" in p.message for p in problems)
