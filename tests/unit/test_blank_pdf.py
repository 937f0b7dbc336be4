"""Worksheets on paper: each template blank, with its instructions and room to write."""
from __future__ import annotations

import subprocess

import pytest

from companion.errors import InputError
from companion.export.blank_pdf import column_widths, plain_instructions
from companion.workbook import Workbook, blank
from tests.conftest import BUNDLED_PACK


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    found = Workbook(tmp_path_factory.mktemp("data"), BUNDLED_PACK)
    yield found
    found.close()


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a_blank_action_plan_and_stakeholder_map_have_every_field_and_room_to_write(book, tmp_path):
    out = blank.export_blank(book, ["action-plan", "stakeholder-map"], tmp_path / "blank.pdf")
    text = " ".join(_text(out).split())
    for template_id in ("action-plan", "stakeholder-map"):
        template = book.template(template_id)
        assert template.title in text
        for f in template.fields():
            assert " ".join(f.label.split())[:30] in text, f.label
    assert "Name:" in text and "Tick one." in text and "Tick all that apply." in text
    assert "Instructions" in text and "SMART objective: specific, measurable" in text  # the link's words only
    assert "(glossary:" not in text and "**" not in text
    assert "Manage closely" in text and "Keep informed" in text  # the stakeholder grid, blank
    assert "Write the months across the top" in text  # the timeline's grid
    assert "A = Public authority or agency" in text  # a choice column's letters
    assert "The total of the column “Budget” of “Activities”." in text
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert 8 <= int(pages.split("Pages:")[1].split()[0]) <= 16


def test_every_template_prints_blank(book, tmp_path):
    done = []
    out = blank.write(blank.prepare(book, None), tmp_path / "all.pdf", lambda n, total: done.append((n, total)))
    text = _text(out)
    assert all(tp.title.split()[0] in text for tp in book.templates())
    assert done[-1][0] == done[-1][1] == len(book.templates()) + 1


def test_an_unknown_template_is_named(book, tmp_path):
    with pytest.raises(InputError, match="no-such"):
        blank.export_blank(book, ["no-such"], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_instructions_in_markdown_become_plain_paragraphs():
    found = plain_instructions("Read **this** and [the topic](topic:x).\n\n1. First\n2. Second\nstill second")
    assert found == ["Read this and the topic.", "1. First", "2. Second still second"]


def test_a_table_column_is_never_narrower_than_its_header_word(book):
    table = book.template("stakeholder-map").field("actors")
    from companion.export import fonts

    fonts.register()
    widths = column_widths(table, 480)
    assert abs(sum(widths) - 480) < 0.01
    influence = [c.id for c in table.columns].index("influence")
    assert widths[influence] >= fonts.text_width("Influence", fonts.BOLD, 8)
