"""The words filled into a message ({kind}, {expected}, {type}, {what}, {other}) are in the
person's language too: a French or Arabic message holds no English word."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion import messages, yamlfile
from companion.content import signing
from companion.errors import InputError
from companion.worksheets.template import parse_template

TEMPLATE = """\
id: t
title: [not, text]
version: many
sections:
  - id: s
    title: One
    fields:
      - {id: a, type: text, label: A}
      - {id: a, type: text, label: Again}
      - id: rows
        type: table
        label: Rows
        columns:
          - {id: what, type: text, label: What}
      - {id: total, type: computed, label: Total, compute: {of: sum, table: rows, column: what}}
      - id: pick
        type: choice
        label: Pick
        options:
          - {id: x, label: X}
          - {id: x, label: Y}
"""

LANGUAGES = ["fr", "es", "pt", "ar"]


def _template_problems() -> list[str]:
    _template, problems = parse_template(yamlfile.loads(TEMPLATE), Path("t.yaml"))
    return [p.message for p in problems]


@pytest.fixture(params=LANGUAGES)
def language(request):
    messages.set_language(request.param)
    yield request.param
    messages.set_language("en")


def test_a_templates_problems_name_kinds_and_types_in_the_language(language):
    found = " | ".join(_template_problems())
    for word in (messages.t("word.text"), messages.t("word.a_number"), messages.t("word.field"),
                 messages.t("word.option"), messages.t("word.line", line=8), messages.t("word.number")):
        assert word in found, (word, found)
    for english in ("should be text", "a number", "(also at line", "a number column"):
        assert english not in found, (english, found)


def test_a_damaged_key_file_says_which_part_in_the_language(language, tmp_path):
    path = tmp_path / "amina.pub"
    path.write_text(json.dumps({"format": signing.KEY_FORMAT, "kind": "public", "name": "Amina",
                                "public_key": "c2hvcnQ="}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        signing.read_public(path)
    assert messages.t("word.public_key") in str(caught.value)
    assert "public key" not in str(caught.value)

