"""Content packs of other languages: read over the English pack they
translate, compared with it by id, checked against it, chosen by language."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from companion.cli import main as cli
from companion.content import translation
from companion.content.markdown import topic_html
from companion.workbook import Workbook
from companion.workbook import translation as app_translation
from tests.translated_packs import make_packs


@pytest.fixture
def packs(tmp_path, monkeypatch) -> dict[str, Path]:
    found = make_packs(tmp_path / "content")
    monkeypatch.setenv("COMPANION_CONTENT", str(found["en"]))  # the bundled English pack
    return found


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _field(data: dict, field_id: str) -> dict:
    return next(f for s in data["sections"] for f in s["fields"] if f["id"] == field_id)


# reading a translation over English ----------------------------------------------------------
def test_a_partial_translation_shows_what_it_lacks_from_english_with_a_notice(packs):
    pack = translation.load_content(packs["ar"]).pack
    assert pack.language == "ar" and pack.base_language == "en"
    assert [m.id for m in pack.modules] == ["core", "m1"]
    assert pack.topic("core-why-local").title == "لماذا المستوى المحلي"
    assert pack.topic("core-concepts").title == "Key concepts"  # not translated yet: the English topic
    assert pack.language_of("topic", "core-concepts") == "en"
    assert pack.language_of("topic", "core-why-local") == "ar"
    assert {"module:m1", "topic:m1-coherence", "glossary:remittances", "worksheet:all-fields",
            "page:mirazul"} <= pack.untranslated
    assert pack.templates["plan"].title == "خطة العمل" and pack.templates["all-fields"].title == "Every field type"
    assert "Not yet translated: this topic is shown in English." in topic_html(pack, pack.topic("core-concepts"))
    assert "Not yet translated" not in topic_html(pack, pack.topic("core-why-local"))
    # the city's figures: the translation's own file when it has one, else the English one
    assert "1,500" in pack.topic("core-why-local").body
    assert "1 500" in translation.load_content(packs["fr"]).pack.topic("core-why-local").body


def test_a_complete_translation_has_every_english_id_and_no_other(packs):
    english = translation.load_content(packs["en"]).pack
    for language in ("fr", "es"):
        pack = translation.load_content(packs[language]).pack
        assert pack.untranslated == set()
        assert translation.ids(pack) == translation.ids(english)
        assert translation.differences(english, pack) == []


def test_a_worksheet_whose_options_differ_from_english_is_shown_from_english(packs):
    """Answers are kept by option id: a translated worksheet with another id
    is never shown, so no answer is given that English would not read."""
    _edit(packs["fr"] / "worksheets" / "all-fields.yaml",
          lambda data: _field(data, "scope")["options"][1].update(id="regional"))
    pack = translation.load_content(packs["fr"]).pack
    assert [o.id for o in pack.templates["all-fields"].field("scope").options] == ["city", "region", "other"]
    assert pack.templates["all-fields"].title == "Every field type"
    assert pack.templates["plan"].title == "Plan d'action"


# content diff ----------------------------------------------------------------------------------
def test_diff_lists_what_a_partial_pack_lacks_one_line_each_and_exits_1(packs, capsys):
    assert cli.main(["content", "diff", str(packs["en"]), str(packs["ar"])]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "lacks module m1", "lacks topic core-concepts", "lacks page mirazul",
        "lacks glossary term integration", "lacks glossary term remittances", "lacks worksheet all-fields"]
    assert cli.main(["content", "diff", str(packs["en"]), str(packs["fr"])]) == 0


def test_diff_lists_ids_in_excess_and_changed_ids_inside_worksheets_and_checks(packs, capsys):
    _edit(packs["es"] / "worksheets" / "all-fields.yaml",
          lambda data: _field(data, "scope")["options"][1].update(id="regional"))
    _edit(packs["es"] / "checks" / "core-why-local.yaml", lambda data: data["questions"][0].update(id="first"))
    _edit(packs["es"] / "glossary.yaml", lambda data: data["terms"].append(
        {"id": "exilio", "term": "Exilio", "definition": "Salir."}))
    assert cli.main(["content", "diff", str(packs["en"]), str(packs["es"])]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "lacks option all-fields/scope/region", "lacks question core-why-local/q1",
        "has in excess glossary term exilio", "has in excess option all-fields/scope/regional",
        "has in excess question core-why-local/first"]


# content check of a translation ---------------------------------------------------------------
def _problems(root: Path) -> list[str]:
    return [str(p) for p in app_translation.check(root)[1]]


def test_the_translations_check_clean_and_a_partial_one_may_link_to_what_only_english_has(packs):
    (packs["ar"] / "pages" / "schedule.md").write_text(
        "---\nid: schedule\ntitle: x\n---\n[y](topic:core-concepts) [z](worksheet:all-fields)\n", encoding="utf-8")
    for language in ("fr", "es", "ar"):
        assert _problems(packs[language]) == []


def test_check_catches_a_changed_option_id(packs):
    _edit(packs["fr"] / "worksheets" / "all-fields.yaml",
          lambda data: _field(data, "themes")["options"][2].update(id="logement"))
    found = _problems(packs["fr"])
    assert any("field 'themes': the option 'housing' of mini-en is missing" in p for p in found)
    assert any("field 'themes': the option 'logement' is not in mini-en" in p for p in found)


def test_check_catches_a_missing_and_an_extra_field_and_a_changed_column(packs):
    def change(data):
        fields = data["sections"][0]["fields"]
        fields.remove(_field(data, "story"))
        fields.append({"id": "notes", "type": "text", "label": "Notes"})
        _field(data, "actors")["columns"][0]["required"] = False

    _edit(packs["fr"] / "worksheets" / "all-fields.yaml", change)
    found = _problems(packs["fr"])
    assert any("worksheet 'all-fields': the field 'story' of mini-en is missing" in p for p in found)
    assert any("worksheet 'all-fields': the field 'notes' is not in mini-en" in p for p in found)
    assert any("field 'actors/actor': 'required' is True in mini-en, False here" in p for p in found)


def test_check_catches_a_changed_type_show_if_and_computed_definition(packs):
    def change(data):
        _field(data, "people")["type"] = "text"
        _field(data, "scope-other")["show_if"] = {"field": "scope", "equals": "region"}

    _edit(packs["es"] / "worksheets" / "all-fields.yaml", change)
    found = _problems(packs["es"])
    assert any("field 'people': 'type' is number in mini-en, text here" in p for p in found)
    assert any("field 'scope-other': 'show_if'" in p for p in found)


def test_check_catches_sections_city_references_links_and_knowledge_check_answers(packs):
    topic = packs["fr"] / "modules" / "core" / "02-concepts.md"
    text = topic.read_text(encoding="utf-8")
    text = text.replace("## Idées clés", "## Key ideas").replace("- ?", "{{city:nowhere}} [x](topic:no-such)")
    topic.write_text(text, encoding="utf-8")
    _edit(packs["fr"] / "checks" / "core-why-local.yaml",
          lambda data: [o.update(correct=not o["correct"]) for o in data["questions"][0]["options"]])
    found = _problems(packs["fr"])
    assert any("02-concepts.md" in p and "the section '## Idées clés' is missing" in p for p in found)
    assert any("'nowhere'" in p for p in found)
    assert any("topic:no-such" in p or "no-such" in p for p in found)
    assert any("question 'q1': 'correct'" in p for p in found)
    assert cli.main(["content", "check", str(packs["fr"])]) == 1


def test_stats_give_a_translations_words_against_the_same_parts_of_english(packs):
    figures = app_translation.stats(packs["ar"])[0]
    assert figures["language"] == "ar" and figures["translation_of"] == "mini-en"
    assert figures["base_words"] > 0 and figures["ratio"] == round(100 * figures["translated_words"]
                                                                   / figures["base_words"])
    everything = app_translation.stats()
    assert [f["language"] for f in everything] == ["en", "ar", "es", "fr"]
    assert "ratio" not in everything[0]


# which pack a workbook shows -----------------------------------------------------------------
def test_the_workbook_shows_the_pack_of_the_language_asked_for_else_english(packs, tmp_path):
    assert Workbook.open(tmp_path / "a", language="fr").content_language == "fr"
    book = Workbook.open(tmp_path / "b", language="de")
    assert book.content_language == "en" and book.pack.id == "mini-en"
    book.set_preference("language", "es")
    book.close()
    again = Workbook.open(tmp_path / "b")
    assert again.content_language == "es" and again.pack.topic("core-why-local").title == "Por qué lo local"
    assert again.use_language("ar") == "ar"
    assert again.pack.topic("core-concepts").title == "Key concepts"
    again.close()
