import pytest

from companion.errors import ContentError
from companion.yamlfile import line_of, loads


def test_lines_of_keys_and_lists_are_remembered():
    data = loads("a: 1\nb:\n  - x\n  - y\nc:\n  d: 2\n")
    assert line_of(data, "a") == 1
    assert line_of(data, "c") == 5
    assert line_of(data["b"]) == 3
    assert line_of(data["c"], "d") == 6


def test_duplicate_keys_are_recorded():
    data = loads("a: 1\nb: 2\na: 3\n")
    assert data.duplicates == [("a", 3)]


def test_dates_stay_text():
    assert loads("d: 2027-03-01")["d"] == "2027-03-01"


def test_malformed_yaml_names_its_line():
    with pytest.raises(ContentError) as caught:
        loads("a: 1\nb: [unclosed\nc: 2\n")
    line, _, message = str(caught.value).partition(": ")
    assert int(line) >= 2 and "malformed YAML" in message


def test_embedded_yaml_lines_are_shifted():
    data = loads("x: 1\ny: 2\n", first_line=2)
    assert line_of(data, "y") == 3


def test_a_comma_that_cuts_a_text_inside_braces_is_named_with_its_line():
    text = "columns:\n  - {id: who, label: Who}\n  - {id: when, help: The day, or its first day.}\n"
    with pytest.raises(ContentError) as caught:
        loads(text)
    assert str(caught.value).startswith("3: ") and "'or its first day.'" in str(caught.value)
    quoted = loads(text.replace("help: The day, or its first day.", 'help: "The day, or its first day."'))
    assert quoted["columns"][1]["help"] == "The day, or its first day."
    assert loads("a: {x: 1, y}\n")["a"] == {"x": 1, "y": None}  # a word alone is no sentence cut short
