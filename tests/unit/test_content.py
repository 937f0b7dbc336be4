"""Loading, checking and counting content packs."""
from __future__ import annotations

from pathlib import Path

import pytest

from companion.content.markdown import glossary_html, to_html, topic_html
from companion.content.pack import load_pack
from companion.content.validate import check_pack, stats
from companion.errors import ContentError
from tests.conftest import BUNDLED_PACK, MINI_PACK


def test_the_mini_pack_loads_in_manifest_order():
    loaded = load_pack(MINI_PACK)
    assert loaded.problems == []
    pack = loaded.pack
    assert [m.id for m in pack.modules] == ["core", "m1"]
    assert [t.id for t in pack.modules[0].topics] == ["core-why-local", "core-concepts"]
    assert set(pack.templates) == {"plan", "all-fields"}
    assert pack.glossary["diaspora"].see_also == ("remittances",)
    assert check_pack(MINI_PACK) == []


def test_stats_count_what_a_participant_reads():
    figures = stats(load_pack(MINI_PACK).pack)
    assert figures["modules"] == 2 and figures["topics"] == 3
    assert figures["worksheets"] == 2 and figures["glossary"] == 3
    assert figures["language"] == "en"
    assert figures["words"] > 100


def test_a_folder_without_manifest_is_no_pack(tmp_path: Path):
    with pytest.raises(ContentError, match="manifest"):
        load_pack(tmp_path)


def _problems(root: Path) -> list[str]:
    return [f"{p.file.relative_to(root)}:{p.line}: {p.message}" for p in check_pack(root)]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each broken pack: (file, old text, new text, expected "file:line: message" fragment)
BROKEN = [
    ("modules/core/02-concepts.md", "id: core-concepts", "id: core-why-local",
     "modules/core/02-concepts.md:2: the topic id 'core-why-local' is used twice"),
    ("modules/core/01-why-local.md", "title: Why local\n", "",
     "modules/core/01-why-local.md:2: 'title' is missing"),
    ("modules/core/01-why-local.md", "(topic:m1-coherence)", "(topic:nowhere)",
     "modules/core/01-why-local.md:15: broken link: there is no topic 'nowhere'"),
    ("modules/core/01-why-local.md", "(glossary:diaspora)", "(glossary:diasproa)",
     "modules/core/01-why-local.md:15: broken link: there is no glossary term 'diasproa'"),
    ("pages/schedule.md", "(worksheet:plan)", "(worksheet:plans)",
     "pages/schedule.md:6: broken link: there is no worksheet 'plans'"),
    ("modules/core/01-why-local.md", "worksheets: [plan]", "worksheets: [nope]",
     "modules/core/01-why-local.md:5: the topic lists worksheet 'nope', which does not exist"),
    ("glossary.yaml", "see_also: [remittances]", "see_also: [remitances]",
     "glossary.yaml:2: see_also names 'remitances', which is not a glossary term"),
    ("glossary.yaml", "  - id: integration", "  - id: diaspora",
     "glossary.yaml:10: the glossary term id 'diaspora' is used twice"),
    ("worksheets/all-fields.yaml", "type: longtext", "type: essay",
     "worksheets/all-fields.yaml:13: unknown field type 'essay'"),
    ("worksheets/plan.yaml", "    title: One door for people on the move\n",
     "    title: One door\n    colour: blue\n",
     "worksheets/plan.yaml:34: worked example: 'colour' is not a field of this worksheet"),
    ("worksheets/all-fields.yaml", "    people: 12", "    people: twelve",
     "worksheets/all-fields.yaml:79: worked example: 'people' should be a number"),
    ("worksheets/all-fields.yaml", "    scope: other", "    scope: planet",
     "worksheets/all-fields.yaml:82: worked example: 'planet' is not one of the choices for 'scope'"),
    ("modules/m1/01-coherence.md", "## Practice example", "## An example",
     "modules/m1/01-coherence.md:8: the section '## Practice example' is missing"),
    ("modules/m1/01-coherence.md", "---\nid: m1-coherence", "id: m1-coherence",
     "modules/m1/01-coherence.md:1: no front matter"),
    ("worksheets/plan.yaml", "sections:\n", "sections: [\n",
     "worksheets/plan.yaml:9: malformed YAML"),
    ("modules/m1/01-coherence.md", "glossary: [diaspora]", "glossary: [diaspora\n",
     "modules/m1/01-coherence.md:"),
    ("manifest.yaml", "modules: [core, m1]", "modules: [core, m1, m2]",
     "manifest.yaml:8: the manifest lists module 'm2' but there is no modules/m2/module.yaml"),
    ("worksheets/plan.yaml", "not_before: start", "not_before: begin",
     "worksheets/plan.yaml:28: 'not_before' names 'begin', which is not a field of this worksheet"),
]


@pytest.mark.parametrize("file, old, new, expected", BROKEN, ids=[f"{i}-{b[0]}" for i, b in enumerate(BROKEN)])
def test_each_kind_of_problem_is_reported_at_its_file_and_line(mini_pack, file, old, new, expected):
    _edit(mini_pack / file, old, new)
    problems = _problems(mini_pack)
    assert any(p.startswith(expected) or expected in p for p in problems), "\n".join(problems)


def test_raw_html_in_markdown_is_shown_as_text_not_run():
    rendered = to_html('Hello <script>alert(1)</script> <img src="http://x/y.png">\n\n<div>block</div>')
    assert "<script>" not in rendered and "<img" not in rendered and "<div>" not in rendered
    assert "&lt;script&gt;" in rendered


def test_a_topic_renders_with_tables_links_and_its_worksheets():
    pack = load_pack(MINI_PACK).pack
    rendered = topic_html(pack, pack.topic("core-why-local"))
    assert "<table>" in rendered and 'href="glossary:diaspora"' in rendered
    assert 'href="worksheet:plan"' in rendered and "Introduction" in rendered
    assert 'name="diaspora"' in glossary_html(pack)


def test_the_bundled_english_pack_is_valid_and_complete():
    loaded = load_pack(BUNDLED_PACK)
    problems = check_pack(BUNDLED_PACK)
    assert problems == [], "\n".join(map(str, problems[:20]))
    figures = stats(loaded.pack)
    assert figures["modules"] >= 6 and figures["topics"] >= 30 and figures["words"] >= 30000
    assert figures["worksheets"] >= 14 and figures["glossary"] >= 60
