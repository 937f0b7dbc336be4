"""Alphabetical order as each language sorts."""
from __future__ import annotations

from companion.collation import sort_key, sorted_texts


def test_accents_come_after_the_plain_letter_only_when_all_else_is_equal():
    words = ["élève", "zèbre", "eleve", "Elf", "côte", "cote", "ça", "cz"]
    assert sorted_texts(words, language="fr") == ["ça", "cote", "côte", "cz", "eleve", "élève", "Elf", "zèbre"]


def test_spanish_puts_enye_after_n_as_a_letter_of_its_own():
    words = ["ñandú", "nube", "oso", "nación"]
    assert sorted_texts(words, language="es") == ["nación", "nube", "ñandú", "oso"]
    assert sorted_texts(words, language="fr") == ["nación", "ñandú", "nube", "oso"]


def test_arabic_sorts_by_the_alphabet_with_hamza_forms_of_alef_as_alef():
    words = ["هجرة", "يد", "إدارة", "تنمية", "أسرة", "بلدية", "آفاق", "مدينة", "ثقافة"]
    assert sorted_texts(words, language="ar") == ["إدارة", "أسرة", "آفاق", "بلدية", "تنمية", "ثقافة", "مدينة",
                                                   "هجرة", "يد"]
    assert sort_key("مدرسة", "ar")[0] == sort_key("مدرست", "ar")[0]  # ة sorts with ت


def test_the_glossary_is_in_the_pack_languages_order(workbook):
    from companion.content.markdown import glossary_html

    page = glossary_html(workbook.pack)
    terms = [t.term for t in workbook.pack.glossary.values()]
    positions = [page.index(f"</a>{term}</h3>") for term in sorted_texts(terms, language=workbook.pack.language)]
    assert positions == sorted(positions)


def test_a_workbooks_templates_come_in_module_order_then_by_title_and_follow_a_new_pack(tmp_path):
    from companion import paths
    from companion.workbook import Workbook

    book = Workbook(tmp_path / "data", paths.content_dir("en"))
    try:
        templates = book.templates()
        modules = [m.id for m in book.pack.modules]
        assert [modules.index(tp.module) for tp in templates] == sorted(modules.index(tp.module) for tp in templates)
        templates.clear()  # a list of the caller's own
        assert len(book.templates()) == len(book.pack.templates) > 10
        book.use_content(paths.content_dir("fr"))
        assert {tp.title for tp in book.templates()} == {tp.title for tp in book.pack.templates.values()}
        assert book.pack.language == "fr"
    finally:
        book.close()
