"""Search in every language: the pack's words and the participant's folded
the same way (accents, Arabic letter variants and marks), each result
saying its language, and a change of language that never makes a search
wait; answers that mean the same in every language's pack."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from companion.folding import fold
from companion.workbook import Workbook
from tests.translated_packs import make_packs


@pytest.fixture
def packs(tmp_path, monkeypatch) -> dict[str, Path]:
    found = make_packs(tmp_path / "content")
    monkeypatch.setenv("COMPANION_CONTENT", str(found["en"]))
    return found


@pytest.fixture
def book(tmp_path, packs):
    opened = []

    def make(language: str, folder: str = "data") -> Workbook:
        workbook = Workbook.open(tmp_path / folder, language=language)
        opened.append(workbook)
        return workbook

    yield make
    for workbook in opened:
        workbook.close()


def _found(workbook: Workbook, query: str, kind: str | None = None) -> list[str]:
    return [r.id.partition("#")[0] for r in workbook.search.find(query) if kind is None or r.kind == kind]


def test_folding_removes_accents_and_folds_arabic_spellings():
    assert fold("Éducation niño façade irmã") == "education nino facade irma"
    assert fold("أحمد إسلام آمن ٱلله") == "احمد اسلام امن الله"
    assert fold("مدرسة مستشفى مؤتمر رئيس") == "مدرسه مستشفي موتمر رييس"
    assert fold("مُهَاجِرٌ الهجـــرة") == "مهاجر الهجره"


@pytest.mark.parametrize("language, queries", [
    ("fr", ["intégration", "integration", "INTEGRATION", "émigrés", "emigres", "facade"]),
    ("es", ["niñez", "ninez", "migracion", "migración", "ano", "año"]),
    ("ar", ["الهجرة", "الهجره", "الهِجْرَةُ", "مؤتمر", "موتمر", "مُؤْتَمَر", "الاقليمي", "الإقليمي"]),
])
def test_the_packs_words_are_found_with_or_without_accents_and_marks(book, language, queries):
    workbook = book(language)
    for query in queries:
        assert "core-why-local" in _found(workbook, query, "topic"), query


@pytest.mark.parametrize("language, typed, queries", [
    ("fr", "L'éducation des enfants à Mirazul", ["education", "éducation", "EDUCATION"]),
    ("es", "La señora García y la niñez", ["senora", "garcia", "Niñez"]),
    ("ar", "زيارة مستشفى المدينة مع أَطْفَال المدرسة", ["مستشفي", "مستشفى", "اطفال", "أطفال", "المدرسه"]),
])
def test_the_participants_words_are_found_in_any_spelling_whatever_the_language(book, language, typed, queries):
    workbook = book(language)
    sheet = workbook.book.create_worksheet("plan", "Plan", {"objective": typed})
    for shown in ("fr", "es", "ar", "en"):  # the index of their words does not depend on the language
        workbook.use_language(shown)
        workbook.search.wait_for_index()
        for query in queries:
            assert str(sheet.id) in _found(workbook, query, "worksheet"), (shown, query)


def test_a_result_says_its_language_and_marks_the_words_as_written(book):
    workbook = book("ar")
    results = {r.id.partition("#")[0]: r for r in workbook.search.find("diaspora") if r.kind == "topic"}
    assert results["core-concepts"].language == "en"  # not translated: found in English, and said so
    found = [r for r in workbook.search.find("الهجرة") if r.kind == "topic"][0]
    assert found.language == "ar"
    assert "\x02الهِجْرَةُ\x03" in found.snippet  # the word marked as the pack writes it
    french = book("fr", "other")
    hit = [r for r in french.search.find("integration") if r.kind == "topic"][0]
    assert hit.language == "fr" and "\x02intégration\x03" in hit.snippet


def test_changing_language_never_makes_a_search_wait(book, monkeypatch):
    workbook = book("en")
    assert "core-why-local" in _found(workbook, "integration", "topic")
    release = threading.Event()
    original = type(workbook.search)._content_rows

    def slow(self, pack):
        release.wait(10)
        yield from original(self, pack)

    monkeypatch.setattr(type(workbook.search), "_content_rows", slow)
    workbook.use_language("es")
    started = time.perf_counter()
    meanwhile = workbook.search.find("integration")  # the English rows serve until the Spanish ones are in
    assert time.perf_counter() - started < 2
    assert [r.language for r in meanwhile if r.kind == "topic"][:1] == ["en"]
    release.set()
    workbook.search.wait_for_index(10)
    assert "core-why-local" in _found(workbook, "niñez", "topic")
    assert all(r.language == "es" for r in workbook.search.find("ninez") if r.kind == "topic")


def test_a_worksheet_filled_in_french_opens_in_spanish_with_every_answer(book, tmp_path):
    french = book("fr")
    answers = {"name": "Bureau de Mirazul", "story": "Ça a commencé en 2025.", "people": 12,
               "started": "2025-01-10", "scope": "region", "themes": ["health", "housing"], "confidence": 4,
               "steps": ["meet"], "actors": [{"actor": "Mairie", "kind": "public", "interest": 4, "influence": 5,
                                              "needs": ["money"]}]}
    sheet = french.book.create_worksheet("all-fields", "Mon plan", answers)
    french.book.save_answers(sheet.id, {"story": "Ça a commencé en 2025 à Mirazul."})
    out = french.sharing.export_share([sheet.id], tmp_path / "plan.share")
    spanish = book("es", "colleague")
    [result] = spanish.sharing.import_paths([out])
    imported = spanish.book.worksheet(result.worksheet_id)
    template = spanish.book.template_of(imported)
    assert imported.answers == {**answers, "story": "Ça a commencé en 2025 à Mirazul."}
    assert template.field("scope").label == "Alcance" and template.field("scope").option_label("region") == "Región"
    assert [i for i in spanish.book.issues(imported) if i.severity == "error"] == []
    # the same data folder, shown in Spanish: the same worksheet, every answer
    french.use_language("es")
    again = french.book.worksheet(sheet.id)
    assert again.answers == imported.answers
    assert french.book.template_of(again).field("themes").option_label("housing") == "Vivienda"


def test_the_index_of_answers_holds_only_the_words_typed_never_the_labels_of_one_language(book):
    """A chosen option is a language's label: indexing it would make what is
    found depend on the language the worksheet was filled in."""
    workbook = book("fr")
    sheet = workbook.book.create_worksheet("all-fields", "Plan", {"scope": "region", "story": "Bureau ouvert"})
    for shown, label in (("fr", "Région"), ("es", "Región")):
        workbook.use_language(shown)
        workbook.search.wait_for_index()
        assert str(sheet.id) not in _found(workbook, label, "worksheet")
        assert str(sheet.id) in _found(workbook, "bureau", "worksheet")
