"""Answer types, the checks shown beside fields, and completion."""
from __future__ import annotations

import pytest

from companion.content.pack import load_pack
from companion.errors import InputError
from companion.worksheets.answers import ERROR, WARNING, check, coerce, coerce_all, completion, display_text
from tests.conftest import MINI_PACK

PACK = load_pack(MINI_PACK).pack
ALL = PACK.templates["all-fields"]
PLAN = PACK.templates["plan"]


def test_the_worked_example_fits_and_is_complete():
    clean = coerce_all(ALL, ALL.example)
    assert clean["themes"] == ["health", "jobs"]
    assert completion(ALL, clean) == 100
    assert [i for i in check(ALL, clean) if i.severity == ERROR] == []


@pytest.mark.parametrize("field_id, value, message", [
    ("people", "many", "should be a number"),
    ("people", 2.5, "whole number"),
    ("started", "10/01/2025", "YYYY-MM-DD"),
    ("scope", "planet", "not one of the choices"),
    ("themes", "health", "list of choices"),
    ("themes", ["health", "sports"], "'sports' is not one of the choices"),
    ("confidence", 9, "between 1 and 5"),
    ("confidence", True, "whole number"),
    ("actors", {"actor": "x"}, "list of rows"),
    ("actors", [{"actor": "x", "colour": "red"}], "'colour' is not a column"),
    ("actors", [{"actor": "x", "interest": 7}], "between 1 and 5"),
    ("name", ["a"], "should be text"),
])
def test_values_of_the_wrong_type_are_refused_with_a_clear_message(field_id, value, message):
    with pytest.raises(InputError, match=message):
        coerce(ALL.field(field_id), value)


def test_unknown_fields_are_refused():
    with pytest.raises(InputError, match="'colour' is not a field"):
        coerce_all(ALL, {"colour": "blue"})
    with pytest.raises(InputError, match="JSON object"):
        coerce_all(ALL, ["name"])


def test_numbers_given_as_text_are_read():
    assert coerce(ALL.field("people"), "12") == 12


def test_errors_and_warnings_in_words_a_participant_understands():
    issues = {(i.field_id, i.severity): i.message for i in check(PLAN, {"objective": ""})}
    assert issues[("title", ERROR)] == "This field is required."
    assert ("objective", WARNING) in issues


def test_an_end_date_before_its_start_is_an_error():
    answers = {"title": "x", "activities": [{"activity": "a", "start": "2027-05-01", "end": "2027-04-01"}]}
    messages = [i.message for i in check(PLAN, answers) if i.severity == ERROR]
    assert messages == ["Row 1: 'End' is before 'Start'."]
    answers = {"name": "x", "started": "2025-06-01", "finished": "2025-01-01"}
    assert any("before the started" in i.message for i in check(ALL, answers))


def test_out_of_range_numbers_and_required_columns():
    issues = [i.message for i in check(ALL, {"name": "x", "people": 5000, "actors": [{"interest": 3}]})]
    assert "Enter a number no greater than 1000." in issues
    assert "Row 1: 'Actor' is required." in issues


def test_a_hidden_field_is_not_counted_or_checked():
    without = {"name": "x", "scope": "city"}
    with_other = {"name": "x", "scope": "other"}
    assert completion(ALL, without) > completion(ALL, with_other)


def test_completion_counts_visible_answered_fields():
    assert completion(PLAN, {}) == 0
    assert completion(PLAN, {"title": "x"}) == 33
    assert completion(PLAN, {"title": "x", "activities": [{}]}) == 33


def test_display_text_uses_labels_and_units():
    assert display_text(ALL.field("scope"), "city") == "City"
    assert display_text(ALL.field("themes"), ["health", "jobs"]) == "Health; Jobs"
    assert display_text(ALL.field("confidence"), 5) == "5 / 5 (high)"
    assert display_text(PLAN.field("activities").column("budget"), 800) == "800 USD"
